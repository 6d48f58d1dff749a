"""The learner's commands: mark, targets, progress, diagnose, today, review, and plans/next/quiz using
the profile (--profile, --db, --fresh). Every run is a fresh process state: what survives is in the store."""
from __future__ import annotations

import json

import pytest

from kg.cli import main
from kg.store import Store
from learner_packs import chain, concept, write_pack


@pytest.fixture
def pack(tmp_path):
    concepts = chain(12) + [concept("extra", ["c03"], section="9", questions=2)]
    return str(write_pack(tmp_path / "pack", concepts))


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "progress.db")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_marks_and_targets_survive_between_runs_and_feed_order_and_next(capsys, pack, db):
    base = ["--graph", pack, "--db", db, "--profile", "ada"]
    code, out, err = run(capsys, "mark", "c00", "C01", "--as", "known", *base)
    assert code == 0 and "c01" in out
    assert run(capsys, "targets", "add", "c04", *base)[0] == 0
    code, out, _ = run(capsys, "targets", *base, "--json")
    assert json.loads(out)["targets"] == ["c04"]
    code, out, _ = run(capsys, "order", *base, "--json")
    assert code == 0 and [s["id"] for s in json.loads(out)["steps"]] == ["c02", "c03", "c04"]
    code, out, _ = run(capsys, "order", "c04", *base, "--fresh", "--json")
    assert [s["id"] for s in json.loads(out)["steps"]][0] == "c00"
    code, out, _ = run(capsys, "next", *base, "--json")
    assert json.loads(out)[0] == "c02"
    # another profile sees none of it
    code, out, _ = run(capsys, "next", "--graph", pack, "--db", db, "--profile", "bob", "--json")
    assert json.loads(out)[0] == "c00"
    assert run(capsys, "targets", "remove", "c04", *base)[0] == 0
    assert Store(db).targets("ada") == []


def test_order_without_targets_says_how_to_set_them(capsys, pack, db):
    code, out, err = run(capsys, "order", "--graph", pack, "--db", db)
    assert code == 2 and "targets add" in err


def test_progress_bars_json_export_and_import(capsys, pack, db, tmp_path):
    base = ["--graph", pack, "--db", db]
    run(capsys, "mark", "c00", "c01", "extra", "--as", "known", *base)
    Store(db).mark("default", ["retired-concept"], "known")
    code, out, err = run(capsys, "progress", *base)
    assert code == 0 and "█" in out and "3/13" in out and "retired-concept" in err
    code, out, _ = run(capsys, "progress", *base, "--json")
    report = json.loads(out)
    assert report["overall"]["known"] == 3 and report["orphans"] == ["retired-concept"]
    exported = tmp_path / "mine.json"
    assert run(capsys, "progress", *base, "--export", exported)[0] == 0
    code, out, err = run(capsys, "progress", "--graph", pack, "--db", db, "--profile", "copy", "--import", exported, "--json")
    assert code == 0 and json.loads(out)["overall"]["known"] == 3
    bad = tmp_path / "bad.json"
    bad.write_text('{"known": ["<script>"]}')
    code, out, err = run(capsys, "progress", *base, "--import", bad)
    assert code == 2 and "not a concept id" in err
    app_file = tmp_path / "kg-known.json"
    app_file.write_text(json.dumps({"format": "kg-known", "version": 1, "known": ["c05"]}))
    code, out, _ = run(capsys, "progress", *base, "--import", app_file, "--json")
    assert json.loads(out)["overall"]["known"] == 4


def test_a_corrupt_database_is_a_clear_error_and_is_left_alone(capsys, pack, tmp_path):
    broken = tmp_path / "progress.db"
    broken.write_bytes(b"not a database" * 100)
    code, out, err = run(capsys, "mark", "c00", "--as", "known", "--graph", pack, "--db", broken)
    assert code == 2 and "not an SQLite database" in err and "Traceback" not in err
    code, out, err = run(capsys, "order", "c03", "--graph", pack, "--db", broken)
    assert code == 2
    assert broken.read_bytes() == b"not a database" * 100


def test_diagnose_asks_then_saves_only_when_confirmed(capsys, pack, db):
    base = ["--graph", pack, "--db", db]
    code, out, _ = run(capsys, "diagnose", "c11", *base, "--answers", ",".join(["1"] * 15), "--json")
    assert code == 0
    result = json.loads(out)
    assert 1 <= len(result["asked"]) <= 15 and result["saved"] is False
    assert Store(db).known("default") == set()
    code, out, err = run(capsys, "diagnose", "c11", *base, "--answers", ",".join(["1"] * 15), "--save")
    assert code == 0 and "saved" in err
    assert len(Store(db).answers("default")) >= 1


def test_diagnose_simulation_reports_accuracy_and_questions(capsys, pack):
    code, out, _ = run(capsys, "diagnose", "c11", "--graph", pack, "--simulate", "10", "--json")
    report = json.loads(out)
    assert code == 0 and report["learners"] == 10 and report["plan_concepts"] == 12
    assert report["questions"]["max"] <= 15 and 0 <= report["accuracy"]["mean"] <= 1
    code, out, _ = run(capsys, "diagnose", "c11", "--graph", pack, "--simulate", "5")
    assert "every concept asked once" in out
    assert run(capsys, "diagnose", "c11", "--graph", pack, "--simulate", "5", "--slip", "0.7")[0] == 2


def test_today_and_a_scripted_review_session(capsys, pack, db, tmp_path):
    base = ["--graph", pack, "--db", db]
    run(capsys, "targets", "add", "c03", *base)
    code, out, _ = run(capsys, "today", *base, "--minutes", "25", "--json")
    assert json.loads(out)["new"] == ["c00", "c01"]
    answers = tmp_path / "answers.txt"
    answers.write_text("y\ny\n")
    code, out, _ = run(capsys, "review", *base, "--minutes", "25", "--answers", answers)
    assert code == 0 and "2 new" in out
    assert set(Store(db).cards("default")) == {"c00", "c01"}
    code, out, _ = run(capsys, "today", *base, "--minutes", "25")
    assert code == 0 and "c02" in out.lower() or "C02" in out


def test_today_simulation(capsys, pack):
    code, out, _ = run(capsys, "today", "--graph", pack, "--simulate", "--days", "10", "--concepts", "12", "--json")
    report = json.loads(out)
    assert code == 0 and report["days"] == 10 and report["plan_concepts"] == 12
    assert set(report) >= {"with_implicit", "without_implicit"}


def test_the_quiz_keeps_answers_and_review_list_in_the_profile(capsys, pack, db):
    base = ["--graph", pack, "--db", db]
    code, out, _ = run(capsys, "quiz", *base, "--count", "3", "--seed", "1", "--answers", ",,")
    assert code == 0
    store = Store(db)
    assert len(store.answers("default")) == 3 and len(store.review_items("default")) == 3
    run(capsys, "quiz", *base, "--count", "3", "--seed", "1", "--answers", ",,", "--fresh")
    assert len(Store(db).answers("default")) == 3  # --fresh leaves the profile alone
