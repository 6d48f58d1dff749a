"""The Checks tab: every problem of the pack (kg check), one readable entry each."""
from __future__ import annotations

import re

import streamlit as st

from kg.app.state import count, md, w
from kg.text import PROBLEMS_ZH
from kg.problems import count_by_severity


#: Problems listed one by one on the Checks tab (a hostile pack can have thousands; `kg check` lists them all).
MAX_PROBLEMS_SHOWN = 200


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
