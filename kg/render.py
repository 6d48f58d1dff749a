"""Drawing a set of concepts with vis-network: positions computed here, pack text passed only as data.

Two consumers share one drawing script:

* :func:`render_html` builds one standalone, offline HTML page for ``kg export --format html``: a
  ``pyvis.network.Network`` holds the nodes, edges and options, and its ``generate_html`` renders
  them through kg's own template (``kg/static/page.html``) with autoescaping on;
* the Streamlit app mounts :data:`COMPONENT_HTML`, :data:`DRAW_CSS` and :data:`COMPONENT_MODULE`
  as the Custom Component v2 :data:`COMPONENT_NAME` and passes :func:`graph_data` as its data. It
  draws with vis-network directly, because a click on a node must come back to Python, which pyvis's
  pages cannot do. Streamlit serves the module, the drawing and vis-network from ``kg/static`` by URL
  (declared in ``kg/pyproject.toml``), so a drawing message carries only data; :func:`component_js`
  is the same module with its imports inlined, for a Streamlit that cannot find the declaration.

Safety rules: no pack text is ever written into HTML markup or attributes. It travels as JSON — inside ``<script type="application/json">`` with ``<``, ``>``, ``&``
and U+2028/U+2029 escaped, or as a component's data — and the page puts it on screen with
``textContent`` or as vis-network labels drawn on a canvas. Tooltips are DOM elements filled with
``textContent``, so they are plain text whatever they contain. Nodes and edges carry only a fixed list
of attributes, and colours come from the tables below, never from the pack.

Layout is deterministic and computed in Python (layered by study order for plans and whole graphs,
rings around the focus for neighbourhoods); physics is off unless asked for, and at most
:data:`MAX_NODES` concepts are drawn at once.

Importing this module imports neither streamlit nor pyvis (pyvis only inside :func:`render_html`);
the vis-network script is the copy vendored in ``kg/static`` with its licence.

>>> from kg import load_pack
>>> pack = load_pack()
>>> data = graph_data(pack, ["relu", "vanishing-gradient"], focus="relu")
>>> sorted(n["id"] for n in data["nodes"]), [e["type"] for e in data["edges"]]
(['relu', 'vanishing-gradient'], ['solves'])
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .layout import MAX_NODES, cap_nodes, chapter, positions_for, view_edges
from .text import HTML_LANG, LANGS, duration, edge_reason, edge_sentence, edge_type_name, field_text, kind_name, label, names, word
from .schema import DEFAULT_MINUTES, EDGE_TYPES, KINDS, section_key

if TYPE_CHECKING:
    from .pack import Pack

#: Node colour (background, border) by kind. Unknown kinds (only in broken packs) get the default.
KIND_COLOURS: dict[str, tuple[str, str]] = {
    "problem": ("#fca5a5", "#b91c1c"),
    "concept": ("#c7d2fe", "#4338ca"),
    "math": ("#e5e7eb", "#4b5563"),
    "technique": ("#bbf7d0", "#15803d"),
    "architecture": ("#fde68a", "#b45309"),
    "model": ("#fdba74", "#c2410c"),
    "layer": ("#a5f3fc", "#0e7490"),
    "activation": ("#f5d0fe", "#a21caf"),
    "loss": ("#fbcfe8", "#be185d"),
    "optimizer": ("#d9f99d", "#4d7c0f"),
    "metric": ("#bae6fd", "#0369a1"),
    "paradigm": ("#ddd6fe", "#6d28d9"),
    "framework": ("#fed7aa", "#9a3412"),
    "tool": ("#d6d3d1", "#57534e"),
    "application": ("#99f6e4", "#0f766e"),
}
DEFAULT_COLOUR = ("#f3f4f6", "#6b7280")

#: Edge colour and dash pattern (False = solid) by type.
EDGE_STYLES: dict[str, tuple[str, list[int] | bool]] = {
    "requires": ("#6b7280", False),
    "variant-of": ("#9333ea", [8, 5]),
    "used-in": ("#2563eb", [2, 4]),
    "solves": ("#16a34a", [12, 4, 2, 4]),
    "causes": ("#dc2626", [12, 4]),
}

#: Longest label drawn whole (every shipped name fits; a hostile pack's long names are still cut, with "…").
_LABEL_MAX = 48


# --------------------------------------------------------------------------- data for the page

def _shorten(text: str, limit: int = _LABEL_MAX) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def node_tooltip(pack: "Pack", node: str, lang: str = "en") -> str:
    """Plain text: both names, kind and section, minutes, and the summary in ``lang``."""
    data = pack.graph.nodes[node]
    first, second = names(pack, node, lang)
    facts = [kind_name(data.get("kind"), lang)]
    if data.get("section"):
        facts.append(word("draw_section", lang, section=data["section"]))
    facts.append(duration(data.get("minutes", DEFAULT_MINUTES), lang))
    return f"{first}{f' · {second}' if second else ''}\n{' · '.join(facts)}\n\n{field_text(data, 'summary', lang)}".strip()


def edge_tooltip(pack: "Pack", edge: tuple[str, str, str], lang: str = "en") -> str:
    """Plain text: the edge as a sentence, then its ``why``."""
    return f"{edge_sentence(pack, edge, lang)}\n{edge_reason(pack, edge, lang)}".strip()


def legend(lang: str = "en", kinds: Iterable[str] | None = None, types: Iterable[str] | None = None) -> dict:
    """The legend entries for the kinds and edge types present (all when not given)."""
    kind_list = [k for k in KINDS if kinds is None or k in set(kinds)]
    type_list = [t for t in EDGE_TYPES if types is None or t in set(types)]
    return {
        "kinds_title": word("kinds", lang),
        "edges_title": word("draw_edges", lang),
        "kinds": [{"label": kind_name(k, lang), "color": KIND_COLOURS[k][0], "border": KIND_COLOURS[k][1]} for k in kind_list],
        "edges": [{"label": edge_type_name(t, lang), "color": EDGE_STYLES[t][0], "dashes": EDGE_STYLES[t][1]} for t in type_list],
    }


def graph_data(pack: "Pack", nodes: Iterable[str], *, focus: str | None = None, lang: str = "en",
               layout: str = "auto", physics: bool = False, types: Iterable[str] | None = None,
               highlight: Iterable[tuple[str, str, str]] = (), cap: int = MAX_NODES, height: int = 600,
               details: bool = False, labels: str = "near", hits: Iterable[str] = (), grouped: bool = False) -> dict:
    """Everything the drawing script needs, as JSON-ready data with a fixed set of attributes.

    ``nodes`` is ordered nearest-first (or in study order); above ``cap`` the first ``cap`` are kept
    and ``notice`` says so. ``highlight`` edges (and their ends) are drawn thicker.

    ``labels="near"`` labels the focus, its neighbours, highlighted concepts and search ``hits``
    always and the rest on hover or when zoomed in; ``labels="all"`` labels every concept (plans).
    ``grouped`` draws one labelled, expandable cluster per guide chapter (the whole-graph overview);
    a cluster holding a search hit is marked, and the hits are marked when it opens.
    """
    lang = lang if lang in LANGS else "en"
    wanted = [n for n in dict.fromkeys(nodes) if n in pack.graph]
    if focus is not None and focus not in pack.graph:
        focus = None
    shown = cap_nodes(wanted, cap, focus)
    notice = word("draw_capped", lang, shown=len(shown), total=len(wanted), cap=cap) if len(shown) < len(wanted) else ""
    if not shown:
        notice = word("draw_empty", lang)
    positions = positions_for(pack, shown, focus=focus if focus in shown else None, layout=layout)
    highlighted = set(highlight)
    hot_nodes = {n for edge in highlighted for n in (edge[0], edge[2])}
    graph = pack.graph
    hit_set = {n for n in hits if n in graph}
    near = {focus} | set(graph.succ[focus]) | set(graph.pred[focus]) if focus in graph else set()
    always = near | hot_nodes | hit_set
    node_list = []
    kinds_present = []
    for node in shown:
        data = graph.nodes[node]
        kind = data.get("kind")
        background, border = KIND_COLOURS.get(kind, DEFAULT_COLOUR)
        if kind in KIND_COLOURS:
            kinds_present.append(kind)
        x, y = positions.get(node, (0.0, 0.0))
        entry = {
            "id": node,
            "label": _shorten(label(pack, node, lang)),
            "title": node_tooltip(pack, node, lang),
            "x": x,
            "y": y,
            "color": background,
            "border": border,
            "size": 22 if node == focus else (18 if node in hot_nodes else 14),
            "focus": node == focus,
            "labelled": labels == "all" or node in always,
            "hit": node in hit_set,
        }
        if grouped:
            entry["group"] = chapter(data.get("section"))
        if details:
            entry["details"] = {
                "name": data.get("name") or node,
                "name_zh": data.get("name_zh") or "",
                "kind": kind_name(kind, lang),
                "section": data.get("section") or "",
                "summary": data.get("summary") or "",
                "summary_zh": data.get("summary_zh") or "",
            }
        node_list.append(entry)
    edge_list = []
    for index, edge in enumerate(view_edges(pack, shown, types)):
        source, edge_type, target = edge
        colour, dashes = EDGE_STYLES[edge_type]
        edge_list.append({
            "id": f"e{index}",
            "from": source,
            "to": target,
            "type": edge_type,
            "title": edge_tooltip(pack, edge, lang),
            "color": colour,
            "dashes": dashes,
            "width": 3.5 if edge in highlighted else 1.5,
        })
    groups = _groups(pack, node_list, lang) if grouped else []
    return {
        "nodes": node_list,
        "edges": edge_list,
        "groups": groups,
        "words": {key: word(f"draw_{key}", lang) for key in ("fullscreen", "exit_fullscreen")},
        "focus": focus if focus in shown else None,
        "physics": bool(physics),
        "height": int(height),
        "notice": notice,
        "total": len(wanted),
        "shown": len(shown),
        "legend": legend(lang, kinds_present, {e["type"] for e in edge_list}),
        "hint": word("draw_details_hint", lang),
    }


def _groups(pack: "Pack", node_list: list[dict], lang: str) -> list[dict]:
    """One cluster per chapter of the drawn nodes, in guide order, labelled with the chapter's name."""
    members: dict[str, list[dict]] = {}
    for entry in node_list:
        members.setdefault(entry["group"], []).append(entry)
    groups = []
    for chapter_id in sorted(members, key=lambda c: section_key(c or None)):
        inside = members[chapter_id]
        name = pack.section_name(chapter_id, lang) if chapter_id else word("draw_no_section", lang)
        hit = any(e["hit"] for e in inside)
        groups.append({
            "id": chapter_id,
            "label": f"{name} ({len(inside)})",
            "title": word("draw_group", lang, name=name, count=len(inside)),
            "hit": hit,
            "open": hit or any(e["focus"] for e in inside),
        })
    return groups


def script_json(data) -> str:
    """JSON safe to place inside ``<script type="application/json">``: no ``<``, ``>``, ``&``, U+2028/9.

    >>> script_json({"a": "</script><b>&\\u2028"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


# --------------------------------------------------------------------------- scripts and pages

#: kg's own files for the browser: vis-network (vendored, with its licence) and the page template.
STATIC = Path(__file__).resolve().parent / "static"


def vis_network_path() -> Path:
    """The vendored vis-network script (the app's component and the standalone page inline it)."""
    return STATIC / "vis-network.min.js"


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's source, without its source-map comment (no request for a .map file)."""
    text = vis_network_path().read_text(encoding="utf-8")
    text = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", text)
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise ValueError("vis-network.min.js cannot be inlined: it contains '</script' or '<!--'")
    return text


def _vis_module() -> str:
    """vis-network run as a CommonJS module inside a closure: ``VIS`` holds it, no global is set."""
    return ("const VIS = (() => { const module = { exports: {} }; const exports = module.exports; const define = undefined;\n"
            + vis_network_js() + "\n;return module.exports; })();\n")


def _static_text(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


#: The drawing script shared by the standalone page and the Streamlit component (``kg/static/kg-draw.js``,
#: an ES module; inlined here as a plain function declaration).
DRAW_JS = _static_text("kg-draw.js").replace("export function kgDraw(", "function kgDraw(", 1)

#: Styles of the drawing (tooltips need ``position: absolute``; vis-network's own CSS is not used).
DRAW_CSS = r"""
.kg-root { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", sans-serif; color: #111827; }
.kg-root.kg-waiting { height: 0; overflow: hidden; }
.kg-tools { display: flex; justify-content: flex-end; margin: 0 0 4px 0; }
.kg-fullscreen { font: inherit; font-size: 13px; padding: 3px 10px; border: 1px solid #d1d5db; border-radius: 6px; background: #ffffff; color: #111827; cursor: pointer; }
.kg-root:fullscreen { background: #ffffff; padding: 12px; overflow: auto; }
.kg-canvas { position: relative; width: 100%; background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; }
.kg-notice { margin: 0 0 6px 0; padding: 6px 10px; background: #fef3c7; border: 1px solid #f59e0b; border-radius: 6px; font-size: 13px; }
.kg-legend { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; margin-top: 6px; font-size: 12px; color: #374151; }
.kg-legend-title { font-weight: 600; }
.kg-key { white-space: nowrap; }
.kg-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; border: 1.5px solid; margin-right: 4px; vertical-align: middle; }
.kg-line { display: inline-block; width: 26px; height: 0; border-top-width: 2px; margin-right: 4px; vertical-align: middle; }
div.vis-tooltip { position: absolute; visibility: hidden; z-index: 5; pointer-events: none; max-width: 380px;
  padding: 6px 9px; white-space: pre-wrap; font-size: 13px; line-height: 1.35; color: #111827;
  background: #fffdf2; border: 1px solid #d1d5db; border-radius: 5px; box-shadow: 0 2px 6px rgba(0,0,0,.15); }
.kg-tip { white-space: pre-wrap; }
"""

#: The Streamlit component's markup: one empty root, filled by the script.
COMPONENT_HTML = '<div class="kg-root"></div>'


#: The app's graph component: its name (``kg`` package, component ``graph`` in ``kg/pyproject.toml``) and
#: its ES module, a path inside ``kg/static`` that Streamlit serves under ``/_stcore/bidi-components/kg.graph/``.
COMPONENT_NAME = "kg.graph"
COMPONENT_MODULE = "kg-graph.js"
#: The module's imports, replaced by the scripts themselves when the module travels inline.
_MODULE_IMPORTS = ('import "./vis-network.min.js";', 'import { kgDraw } from "./kg-draw.js";', "const VIS = globalThis.vis;")


@lru_cache(maxsize=1)
def component_js() -> str:
    """The component's ES module with vis-network and the drawing inlined (``kg/static/kg-graph.js``
    without its imports): for a Streamlit that cannot serve ``kg/static`` (kg not installed as a package)."""
    lines = _static_text(COMPONENT_MODULE).splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(_MODULE_IMPORTS)]
    if len(lines) - len(kept) != len(_MODULE_IMPORTS):
        raise ValueError(f"{COMPONENT_MODULE} must import exactly: {_MODULE_IMPORTS}")
    return _vis_module() + DRAW_JS + "".join(kept)


_PAGE_JS = r"""
(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  if (data.title) document.title = String(data.title);
  document.getElementById("kg-title").textContent = data.title || "";
  const panel = document.getElementById("kg-details");
  const show = (id) => {
    panel.textContent = "";
    const node = (data.nodes || []).find((n) => n.id === id);
    if (!node || !node.details) { panel.textContent = data.hint || ""; return; }
    const d = node.details;
    const add = (tag, text) => { if (text) { const el = document.createElement(tag); el.textContent = String(text); panel.append(el); } };
    add("h2", d.name);
    add("h3", d.name_zh);
    add("p", [d.kind, d.section].filter(Boolean).join(" · "));
    add("p", d.summary);
    add("p", d.summary_zh);
  };
  show(data.focus);
  const network = kgDraw(VIS, document.getElementById("kg-graph"), data, show);
  window.kgNetwork = network;
})();
"""

#: The standalone page's template (Jinja, rendered by pyvis): ``kg/static/page.html``.
PAGE_TEMPLATE = "page.html"


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(pack: "Pack", nodes: Iterable[str], *, focus: str | None = None, lang: str = "en",
                layout: str = "auto", physics: bool = False, title: str | None = None,
                types: Iterable[str] | None = None, highlight: Iterable[tuple[str, str, str]] = (),
                cap: int = MAX_NODES, height: int = 720, labels: str = "near", hits: Iterable[str] = (),
                grouped: bool = False) -> str:
    """One standalone, offline HTML page drawing ``nodes`` (nearest/earliest first) and their edges.

    The page loads nothing from anywhere: vis-network is inlined, and a Content-Security-Policy
    allows only this page's own script (by hash) and no requests at all. ``title`` and every pack
    text reach the page only inside the JSON data block and are shown with ``textContent``.
    Clicking a concept shows its names, kind, section and both summaries beside the graph.

    >>> from kg import load_pack
    >>> page = render_html(load_pack(), ["relu", "vanishing-gradient"], focus="relu", title="<b>x</b>")
    >>> page.startswith("<!DOCTYPE html>") and "<b>x</b>" not in page and "cdn" not in page.lower()
    True
    """
    from markupsafe import Markup
    from pyvis.network import Network  # here only: the kg command (but for this export) and the app never import pyvis

    data = graph_data(pack, nodes, focus=focus, lang=lang, layout=layout, physics=physics, types=types,
                      highlight=highlight, cap=cap, height=height, details=True, labels=labels, hits=hits,
                      grouped=grouped)
    # pyvis holds the network: our nodes and edges with every attribute the drawing uses, and vis options.
    network = Network(height=f"{data['height']}px", width="100%", directed=True)
    for node in data.pop("nodes"):
        network.add_node(node["id"], **{name: value for name, value in node.items() if name != "id"})
    for edge in data.pop("edges"):
        network.add_edge(edge["from"], edge["to"], **{name: value for name, value in edge.items() if name not in ("from", "to")})
    network.options = {"physics": {"enabled": bool(data["physics"])}, "interaction": {"hover": True}}
    # ... and renders our template, offline and with autoescaping: pack text only inside the JSON block.
    network.set_template_dir(str(STATIC), PAGE_TEMPLATE)
    network.templateEnv.autoescape = True
    page = {**data, "title": title or ""}
    script = _vis_module() + DRAW_JS + _PAGE_JS

    def page_data(nodes, edges, options):
        return Markup(script_json({**page, "nodes": nodes, "edges": edges, "options": json.loads(options)}))

    network.templateEnv.globals["kg"] = {"lang": HTML_LANG.get(lang, "en"), "script_hash": Markup(_csp_hash(script)),
                                         "css": Markup(DRAW_CSS), "script": Markup(script), "data": page_data}
    return network.generate_html()


__all__ = [
    "COMPONENT_HTML", "COMPONENT_MODULE", "COMPONENT_NAME", "DRAW_CSS", "EDGE_STYLES", "KIND_COLOURS",
    "component_js", "graph_data", "legend", "render_html", "script_json", "vis_network_js",
]
