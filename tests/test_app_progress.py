"""The app remembers: marks, targets and the quiz's review list go to the same progress store as the
command's, and come back in a new session; the Today tab; a profile behind an authenticating proxy."""
from __future__ import annotations

import pytest
from kgtest import ROOT
from streamlit.testing.v1 import AppTest

from kg.store import Store

APP = str(ROOT / "app.py")


@pytest.fixture()
def db(tmp_path, monkeypatch):
    path = tmp_path / "progress.db"
    monkeypatch.setenv("KG_DB", f"sqlite:///{path}")
    return path


def app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_i_know_this_skip_and_add_to_plan_are_saved_and_come_back(small_dir, db):
    at = ok(app(focus="relu"))
    assert at.session_state.profile == "default"
    next(b for b in at.button if b.key == "focus-know").click()
    at = ok(at.run())
    next(b for b in at.button if b.key == "focus-target").click()
    at = ok(at.run())
    store = Store(str(db))
    assert store.states("default")["relu"][0] == "known"
    assert store.targets("default") == ["relu"]
    again = ok(app(focus="attention"))  # a new session: progress comes from the store
    assert "relu" in again.session_state.known and again.session_state.targets == ["relu"]
    next(b for b in again.button if b.key == "focus-skip").click()
    again = ok(again.run())
    assert Store(str(db)).states("default")["attention"][0] == "skipped"


def test_the_quiz_review_list_persists(small_dir, db):
    Store(str(db)).save_review_items("default", add=[{"id": "question:relu:1", "kind": "recall", "prompt": "Why ReLU?",
                                                      "concept": "relu"}])
    at = ok(app(tab="quiz"))
    assert [item["id"] for item in at.session_state.quiz_review] == ["question:relu:1"]
    next(b for b in at.button if b.key == "quiz-clear").click()
    at = ok(at.run())
    assert Store(str(db)).review_items("default") == []


def test_profiles_are_separate_and_the_today_tab_shows_progress(small_dir, db):
    Store(str(db)).mark("ada", ["relu"], "known")
    Store(str(db)).add_targets("ada", ["attention"])
    at = ok(app(tab="today"))
    assert at.session_state.known == []
    at.sidebar.selectbox(key="profile_choice").select("ada")
    at = ok(at.run())
    assert at.session_state.profile == "ada" and at.session_state.known == ["relu"]
    body = "\n".join(m.value for m in at.markdown) + "\n".join(p.proto.text for p in at.get("progress"))
    assert "Next new concepts" in body and "Overall" in body


def test_behind_a_proxy_the_signed_in_user_is_the_profile(small_dir, db, monkeypatch):
    monkeypatch.setenv("KG_USER_HEADER", "X-Kg-User")
    at = ok(app())
    assert any("signed-in user" in e.value for e in at.error)  # no header: nobody's progress is shown
    assert at.session_state.get("profile") is None


def test_place_me_asks_adaptively_and_saves_only_a_confirmed_estimate(db, monkeypatch):
    """Place me, every answer right: at most 15 questions, and the estimate is saved only on confirmation."""
    import random

    from kg import load_pack
    from kg.learner import question_for

    monkeypatch.delenv("KG_GRAPH", raising=False)
    pack = load_pack()
    at = ok(app(tab="today"))
    picker = at.selectbox(key="place_target")
    picker.select_index(picker.options.index("Adam"))  # options are shown by name
    next(b for b in at.button if b.key == "place-start").click()
    at = ok(at.run())
    assert at.session_state.placement["target"] == "adam"
    asked = 0
    while not any(b.key == "place-save" for b in at.button):
        choice = [r for r in at.radio if r.key and r.key.startswith("place-choice-")]
        if choice:  # answer right: the option the posed question marks correct
            posed = question_for(pack, _next_concept(at), random.Random(asked * 7919 + 17), "en")
            choice[0].set_value(choice[0].options[posed.answer])
            at = ok(at.run())
            next(b for b in at.button if b.key.startswith("place-answer-")).click()
        else:
            next(b for b in at.button if b.key.startswith("place-knew-")).click()
        at = ok(at.run())
        asked += 1
        assert asked <= 15, "placement asks at most 15 questions"
    answers = at.session_state.placement["answers"]
    assert len(answers) == asked and all(correct for _, correct in answers)
    assert len({concept for concept, _ in answers}) == asked, "no concept is asked twice"
    assert Store(str(db)).states("default") == {}, "nothing is saved before the learner confirms"
    next(b for b in at.button if b.key == "place-save").click()
    at = ok(at.run())
    states = Store(str(db)).states("default")
    assert states["adam"][0] == "known" and states["sgd"][0] == "known"
    assert at.session_state.placement is None and "sgd" in at.session_state.known


def _next_concept(at: AppTest) -> str:
    """The concept Place me is asking about now, computed as the app computes it."""
    from kg import load_pack
    from kg.diagnose import Placement

    run = at.session_state.placement
    placement = Placement.for_target(load_pack(), run["target"])
    for concept, correct in run["answers"]:
        placement.answer(concept, correct)
    return placement.next_concept()


def test_a_progress_store_that_cannot_be_opened_is_said_not_crashed_on(small_dir, db):
    db.write_text("not a database")
    for tab in ("explore", "today"):
        at = ok(app(tab=tab, lang="zh"))
        errors = [e.value for e in at.error]
        assert errors and all(e.startswith("无法读取或保存你的进度:") for e in errors), errors
        assert not any("AttributeError" in e or "请报告此问题" in e for e in errors), errors  # not the app's internal-error line
    assert db.read_text() == "not a database"  # left untouched
