"""The Today tab: progress per section, due reviews, the next new concepts (kg today) and Place me (kg diagnose)."""
from __future__ import annotations

import random

import streamlit as st

from kg.app.data import base_placement, concept_ids
from kg.app.profile import progress_store
from kg.app.state import add_known, duration, label, md, set_focus, w
from kg.errors import KgError
from kg.learner import PlacementRun, progress, question_for, save_placement, today
from kg.schema import DEFAULT_MINUTES


def today_ui(pack, pack_key: str) -> None:
    """Today: progress bars per section, the due reviews and the next new concepts (kg today)."""
    state = st.session_state
    if state.get("profile") is None:  # the progress store could not be opened: say why instead of failing
        st.error(w("profile_error", error=md(state.get("_profile_error") or "")))
        return
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
        st.number_input(w("today_minutes"), 5, 240, step=5, key="today_minutes", persist_state="session")
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
        row.selectbox(w("place_target"), list(choices), index=first, key="place_target")
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


def start_placement() -> None:
    # the picker's value now, not when the button was drawn
    target = st.session_state.get("_place_choices", {}).get(st.session_state.get("place_target"))
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
        st.session_state._profile_error = err  # md() says it in the language on screen
        return
    add_known(run.estimate)
    st.session_state.placement = None
