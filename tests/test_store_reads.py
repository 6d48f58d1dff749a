"""Plan commands read a SQLite progress file with the standard library's sqlite3 (read-only), not SQLAlchemy:
the same answers as SQLAlchemy on the same file, the same refusals of bad files, and no SQLAlchemy import."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.learner import known_ids, orphans, target_ids
from kg.pack import load_pack
from kg.store import LAYOUT, READS, SCHEMA_VERSION, STATES, Answer, Store, StoreError
from kgtest import damage_a_store_page
from learner_packs import chain, concept, write_pack

ROOT = Path(__file__).resolve().parents[1]
CONCEPTS = [f"c{i:02d}" for i in range(12)] + ["extra", "retired-one", "gone-two"]  # the last two: not in the pack
PROFILES = ["default", "ada", "学习者 2", "o'brien \"quoted\""]


def both(path: Path) -> tuple[Store, Store]:
    """The same file through sqlite3 (a store that never wrote) and through SQLAlchemy."""
    return Store(str(path)), Store(str(path), sqlite_reads=False)


def everything(store: Store, profile: str) -> dict:
    export = store.export(profile)
    export.pop("exported_at")
    return {"export": export, "known": store.known(profile), "answers of c01": store.answers(profile, "c01"),
            "orphans": store.orphans(profile, CONCEPTS[:13]), "profiles": store.profiles()}


@st.composite
def histories(draw):
    """A sequence of writes on several profiles: marks (each state, re-marked), targets added and removed,
    answers, cards and review items."""
    concepts = st.sampled_from(CONCEPTS)
    profiles = st.sampled_from(PROFILES)
    step = st.one_of(
        st.tuples(st.just("mark"), profiles, st.lists(concepts, min_size=1, max_size=5), st.sampled_from(STATES)),
        st.tuples(st.just("target"), profiles, st.lists(concepts, min_size=1, max_size=3)),
        st.tuples(st.just("untarget"), profiles, st.lists(concepts, min_size=1, max_size=2)),
        st.tuples(st.just("answer"), profiles, concepts, st.booleans(), st.sampled_from(["quiz", "review", "diagnose"])),
        st.tuples(st.just("card"), profiles, concepts, st.integers(1, 40)),
        st.tuples(st.just("review"), profiles, st.text(min_size=1, max_size=12), st.text(max_size=30)),
    )
    return draw(st.lists(step, min_size=1, max_size=25))


def replay(store: Store, history) -> None:
    for number, (kind, profile, *rest) in enumerate(history):
        if kind == "mark":
            store.mark(profile, rest[0], rest[1], at=f"2026-01-{1 + number % 28:02d}T00:00:00+00:00")
        elif kind == "target":
            store.add_targets(profile, rest[0])
        elif kind == "untarget":
            store.remove_targets(profile, rest[0])
        elif kind == "answer":
            store.record_answers(profile, [Answer(rest[0], f"q{number}", rest[1], f"2026-02-01T00:00:{number % 60:02d}+00:00", rest[2])])
        elif kind == "card":
            store.save_cards(profile, {rest[0]: ({"state": 2, "stability": rest[1] / 4}, f"2026-03-{rest[1] % 28 + 1:02d}", "")})
        else:
            store.save_review_items(profile, add=[{"id": rest[0], "prompt": rest[1]}])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories())
def test_sqlite3_and_sqlalchemy_read_the_same_profiles(history):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress.db"
        writer = Store(str(path))
        replay(writer, history)
        writer.close()
        fast, slow = both(path)
        for profile in PROFILES + ["nobody"]:
            assert everything(fast, profile) == everything(slow, profile), profile
        assert fast._reader is not None and fast._engine is None, "the fast store must not have used SQLAlchemy"
        assert slow._reader is None and slow._engine is not None
        fast.close()
        slow.close()


def test_plans_see_the_same_profile_either_way(tmp_path):
    pack = load_pack(write_pack(tmp_path / "pack", chain(12) + [concept("extra", ["c03"], section="9")]))
    path = tmp_path / "progress.db"
    writer = Store(str(path))
    writer.mark("ada", ["c00", "c01", "retired-one"], "known")
    writer.mark("ada", ["c02"], "skipped")
    writer.mark("ada", ["c03"], "learning")
    writer.add_targets("ada", ["extra", "c09", "gone-two"])
    writer.close()
    fast, slow = both(path)
    for store in (fast, slow):
        assert known_ids(pack, store, "ada") == ["c00", "c01", "c02"]
        assert target_ids(pack, store, "ada") == ["extra", "c09"]
        assert orphans(pack, store, "ada") == ["gone-two", "retired-one"]
    assert fast._engine is None


def test_every_read_names_columns_of_the_one_layout():
    for name, read in READS.items():
        columns = {column.name for column in LAYOUT[read.table]}
        assert set(read.columns) | set(read.order) <= columns, name
    with pytest.raises(ValueError, match="no column"):
        READS["states"].sql(["no_such_column"])


def test_a_store_that_writes_reads_through_sqlalchemy_afterwards(tmp_path):
    path = tmp_path / "progress.db"
    Store(str(path)).mark("ada", ["c00"], "known")
    store = Store(str(path))
    assert store.known("ada") == {"c00"} and store._reader is not None
    store.mark("ada", ["c01"], "known")  # the reader is closed: reads now see the engine's writes
    assert store._reader is None and store.known("ada") == {"c00", "c01"}
    store.close()


def test_one_store_serves_reads_from_several_threads(tmp_path):
    """The app shares one store between its sessions' threads."""
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "progress.db"
    Store(str(path)).mark("ada", ["c00"], "known")
    store = Store(str(path))
    assert store.known("ada") == {"c00"}  # the reader is made in this thread
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda _: store.known("ada"), range(40))) == [{"c00"}] * 40
        writes = [pool.submit(store.mark, "ada", [f"c{i:02d}"], "known") for i in range(1, 4)]
        reads = [pool.submit(store.known, "ada") for _ in range(20)]
        for future in writes + reads:
            future.result()
    assert store.known("ada") == {"c00", "c01", "c02", "c03"} and store._reader is None
    store.close()


def test_reading_opens_the_file_read_only(tmp_path):
    path = tmp_path / "progress.db"
    Store(str(path)).mark("ada", ["c00"], "known")
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        store = Store(str(path))
        assert store.known("ada") == {"c00"}
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store._reader._connection.execute("DELETE FROM concept_states")
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before


# ---------------------------------------------------------------- bad files: the same refusal either way


def _newer(path: Path) -> None:
    Store(str(path)).mark("ada", ["c00"], "known")
    with sqlite3.connect(path) as connection:
        connection.execute(f"UPDATE kg_schema SET version = {SCHEMA_VERSION + 1}")


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")


def _two_versions(path: Path) -> None:
    Store(str(path)).mark("ada", ["c00"], "known")
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO kg_schema (version) VALUES (1)")


BAD = {
    "text": lambda path: path.write_bytes(b"this is not a database at all\n" * 10),
    "sqlite header, garbage": lambda path: path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000),
    "truncated": lambda path: path.write_bytes(b"SQLite format 3\x00" + b"\x10\x00\x01\x01"),
    "not kg's": _foreign,
    "newer kg": _newer,
    "two version records": _two_versions,
    "damaged page": damage_a_store_page,
    "a folder": lambda path: path.mkdir(),
}
MESSAGES = {"not kg's": "not a kg progress database", "newer kg": "newer kg", "two version records": "damaged",
            "damaged page": "cannot be used", "a folder": "not a regular file"}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_the_same_clear_error_either_way(tmp_path, case):
    path = tmp_path / "progress.db"
    BAD[case](path)
    before = path.read_bytes() if path.is_file() else None
    messages = []
    for store in both(path):
        with pytest.raises(StoreError) as info:
            store.known("ada")
        messages.append(str(info.value))
        if before is not None and store._sqlite_reads:  # read-only: not a byte changed (SQLAlchemy's path sets WAL mode)
            assert path.read_bytes() == before
    assert messages[0] == messages[1]
    assert MESSAGES.get(case, "") in messages[0]
    assert str(path) in messages[0]
    if case in ZH_MESSAGES:  # what the app shows in 中文 mode: the same refusal in Chinese
        said = info.value.message_in("zh")
        assert ZH_MESSAGES[case] in said and str(path) in said and not re.search(r"[a-z]{4,}", re.sub(r"\S*progress\.db", "", said)), said


#: The refusals of files that are not kg's progress database, as the app says them in 中文 mode.
ZH_MESSAGES = {"text": "不是 SQLite 数据库", "not kg's": "不是 kg 的学习进度数据库", "newer kg": "更新版本的 kg",
               "two version records": "版本记录已损坏", "a folder": "不是普通文件"}


@pytest.mark.parametrize("case", sorted(BAD))
def test_kg_order_on_a_bad_file_prints_one_line_not_a_traceback(tmp_path, capsys, case):
    pack = str(write_pack(tmp_path / "pack", chain(5)))
    path = tmp_path / "progress.db"
    BAD[case](path)
    for command in (["order", "c04"], ["next"]):
        code = main([*command, "--graph", pack, "--db", str(path), "--no-cache"])
        out, err = capsys.readouterr()
        assert code == 2 and not out, (command, out)
        assert err.startswith("kg: ") and "internal error" not in err and "Traceback" not in err, err
        assert MESSAGES.get(case, str(path)) in err


# ---------------------------------------------------------------- no SQLAlchemy import


def test_kg_order_and_next_with_a_progress_database_do_not_import_sqlalchemy(tmp_path):
    pack = str(write_pack(tmp_path / "pack", chain(8)))
    home = tmp_path / "home"
    store = Store(str(home / "progress.db"))
    store.mark("default", ["c00", "c01"], "known")
    store.mark("default", ["c02"], "skipped")
    store.add_targets("default", ["c05"])
    store.close()
    script = ("import contextlib, io, json, sys\n"
              "from kg.cli import main\n"
              "outputs = {}\n"
              "for command in (['order'], ['next'], ['targets', 'list']):\n"
              "    with contextlib.redirect_stdout(io.StringIO()) as out:\n"
              f"        assert main([*command, '--graph', {pack!r}, '--json']) == 0\n"
              "    outputs[command[0]] = json.loads(out.getvalue())\n"
              "outputs['sqlalchemy'] = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy')\n"
              "print(json.dumps(outputs))\n")
    env = {**os.environ, "KG_HOME": str(home), "KG_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("KG_DB", None)
    env.pop("KG_PROFILE", None)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    outputs = json.loads(result.stdout)
    assert outputs["sqlalchemy"] == [], "SQLAlchemy was imported"
    assert [step["id"] for step in outputs["order"]["steps"]] == ["c03", "c04", "c05"]  # the profile was read
    assert outputs["next"][0] == "c03" and outputs["targets"]["targets"] == ["c05"]


def test_the_benchmarks_learner_has_progress_that_kg_order_reads(tmp_path):
    """``python -m kg.bench --process`` times kg order with this database (the times are the benchmark's, not asserted)."""
    from kg.bench import progress_home
    from kg.queries import study_order

    home = progress_home(tmp_path / "home")
    store = Store(str(home / "progress.db"))
    pack = load_pack()
    known = known_ids(pack, store, "default")
    assert known and target_ids(pack, store, "default")[0] == "transformer"
    assert len(study_order(pack, ["transformer"], known).steps) < len(study_order(pack, ["transformer"], []).steps)
    assert store._engine is None
