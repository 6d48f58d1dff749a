"""The Checks tab: every problem of the pack (kg check), one readable entry each."""
from __future__ import annotations

import re

import streamlit as st

from kg.app.state import count, md, w
from kg.problems import count_by_severity


#: Problems listed one by one on the Checks tab (a hostile pack can have thousands; `kg check` lists them all).
MAX_PROBLEMS_SHOWN = 200


def checks_ui(pack, load_error: str) -> None:
    """Every problem of the pack as one readable entry: severity, code, file:line, message and hint in full."""
    if load_error:
        st.error(md(load_error))
        refusal = getattr(load_error, "problem", None)  # a refused zip: its problem record, with the usual fix
        if refusal is not None:
            st.caption(md(refusal.hint_in(st.session_state.lang)))
    if pack is None:
        return
    counts = count_by_severity(pack.problems)
    if not pack.problems:
        st.success(w("checks_clean"))
        return
    st.markdown(", ".join([count(counts["error"], "n_errors"), count(counts["warning"], "n_warnings"),
                           count(counts["info"], "n_notes")]))
    marks = {"error": ":red[**✗**]", "warning": ":orange[**!**]", "info": ":blue[**i**]"}
    lang = st.session_state.lang
    for p in pack.problems[:MAX_PROBLEMS_SHOWN]:
        code = re.sub(r"[^a-z0-9-]", "", p.code)  # a code from kg's own table, shown as code (no escaping inside)
        with st.container(border=True):
            st.markdown(f"{marks.get(p.severity, '')} **{md(w('severity_' + p.severity))}** · `{code}` · "
                        f"{md(p.path)}:{p.line}:{p.col}")
            st.markdown(md(p.message_in(lang)))  # the message quotes the pack: escaped like any pack text
            hint = p.hint_in(lang)
            if hint:
                st.caption(md(hint))
    if len(pack.problems) > MAX_PROBLEMS_SHOWN:
        st.caption(w("problems_more", n=len(pack.problems) - MAX_PROBLEMS_SHOWN))
