"""The progress store, each test on SQLite and on a real PostgreSQL server (see store_fixtures)."""
from __future__ import annotations

import json
import multiprocessing

import pytest
from sqlalchemy import create_engine

from kg.store import (SCHEMA_VERSION, Answer, ProgressFileError, Store, StoreError, default_url, normalise_url,
                      parse_progress, read_progress_file)
from kgtest import damage_a_store_page
from store_fixtures import postgres_server, store_url  # noqa: F401  (fixtures)


def test_states_targets_answers_cards_and_review_items_round_trip(store_url):
    store = Store(store_url)
    store.mark("ada", ["relu", "adam"], "known", at="2026-01-01T00:00:00+00:00")
    store.mark("ada", ["adam"], "learning")
    store.mark("ada", ["dropout"], "skipped")
    states = store.states("ada")
    assert states["relu"] == ("known", "2026-01-01T00:00:00.000000+00:00")
    assert states["adam"][0] == "learning" and states["adam"][1] > "2026-01-01"
    assert store.known("ada") == {"relu", "dropout"}  # skipped counts as done for plans
    store.add_targets("ada", ["transformer", "lstm"])
    store.add_targets("ada", ["transformer"])
    assert store.targets("ada") == ["transformer", "lstm"]
    assert store.remove_targets("ada", ["lstm"]) == 1
    assert store.targets("ada") == ["transformer"]
    store.record_answers("ada", [Answer("relu", "q1", True, "2026-01-02T00:00:00+00:00"),
                                 Answer("relu", "q2", False, "2026-01-03T00:00:00+00:00", "review")])
    answers = store.answers("ada", "relu")
    assert [(a.question, a.correct, a.source) for a in answers] == [("q1", True, "quiz"), ("q2", False, "review")]
    store.save_cards("ada", {"relu": ({"state": 2, "stability": 3.5}, "2026-02-01T00:00:00+00:00", "")})
    store.save_cards("ada", {"relu": ({"state": 2, "stability": 4.5}, "2026-02-03T00:00:00+00:00", "check")})
    assert store.cards("ada") == {"relu": ({"state": 2, "stability": 4.5}, "2026-02-03T00:00:00.000000+00:00", "check")}
    store.save_review_items("ada", add=[{"id": "q:1", "prompt": "为什么?"}, {"id": "q:2", "prompt": "b"}])
    store.save_review_items("ada", remove=["q:1"])
    assert store.review_items("ada") == [{"id": "q:2", "prompt": "b"}]
    # profiles are separate
    assert store.states("bob") == {} and store.targets("bob") == [] and store.answers("bob") == []
    store.mark("bob", ["relu"], "unknown")
    assert store.profiles() == ["ada", "bob"]
    assert store.states("ada")["relu"][0] == "known"
    assert store.delete_profile("bob") and store.profiles() == ["ada"]
    store.close()


def test_progress_survives_reopening(store_url):
    first = Store(store_url)
    first.mark("ada", ["relu"], "known")
    first.close()
    assert Store(store_url).known("ada") == {"relu"}


def test_bad_values_are_refused(store_url):
    store = Store(store_url)
    with pytest.raises(StoreError, match="state"):
        store.mark("ada", ["relu"], "mastered")
    with pytest.raises(StoreError, match="concept id"):
        store.mark("ada", ["Not An Id"], "known")
    with pytest.raises(StoreError, match="profile"):
        store.mark("", ["relu"], "known")
    with pytest.raises(StoreError, match="profile"):
        store.mark("x" * 65, ["relu"], "known")
    assert store.profiles() == []


def test_reading_a_missing_sqlite_file_creates_nothing(tmp_path):
    path = tmp_path / "sub" / "progress.db"
    store = Store(str(path))
    assert store.known("ada") == set() and store.profiles() == [] and store.cards("ada") == {}
    assert not path.exists() and not path.parent.exists()
    store.mark("ada", ["relu"], "known")
    assert path.exists()


def _make_version_1(url: str) -> None:
    """The layout of the first kg progress store (schema version 1), written with raw SQL."""
    engine = create_engine(normalise_url(url))
    serial = "SERIAL PRIMARY KEY" if engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY AUTOINCREMENT"
    boolean = "BOOLEAN"
    statements = [
        "CREATE TABLE kg_schema (version INTEGER NOT NULL)",
        "INSERT INTO kg_schema (version) VALUES (1)",
        f"CREATE TABLE profiles (id {serial}, name VARCHAR(64) NOT NULL, created_at VARCHAR(40) NOT NULL, "
        "CONSTRAINT uq_profiles_name UNIQUE (name))",
        "CREATE TABLE concept_states (profile_id INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE, "
        "concept VARCHAR(80) NOT NULL, state VARCHAR(16) NOT NULL, changed_at VARCHAR(40) NOT NULL, PRIMARY KEY (profile_id, concept))",
        "CREATE TABLE targets (profile_id INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE, "
        "concept VARCHAR(80) NOT NULL, added_at VARCHAR(40) NOT NULL, PRIMARY KEY (profile_id, concept))",
        f"CREATE TABLE answers (id {serial}, profile_id INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE, "
        f"concept VARCHAR(80) NOT NULL, question VARCHAR(400) NOT NULL, correct {boolean} NOT NULL, answered_at VARCHAR(40) NOT NULL)",
        "INSERT INTO profiles (name, created_at) VALUES ('ada', '2025-06-01T00:00:00+00:00')",
        "INSERT INTO concept_states (profile_id, concept, state, changed_at) VALUES (1, 'relu', 'known', '2025-06-02T00:00:00+00:00')",
        "INSERT INTO targets (profile_id, concept, added_at) VALUES (1, 'transformer', '2025-06-02T00:00:00+00:00')",
        "INSERT INTO answers (profile_id, concept, question, correct, answered_at) VALUES (1, 'relu', 'q', TRUE, '2025-06-03T00:00:00+00:00')",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


def test_a_version_1_database_is_upgraded_in_place_keeping_everything(store_url):
    _make_version_1(store_url)
    store = Store(store_url)
    assert store.states("ada") == {"relu": ("known", "2025-06-02T00:00:00+00:00")}
    assert store.targets("ada") == ["transformer"]
    assert [(a.concept, a.correct, a.source) for a in store.answers("ada")] == [("relu", True, "quiz")]
    store.save_cards("ada", {"relu": ({"state": 2}, "2026-01-01T00:00:00+00:00", "")})  # a version 2 table
    store.record_answers("ada", [Answer("relu", "q2", False, None, "review")])
    store.close()
    engine = create_engine(normalise_url(store_url))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version FROM kg_schema").scalar() == SCHEMA_VERSION
    engine.dispose()


def test_a_database_from_a_newer_kg_is_refused_and_left_alone(store_url):
    Store(store_url).mark("ada", ["relu"], "known")
    engine = create_engine(normalise_url(store_url))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE kg_schema SET version = {SCHEMA_VERSION + 1}")
    engine.dispose()
    with pytest.raises(StoreError, match="newer kg"):
        Store(store_url).known("ada")
    with pytest.raises(StoreError, match="newer kg"):
        Store(store_url).mark("ada", ["adam"], "known")


def test_a_database_that_is_not_kgs_is_refused(store_url):
    engine = create_engine(normalise_url(store_url))
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    engine.dispose()
    with pytest.raises(StoreError, match="not a kg progress database"):
        Store(store_url).mark("ada", ["relu"], "known")


@pytest.mark.parametrize("content", [b"this is not a database at all\n" * 10,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_corrupt_file_is_a_clear_error_and_never_overwritten(tmp_path, content):
    path = tmp_path / "progress.db"
    path.write_bytes(content)
    for action in (lambda s: s.known("ada"), lambda s: s.mark("ada", ["relu"], "known"), lambda s: s.profiles()):
        with pytest.raises(StoreError) as info:
            action(Store(str(path)))
        assert str(path) in str(info.value) or "cannot be used" in str(info.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.db"]


def test_a_damaged_page_is_reported(tmp_path):
    path = tmp_path / "progress.db"
    damage_a_store_page(path)
    damaged = path.read_bytes()
    with pytest.raises(StoreError):
        Store(str(path)).known("ada")
    assert path.read_bytes() == damaged


def _writer(url: str, number: int, count: int) -> None:
    store = Store(url)
    for index in range(count):
        store.record_answers("class", [Answer(f"c{number}", f"q{index}", index % 2 == 0, None)])
        store.mark("class", [f"w{number}-{index}"], "known")
        store.add_targets(f"p{number}", [f"t{index}"])
    store.close()


def test_processes_writing_at_once_lose_nothing(store_url):
    Store(store_url).mark("class", ["start"], "known")  # the schema exists before the race
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_writer, args=(store_url, number, 40)) for number in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    store = Store(store_url)
    assert len(store.answers("class")) == 4 * 40
    assert len(store.known("class")) == 1 + 4 * 40
    assert all(len(store.targets(f"p{n}")) == 40 for n in range(4))


def test_concepts_the_pack_no_longer_has_are_kept_and_reported(store_url):
    store = Store(store_url)
    store.mark("ada", ["relu", "old-concept"], "known")
    store.add_targets("ada", ["retired-target"])
    store.record_answers("ada", [Answer("gone-too", "q", True, None)])
    assert store.orphans("ada", ["relu", "adam"]) == ["gone-too", "old-concept", "retired-target"]
    assert "old-concept" in store.known("ada")


def test_export_then_import_into_another_profile_is_identical(store_url):
    store = Store(store_url)
    store.mark("ada", ["relu"], "known")
    store.mark("ada", ["adam"], "learning")
    store.add_targets("ada", ["transformer"])
    store.record_answers("ada", [Answer("relu", "q1", True, None, "review")])
    from fsrs import Card

    store.save_cards("ada", {"relu": (Card(card_id=1).to_dict(), "2026-02-01T00:00:00+00:00", "")})
    store.save_review_items("ada", add=[{"id": "q:1", "prompt": "p", "correct": False}])
    exported = json.loads(json.dumps(store.export("ada")))
    counts = store.import_data("copy", exported)
    assert counts == {"states": 2, "targets": 1, "answers": 1, "cards": 1, "review": 1}
    copy = store.export("copy")
    for key in ("states", "targets", "answers", "cards", "review"):
        assert copy[key] == exported[key]


def test_importing_the_apps_known_file_and_the_quiz_review_file(store_url, tmp_path):
    store = Store(store_url)
    store.import_data("ada", {"format": "kg-known", "version": 1, "known": ["relu", "adam"]})
    store.import_data("ada", ["dropout"])
    assert store.known("ada") == {"relu", "adam", "dropout"}
    review = {"format": 1, "items": [{"id": "solves:forward:relu>vanishing-gradient", "concept": "vanishing-gradient",
                                      "kind": "choice", "prompt": "Which of these solves Vanishing Gradient?", "correct": False,
                                      "times_wrong": 2}]}
    store.import_data("ada", review)
    store.import_data("ada", {"format": "kg-review", "version": 1, "items": [{"id": "question:relu:1", "concept": "relu"}]})
    assert [item["id"] for item in store.review_items("ada")] == ["solves:forward:relu>vanishing-gradient", "question:relu:1"]


@pytest.mark.parametrize("data, message", [
    ({"known": "relu"}, "must be a list"),
    ({"known": ["relu", 3]}, "not a concept id"),
    ({"known": ["<script>"]}, "not a concept id"),
    ({"format": "kg-known", "known": ["a" * 81]}, "not a concept id"),
    ({"format": "something-else", "known": []}, "unknown progress file format"),
    ({"format": 1, "items": [{"prompt": "no id"}]}, "\"id\""),
    ({"format": 1, "items": [{"id": "x", "nested": {"a": 1}}]}, "must be text"),
    ({"format": "kg-progress", "version": 2}, "version"),
    ({"format": "kg-progress", "version": 1, "states": {"relu": {"state": "mastered"}}}, "states.relu"),
    ({"format": "kg-progress", "version": 1, "answers": [{"concept": "relu", "correct": "yes"}]}, "correct"),
    ({"format": "kg-progress", "version": 1, "answers": [{"concept": "relu", "correct": True, "at": "yesterday"}]}, "ISO 8601"),
    ({"format": "kg-progress", "version": 1, "cards": {"relu": {"card": {"state": "x"}, "due": "2026-01-01"}}}, "scheduler card"),
    ({"format": "kg-progress", "version": 1, "known": ["relu"], "targets": ["relu"] * 200_001}, "more than"),
    ("relu", "JSON object"),
    ({"hello": 1}, "not a kg progress file"),
])
def test_bad_progress_data_imports_nothing(store_url, data, message):
    store = Store(store_url)
    store.mark("ada", ["relu"], "learning")
    with pytest.raises(ProgressFileError, match=message):
        store.import_data("ada", data)
    assert store.states("ada")["relu"][0] == "learning" and len(store.states("ada")) == 1
    assert store.review_items("ada") == [] and store.targets("ada") == []


def test_progress_files_are_read_with_limits(tmp_path, monkeypatch):
    import kg.store

    big = tmp_path / "big.json"
    big.write_text(json.dumps({"known": ["relu"] * 1000}))
    monkeypatch.setattr(kg.store, "MAX_PROGRESS_BYTES", 1000)
    with pytest.raises(ProgressFileError, match="larger than"):
        read_progress_file(big)
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe{")
    with pytest.raises(ProgressFileError, match="UTF-8 JSON"):
        read_progress_file(bad)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100 + "]" * 100)
    with pytest.raises(ProgressFileError):
        parse_progress(read_progress_file(deep))
    with pytest.raises(ProgressFileError, match="not a file"):
        read_progress_file(tmp_path)


def test_where_the_store_lives(tmp_path):
    assert default_url({"KG_HOME": str(tmp_path)}) == f"sqlite:///{tmp_path / 'progress.db'}"
    assert default_url({"KG_DB": "postgresql://u@h/kg", "KG_HOME": str(tmp_path)}) == "postgresql://u@h/kg"
    assert default_url({}).endswith("/progress.db")
    assert normalise_url("postgresql://u@h/kg") == "postgresql+psycopg://u@h/kg"
    assert Store("postgresql://u:secret@h/kg").shown == "postgresql+psycopg://u:***@h/kg"
