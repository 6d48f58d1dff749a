"""kg explorer: a bilingual (English / 中文) Streamlit view of a concept pack.

Run: ``streamlit run app.py`` (the shipped graph), ``streamlit run app.py -- --graph PATH``,
or ``KG_GRAPH=PATH streamlit run app.py``; another pack can also be uploaded in the sidebar.

The script reads top to bottom: configuration, loading (cached), session state and the URL, the
sidebar, then one section per tab; the interface words (English and Chinese) are in ``kg.app_text``. All answers come from the ``kg`` library; this file
only lays them out. Pack text is shown as escaped Markdown, table cells or component data — never
as HTML — and the graph is drawn by ``kg.render``'s Custom Component v2 with physics off.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import random
import re
import sys
import tempfile
from pathlib import Path

import streamlit as st

from kg import load_pack
from kg.errors import KgError, UnknownConcept
from kg.export import EXPORTERS, FORMATS, select_nodes
from kg.pack import default_pack_path, pack_path_from_args
from kg.problems import count_by_severity
from kg.quiz import grade, make_quiz, merge_review, score
from kg.queries import connect, fringe, group_relations, related, study_order
from kg.schema import DEFAULT_MINUTES, EDGE_TYPES, ID_PATTERN, KINDS, section_key
from kg.search import picker_label, resolve_entry, search
from kg import d2l, layout, render
from kg.markup import markdown_literal
from kg.app_text import LANGS, PROBLEMS_ZH, WORDS, text as word
from kg.text import edge_reason as why, edge_sentence as sentence, edge_type_name, field_text, kind_name, names, other_text, languages_from
from kg.text import label as name_in
from kg.learner import (PlacementRun, known_ids, open_store, profile_name, progress, question_for, save_placement,
                        target_ids, today)
from kg.store import check_profile, default_url

st.set_page_config(page_title="kg · deep-learning concepts", page_icon="🧭", layout="wide")

# --------------------------------------------------------------------------- configuration and escaping

TABS = ("explore", "plan", "today", "connect", "compare", "quiz", "checks")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_KNOWN_BYTES = 256 * 1024
MAX_QUIZ = 50
#: Problems listed one by one on the Checks tab (a hostile pack can have thousands; `kg check` lists them all).
MAX_PROBLEMS_SHOWN = 200
GRAPH_HEIGHT = 640
#: Most concepts the whole-graph overview draws: closed chapter clusters are cheap, so far above layout.MAX_NODES.
OVERVIEW_MAX = 5000
#: The download type of each export format (kg.export.EXPORTERS); anything else is text or bytes.
EXPORT_SCOPES = ("focus", "plan", "pack")


_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]\"'`\\]+$")


def md(text) -> str:
    """Pack text made literal for Streamlit Markdown (escaped, and icons, colours, shortcodes and autolinks broken)."""
    return markdown_literal(text)


def w(key: str, **values) -> str:
    return word(st.session_state.get("lang", "en"), key, **values)


def duration(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    return w("hours", h=hours, m=rest) if hours else w("min", m=rest)


def count(n: int, key: str) -> str:
    """A grammatical count: "1 error", "2 errors" (``key_one`` / ``key_many`` in the word table)."""
    return w(f"{key}_one" if n == 1 else f"{key}_many", n=n)


def section_label(pack, section: str | None) -> str:
    """A section as the learner reads it: its number and its name in the interface language."""
    if not section:
        return w("no_section")
    name = pack.section_name(section, st.session_state.lang)
    return f"{section} {name}" if name else str(section)


# --------------------------------------------------------------------------- loading (cached)

def pack_fingerprint(path: str) -> str:
    """Changes when a file of the pack is added, removed or edited, so the cache reloads it (kg.cache's
    fingerprint, the one the command's disk cache uses; a pack that cannot be listed cleanly has none)."""
    from kg.cache import fingerprint

    digest = fingerprint(Path(path))
    return f"{Path(path).resolve()}:{digest.hex() if digest is not None else 'unlisted'}"


def _safe_load(path: Path, shown: str, shown_as: str | None = None):
    """A pack, or None and an error message: a pack that cannot load never crashes the app."""
    try:
        return load_pack(path, shown_as=shown_as), ""
    except (KgError, OSError, RecursionError, MemoryError) as err:
        return None, f"{shown}: {err}"


@st.cache_resource(show_spinner=False, max_entries=4)
def load_path_pack(path: str, fingerprint: str):
    """Through the kg command's own disk cache: a warm start reads the pack back instead of parsing it."""
    from kg.cache import load_pack_cached

    try:
        return load_pack_cached(path), ""
    except (KgError, OSError, RecursionError, MemoryError) as err:
        return None, f"{path}: {err}"


def upload_file_name(name: str) -> str:
    """The uploaded file's own name, made safe to write in a private folder (no folders, no odd characters).

    >>> upload_file_name("../my pack.yaml"), upload_file_name("x.YML"), upload_file_name("")
    ('my pack.yaml', 'x.YML', 'pack.yaml')
    """
    base = re.sub(r"[^\w .()-]+", "_", Path(str(name).replace("\\", "/")).name).strip(" .")[:100]
    return base if base.lower().endswith((".yaml", ".yml")) else (base + ".yaml" if base else "pack.yaml")


@st.cache_resource(show_spinner=False, max_entries=4)
def load_uploaded_pack(name: str, digest: str, _data: bytes):
    """Unpack an upload into a temporary folder, load it, and delete the folder (the pack is in memory)."""
    from kg.unpack import UnsafeArchive, UploadLimits, ZipLimits, extract_zip, upload_problem

    limits = UploadLimits()
    with tempfile.TemporaryDirectory(prefix="kg-upload-") as folder:
        root = Path(folder) / "pack"
        root.mkdir()
        if name.lower().endswith(".zip"):
            try:
                extract_zip(_data, root, ZipLimits(max_total_bytes=limits.max_bytes))
            except UnsafeArchive as err:
                return None, str(err)
        else:
            # the file keeps the user's own name, so every problem cites it (never a temporary path)
            (root / upload_file_name(name)).write_bytes(_data)
        too_large = upload_problem(root, limits)  # before parsing: bytes and concepts bound what the cache holds
        if too_large:
            return None, too_large
        # problems name the files under the upload's own name, never the temporary folder; the cached Pack is not touched
        return _safe_load(root, name, shown_as=Path(name).name if name.lower().endswith(".zip") else "")


@st.cache_data(show_spinner=False, max_entries=16)
def concept_ids(_pack, pack_key: str) -> list[str]:
    return sorted(_pack.graph, key=_pack.order_key)


@st.cache_data(show_spinner=False, max_entries=16)
def default_focus(_pack, pack_key: str) -> str | None:
    graph = _pack.graph
    return min(graph, key=lambda n: (-graph.degree(n), _pack.order_key(n)), default=None)


@st.cache_data(show_spinner=False, max_entries=16)
def chapters_of(_pack, pack_key: str) -> list[str]:
    found = {layout.chapter(data.get("section")) for _, data in _pack.graph.nodes(data=True)}
    return sorted(found, key=lambda c: section_key(c or None))


@st.cache_data(show_spinner=False, max_entries=64)
def explore_data(_pack, pack_key: str, focus: str, depth: int, types: tuple, kinds: tuple, chapters: tuple,
                 whole: bool, lang: str, physics: bool, hits: tuple = ()) -> tuple[dict, bool]:
    """The Explore drawing; the flag says the whole graph was too big and the neighbourhood is shown.

    The whole graph is an overview: one labelled cluster per chapter (opened by a click), the focus's
    and the search hits' chapters open, the hits marked in place."""
    kind_set = set(kinds)
    chapter_set = set(chapters)
    if whole:
        nodes = [n for n in sorted(_pack.graph, key=_pack.order_key)
                 if _pack.graph.nodes[n].get("kind") in kind_set and layout.chapter(_pack.graph.nodes[n].get("section")) in chapter_set]
        if len(nodes) <= OVERVIEW_MAX:
            data = render.graph_data(_pack, nodes, focus=focus, lang=lang, layout="sections", physics=physics,
                                     types=types, height=GRAPH_HEIGHT, grouped=True, hits=hits, cap=len(nodes))
            return data, False
    nodes = layout.neighbourhood(_pack, focus, depth, types=types, kinds=kind_set, chapters=chapter_set)
    data = render.graph_data(_pack, nodes, focus=focus, lang=lang, layout="radial", physics=physics, types=types,
                             height=GRAPH_HEIGHT, hits=hits)
    return data, whole


@st.cache_data(show_spinner=False, max_entries=64)
def plan_data(_pack, pack_key: str, targets: tuple, known: tuple, lang: str, physics: bool):
    plan = study_order(_pack, list(targets), list(known))
    # Why-chains are kept short (queries.WHY_SHORT links, "…" when longer): a 1,000-concept chain made 10 MB of page text.
    steps = [(s.id, s.minutes, list(s.reason) + ([None] if s.reason_length > len(s.reason) else []), s.is_target) for s in plan.steps]
    drawing = render.graph_data(_pack, [s[0] for s in steps], lang=lang, layout="layered", physics=physics,
                                height=GRAPH_HEIGHT, labels="all", highlight=route_to_targets(_pack, plan))
    # Layers top to bottom instead of left to right: a plan has more layers than concepts per layer, and a
    # row of names side by side needs the page's width, not a column's.
    for node in drawing["nodes"]:
        node["x"], node["y"] = round(node["y"] * 2.4, 1), round(node["x"] * 0.45, 1)
    layers = len({node["y"] for node in drawing["nodes"]})
    drawing["height"] = int(min(1400, max(320, 90 * layers + 80)))
    return steps, plan.total_minutes, drawing


def route_to_targets(pack, plan) -> list[tuple[str, str, str]]:
    """The written edges of the longest chain of the plan that ends at a target: drawn thick, it shows the
    route from the foundations to what the learner wants."""
    import networkx as nx

    steps = [s.id for s in plan.steps]
    sub = pack.study.subgraph(steps)
    targets = {s.id for s in plan.steps if s.is_target}
    if not targets or not nx.is_directed_acyclic_graph(sub):
        return []
    best: dict[str, tuple[int, str | None]] = {}
    for node in nx.topological_sort(sub):
        best[node] = max(((best[p][0] + 1, p) for p in sub.pred[node]), default=(0, None))
    node = max(targets, key=lambda t: best[t][0])
    edges = []
    while best[node][1] is not None:
        before = best[node][1]
        edges.extend(tuple(e) for e in sub.edges[before, node].get("via", ())[:1])
        node = before
    return edges


@st.cache_data(show_spinner=False, max_entries=64)
def connect_data(_pack, pack_key: str, a: str, b: str, lang: str, physics: bool):
    paths = connect(_pack, a, b)
    nodes = list(dict.fromkeys([a] + [n for path in paths for edge in path for n in (edge[0], edge[2])] + [b]))
    drawing = render.graph_data(_pack, nodes, focus=a, lang=lang, layout="radial", physics=physics,
                                highlight=[edge for path in paths for edge in path], height=GRAPH_HEIGHT - 120)
    return paths, drawing


@st.cache_data(show_spinner=False, max_entries=64)
def export_nodes(_pack, pack_key: str, scope: str, focus: str | None, depth: int, targets: tuple, known: tuple) -> list[str]:
    """The concepts an export covers, chosen as ``kg export`` chooses them (--focus/--depth, --plan/--known)."""
    if scope == "plan":
        return select_nodes(_pack, plan=list(targets), known=list(known))
    return select_nodes(_pack, focus=focus if scope == "focus" else None, depth=depth)


@st.cache_data(show_spinner=False, max_entries=32)
def export_bytes(_pack, pack_key: str, fmt: str, scope: str, focus: str | None, depth: int, targets: tuple,
                 known: tuple, lang: str) -> bytes:
    """One export file (kg.export), computed when its download is asked for and cached per pack and view."""
    function, binary, _ = EXPORTERS[fmt]
    nodes = export_nodes(_pack, pack_key, scope, focus, depth, targets, known)
    options = {"lang": lang, "nodes_table": False}
    if scope == "plan":
        options.update(plan=list(targets), known=list(known))
    elif scope == "focus":
        options["focus"] = focus
    result = function(_pack, nodes, **options)  # each exporter takes the options it uses and ignores the rest
    return result if binary else result.encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=32)
def quiz_data(_pack, pack_key: str, topic: str, count: int, seed: int, lang: str, ids: tuple | None) -> list:
    """The questions (kg.quiz.make_quiz): the same topic, count, seed and language give the same quiz."""
    if ids is not None:
        return make_quiz(_pack, count=len(ids), seed=seed, lang=lang, ids=list(ids))
    return make_quiz(_pack, topic=topic or None, count=count, seed=seed, lang=lang)


def page_css() -> str:
    """The page's own style: Streamlit's uploader words ("Upload", "10MB per file") cannot be translated, so they
    are hidden and the button says ours; long widget labels wrap instead of being cut ("Physics (slo…")."""
    word = json.dumps(w("upload_button"), ensure_ascii=False)  # our own word: a JSON string is a valid CSS string
    return ("<style>"
            '[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }'
            '[data-testid="stFileUploaderDropzone"] button > * { display: none; }'
            f'[data-testid="stFileUploaderDropzone"] button::after {{ content: {word}; font-size: 14px; }}'
            '[data-testid="stWidgetLabel"] p { white-space: normal; overflow: visible; text-overflow: clip; }'
            "</style>")


@st.cache_resource(show_spinner=False)
def prefs_component():
    """Writes this browser's remembered choices (language, orientation seen) as cookies the next visit reads."""
    js = r"""
export default function (component) {
  const cookies = (component.data && component.data.cookies) || {};
  for (const [name, value] of Object.entries(cookies)) {
    if (!/^kg_[a-z_]{1,20}$/.test(name) || !/^[a-z0-9]{1,8}$/.test(String(value))) continue;
    document.cookie = name + "=" + String(value) + "; path=/; max-age=31536000; SameSite=Lax";
  }
}
"""
    return st.components.v2.component("kg_prefs", html="", js=js)


@st.cache_resource(show_spinner=False)
def graph_component():
    """The vis-network view as a Custom Component v2 (in the page, no iframe); clicks come back as a trigger."""
    return st.components.v2.component("kg_graph", html=render.COMPONENT_HTML, css=render.DRAW_CSS,
                                      js=render.component_js())


# --------------------------------------------------------------------------- state and URL

def set_state(model: str, value) -> None:
    """Set a model value and every widget showing it (call from callbacks, before widgets are drawn)."""
    st.session_state[model] = value
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and (key == f"w_{model}" or key.startswith(f"w_{model}__")):
            st.session_state[key] = value


def widget_key(model: str) -> str:
    """A widget key bound to a model value (per language, since labels change); seeded from the model."""
    key = f"w_{model}__{st.session_state.lang}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state[model]
    return key


def copy_to_model(model: str, key: str) -> None:
    set_state(model, st.session_state[key])


#: Cookies that remember a browser's choices between visits (written by the page, read when a session starts).
LANG_COOKIE, SEEN_COOKIE = "kg_lang", "kg_oriented"


def browser_language() -> str:
    """The language this browser asked for before: a remembered choice, else the browser's own language."""
    try:
        remembered = st.context.cookies.get(LANG_COOKIE)
    except Exception:  # no browser (e.g. the script run by a test harness)
        remembered = None
    if remembered in LANGS:
        return remembered
    try:
        locale = (st.context.locale or "").lower()
    except Exception:
        locale = ""
    return "zh" if locale.startswith("zh") else "en"


def view_from_url() -> None:
    """The view the URL names (focus, tab, depth, plan, language): on the first run, and whenever the
    browser's Back or Forward (or an edited URL) brings another one."""
    params = st.query_params
    state = st.session_state
    state.lang = params.get("lang") if params.get("lang") in LANGS else state.get("lang") or browser_language()
    state.tab = params.get("tab") if params.get("tab") in TABS else "explore"
    try:
        depth = int(params.get("depth", "1"))
    except ValueError:
        depth = 1
    set_state("depth", min(3, max(1, depth)))
    state.focus = params.get("focus") or None
    set_state("targets", [t for t in params.get("plan", "").split(",") if t])
    set_state("whole", params.get("view") == "whole")
    set_state("compared", [c for c in params.get("compare", "").split(",") if c][:3])


def init_state(pack) -> None:
    """First run of a session: the view comes from the URL's query parameters."""
    if st.session_state.get("_ready"):
        if st.query_params.to_dict() != st.session_state.get("_url"):
            view_from_url()  # Back/Forward: the browser went to another entry of the trail
        return
    try:
        oriented = st.context.cookies.get(SEEN_COOKIE) == "1"
    except Exception:
        oriented = False
    st.session_state.oriented = oriented
    st.session_state.cookies = {}
    st.session_state.known = []
    st.session_state.physics = False
    st.session_state.advanced = False
    st.session_state.filter_types = list(EDGE_TYPES)
    st.session_state.filter_kinds = list(KINDS)
    st.session_state.filter_chapters = None
    st.session_state.export_scope = EXPORT_SCOPES[0]
    st.session_state.quiz_topic = ""
    st.session_state.quiz_count = 10
    st.session_state.quiz_seed = 0
    st.session_state.quiz_retry = None  # the ids of a review round, else None
    st.session_state.quiz_checked = {}  # quiz token -> the responses that were graded
    st.session_state.quiz_review = []  # wrong or unanswered questions (kg.quiz.review_list items)
    view_from_url()
    st.session_state._ready = True


def reconcile(pack, pack_key: str) -> None:
    """Keep the view valid for the pack on screen: ids that are not in it are resolved or dropped."""
    graph = pack.graph

    def resolved(name):
        if not name:
            return None
        try:
            return pack.resolve(name)
        except UnknownConcept:
            return None

    focus = resolved(st.session_state.focus) or default_focus(pack, pack_key)
    if focus != st.session_state.focus:
        st.session_state.focus = focus
    for model in ("targets", "known", "compared"):
        kept = list(dict.fromkeys(r for r in (resolved(n) for n in st.session_state[model]) if r))
        if kept != st.session_state[model]:
            set_state(model, kept)
    if st.session_state.quiz_topic and st.session_state.quiz_topic not in graph:
        set_state("quiz_topic", "")
    chapters = chapters_of(pack, pack_key)
    if st.session_state.filter_chapters is None or not set(st.session_state.filter_chapters) <= set(chapters):
        set_state("filter_chapters", chapters)
    if graph.number_of_nodes() == 0:
        st.session_state.focus = None


def sync_url() -> None:
    """Write the view into the URL (no reload), so it can be bookmarked, shared and reloaded."""
    wanted = {"tab": st.session_state.tab, "lang": st.session_state.lang, "depth": str(st.session_state.depth)}
    if st.session_state.focus:
        wanted["focus"] = st.session_state.focus
    if st.session_state.targets:
        wanted["plan"] = ",".join(st.session_state.targets)
    if st.session_state.whole:
        wanted["view"] = "whole"
    if st.session_state.compared:
        wanted["compare"] = ",".join(st.session_state.compared)
    if st.query_params.to_dict() != wanted:
        # Streamlit makes each new URL a browser history entry: every focus change can be walked back.
        st.query_params.from_dict(wanted)
    st.session_state._url = wanted


def set_focus(node: str) -> None:
    st.session_state.focus = node
    st.session_state.tab = "explore"


def on_graph_click(key: str) -> None:
    value = (st.session_state.get(key) or {}).get("clicked")
    if isinstance(value, str) and ID_PATTERN.match(value):
        st.session_state.focus = value  # reconcile() checks it is in the pack


def add_known(nodes) -> None:
    set_state("known", list(dict.fromkeys([*st.session_state.known, *nodes])))


def add_target(node: str) -> None:
    set_state("targets", list(dict.fromkeys([*st.session_state.targets, node])))


def new_quiz() -> None:
    set_state("quiz_seed", int(st.session_state.quiz_seed) + 1)
    st.session_state.quiz_retry = None


def retry_review() -> None:
    st.session_state.quiz_retry = [item["id"] for item in st.session_state.quiz_review]


def check_quiz(questions: list, token: str) -> None:
    """Grade the answers given (kg.quiz.grade); wrong and unanswered ones join the review list, right ones leave it."""
    responses = [st.session_state.get(f"quiz-{token}-{i}") for i in range(len(questions))]
    st.session_state.quiz_checked = {**st.session_state.quiz_checked, token: responses}
    results = [grade(q, r) for q, r in zip(questions, responses)]
    st.session_state.quiz_review = merge_review(st.session_state.quiz_review, results)  # the merge kg quiz --review does


# --------------------------------------------------------------------------- small views

def label(pack, node: str) -> str:
    return name_in(pack, node, st.session_state.lang)


def draw(pack_key: str, name: str, data: dict) -> None:
    """Mount the graph component; a click on a node refocuses (callback, no page reload)."""
    key = f"graph_{name}"
    graph_component()(key=key, data=data, on_clicked_change=lambda: on_graph_click(key), height="content")


def choose_language() -> None:
    """The language switch: applied now, and remembered by this browser for its next visits."""
    st.session_state.lang = st.session_state.w_lang
    st.session_state.cookies = {**st.session_state.cookies, LANG_COOKIE: st.session_state.lang}


# --------------------------------------------------------------------------- the learner's profile (kg.store, kg.learner)
# Progress lives in the same store as the command's (kg.store: SQLite in the data folder, or $KG_DB).
# The session's known concepts, targets and quiz review list are loaded from the profile when it is
# chosen and written back at the end of every run, so nothing waits for a button.

@st.cache_resource(show_spinner=False)
def store_at(url: str):
    """One store (one connection pool) per database and app process."""
    return open_store(url)


def progress_store():
    """The store KG_DB / KG_HOME choose, as for the command."""
    return store_at(default_url())


def proxy_user() -> str | None:
    """The user name a trusted reverse proxy put in the header named by KG_USER_HEADER (docs/class-deployment.md).
    Without KG_USER_HEADER there is no proxy and the sidebar offers a profile picker instead."""
    header = os.environ.get("KG_USER_HEADER")
    if not header:
        return None
    return (st.context.headers.get(header) or "").strip() or None


def load_profile(pack, profile: str) -> None:
    """Make ``profile`` the session's: its known concepts, targets and review list replace the session's."""
    store = progress_store()
    try:
        known, targets = known_ids(pack, store, profile), target_ids(pack, store, profile)
        review = store.review_items(profile)
    except KgError as err:
        st.session_state._profile_error = str(err)
        return
    st.session_state.profile = profile
    set_state("known", known)
    if targets or not st.session_state.targets:  # a shared link's plan stays on screen for a profile without targets
        set_state("targets", targets)
    st.session_state.quiz_review = review
    st.session_state._saved = {"known": list(known), "targets": list(st.session_state.targets),
                               "review": [item["id"] for item in review]}


def save_profile(pack) -> None:
    """Write what changed since the last save: marks, targets, the review list (one transaction each)."""
    saved = st.session_state.get("_saved")
    profile = st.session_state.get("profile")
    if saved is None or profile is None:
        return
    store = progress_store()
    state = st.session_state
    known, targets = list(state.known), list(state.targets)
    review_ids = [item["id"] for item in state.quiz_review]
    try:
        added, dropped = [c for c in known if c not in saved["known"]], [c for c in saved["known"] if c not in known]
        if added:
            store.mark(profile, added, "known")
        if dropped:
            store.mark(profile, dropped, "unknown")
        if [t for t in targets if t not in saved["targets"]]:
            store.add_targets(profile, [t for t in targets if t not in saved["targets"]])
        if [t for t in saved["targets"] if t not in targets]:
            store.remove_targets(profile, [t for t in saved["targets"] if t not in targets])
        if review_ids != saved["review"]:
            store.save_review_items(profile, add=[item for item in state.quiz_review if item["id"] not in saved["review"]],
                                    remove=[i for i in saved["review"] if i not in review_ids])
    except KgError as err:
        st.error(w("profile_error", error=md(err)))
        return
    state._saved = {"known": known, "targets": targets, "review": review_ids}


def choose_profile(pack) -> None:
    load_profile(pack, st.session_state.w_profile)


def new_profile(pack) -> None:
    name = (st.session_state.get("w_new_profile") or "").strip()
    st.session_state.w_new_profile = ""
    if name:
        try:
            check_profile(name)
        except KgError as err:
            st.session_state._profile_error = str(err)
            return
        load_profile(pack, name)


def ensure_profile(pack) -> None:
    """First run of a session: the signed-in user's profile behind a proxy, else $KG_PROFILE or "default"."""
    if st.session_state.get("profile") is not None:
        return
    if os.environ.get("KG_USER_HEADER"):
        user = proxy_user()
        if user is None:  # configured for a proxy but reached without one: show nobody's progress
            st.error(w("profile_no_user"))
            st.stop()
        load_profile(pack, user)
        return
    load_profile(pack, profile_name())


def profile_ui(pack) -> None:
    """Sidebar: who is learning. Behind an authenticating proxy the profile is the signed-in user."""
    user = proxy_user()
    if os.environ.get("KG_USER_HEADER"):
        st.caption(w("profile_signed_in", name=md(user)))
        return
    try:
        profiles = sorted(set(progress_store().profiles()) | {st.session_state.profile})
    except KgError as err:
        st.error(w("profile_error", error=md(err)))
        profiles = [st.session_state.profile]
    st.session_state.w_profile = st.session_state.profile
    st.selectbox(w("profile"), profiles, key="w_profile", on_change=choose_profile, args=(pack,))
    st.text_input(w("profile_new"), key="w_new_profile", on_change=new_profile, args=(pack,), placeholder=w("profile_new_hint"))
    error = st.session_state.pop("_profile_error", None)
    if error:
        st.error(w("profile_error", error=md(error)))


def mark_skipped(node: str) -> None:
    """"Skip": the concept counts as done for plans, and the store remembers it was skipped, not known."""
    try:
        progress_store().mark(st.session_state.profile, [node], "skipped")
    except KgError as err:
        st.session_state._profile_error = str(err)
        return
    add_known([node])
    st.session_state._saved["known"].append(node)  # already stored as skipped: do not overwrite it with known


def focus_actions_ui(row, focus: str) -> None:
    """"I know this", "skip" and "add to my plan" on the focused concept, in the details' row of actions."""
    state = st.session_state
    known = focus in state.known
    row.button(w("know_this"), key="focus-know", on_click=add_known, args=([focus],), disabled=known)
    row.button(w("skip_this"), key="focus-skip", on_click=mark_skipped, args=(focus,), disabled=known)
    row.button(w("add_to_plan"), key="focus-target", on_click=add_target, args=(focus,), disabled=focus in state.targets)


@st.cache_resource(show_spinner=False, max_entries=8)
def base_placement(_pack, pack_key: str, target: str):
    """Placement over the target's plan before any answer (kg.diagnose): sampled once, copied per rerun."""
    from kg.diagnose import Placement

    return Placement.for_target(_pack, target)


def start_placement() -> None:
    # the picker's value now, not when the button was drawn
    target = st.session_state.get("_place_choices", {}).get(st.session_state.get("w_place_target"))
    if target:
        st.session_state.placement = {"target": target, "answers": [], "stopped": False}


def answer_placement(concept: str, correct: bool) -> None:
    st.session_state.placement["answers"].append([concept, bool(correct)])


def answer_placement_choice(concept: str, key: str, right: int) -> None:
    answer_placement(concept, st.session_state.get(key) == right)


def stop_placement() -> None:
    st.session_state.placement["stopped"] = True


def cancel_placement() -> None:
    st.session_state.placement = None


def confirm_placement(run: PlacementRun) -> None:
    """The learner confirmed the estimate: answers and known concepts go to the store, as kg diagnose --save does."""
    try:
        save_placement(progress_store(), st.session_state.profile, run)
    except KgError as err:
        st.session_state._profile_error = str(err)
        return
    add_known(run.estimate)
    st.session_state.placement = None


def place_me_ui(pack, pack_key: str) -> None:
    """"Place me": adaptive questions over a target's plan (kg diagnose), then an estimate to confirm before saving."""
    state = st.session_state
    run = state.get("placement")
    st.markdown(f"**{w('place_title')}**")
    if run is None or run["target"] not in pack.graph:
        st.caption(w("place_help"))
        # the picker's options are the names themselves (a value that is not its label trips AppTest's reruns)
        choices: dict[str, str] = {}
        for node in concept_ids(pack, pack_key):
            shown = label(pack, node)
            choices[shown if shown not in choices else f"{shown} [{node}]"] = node
        state._place_choices = choices
        ids = list(choices.values())
        first = next((ids.index(t) for t in state.targets if t in pack.graph), 0)  # a target of the plan by default
        row = st.container(horizontal=True, vertical_alignment="bottom")
        row.selectbox(w("place_target"), list(choices), index=first, key="w_place_target")
        row.button(w("place_start"), key="place-start", on_click=start_placement)
        return
    placement = base_placement(pack, pack_key, run["target"]).fresh()
    for concept, correct in run["answers"]:
        placement.answer(concept, correct)
    asked = len(run["answers"])
    concept = None if run["stopped"] else placement.next_concept()
    st.caption(w("place_progress", target=md(label(pack, run["target"])), asked=asked, total=len(placement.plan)))
    if concept is None:
        estimate = sorted(placement.estimate(), key=pack.order_key)
        result = PlacementRun(run["target"], estimate, [tuple(a) for a in run["answers"]], list(placement.plan))
        st.markdown(w("place_estimate", known=len(estimate), total=len(placement.plan)))
        if estimate:
            st.markdown("\n".join(f"- {md(label(pack, node))}" for node in estimate))
        row = st.container(horizontal=True)
        row.button(w("place_save"), key="place-save", type="primary", on_click=confirm_placement, args=(result,))
        row.button(w("place_cancel"), key="place-cancel", on_click=cancel_placement)
        return
    question = question_for(pack, concept, random.Random(asked * 7919 + 17), state.lang)
    st.markdown(md(question.prompt))
    if question.kind == "choice":
        key = f"place-choice-{asked}"
        st.radio(w("place_choose"), range(len(question.options)), format_func=lambda i: question.options[i],
                 index=None, key=key, label_visibility="collapsed")
        row = st.container(horizontal=True)
        row.button(w("place_answer"), key=f"place-answer-{asked}", on_click=answer_placement_choice,
                   args=(concept, key, question.answer), disabled=state.get(key) is None)
    else:
        with st.expander(w("place_show_answer")):
            st.markdown(md(question.answer_text))
        row = st.container(horizontal=True)
        row.button(w("place_knew"), key=f"place-knew-{asked}", on_click=answer_placement, args=(concept, True))
        row.button(w("place_did_not"), key=f"place-not-{asked}", on_click=answer_placement, args=(concept, False))
    row.button(w("place_stop"), key=f"place-stop-{asked}", on_click=stop_placement)


def today_ui(pack, pack_key: str) -> None:
    """Today: progress bars per section, the due reviews and the next new concepts (kg today)."""
    state = st.session_state
    store = progress_store()
    state.setdefault("today_minutes", 30)
    try:
        report = progress(pack, store, state.profile, state.lang)
        plan = today(pack, store, state.profile, minutes=int(state.get("today_minutes", 30)))
    except KgError as err:
        st.error(w("profile_error", error=md(err)))
        return
    left, right = st.columns([3, 2], gap="medium")
    with left:
        place_me_ui(pack, pack_key)
        st.divider()
        st.number_input(w("today_minutes"), 5, 240, step=5, key="today_minutes")
        st.markdown(f"**{w('today_reviews_title', n=len(plan.reviews) + len(plan.checks))}**")
        if not (plan.reviews or plan.checks):
            st.caption(w("today_no_reviews"))
        for node, covers in plan.reviews:
            c1, c2 = st.columns([6, 1])
            extra = f" · {w('today_covers_app', names=', '.join(md(label(pack, c)) for c in covers))}" if covers else ""
            c1.markdown(md(label(pack, node)) + extra)
            c2.button(w("focus_btn"), key=f"today-focus-{node}", on_click=set_focus, args=(node,))
        for node in plan.checks:
            st.markdown(md(label(pack, node)) + f" · {w('today_check_app')}")
        st.markdown(f"**{w('today_new_title', n=len(plan.new))}**")
        if not plan.new:
            st.caption(w("today_no_new") if state.targets else w("plan_empty"))
        for node in plan.new:
            c1, c2, c3 = st.columns([6, 1, 1])
            c1.markdown(f"{md(label(pack, node))} · {duration(pack.graph.nodes[node].get('minutes', DEFAULT_MINUTES))}")
            c2.button(w("focus_btn"), key=f"today-new-focus-{node}", on_click=set_focus, args=(node,))
            c3.button(w("know_this"), key=f"today-new-know-{node}", on_click=add_known, args=([node],))
        st.caption(w("today_cli_hint"))
    with right:
        overall = report["overall"]
        st.markdown(f"**{w('progress_title')}**")
        st.progress(overall["share"], text=w("progress_overall_app", known=overall["known"], total=overall["total"]))
        for section in report["sections"]:
            title = f"{section['section']} {section['name']}".strip() if section["section"] else w("no_section")
            st.progress(section["share"], text=f"{md(title)} · {section['known']}/{section['total']}")
        if report["orphans"]:
            st.caption(w("progress_orphans_app", n=len(report["orphans"])))


def sidebar_ui(pack, pack_key: str, source: str, upload_error: str) -> None:
    """Language, pack, upload and search: the choices land in session state."""
    with st.sidebar:
        st.session_state.w_lang = st.session_state.lang  # follows the URL when Back/Forward changes it
        st.radio(WORDS["en"]["language"], list(LANGS), format_func=LANGS.get, horizontal=True,
                 key="w_lang", on_change=choose_language)
        if pack is not None and st.session_state.get("profile") is not None:
            profile_ui(pack)
        st.caption(f"{w('pack')}: {md(source)}")
        counts = count_by_severity(pack.problems) if pack is not None else {"error": 0, "warning": 0}
        if pack is not None:
            st.caption(w("pack_stats", concepts=count(pack.graph.number_of_nodes(), "n_concepts"),
                         edges=count(pack.graph.number_of_edges(), "n_edges"),
                         errors=count(counts["error"], "n_errors"), warnings=count(counts["warning"], "n_warnings")))
        # Streamlit's uploader has English words of its own ("Upload", "200MB per file"): hidden, ours shown.
        st.file_uploader(w("upload"), type=["yaml", "yml", "zip"], key="upload",
                         help=w("upload_help", mb=MAX_UPLOAD_BYTES // (1024 * 1024)), max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024))
        st.caption(w("upload_limits", mb=MAX_UPLOAD_BYTES // (1024 * 1024)))
        if upload_error:
            st.error(w("upload_bad", error=md(upload_error)))
        if pack is None or pack.graph.number_of_nodes() == 0:
            return
        query = st.text_input(w("search"), key="w_query", help=w("search_help"), placeholder=w("search_placeholder"))
        if query.strip():
            hits = search(pack, query, limit=8)
            if not hits:
                st.caption(w("no_hits"))
            for hit in hits:
                data = pack.graph.nodes[hit.id]
                other = names(pack, hit.id, st.session_state.lang)[1]
                text = md(label(pack, hit.id)) + (f" · {md(other)}" if other else "")
                st.button(text, key=f"hit-{hit.id}", on_click=set_focus, args=(hit.id,), width="stretch")
        export_ui(pack, pack_key)
        if st.session_state.cookies:
            prefs_component()(key="prefs", data={"cookies": st.session_state.cookies}, height="content")


def export_button(pack, pack_key: str, fmt: str, scope: str, text: str, key: str) -> None:
    """One download in a kg.export format; the file is made when it is asked for (then cached), not on every rerun."""
    function, binary, suffix = EXPORTERS[fmt]
    state = st.session_state
    focus, depth = (state.focus, state.depth) if scope == "focus" else (None, 1)
    targets, known = (tuple(state.targets), tuple(state.known)) if scope == "plan" else ((), ())
    lang = state.lang
    stem = {"focus": f"kg-{focus}-depth{depth}", "plan": "kg-plan-" + "-".join(targets), "pack": "kg-pack"}[scope]
    stem = re.sub(r"[^a-z0-9-]+", "-", stem.lower())[:80].strip("-") or "kg"
    data = functools.partial(export_bytes, pack, pack_key, fmt, scope, focus, depth, targets, known, lang)
    mime = FORMATS[fmt].mime
    st.download_button(text, data, file_name=stem + suffix, mime=mime, key=key, on_click="ignore", width="stretch")


def export_ui(pack, pack_key: str) -> None:
    """Every kg.export format for the focus neighbourhood (Explore's depth), the study plan or the whole pack."""
    state = st.session_state
    with st.expander(w("export")):
        names = {scope: w(f"export_{scope}") for scope in EXPORT_SCOPES}
        st.radio(w("export_scope"), EXPORT_SCOPES, format_func=names.get, key=widget_key("export_scope"),
                 on_change=copy_to_model, args=("export_scope", widget_key("export_scope")))
        scope = state.export_scope
        if scope == "plan" and not state.targets:
            st.info(w("plan_empty"))
            return
        try:
            nodes = export_nodes(pack, pack_key, scope, state.focus, state.depth, tuple(state.targets), tuple(state.known))
        except KgError as err:  # a cycle in a broken pack has no study order
            st.error(w("query_error", error=md(err)))
            return
        about = w("export_about_focus", depth=state.depth) if scope == "focus" else ""
        st.caption(w("export_count", n=len(nodes)) + (f" · {about}" if about else ""))
        for fmt in EXPORTERS:
            export_button(pack, pack_key, fmt, scope, WORDS[state.lang].get(f"format_{fmt}", fmt), key=f"export-{fmt}")


def details_ui(pack, focus: str) -> None:
    """Names, kind, section, both summaries, relations (buttons refocus), questions, references."""
    data = pack.graph.nodes[focus]
    lang = st.session_state.lang
    primary, secondary = names(pack, focus, lang)
    st.subheader(md(primary), anchor=False)
    if secondary and secondary != primary:
        st.markdown(f"**{md(secondary)}**")
    focus_actions_ui(actions_ui(pack, focus), focus)
    facts = [f"{w('kind')}: {md(kind_name(data.get('kind'), lang))}"]
    if data.get("section"):
        facts.append(f"{w('section')}: {md(section_label(pack, data['section']))}")
    facts.append(f"{w('minutes')}: {w('min', m=data.get('minutes', DEFAULT_MINUTES))}")
    aliases = data.get("aliases") or []
    st.caption(" · ".join(facts) + (" · " + ", ".join(md(a) for a in aliases) if aliases else ""))
    first, second = field_text(data, "summary", lang), other_text(data, "summary", lang)
    if first:
        st.markdown(md(first))
    if second:  # the other language's summary (interview terms in both) one click away
        with st.expander(w("other_summary")):
            st.markdown(md(second))
    st.markdown(f"**{w('relations')}**")
    relations = related(pack, focus, depth=1)  # capped (queries.MAX_RELATIONS): a hub of 20,000 made 20,000 buttons
    groups = group_relations(relations, lang)
    if not groups:
        st.caption(w("no_relations"))
    if relations.more:
        st.caption(w("relations_more", n=relations.more))
    for title, members in groups:
        st.markdown(f"*{md(title)}*")
        for relation in members:
            # the reason is on the page, under the concept it leads to, not in a tooltip
            st.button(md(label(pack, relation.neighbour)), key=f"rel-{relation.edge[1]}-{relation.direction}-{relation.neighbour}",
                      on_click=set_focus, args=(relation.neighbour,))
            reason = why(pack, relation.edge, lang)
            if reason:
                st.caption(md(reason))
    questions = data.get("questions") or []
    if questions:
        st.markdown(f"**{w('questions')}**")
        for index, question in enumerate(questions):
            q, a = field_text(question, "q", lang), field_text(question, "a", lang)
            with st.expander(md(q) or f"#{index + 1}"):
                st.markdown(md(a))
    refs = data.get("refs") or []
    if refs:
        st.markdown(f"**{w('refs')}**")
        lines = []
        for ref in refs:
            title = md(ref.get("title") or "")
            url = str(ref.get("url") or "")
            text = f"[{title}]({url})" if _SAFE_URL.match(url) else title
            authors = ", ".join(md(a) for a in (ref.get("authors") or []))
            year = f" ({md(ref.get('year'))})" if ref.get("year") else ""
            lines.append(f"- {text}{' — ' + authors if authors else ''}{year}")
        st.markdown("\n".join(lines))
    reading = d2l.concept_links(data)
    if reading:
        # the edition in the interface language first; both when the book has the page in both
        st.markdown(f"**{w('reading')}**")
        editions = languages_from(lang)
        lines = []
        for entry in reading:
            links = [f"[{md(entry['title_' + e])}]({entry[e]}) ({w('edition_' + e)})" for e in editions if e in entry]
            lines.append("- " + " · ".join(links))
        st.markdown("\n".join(lines))


def actions_ui(pack, focus: str) -> None:
    """What a learner can do with the concept in focus (one row of buttons; progress buttons join it)."""
    row = st.container(horizontal=True)
    row.button(w("plan_for", name=md(label(pack, focus))), key="act-plan", on_click=plan_for, args=(focus,))
    return row


def orientation_ui() -> None:
    """The first-open orientation: what the map is and how to start; dismissed once, remembered by the browser."""
    if st.session_state.oriented:
        return
    with st.container(border=True, key="orientation"):
        st.markdown(w("orient_title"))
        st.markdown(w("orient_body"))
        st.button(w("orient_ok"), key="orient-ok", on_click=dismiss_orientation, type="primary")


def dismiss_orientation() -> None:
    st.session_state.oriented = True
    st.session_state.cookies = {**st.session_state.cookies, SEEN_COOKIE: "1"}


def explore_ui(pack, pack_key: str) -> None:
    focus = st.session_state.focus
    lang = st.session_state.lang
    left, right = st.columns([3, 2], gap="medium")
    with left:
        c1, c2, c3 = st.columns([2, 1, 1])
        c1.slider(w("depth"), 1, 3, key=widget_key("depth"), on_change=copy_to_model, args=("depth", widget_key("depth")),
                  help=w("depth_help"))
        c2.toggle(w("whole"), key=widget_key("whole"), on_change=copy_to_model, args=("whole", widget_key("whole")),
                  help=w("whole_help"))
        c3.toggle(w("physics"), key=widget_key("physics"), on_change=copy_to_model, args=("physics", widget_key("physics")),
                  help=w("physics_help"))
        hits = tuple(h.id for h in search(pack, st.session_state.get("w_query") or "", limit=8))
        data, too_big = explore_data(pack, pack_key, focus, st.session_state.depth, tuple(st.session_state.filter_types),
                                     tuple(st.session_state.filter_kinds), tuple(st.session_state.filter_chapters),
                                     st.session_state.whole, lang, st.session_state.physics, hits)
        if too_big:
            st.info(w("too_big", total=pack.graph.number_of_nodes(), cap=OVERVIEW_MAX))
        draw(pack_key, "explore", data)
        # below the drawing, so the graph is on screen first (the filters' widgets load more of Streamlit's code)
        with st.expander(w("filters")):
            st.multiselect(w("edge_types"), list(EDGE_TYPES), format_func=lambda t: edge_type_name(t, lang),
                           key=widget_key("filter_types"), on_change=copy_to_model, args=("filter_types", widget_key("filter_types")),
                           placeholder=w("choose"))
            st.multiselect(w("kinds"), list(KINDS), format_func=lambda k: kind_name(k, lang),
                           key=widget_key("filter_kinds"), on_change=copy_to_model, args=("filter_kinds", widget_key("filter_kinds")),
                           placeholder=w("choose"))
            names = {c: section_label(pack, c) for c in chapters_of(pack, pack_key)}
            st.multiselect(w("chapters"), list(names), format_func=names.get,
                           key=widget_key("filter_chapters"), on_change=copy_to_model, args=("filter_chapters", widget_key("filter_chapters")),
                           placeholder=w("choose"))
    with right:
        details_ui(pack, focus)


def load_known_file(pack) -> None:
    """Callback of the known-concepts uploader: merge the ids it lists (only ids of this pack)."""
    uploaded = st.session_state.get("known_file")
    if uploaded is None:
        return
    try:
        if uploaded.size > MAX_KNOWN_BYTES:
            raise ValueError(f"larger than {MAX_KNOWN_BYTES // 1024} KB")
        data = json.loads(uploaded.getvalue().decode("utf-8-sig"))  # a byte-order mark is fine
        names = data.get("known") if isinstance(data, dict) else data
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError('expected {"known": [ids]}')
        ids = [n for n in names if ID_PATTERN.match(n) and n in pack.graph]
        set_state("known", list(dict.fromkeys([*st.session_state.known, *ids])))
        st.session_state._known_message = ("ok", w("known_loaded", n=len(ids)))
    except (ValueError, UnicodeDecodeError, AttributeError, RecursionError) as err:
        st.session_state._known_message = ("error", w("known_bad", error=md(err)))


def known_ui(pack) -> None:
    """Known concepts: download and upload as a small JSON file."""
    payload = json.dumps({"format": "kg-known", "version": 1, "known": st.session_state.known}, ensure_ascii=False, indent=1)
    c1, c2 = st.columns(2)
    c1.download_button(w("known_down"), payload.encode("utf-8"), file_name="kg-known.json", mime="application/json")
    c2.file_uploader(w("known_up"), type=["json"], key="known_file", on_change=load_known_file, args=(pack,),
                     help=w("known_help", kb=MAX_KNOWN_BYTES // 1024), max_upload_size=1)
    message = st.session_state.pop("_known_message", None)
    if message:
        (st.success if message[0] == "ok" else st.error)(message[1])


def picker_ui(pack, pack_key: str, model: str, title: str) -> None:
    """Pick concepts one at a time: a box that matches English and Chinese names and aliases (Enter takes the
    one best match, never all of them), and the picked concepts as chips that a click removes."""
    lang = st.session_state.lang
    ids = concept_ids(pack, pack_key)
    key = f"pick_{model}__{lang}"
    st.selectbox(title, ids, index=None, key=key, placeholder=w("pick_placeholder"),
                 format_func=lambda n: picker_label(pack, n, lang), on_change=picked, args=(model, key))
    chosen = st.session_state[model]
    if chosen:
        row = st.container(horizontal=True, key=f"chips_{model}")
        for node in chosen:
            row.button(f"{md(label(pack, node))} ✕", key=f"chip-{model}-{node}", on_click=unpick, args=(model, node))


def picked(model: str, key: str) -> None:
    node = st.session_state.get(key)
    if node:
        set_state(model, list(dict.fromkeys([*st.session_state[model], node])))
    st.session_state[key] = None  # ready for the next concept


def unpick(model: str, node: str) -> None:
    set_state(model, [n for n in st.session_state[model] if n != node])


def plan_for(node: str) -> None:
    """The study plan of one concept: open the Study plan tab with it as a target."""
    add_target(node)
    st.session_state.tab = "plan"


def open_checks() -> None:
    st.session_state.tab = "checks"


@st.cache_data(show_spinner=False, max_entries=16)
def unlock_counts(_pack, pack_key: str) -> dict[str, int]:
    """How many concepts come after each one in study order: the foundations unlock the most."""
    import networkx as nx

    study = _pack.study
    if not nx.is_directed_acyclic_graph(study):
        return {}
    after: dict[str, set[str]] = {}
    for node in reversed(list(nx.topological_sort(study))):
        after[node] = set(study.succ[node]).union(*(after[n] for n in study.succ[node]))
    return {node: len(found) for node, found in after.items()}


def next_concepts(pack, pack_key: str, known: list[str], steps: list[str]) -> list[str]:
    """What to learn next: concepts whose prerequisites are all known, the plan's own first (in plan order),
    then the rest by how much each opens up, so a beginner starts at the foundations."""
    ready = fringe(pack, known)
    in_plan = {n: i for i, n in enumerate(steps)}
    unlocks = unlock_counts(pack, pack_key)
    return sorted(ready, key=lambda n: (in_plan.get(n, len(in_plan)), -unlocks.get(n, 0), pack.order_key(n)))


def plan_ui(pack, pack_key: str) -> None:
    picker_ui(pack, pack_key, "targets", w("targets"))
    picker_ui(pack, pack_key, "known", w("known"))
    with st.expander(w("known_files")):
        known_ui(pack)
    targets = st.session_state.targets
    steps, total, drawing = None, 0, None
    if not targets:
        st.info(w("plan_empty"))
    else:
        try:
            steps, total, drawing = plan_data(pack, pack_key, tuple(targets), tuple(st.session_state.known),
                                              st.session_state.lang, st.session_state.physics)
        except KgError:  # a cycle in a broken pack has no study order: the Checks tab says where
            st.error(w("plan_broken"))
            st.button(w("open_checks"), key="plan-checks", on_click=open_checks)
    if steps == []:
        st.success(w("plan_done"))
    elif steps:
        st.markdown(f"**{w('plan_total', steps=count(len(steps), 'n_steps'), time=duration(total))}**")
        draw(pack_key, "plan", drawing)  # the whole width, first steps at the top: every step's name has room
    left, right = st.columns([3, 2], gap="medium")
    with left:
        if steps:
            st.caption(w("tick"))
            for index, (node, minutes, reason, is_target) in enumerate(steps, 1):
                extra = f" · **{w('target')}**" if is_target else ""
                c1, c2 = st.columns([8, 1], vertical_alignment="center")
                c1.checkbox(f"{index}\\. {md(label(pack, node))} · {duration(minutes)}{extra}", value=False,
                            key=f"step-{node}", on_change=add_known, args=([node],))
                c2.button("", icon=":material/open_in_new:", key=f"step-open-{node}", on_click=set_focus,
                          args=(node,), help=w("open_help"), type="tertiary")
                if reason:
                    st.caption(w("why_step") + ": " + " → ".join("…" if e is None else md(sentence(pack, e, st.session_state.lang)) for e in reason))
            export_button(pack, pack_key, "markdown", "plan", w("download_plan"), key="plan-markdown")
    with right:
        st.markdown(f"**{w('next')}**")
        st.caption(w("next_help"))
        try:
            nxt = next_concepts(pack, pack_key, st.session_state.known, [s[0] for s in steps or []])[:15]
        except KgError:
            st.error(w("plan_broken"))
            nxt = []
        for node in nxt:
            # one row sized to its content: the buttons' words are never cut ("Fo…")
            row = st.container(horizontal=True, vertical_alignment="center")
            row.markdown(md(label(pack, node)), width="stretch")
            row.button(w("focus_btn"), key=f"next-focus-{node}", on_click=set_focus, args=(node,), width="content")
            row.button(w("add_btn"), key=f"next-add-{node}", on_click=add_target, args=(node,), width="content")


def connect_ui(pack, pack_key: str) -> None:
    ids = concept_ids(pack, pack_key)
    lang = st.session_state.lang
    fmt = lambda n: picker_label(pack, n, lang)  # noqa: E731
    if "conn_a" not in st.session_state or st.session_state.conn_a not in pack.graph:
        st.session_state.conn_a = st.session_state.focus
    if "conn_b" not in st.session_state or st.session_state.conn_b not in pack.graph:
        st.session_state.conn_b = next((n for n in ids if n != st.session_state.focus), st.session_state.focus)
    c1, c2 = st.columns(2)
    c1.selectbox(w("from"), ids, format_func=fmt, key=widget_key("conn_a"), on_change=copy_to_model, args=("conn_a", widget_key("conn_a")),
                 placeholder=w("pick_placeholder"))
    c2.selectbox(w("to"), ids, format_func=fmt, key=widget_key("conn_b"), on_change=copy_to_model, args=("conn_b", widget_key("conn_b")),
                 placeholder=w("pick_placeholder"))
    a, b = st.session_state.conn_a, st.session_state.conn_b
    if a == b:
        st.info(w("same"))
        return
    paths, drawing = connect_data(pack, pack_key, a, b, st.session_state.lang, st.session_state.physics)
    if not paths:
        st.warning(w("no_path"))
        return
    left, right = st.columns([2, 3], gap="medium")
    with left:
        for number, path in enumerate(paths, 1):
            st.markdown(f"**{w('path_n', n=number)}**")
            for i, edge in enumerate(path, 1):
                # each link names the concept it leads to (a button that opens it) and says why it holds
                st.markdown(f"{i}\\. {md(sentence(pack, edge, lang))}")
                row = st.container(horizontal=True)
                for node in (edge[0], edge[2]):
                    row.button(md(label(pack, node)), key=f"conn-{number}-{i}-{node}", on_click=set_focus, args=(node,),
                               type="tertiary")
                reason = why(pack, edge, lang)
                if reason:
                    st.caption(md(reason))
    with right:
        draw(pack_key, "connect", drawing)


@st.cache_data(show_spinner=False, max_entries=32)
def compare_data(_pack, pack_key: str, ids: tuple):
    from kg.compare import compare

    return compare(_pack, list(ids))


def compare_ui(pack, pack_key: str) -> None:
    """Two or three concepts side by side (kg.compare, as `kg compare A B [C]`): what each is, solves, causes and
    is used in; what they share; how they differ; how they connect. Every concept named opens in Explore."""
    from kg.compare import SIDE_RELATIONS

    lang = st.session_state.lang
    picker_ui(pack, pack_key, "compared", w("compare_pick"))
    ids = st.session_state.compared
    if len(ids) < 2:
        st.info(w("compare_need"))
        return
    if len(ids) > 3:
        set_state("compared", ids[:3])
        ids = ids[:3]
    result = compare_data(pack, pack_key, tuple(ids))

    def concept_buttons(nodes, key: str) -> None:
        row = st.container(horizontal=True)
        for node in nodes:
            row.button(md(label(pack, node)), key=f"cmp-{key}-{node}", on_click=set_focus, args=(node,), type="tertiary")

    for column, side in zip(st.columns(len(result.sides), gap="medium"), result.sides):
        with column, st.container(border=True):
            st.markdown(f"#### {md(label(pack, side.id))}")
            st.caption(md(kind_name(side.kind, lang)))
            summary = field_text({"summary": side.summary, "summary_zh": side.summary_zh}, "summary", lang)
            st.markdown(md(summary))
            for edge_type in SIDE_RELATIONS:
                targets = side.relations.get(edge_type) or []
                if targets:
                    st.markdown(f"*{md(EDGE_TYPES[edge_type]['forward_' + lang])}*")
                    concept_buttons(targets, f"{side.id}-{edge_type}")
    st.markdown(f"**{w('compare_differ')}**")
    if not result.contrasts:
        st.caption(w("compare_no_contrast"))
    for contrast in result.contrasts:
        how = field_text({"how": contrast.how, "how_zh": contrast.how_zh}, "how", lang)
        st.markdown(f"{md(label(pack, contrast.a))} / {md(label(pack, contrast.b))}: {md(how)}")
    st.markdown(f"**{w('compare_shared')}**")
    if result.common_parents:
        st.caption(w("compare_parents"))
        concept_buttons(result.common_parents, "parent")
    if result.closest_common_prerequisites:
        st.caption(w("compare_prereqs", n=result.common_prerequisite_count))
        concept_buttons(result.closest_common_prerequisites, "prereq")
    if not result.common_parents and not result.closest_common_prerequisites:
        st.caption(w("compare_nothing"))
    st.markdown(f"**{w('compare_connect')}**")
    for connection in result.connections:
        if not connection.path:
            st.caption(w("compare_unconnected", a=md(label(pack, connection.a)), b=md(label(pack, connection.b))))
            continue
        for edge in connection.path:
            st.markdown(f"- {md(sentence(pack, edge, lang))}")
            reason = why(pack, edge, lang)
            if reason:
                st.caption(md(reason))


def quiz_settings_ui(pack, pack_key: str) -> None:
    """Topic (any concept, one concept, or the focus), number of questions and seed."""
    ids = concept_ids(pack, pack_key)
    c1, c2, c4 = st.columns([4, 1, 1], vertical_alignment="bottom")
    lang, anything = st.session_state.lang, w("quiz_any")  # bound now: format_func may run outside the script
    c1.selectbox(w("quiz_topic"), ["", *ids], format_func=lambda n: picker_label(pack, n, lang) if n else anything,
                 key=widget_key("quiz_topic"), on_change=copy_to_model, args=("quiz_topic", widget_key("quiz_topic")),
                 placeholder=w("pick_placeholder"))
    c2.number_input(w("quiz_count"), 1, MAX_QUIZ, step=1, key=widget_key("quiz_count"), on_change=copy_to_model,
                    args=("quiz_count", widget_key("quiz_count")))
    c4.button(w("quiz_new"), key="quiz-new", on_click=new_quiz, width="stretch")
    # The seed is a tool for teachers who want the same quiz twice, not something a learner needs to see.
    if st.toggle(w("advanced"), key=widget_key("advanced"), on_change=copy_to_model, args=("advanced", widget_key("advanced"))):
        st.number_input(w("quiz_seed"), 0, 2**31 - 1, step=1, help=w("quiz_seed_help"), key=widget_key("quiz_seed"),
                        on_change=copy_to_model, args=("quiz_seed", widget_key("quiz_seed")))
    focus = st.session_state.focus
    if focus and focus != st.session_state.quiz_topic:
        st.button(w("quiz_use_focus", name=md(label(pack, focus))), key="quiz-focus", on_click=set_state, args=("quiz_topic", focus))


_UNCHECKED = object()  # the response of a question whose quiz is not checked yet


def question_ui(question, number: int, key: str, response) -> None:
    """One question: a choice of options, or an interview question to reveal and grade yourself.
    ``response`` is the graded answer once the quiz is checked (the widgets are then locked)."""
    checked = response is not _UNCHECKED
    prompt = f"**{number}\\.** {md(question.prompt)}"
    st.markdown(prompt)
    if question.kind == "choice":
        st.radio(prompt, list(range(len(question.options))), index=None, key=key, label_visibility="collapsed",
                 format_func=lambda i, options=question.options: md(options[i]), disabled=checked)
    else:
        st.caption(w("quiz_interview"))
        with st.expander(w("quiz_reveal"), expanded=checked):
            st.markdown(md(question.answer_text))
        st.radio(w("quiz_self"), [True, False], index=None, key=key, horizontal=True, disabled=checked,
                 format_func=lambda knew, yes=w("quiz_knew"), no=w("quiz_missed"): yes if knew else no)
    if checked:
        result = grade(question, response)
        if result.correct:
            st.markdown(f":green[**✓**] {w('quiz_right')}")
        elif question.kind == "choice":
            word_key = "quiz_skipped" if result.skipped else "quiz_wrong"
            st.markdown(f":red[**✗**] {w(word_key, answer=md(question.answer_text))}")
        else:
            st.markdown(f":red[**✗**] {w('quiz_to_review')}")
        if question.explanation:
            st.caption(md(question.explanation))


def review_ui() -> None:
    """The review list: wrong and unanswered questions; download it (``kg quiz --retry FILE`` reads it) or retry it."""
    review = st.session_state.quiz_review
    st.markdown(f"**{w('quiz_review', n=len(review))}**")
    if not review:
        st.caption(w("quiz_review_empty"))
        return
    st.caption(w("quiz_review_help"))
    lines = []
    for item in review:
        answer = item.get("correct_answer") if item.get("kind") == "choice" else ""
        lines.append(f"- {md(item.get('prompt'))}" + (f" → {md(answer)}" if answer else ""))
    st.markdown("\n".join(lines))
    payload = json.dumps({"format": "kg-review", "version": 1, "items": review}, ensure_ascii=False, indent=1)
    c1, c2, c3 = st.columns(3)
    c1.download_button(w("quiz_review_down"), payload.encode("utf-8"), file_name="kg-review.json", mime="application/json",
                       key="quiz-review-download", on_click="ignore", width="stretch")
    c2.button(w("quiz_retry"), key="quiz-retry", on_click=retry_review, width="stretch")
    c3.button(w("quiz_clear"), key="quiz-clear", on_click=lambda: st.session_state.update(quiz_review=[]), width="stretch")


def quiz_ui(pack, pack_key: str) -> None:
    """A quiz from the graph's edges and interview questions (kg.quiz), in the interface's language."""
    state = st.session_state
    retry = tuple(state.quiz_retry) if state.quiz_retry is not None else None
    if retry is None:
        quiz_settings_ui(pack, pack_key)
    else:
        st.info(w("quiz_retrying", n=len(retry)))
        st.button(w("quiz_back"), key="quiz-back", on_click=lambda: state.update(quiz_retry=None))
    topic, count, seed = state.quiz_topic, int(state.quiz_count), int(state.quiz_seed)
    try:
        questions = quiz_data(pack, pack_key, topic, count, seed, state.lang, retry)
    except KgError as err:  # e.g. a cycle in a broken pack: no study order for the topic
        st.error(w("query_error", error=md(err)))
        questions = []
    token = hashlib.sha256(repr((pack_key, topic, count, seed, state.lang, retry)).encode()).hexdigest()[:12]
    state.quiz_token = token
    if not questions:
        st.info(w("quiz_none"))
    else:
        responses = state.quiz_checked.get(token)
        for number, question in enumerate(questions, 1):
            with st.container(border=True):
                question_ui(question, number, f"quiz-{token}-{number - 1}",
                            responses[number - 1] if responses is not None else _UNCHECKED)
        if responses is None:
            st.button(w("quiz_check"), key="quiz-check", type="primary", on_click=check_quiz, args=(questions, token))
        else:
            summary = score(grade(q, r) for q, r in zip(questions, responses))
            (st.success if summary["correct"] == summary["total"] else st.warning)(w("quiz_score", **summary))
            st.button(w("quiz_new"), key="quiz-new-after", on_click=new_quiz, type="primary")
    st.divider()
    review_ui()


def checks_ui(pack, load_error: str) -> None:
    """Every problem of the pack as one readable entry: severity, code, file:line, message and hint in full."""
    if load_error:
        st.error(md(load_error))
    if pack is None:
        return
    counts = count_by_severity(pack.problems)
    if not pack.problems:
        st.success(w("checks_clean"))
        return
    st.markdown(", ".join([count(counts["error"], "n_errors"), count(counts["warning"], "n_warnings"),
                           count(counts["info"], "n_notes")]))
    marks = {"error": ":red[**✗**]", "warning": ":orange[**!**]", "info": ":blue[**i**]"}
    meanings = {"zh": PROBLEMS_ZH}.get(st.session_state.lang, {})  # the checks write their messages in English
    for p in pack.problems[:MAX_PROBLEMS_SHOWN]:
        code = re.sub(r"[^a-z0-9-]", "", p.code)  # a code from kg's own table, shown as code (no escaping inside)
        with st.container(border=True):
            st.markdown(f"{marks.get(p.severity, '')} **{md(w('severity_' + p.severity))}** · `{code}` · "
                        f"{md(p.path)}:{p.line}:{p.col}")
            if p.code in meanings:
                # the message quotes the pack and is written in English by the checks: the code's meaning leads
                st.markdown(md(meanings[p.code]))
                with st.expander(w("problem_detail")):
                    st.markdown(md(p.message))
                    if p.hint:
                        st.caption(md(p.hint))
                continue
            st.markdown(md(p.message))
            if p.hint:
                st.caption(md(p.hint))
    if len(pack.problems) > MAX_PROBLEMS_SHOWN:
        st.caption(w("problems_more", n=len(pack.problems) - MAX_PROBLEMS_SHOWN))


def tabs_ui() -> list:
    """The tabs; only the open one is computed. The open tab is part of the URL."""
    labels = [w(f"tab_{t}") for t in TABS]
    key = f"w_tab__{st.session_state.lang}"
    st.session_state[key] = labels[TABS.index(st.session_state.tab)]

    def changed():
        st.session_state.tab = TABS[labels.index(st.session_state[key])]

    return st.tabs(labels, key=key, on_change=changed)


# --------------------------------------------------------------------------- the page

source_path = pack_path_from_args(sys.argv[1:])
path = source_path or str(default_pack_path())
upload = st.session_state.get("upload")
upload_error = ""
if upload is not None and upload.size <= MAX_UPLOAD_BYTES:
    blob = upload.getvalue()
    digest = hashlib.sha256(blob).hexdigest()
    pack, load_error = load_uploaded_pack(upload.name, digest, blob)
    pack_key, source = f"upload:{digest}", upload.name
    if pack is None:
        upload_error = load_error
else:
    fingerprint = pack_fingerprint(path)
    pack, load_error = load_path_pack(path, fingerprint)
    pack_key, source = f"path:{fingerprint}", None

init_state(pack)
if pack is not None:
    reconcile(pack, pack_key)
    ensure_profile(pack)
if upload is not None and upload.size > MAX_UPLOAD_BYTES:
    upload_error = w("too_large", mb=MAX_UPLOAD_BYTES // (1024 * 1024))
if source is None:  # the pack's folder name, never a local path
    source = Path(source_path).name if source_path else w("shipped_pack")

st.html(page_css())
st.title(w("title"), anchor=False)
if upload is not None and pack is not None:
    st.caption(w("using_upload", name=md(upload.name)))
orientation_ui()

usable = pack is not None and pack.graph.number_of_nodes() > 0
views = {"explore": explore_ui, "plan": plan_ui, "today": today_ui, "connect": connect_ui, "compare": compare_ui, "quiz": quiz_ui}
for name, tab in zip(TABS, tabs_ui()):
    if not tab.open:
        continue  # only the open tab is computed
    with tab:
        if name == "checks":
            checks_ui(pack, load_error)
        elif usable:
            try:
                views[name](pack, pack_key)
            except KgError as err:
                st.error(md(err))
            except Exception as err:  # noqa: BLE001 - the app's one guard: a bug is one line, never a traceback with server paths
                st.error(md(f"{w('internal_error')} ({type(err).__name__})"))
        else:
            st.warning(w("no_focus"))
# The sidebar is built last so the open view (and its graph) reaches the browser first; its widgets'
# values are in session state before the script runs, so nothing above needs it to have run.
sidebar_ui(pack, pack_key, source, upload_error)
if pack is not None:
    save_profile(pack)
sync_url()
