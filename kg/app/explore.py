"""The Explore tab: the focus's neighbourhood (or the whole graph) and the focused concept's details."""
from __future__ import annotations

import re

import streamlit as st

from kg import d2l
from kg.app.components import draw, first_screen
from kg.app.data import OVERVIEW_MAX, chapters_of, explore_data
from kg.app.profile import mark_skipped
from kg.app.state import add_known, add_target, label, md, plan_for, section_label, set_focus, w
from kg.queries import group_relations, related
from kg.schema import DEFAULT_MINUTES, EDGE_TYPES, KINDS
from kg.search import search
from kg.text import edge_reason as why, edge_type_name, field_text, kind_name, languages_from, names, other_text


#: The controls above the graph (depth, whole graph, physics) on a wide page, in CSS pixels, and the width
#: the graph's column usually has (a 1,400-pixel window): the first screen's blank and picture use them.
CONTROLS_PX = 66
EXPLORE_WIDTH = 780

_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]\"'`\\]+$")


def explore_ui(pack, pack_key: str) -> None:
    """The focus's neighbourhood (or the whole graph) on the left, the focused concept's details on the right."""
    state = st.session_state
    left, right = st.columns([3, 2], gap="medium")
    with left:
        controls = st.container()
        if first_screen():
            # The first screen is the graph alone (the widgets' code is fetched with the rest of the page);
            # a blank of the controls' height keeps the graph where it will stay.
            depth, whole, physics = state.depth, state.whole, state.physics
            controls.space(CONTROLS_PX)
        else:
            with controls:
                depth, whole, physics = view_ui()
        hits = tuple(h.id for h in search(pack, state.get("query") or "", limit=8))
        data, too_big = explore_data(pack, pack_key, state.focus, depth, tuple(state.filter_types), tuple(state.filter_kinds),
                                     tuple(state.filter_chapters), whole, state.lang, physics, hits)
        if too_big:
            st.info(w("too_big", total=pack.graph.number_of_nodes(), cap=OVERVIEW_MAX))
        draw(pack_key, "explore", data, width=EXPLORE_WIDTH)
        # below the drawing, so the graph is on screen first (the filters' widgets load more of Streamlit's code);
        # their values are in session state before the script runs, so the drawing above already used them
        filters_ui(pack, pack_key)
    with right:
        details_ui(pack, state.focus)


def view_ui() -> tuple[int, bool, bool]:
    """How much to draw: the depth around the focus, the whole graph instead, physics."""
    c1, c2, c3 = st.columns([2, 1, 1])
    depth = c1.slider(w("depth"), 1, 3, key="depth", persist_state="session", help=w("depth_help"))
    whole = c2.toggle(w("whole"), key="whole", persist_state="session", help=w("whole_help"))
    physics = c3.toggle(w("physics"), key="physics", persist_state="session", help=w("physics_help"))
    return depth, whole, physics


def filters_ui(pack, pack_key: str) -> None:
    """Which edge types, kinds and guide sections the drawing shows."""
    lang = st.session_state.lang
    with st.expander(w("filters")):
        st.multiselect(w("edge_types"), list(EDGE_TYPES), format_func=lambda t: edge_type_name(t, lang),
                       key="filter_types", persist_state="session", placeholder=w("choose"))
        st.multiselect(w("kinds"), list(KINDS), format_func=lambda k: kind_name(k, lang),
                       key="filter_kinds", persist_state="session", placeholder=w("choose"))
        names = {c: section_label(pack, c) for c in chapters_of(pack, pack_key)}
        st.multiselect(w("chapters"), list(names), format_func=names.get,
                       key="filter_chapters", persist_state="session", placeholder=w("choose"))


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


def focus_actions_ui(row, focus: str) -> None:
    """"I know this", "skip" and "add to my plan" on the focused concept, in the details' row of actions."""
    state = st.session_state
    known = focus in state.known
    row.button(w("know_this"), key="focus-know", on_click=add_known, args=([focus],), disabled=known)
    row.button(w("skip_this"), key="focus-skip", on_click=mark_skipped, args=(focus,), disabled=known)
    row.button(w("add_to_plan"), key="focus-target", on_click=add_target, args=(focus,), disabled=focus in state.targets)
