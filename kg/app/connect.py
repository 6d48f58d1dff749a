"""The Connect tab: how two concepts are linked (kg connect), each link with its reason."""
from __future__ import annotations

import streamlit as st

from kg.app.components import draw
from kg.app.data import concept_ids, connect_data
from kg.app.state import label, md, set_focus, w
from kg.search import picker_label
from kg.text import edge_reason as why, edge_sentence as sentence


def connect_ui(pack, pack_key: str) -> None:
    ids = concept_ids(pack, pack_key)
    lang = st.session_state.lang
    fmt = lambda n: picker_label(pack, n, lang)  # noqa: E731
    if "conn_a" not in st.session_state or st.session_state.conn_a not in pack.graph:
        st.session_state.conn_a = st.session_state.focus
    if "conn_b" not in st.session_state or st.session_state.conn_b not in pack.graph:
        st.session_state.conn_b = next((n for n in ids if n != st.session_state.focus), st.session_state.focus)
    c1, c2 = st.columns(2)
    c1.selectbox(w("from"), ids, format_func=fmt, key="conn_a", persist_state="session",
                 placeholder=w("pick_placeholder"))
    c2.selectbox(w("to"), ids, format_func=fmt, key="conn_b", persist_state="session",
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
        draw(pack_key, "connect", drawing, width=700)
