"""The sidebar: language, profile, pack, upload, search and every export format."""
from __future__ import annotations

import functools
import re

import streamlit as st

from kg.app.components import prefs_component
from kg.app.data import MAX_UPLOAD_BYTES, export_bytes, export_nodes
from kg.app.profile import profile_ui
from kg.app.state import EXPORT_SCOPES, remember_language, count, label, md, set_focus, w
from kg.errors import KgError
from kg.export import EXPORTERS, FORMATS
from kg.problems import count_by_severity
from kg.search import search
from kg.text import LANGS, names, word


def sidebar_ui(pack, pack_key: str, source: str, upload_error: str) -> None:
    """Language, pack, upload and search: the choices land in session state."""
    with st.sidebar:
        st.radio(word("language", "en"), list(LANGS), format_func=LANGS.get, horizontal=True,
                 key="lang", persist_state="session", on_change=remember_language)
        if pack is not None and st.session_state.get("profile") is not None:
            profile_ui(pack)
        elif st.session_state.get("_profile_error") is not None:  # no profile: the store could not be opened, and why
            st.error(w("profile_error", error=md(st.session_state._profile_error)))
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
        query = st.text_input(w("search"), key="query", persist_state="session", help=w("search_help"), placeholder=w("search_placeholder"))
        if query.strip():
            hits = search(pack, query, limit=8)
            if not hits:
                st.caption(w("no_hits"))
            for hit in hits:
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
        st.radio(w("export_scope"), EXPORT_SCOPES, format_func=names.get, key="export_scope",
                 persist_state="session")
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
            export_button(pack, pack_key, fmt, scope, w(f"format_{fmt}"), key=f"export-{fmt}")
