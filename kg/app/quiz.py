"""The Quiz tab: questions from the graph's edges and interview questions (kg quiz), graded, with a review list."""
from __future__ import annotations

import hashlib
import json

import streamlit as st

from kg.app.data import concept_ids, quiz_data
from kg.app.state import label, md, w
from kg.errors import KgError
from kg.quiz import grade, merge_review, score
from kg.search import picker_label


MAX_QUIZ = 50


def quiz_ui(pack, pack_key: str) -> None:
    """A quiz from the graph's edges and interview questions (kg.quiz), in the interface's language."""
    state = st.session_state
    retry = tuple(state.quiz_retry) if state.quiz_retry is not None else None
    if retry is None:
        quiz_settings_ui(pack, pack_key)
    else:
        st.info(w("quiz_retrying", n=len(retry)))
        st.button(w("quiz_back"), key="quiz-back", on_click=lambda: state.update(quiz_retry=None))
    topic, count, seed = state.quiz_topic, int(state.quiz_count), int(state.quiz_seed)
    try:
        questions = quiz_data(pack, pack_key, topic, count, seed, state.lang, retry)
    except KgError as err:  # e.g. a cycle in a broken pack: no study order for the topic
        st.error(w("query_error", error=md(err)))
        questions = []
    token = hashlib.sha256(repr((pack_key, topic, count, seed, state.lang, retry)).encode()).hexdigest()[:12]
    if not questions:
        st.info(w("quiz_none"))
    else:
        responses = state.quiz_checked.get(token)
        for number, question in enumerate(questions, 1):
            with st.container(border=True):
                question_ui(question, number, f"quiz-{token}-{number - 1}",
                            responses[number - 1] if responses is not None else _UNCHECKED)
        if responses is None:
            st.button(w("quiz_check"), key="quiz-check", type="primary", on_click=check_quiz, args=(questions, token))
        else:
            summary = score(grade(q, r) for q, r in zip(questions, responses))
            (st.success if summary["correct"] == summary["total"] else st.warning)(w("quiz_score", **summary))
            st.button(w("quiz_new"), key="quiz-new-after", on_click=new_quiz, type="primary")
    st.divider()
    review_ui()


def quiz_settings_ui(pack, pack_key: str) -> None:
    """Topic (any concept, one concept, or the focus), number of questions and seed."""
    ids = concept_ids(pack, pack_key)
    c1, c2, c4 = st.columns([4, 1, 1], vertical_alignment="bottom")
    lang, anything = st.session_state.lang, w("quiz_any")  # bound now: format_func may run outside the script
    c1.selectbox(w("quiz_topic"), ["", *ids], format_func=lambda n: picker_label(pack, n, lang) if n else anything,
                 key="quiz_topic", persist_state="session",
                 placeholder=w("pick_placeholder"))
    c2.number_input(w("quiz_count"), 1, MAX_QUIZ, step=1, key="quiz_count", persist_state="session")
    c4.button(w("quiz_new"), key="quiz-new", on_click=new_quiz, width="stretch")
    # The seed is a tool for teachers who want the same quiz twice, not something a learner needs to see.
    if st.toggle(w("advanced"), key="advanced", persist_state="session"):
        st.number_input(w("quiz_seed"), 0, 2**31 - 1, step=1, help=w("quiz_seed_help"), key="quiz_seed",
                        persist_state="session")
    focus = st.session_state.focus
    if focus and focus != st.session_state.quiz_topic:
        st.button(w("quiz_use_focus", name=md(label(pack, focus))), key="quiz-focus", on_click=use_focus_as_topic, args=(focus,))


_UNCHECKED = object()  # the response of a question whose quiz is not checked yet


def question_ui(question, number: int, key: str, response) -> None:
    """One question: a choice of options, or an interview question to reveal and grade yourself.
    ``response`` is the graded answer once the quiz is checked (the widgets are then locked)."""
    checked = response is not _UNCHECKED
    prompt = f"**{number}\\.** {md(question.prompt)}"
    st.markdown(prompt)
    if question.kind == "choice":
        st.radio(prompt, list(range(len(question.options))), index=None, key=key, label_visibility="collapsed",
                 format_func=lambda i, options=question.options: md(options[i]), disabled=checked)
    else:
        st.caption(w("quiz_interview"))
        with st.expander(w("quiz_reveal"), expanded=checked):
            st.markdown(md(question.answer_text))
        st.radio(w("quiz_self"), [True, False], index=None, key=key, horizontal=True, disabled=checked,
                 format_func=lambda knew, yes=w("quiz_knew"), no=w("quiz_missed"): yes if knew else no)
    if checked:
        result = grade(question, response)
        if result.correct:
            st.markdown(f":green[**✓**] {w('quiz_right')}")
        elif question.kind == "choice":
            word_key = "quiz_skipped" if result.skipped else "quiz_wrong"
            st.markdown(f":red[**✗**] {w(word_key, answer=md(question.answer_text))}")
        else:
            st.markdown(f":red[**✗**] {w('quiz_to_review')}")
        if question.explanation:
            st.caption(md(question.explanation))


def review_ui() -> None:
    """The review list: wrong and unanswered questions; download it (``kg quiz --retry FILE`` reads it) or retry it."""
    review = st.session_state.quiz_review
    st.markdown(f"**{w('quiz_review', n=len(review))}**")
    if not review:
        st.caption(w("quiz_review_empty"))
        return
    st.caption(w("quiz_review_help"))
    lines = []
    for item in review:
        answer = item.get("correct_answer") if item.get("kind") == "choice" else ""
        lines.append(f"- {md(item.get('prompt'))}" + (f" → {md(answer)}" if answer else ""))
    st.markdown("\n".join(lines))
    payload = json.dumps({"format": "kg-review", "version": 1, "items": review}, ensure_ascii=False, indent=1)
    c1, c2, c3 = st.columns(3)
    c1.download_button(w("quiz_review_down"), payload.encode("utf-8"), file_name="kg-review.json", mime="application/json",
                       key="quiz-review-download", on_click="ignore", width="stretch")
    c2.button(w("quiz_retry"), key="quiz-retry", on_click=retry_review, width="stretch")
    c3.button(w("quiz_clear"), key="quiz-clear", on_click=lambda: st.session_state.update(quiz_review=[]), width="stretch")


def new_quiz() -> None:
    st.session_state.quiz_seed = int(st.session_state.quiz_seed) + 1
    st.session_state.quiz_retry = None


def use_focus_as_topic(focus: str) -> None:
    st.session_state.quiz_topic = focus


def retry_review() -> None:
    st.session_state.quiz_retry = [item["id"] for item in st.session_state.quiz_review]


def check_quiz(questions: list, token: str) -> None:
    """Grade the answers given (kg.quiz.grade); wrong and unanswered ones join the review list, right ones leave it."""
    responses = [st.session_state.get(f"quiz-{token}-{i}") for i in range(len(questions))]
    st.session_state.quiz_checked = {**st.session_state.quiz_checked, token: responses}
    results = [grade(q, r) for q, r in zip(questions, responses)]
    st.session_state.quiz_review = merge_review(st.session_state.quiz_review, results)  # the merge kg quiz --review does
