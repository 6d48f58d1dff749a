"""The Study plan tab: targets and known concepts, the plan (kg order) and what can be learnt next (kg next)."""
from __future__ import annotations

import json

import streamlit as st

from kg.app.components import draw
from kg.app.data import concept_ids, plan_data, unlock_counts
from kg.app.sidebar import export_button
from kg.app.state import add_known, add_target, count, duration, label, md, open_checks, set_focus, w
from kg.errors import InputFileError, KgError
from kg.queries import fringe
from kg.schema import ID_PATTERN
from kg.search import picker_label
from kg.text import edge_sentence as sentence


MAX_KNOWN_BYTES = 256 * 1024


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
        draw(pack_key, "plan", drawing, width=1200)  # the whole width, first steps at the top: every step's name has room
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


def picker_ui(pack, pack_key: str, model: str, title: str) -> None:
    """Pick concepts one at a time: a box that matches English and Chinese names and aliases (Enter takes the
    one best match, never all of them), and the picked concepts as chips that a click removes."""
    lang = st.session_state.lang
    ids = concept_ids(pack, pack_key)
    key = f"pick_{model}"
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
        st.session_state[model] = list(dict.fromkeys([*st.session_state[model], node]))
    st.session_state[key] = None  # ready for the next concept


def unpick(model: str, node: str) -> None:
    st.session_state[model] = [n for n in st.session_state[model] if n != node]


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


def load_known_file(pack) -> None:
    """Callback of the known-concepts uploader: merge the ids it lists (only ids of this pack)."""
    uploaded = st.session_state.get("known_file")
    if uploaded is None:
        return
    try:
        if uploaded.size > MAX_KNOWN_BYTES:
            raise InputFileError(key="error_known_too_large", kb=MAX_KNOWN_BYTES // 1024)
        try:
            data = json.loads(uploaded.getvalue().decode("utf-8-sig"))  # a byte-order mark is fine
        except (ValueError, RecursionError):  # also UnicodeDecodeError; Python's own words would be English
            raise InputFileError(key="error_known_not_json") from None
        names = data.get("known") if isinstance(data, dict) else data
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise InputFileError(key="error_known_shape")
        ids = [n for n in names if ID_PATTERN.match(n) and n in pack.graph]
        st.session_state.known = list(dict.fromkeys([*st.session_state.known, *ids]))
        st.session_state._known_message = ("ok", w("known_loaded", n=len(ids)))
    except InputFileError as err:
        st.session_state._known_message = ("error", w("known_bad", error=md(err)))


def next_concepts(pack, pack_key: str, known: list[str], steps: list[str]) -> list[str]:
    """What to learn next: concepts whose prerequisites are all known, the plan's own first (in plan order),
    then the rest by how much each opens up, so a beginner starts at the foundations."""
    ready = fringe(pack, known)
    in_plan = {n: i for i, n in enumerate(steps)}
    unlocks = unlock_counts(pack, pack_key)
    return sorted(ready, key=lambda n: (in_plan.get(n, len(in_plan)), -unlocks.get(n, 0), pack.order_key(n)))
