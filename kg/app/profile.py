"""The learner's profile (kg.store, kg.learner).

Progress lives in the same store as the command's (kg.store: SQLite in the data folder, or $KG_DB).
The session's known concepts, targets and quiz review list are loaded from the profile when it is
chosen and written back at the end of every run, so nothing waits for a button.
"""
from __future__ import annotations

import os

import streamlit as st

from kg.app.data import store_at
from kg.app.state import add_known, md, w
from kg.errors import KgError
from kg.learner import known_ids, profile_name, target_ids
from kg.store import check_profile, default_url


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
        st.session_state._profile_error = err  # md() says it in the language on screen
        return
    st.session_state.profile = profile
    st.session_state.known = known
    if targets or not st.session_state.targets:  # a shared link's plan stays on screen for a profile without targets
        st.session_state.targets = targets
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
    load_profile(pack, st.session_state.profile_choice)


def new_profile(pack) -> None:
    name = (st.session_state.get("new_profile_name") or "").strip()
    st.session_state.new_profile_name = ""
    if name:
        try:
            check_profile(name)
        except KgError as err:
            st.session_state._profile_error = err  # md() says it in the language on screen
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
    st.session_state.profile_choice = st.session_state.profile  # the profile on screen, also after a failed switch
    st.selectbox(w("profile"), profiles, key="profile_choice", on_change=choose_profile, args=(pack,))
    st.text_input(w("profile_new"), key="new_profile_name", on_change=new_profile, args=(pack,), placeholder=w("profile_new_hint"))
    error = st.session_state.pop("_profile_error", None)
    if error:
        st.error(w("profile_error", error=md(error)))


def mark_skipped(node: str) -> None:
    """"Skip": the concept counts as done for plans, and the store remembers it was skipped, not known."""
    try:
        progress_store().mark(st.session_state.profile, [node], "skipped")
    except KgError as err:
        st.session_state._profile_error = err  # md() says it in the language on screen
        return
    add_known([node])
    st.session_state._saved["known"].append(node)  # already stored as skipped: do not overwrite it with known
