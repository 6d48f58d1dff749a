"""The session's view: its state, the URL that names it, the interface words, and the callbacks that change it.

Every view reads and writes ``st.session_state``; the URL mirrors the part of it that names a view (focus,
tab, depth, plan, whole graph, comparison, language), so a view can be shared, reloaded and walked back.
"""
from __future__ import annotations

import streamlit as st

from kg.app.data import chapters_of, default_focus
from kg.errors import KgError, UnknownConcept
from kg.markup import markdown_literal
from kg.schema import EDGE_TYPES, KINDS
from kg.text import LANGS, label as name_in, word


TABS = ("explore", "plan", "today", "connect", "compare", "quiz", "checks")

#: What an export covers: the focus's neighbourhood (Explore's depth), the study plan, or the whole pack.
EXPORT_SCOPES = ("focus", "plan", "pack")


def md(text) -> str:
    """Pack text made literal for Streamlit Markdown (escaped, and icons, colours, shortcodes and autolinks broken).

    A kg error (:class:`kg.KgError`) is shown in the session's language: it quotes pack text, so it is escaped too."""
    if isinstance(text, KgError):
        text = text.message_in(st.session_state.get("lang", "en"))
    return markdown_literal(text)


def w(key: str, **values) -> str:
    """The interface text ``key`` (kg.text's table) in the session's language, filled with ``values``."""
    return word(key, st.session_state.get("lang", "en"), **values)


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


def label(pack, node: str) -> str:
    return name_in(pack, node, st.session_state.lang)


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
    state.depth = min(3, max(1, depth))
    state.focus = params.get("focus") or None
    state.targets = [t for t in params.get("plan", "").split(",") if t]
    state.whole = params.get("view") == "whole"
    state.compared = [c for c in params.get("compare", "").split(",") if c][:3]


def init_state(pack) -> None:
    """Every run: on the first the view comes from the URL's query parameters, later when the URL changes."""
    if not st.session_state.get("_ready"):
        first_state()
    elif st.query_params.to_dict() != st.session_state.get("_url"):
        view_from_url()  # Back/Forward: the browser went to another entry of the trail
    follow_language()


#: Widgets whose options are shown in the interface language (format_func). The browser keeps such a
#: widget's value as the text of the chosen option, so after a language switch it would show the old
#: words (a select box, the chips of a multiselect) or no choice at all (a radio), and send that back.
WORDED_OPTIONS = ("export_scope", "filter_types", "filter_kinds", "filter_chapters", "conn_a", "conn_b", "quiz_topic")


def follow_language() -> None:
    """After a language switch, hand every worded widget its value again: Streamlit then sends it to the
    browser in the new words (a value set through session state is the widget's value on that run)."""
    state = st.session_state
    if state.get("_drawn_lang", state.lang) != state.lang:
        for key in WORDED_OPTIONS:
            if key in state:
                state[key] = state[key]
    state._drawn_lang = state.lang


def first_state() -> None:
    """The first run of a session: every choice's starting value, then the view the URL names."""
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
            st.session_state[model] = kept
    if st.session_state.quiz_topic and st.session_state.quiz_topic not in graph:
        st.session_state.quiz_topic = ""
    chapters = chapters_of(pack, pack_key)
    if st.session_state.filter_chapters is None or not set(st.session_state.filter_chapters) <= set(chapters):
        st.session_state.filter_chapters = chapters
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


def add_known(nodes) -> None:
    st.session_state.known = list(dict.fromkeys([*st.session_state.known, *nodes]))


def add_target(node: str) -> None:
    st.session_state.targets = list(dict.fromkeys([*st.session_state.targets, node]))


def plan_for(node: str) -> None:
    """The study plan of one concept: open the Study plan tab with it as a target."""
    add_target(node)
    st.session_state.tab = "plan"


def open_checks() -> None:
    st.session_state.tab = "checks"


def remember_language() -> None:
    """The language switch (its widget's key is ``lang``): this browser remembers it for its next visits."""
    st.session_state.cookies = {**st.session_state.cookies, LANG_COOKIE: st.session_state.lang}


def dismiss_orientation() -> None:
    st.session_state.oriented = True
    st.session_state.cookies = {**st.session_state.cookies, SEEN_COOKIE: "1"}
