"""Pack text never becomes markup, script or a javascript: link, in the rendered page or in any export.

One pack is written twice with the same ids, edges and fields: once harmless, once with
``<script>``, ``</script><script>``, ``"><img src=x onerror=...>``, ``javascript:`` and ``href``
in every text field. The HTML of both must have exactly the same script elements and
event-handler attributes; Markdown, Mermaid and DOT must hold no raw script, handler or link.
"""
from __future__ import annotations

import json
import re

import pytest
from kgtest import HOSTILE, handlers, require_module, require_tool
from kgtest import parse_html as markup
from kgtest import script_links as links

from kg import load_pack, render
from kg.export import EXPORTERS, select_nodes

TEXT_FIELDS = ("name", "name_zh", "summary", "summary_zh")


def pack_text(text: str) -> str:
    def quoted(suffix: str) -> str:
        return json.dumps(text + suffix)  # a YAML double-quoted scalar; \u2028 stays an escape, so YAML cannot fold it

    concepts = []
    for number, node in enumerate(("alpha-one", "beta-two", "gamma")):
        lines = [f"- id: {node}", "  kind: " + ("problem" if node == "gamma" else "technique"), f"  section: \"{number + 1}\""]
        lines += [f"  {field}: {quoted(f' {field} {number}')}" for field in TEXT_FIELDS]
        lines += [f"  aliases: [{quoted(f' alias {number}')}]", f"  tags: [{quoted(' tag')}]"]
        lines += ["  questions:", f"    - q: {quoted(' q')}", f"      a: {quoted(' a')}", f"      q_zh: {quoted(' qz')}", f"      a_zh: {quoted(' az')}"]
        lines += ["  refs:", f"    - title: {quoted(' title')}", f"      authors: [{quoted(' author')}]", "      year: 2017",
                  "      url: https://example.org/?q=javascript:alert(1)&href=x"]
        if node == "alpha-one":
            lines += ["  requires:", f"    - to: beta-two\n      why: {quoted(' why')}", "  solves:", f"    - to: gamma\n      why: {quoted(' solves')}"]
        if node == "beta-two":
            lines += ["  solves: [gamma]"]
        concepts.append("\n".join(lines))
    header = f"pack:\n  name: {quoted(' pack')}\n  format: \"1\"\nconcepts:\n"
    return header + "\n".join("  " + line for concept in concepts for line in concept.splitlines()) + "\n"


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    loaded = {}
    for label, text in (("harmless", "Plain text"), ("hostile", HOSTILE)):
        folder = tmp_path_factory.mktemp(label)
        (folder / "pack.yaml").write_text(pack_text(text), encoding="utf-8")
        pack = load_pack(folder)
        assert pack.errors == [], pack.errors
        loaded[label] = pack
    return loaded


def test_the_hostile_text_reaches_every_field(packs):
    pack = packs["hostile"]
    node = pack.graph.nodes["alpha-one"]
    for field in TEXT_FIELDS:
        assert node[field].startswith(HOSTILE)
    assert node["aliases"][0].startswith(HOSTILE) and node["tags"][0].startswith(HOSTILE)
    assert node["questions"][0]["q"].startswith(HOSTILE) and node["refs"][0]["title"].startswith(HOSTILE)
    assert pack.graph.edges["alpha-one", "beta-two", "requires"]["why"].startswith(HOSTILE.split()[0])
    assert pack.header["name"].startswith(HOSTILE)


@pytest.mark.parametrize("url, ok", [
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), ("data:text/html,<script>", False),
    ("https://x.org/\"><script>", False), ("vbscript:x", False), (" https://x.org", False), ("https://x.org/a?b=c", True),
])
def test_reference_urls_must_be_plain_http(tmp_path, url, ok):
    (tmp_path / "p.yaml").write_text(
        "- id: a\n  name: A\n  kind: concept\n  summary: S.\n  refs:\n    - title: T\n      url: '" + url.replace("'", "''") + "'\n", encoding="utf-8")
    problems = [(p.code, p.line) for p in load_pack(tmp_path).errors]
    assert problems == ([] if ok else [("bad-value", 7)])


@pytest.mark.parametrize("bad_id", ["<script>", "a\"><img", "javascript:x", "a href", "ALPHA", "a--b", "-a", "a_b", "a" * 81])
def test_hostile_ids_are_bad_ids(tmp_path, bad_id):
    (tmp_path / "p.yaml").write_text(
        "- id: '" + bad_id.replace("'", "''") + "'\n  name: A\n  kind: concept\n  summary: S.\n", encoding="utf-8")
    pack = load_pack(tmp_path)
    assert [(p.code, p.line) for p in pack.errors] == [("bad-id", 1)]
    assert pack.graph.number_of_nodes() == 0


def export(pack, name, **options):
    function = EXPORTERS[name][0]
    names = function.__code__.co_varnames[:function.__code__.co_argcount]
    output = function(pack, select_nodes(pack), **{k: v for k, v in options.items() if k in names})
    return output.decode() if isinstance(output, bytes) else output


HTML_OPTIONS = [{}, {"lang": "zh"}, {"focus": "alpha-one"}, {"plan": ["alpha-one"]}]


@pytest.mark.parametrize("options", HTML_OPTIONS, ids=["plain", "zh", "focus", "plan"])
def test_html_export_has_the_scripts_and_handlers_of_a_harmless_pack(packs, options):
    harmless, hostile = (markup(export(packs[label], "html", **options)) for label in ("harmless", "hostile"))
    assert [attrs for attrs, _ in hostile.scripts] == [attrs for attrs, _ in harmless.scripts]
    executable = [text for attrs, text in hostile.scripts if attrs.get("type") in (None, "", "module", "text/javascript")]
    assert executable == [text for attrs, text in harmless.scripts if attrs.get("type") in (None, "", "module", "text/javascript")]
    assert handlers(hostile) == handlers(harmless) == []
    assert links(hostile) == []
    assert [tag for tag, _ in hostile.tags] == [tag for tag, _ in harmless.tags]


def test_rendered_page_matches_the_harmless_one(packs):
    pages = {label: markup(render.render_html(pack, list(pack.graph), focus="alpha-one", title=pack.header["name"]))
             for label, pack in packs.items()}
    assert [a for a, _ in pages["hostile"].scripts] == [a for a, _ in pages["harmless"].scripts]
    assert handlers(pages["hostile"]) == handlers(pages["harmless"]) == []
    assert links(pages["hostile"]) == []


@pytest.mark.parametrize("options", [{}, {"lang": "zh"}, {"plan": ["alpha-one"]}], ids=["sheets", "zh", "plan"])
def test_markdown_export_renders_no_script_handler_or_link(packs, options):
    text = export(packs["hostile"], "markdown", **options)
    assert "<script" not in text.lower() and "<img" not in text.lower() and "<svg" not in text.lower()
    assert not re.search(r"(?<!\\)\]\(\s*javascript:", text, re.IGNORECASE)  # an unescaped ](javascript: would be a link
    assert not re.search(r"<\s*javascript:", text, re.IGNORECASE)
    page = markup(require_module("markdown_it").MarkdownIt("commonmark").render(text))
    assert page.scripts == [] and handlers(page) == [] and links(page) == []
    assert {tag for tag, _ in page.tags} <= {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "code", "blockquote",
                                                 "hr", "br", "table", "thead", "tbody", "tr", "th", "td"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mermaid_export_holds_no_markup_or_click_links(packs, lang):
    text = export(packs["hostile"], "mermaid", lang=lang)
    lowered = text.lower()
    # No tag but the exporter's own line breaks, so no attribute (onerror=...) can be one: pack text is escaped.
    assert "<" not in text.replace("<br/>", "")
    assert not [line for line in text.splitlines() if line.strip().lower().startswith(("click ", "href ", "callback "))]
    assert "%%{" not in text  # no directive (init/config) can be injected
    assert text.count("\n") == export(packs["harmless"], "mermaid", lang=lang).count("\n")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dot_export_holds_no_links_and_keeps_its_shape(packs, lang):
    text = export(packs["hostile"], "dot", lang=lang)
    lowered = text.lower()
    assert not re.search(r"\b(url|href|target)\s*=\s*\"?\s*javascript:", lowered)
    assert not re.search(r"=\s*<", text)  # no HTML-like label <...>: labels are quoted strings
    harmless = export(packs["harmless"], "dot", lang=lang)
    assert text.count("\n") == harmless.count("\n")  # the text ('-->' included) opened no new statement


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dot_rendered_to_svg_has_the_markup_of_a_harmless_pack(packs, lang):
    import subprocess

    require_tool("dot")
    pages = {}
    for label, pack in packs.items():
        svg = subprocess.run(["dot", "-Tsvg"], input=export(pack, "dot", lang=lang), capture_output=True, text=True, timeout=60, check=True).stdout
        pages[label] = markup(svg)
    assert pages["hostile"].scripts == [] and handlers(pages["hostile"]) == [] and links(pages["hostile"]) == []
    assert [tag for tag, _ in pages["hostile"].tags] == [tag for tag, _ in pages["harmless"].tags]


def test_dot_source_holds_no_raw_script_tag(packs):
    assert "<script" not in export(packs["hostile"], "dot").lower()
