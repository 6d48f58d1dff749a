"""The Compare tab: two or three concepts side by side (kg compare)."""
from __future__ import annotations

import streamlit as st

from kg.app.data import compare_data
from kg.app.plan import picker_ui
from kg.app.state import label, md, set_focus, w
from kg.schema import EDGE_TYPES
from kg.text import edge_reason as why, edge_sentence as sentence, field_text, kind_name


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
        st.session_state.compared = ids[:3]
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
        st.caption(w("compare_all_variants_of"))
        concept_buttons(result.common_parents, "parent")
    if result.closest_common_prerequisites:
        st.caption(w("compare_prereqs", n=result.common_prerequisite_count))
        concept_buttons(result.closest_common_prerequisites, "prereq")
    if not result.common_parents and not result.closest_common_prerequisites:
        st.caption(w("compare_none_shared"))
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
