"""The progress store: what each learner knows, aims at, answered and must review, in a real database.

SQLAlchemy Core over SQLite by default (``progress.db`` in the user's data folder from platformdirs,
or in ``$KG_HOME``); any other database by URL (``--db URL`` or ``$KG_DB``), PostgreSQL through
psycopg 3 (``postgresql://user@host/db``). kg never stores passwords: a hosted deployment puts
authentication in front of the app and passes the profile name.

Per profile the store keeps the state of each concept (known, skipped, learning, unknown) with when
it changed, the targets, every quiz / review / placement answer, one scheduler card per concept and
the quiz's review list.

>>> import tempfile, os
>>> store = Store(os.path.join(tempfile.mkdtemp(), "p.db"))
>>> store.mark("ada", ["relu", "adam"], "known")
>>> sorted(store.known("ada"))
['adam', 'relu']
>>> store.add_targets("ada", ["transformer"]); store.targets("ada")
['transformer']
>>> store.known("nobody")
set()
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable

from .errors import KgError
from .schema import ID_MAX_LENGTH, ID_PATTERN

#: The layout this kg writes. Version 1 had profiles, concept states, targets and answers;
#: version 2 added the answer's source, scheduler cards and the quiz's review list.
SCHEMA_VERSION = 2
STATES = ("known", "skipped", "learning", "unknown")
#: States a plan treats as done: nothing to study there.
DONE_STATES = frozenset({"known", "skipped"})
SOURCES = ("quiz", "review", "diagnose", "import")
DEFAULT_PROFILE = "default"
PROFILE_MAX_LENGTH = 64
DB_FILE = "progress.db"
SQLITE_BUSY_MS = 30_000
#: Limits for progress files (imports are untrusted input, like packs).
MAX_PROGRESS_BYTES = 20 * 1024 * 1024
MAX_ITEMS = 200_000
MAX_TEXT = 4000


class StoreError(KgError):
    """The progress database cannot be used (unreadable, corrupt, not kg's, or made by a newer kg)."""


class ProgressFileError(KgError):
    """A progress file to import is malformed, too large or holds invalid values; nothing was imported."""


def now() -> str:
    """The current time as kg stores it: ISO 8601, UTC, to the microsecond (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def as_stamp(value: "str | datetime") -> str:
    """A time as kg stores it (see :func:`now`); naive times are taken as UTC.

    >>> as_stamp("2026-01-01T08:00:00+08:00")
    '2026-01-01T00:00:00.000000+00:00'
    """
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        raise StoreError(f"not an ISO 8601 time: {str(value)[:60]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def default_url(environ=os.environ) -> str:
    """``$KG_DB``, else SQLite in ``$KG_HOME``, else SQLite in the user's data folder.

    >>> default_url({"KG_HOME": "/tmp/kgh"})
    'sqlite:////tmp/kgh/progress.db'
    >>> default_url({"KG_DB": "postgresql://class@db/kg", "KG_HOME": "/x"})
    'postgresql://class@db/kg'
    """
    if environ.get("KG_DB"):
        return environ["KG_DB"]
    if environ.get("KG_HOME"):
        folder = Path(environ["KG_HOME"])
    else:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("kg", appauthor=False))
    return f"sqlite:///{(folder / DB_FILE).resolve()}"


def normalise_url(url: str) -> str:
    """A file path means SQLite; ``postgresql://`` means psycopg 3 (the driver kg installs).

    >>> normalise_url("postgresql://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> normalise_url("/tmp/p.db")
    'sqlite:////tmp/p.db'
    """
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def check_profile(name: str) -> str:
    """A profile name: 1 to 64 printable characters, kept as given (stripped)."""
    text = (name or "").strip()
    if not text or len(text) > PROFILE_MAX_LENGTH or not text.isprintable():
        raise StoreError(key="error_profile_name", limit=PROFILE_MAX_LENGTH, name=repr(name))
    return text


def _check_concepts(concepts: Iterable[str]) -> list[str]:
    ids = list(dict.fromkeys(concepts))
    for concept in ids:
        if not isinstance(concept, str) or len(concept) > ID_MAX_LENGTH or not ID_PATTERN.match(concept):
            raise StoreError(f"not a concept id: {concept!r}")
    return ids


@dataclass
class Answer:
    concept: str
    question: str
    correct: bool
    at: str
    source: str = "quiz"


@dataclass(frozen=True)
class Col:
    """One column of :data:`LAYOUT`: ``kind`` is "int", "bool", "text" or the length of a VARCHAR;
    ``key`` puts it in the primary key, ``serial`` makes it the table's own counter, ``default`` is what
    the database fills in. A column named ``profile_id`` refers to ``profiles.id``."""
    name: str
    kind: "str | int"
    key: bool = False
    serial: bool = False
    default: str | None = None


#: The layout this kg writes (version 2), the one definition of kg's tables and columns: SQLAlchemy builds
#: its tables from it (:func:`_tables`: every write, and PostgreSQL), and plan commands read a SQLite file by
#: its names through the standard library (:class:`_SqliteReader`, :data:`READS`), without importing SQLAlchemy.
LAYOUT: dict[str, tuple[Col, ...]] = {
    "kg_schema": (Col("version", "int"),),
    "profiles": (Col("id", "int", serial=True), Col("name", PROFILE_MAX_LENGTH), Col("created_at", 40)),
    "concept_states": (Col("profile_id", "int", key=True), Col("concept", ID_MAX_LENGTH, key=True),
                       Col("state", 16), Col("changed_at", 40)),
    "targets": (Col("profile_id", "int", key=True), Col("concept", ID_MAX_LENGTH, key=True), Col("added_at", 40)),
    "answers": (Col("id", "int", serial=True), Col("profile_id", "int"), Col("concept", ID_MAX_LENGTH),
                Col("question", 400), Col("correct", "bool"), Col("answered_at", 40), Col("source", 16, default="quiz")),
    "cards": (Col("profile_id", "int", key=True), Col("concept", ID_MAX_LENGTH, key=True), Col("card", "text"),
              Col("due", 40), Col("flag", 200, default=""), Col("updated_at", 40)),
    "review_items": (Col("profile_id", "int", key=True), Col("question", 400, key=True), Col("item", "text"),
                     Col("updated_at", 40)),
}


@dataclass(frozen=True)
class Read:
    """One query the store reads with: ``columns`` of ``table`` for one profile (``per_profile``) and the
    ``filters`` given at the call (column = value), sorted by ``order``. Both ways of reading (SQLAlchemy,
    and sqlite3 for plan commands) run these, so they return the same rows."""
    table: str
    columns: tuple[str, ...]
    order: tuple[str, ...] = ()
    per_profile: bool = True

    def __post_init__(self):
        self._check([*self.columns, *self.order, *(["profile_id"] if self.per_profile else [])])

    def _check(self, columns: Iterable[str]) -> None:
        names = {column.name for column in LAYOUT[self.table]}
        for column in columns:
            if column not in names:
                raise ValueError(f"{self.table} has no column {column!r}")

    def sql(self, filters: Iterable[str] = ()) -> str:
        """The query as SQLite text, values as ``?`` (profile id first, then ``filters`` in order).

        >>> READS["targets"].sql()
        'SELECT "concept" FROM "targets" WHERE "profile_id" = ? ORDER BY "added_at", "concept"'
        """
        where = [*(["profile_id"] if self.per_profile else []), *filters]
        self._check(where)
        text = f'SELECT {", ".join(_quoted(c) for c in self.columns)} FROM {_quoted(self.table)}'
        if where:
            text += " WHERE " + " AND ".join(f"{_quoted(c)} = ?" for c in where)
        if self.order:
            text += " ORDER BY " + ", ".join(_quoted(c) for c in self.order)
        return text

    def select(self, tables, pid=None, **filters):
        """The query as a SQLAlchemy select on ``tables`` (built by :func:`_tables`)."""
        from sqlalchemy import select

        self._check(filters)
        table = tables[self.table]
        query = select(*(table.c[c] for c in self.columns))
        if self.per_profile:
            query = query.where(table.c.profile_id == pid)
        for column, value in filters.items():
            query = query.where(table.c[column] == value)
        return query.order_by(*(table.c[c] for c in self.order))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: Every read of the store.
READS = {
    "version": Read("kg_schema", ("version",), per_profile=False),
    "profile_id": Read("profiles", ("id",), per_profile=False),
    "profiles": Read("profiles", ("name",), ("name",), per_profile=False),
    "states": Read("concept_states", ("concept", "state", "changed_at"), ("concept",)),
    "targets": Read("targets", ("concept",), ("added_at", "concept")),
    "answers": Read("answers", ("concept", "question", "correct", "answered_at", "source"), ("answered_at", "id")),
    "cards": Read("cards", ("concept", "card", "due", "flag"), ("concept",)),
    "review_items": Read("review_items", ("item",), ("updated_at", "question")),
}


def _tables():
    """:data:`LAYOUT` as SQLAlchemy Core tables on their own MetaData, with its constraints and index."""
    from sqlalchemy import (Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                            UniqueConstraint)

    kinds = {"int": Integer, "bool": Boolean, "text": Text}
    metadata = MetaData()
    for name, columns in LAYOUT.items():
        built = []
        for column in columns:
            kind = kinds[column.kind] if isinstance(column.kind, str) else String(column.kind)
            refers = [ForeignKey("profiles.id", ondelete="CASCADE")] if column.name == "profile_id" else []
            options: dict = {"primary_key": True} if column.key or column.serial else {"nullable": False}
            if column.serial:
                options["autoincrement"] = True
            if column.default is not None:
                options["server_default"] = column.default
            built.append(Column(column.name, kind, *refers, **options))
        Table(name, metadata, *built)
    metadata.tables["profiles"].append_constraint(UniqueConstraint("name", name="uq_profiles_name"))
    answers = metadata.tables["answers"]
    Index("ix_answers_profile_concept", answers.c.profile_id, answers.c.concept)
    return metadata


#: The tables of a SQLite database, as SQLAlchemy's inspector lists them (SQLite's own tables left out).
_SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite~_%' ESCAPE '~'"


def _schema_version(shown: Callable[[], str], names: set[str], versions: Callable[[], list]) -> int | None:
    """The schema version of a database holding the tables ``names``, None for an empty one. A database
    that is not kg's, has a damaged version record or was written by a newer kg is refused."""
    if not names:
        return None
    if "kg_schema" not in names:
        raise StoreError(key="error_store_foreign", path=shown())
    found = versions()
    if len(found) != 1 or not isinstance(found[0], int):
        raise StoreError(key="error_store_version_damaged", path=shown())
    if found[0] > SCHEMA_VERSION:
        raise StoreError(key="error_store_newer", path=shown(), found=found[0], known=SCHEMA_VERSION)
    return found[0]


def _check_integrity(path: Path, verdict) -> None:
    if verdict != "ok":
        raise StoreError(key="error_store_damaged", path=str(path), verdict=verdict)


class _SqliteReader:
    """A SQLite progress file opened read-only (``mode=ro``) with the standard library's sqlite3, for
    commands that only read a profile (``kg order``, ``kg next`` ...): SQLAlchemy's import costs more than
    the rest of such a command. It checks the file as :meth:`Store._connect` does, with the same messages,
    and runs the same :data:`READS`. A database this kg must create or upgrade is left to SQLAlchemy.

    A read-only connection cannot remove the write-ahead log files it opens (``progress.db-wal``, empty, and
    ``-shm``); the next kg that writes removes them when it closes. The app shares one store between its
    sessions' threads: the connection may be used from any thread, one read at a time.
    """

    def __init__(self, connection, shown: Callable[[], str]):
        self._connection = connection
        self._lock = threading.Lock()
        self.shown = shown

    @classmethod
    def open(cls, path: Path, shown: Callable[[], str]) -> "_SqliteReader | None":
        """The reader, or None when the database is empty or older than this kg (SQLAlchemy creates or upgrades it)."""
        import sqlite3

        connection = None
        try:
            connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None,
                                         timeout=SQLITE_BUSY_MS / 1000, check_same_thread=False)
            _check_integrity(path, connection.execute("PRAGMA quick_check").fetchone()[0])
            names = {row[0] for row in connection.execute(_SQLITE_TABLES)}
            version = _schema_version(shown, names, lambda: [row[0] for row in connection.execute(READS["version"].sql())])
        except sqlite3.Error as err:
            if connection is not None:
                connection.close()
            raise _unusable(shown(), err) from None
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        if version != SCHEMA_VERSION:
            connection.close()
            return None
        return cls(connection, shown)

    def rows(self, read: Read, profile: str | None, filters: dict) -> list[tuple] | None:
        """The rows of ``read``; None once closed (the store then reads through SQLAlchemy)."""
        import sqlite3

        try:
            with self._lock:
                if self._connection is None:
                    return None
                if not read.per_profile:
                    return self._connection.execute(read.sql(filters), tuple(filters.values())).fetchall()
                found = self._connection.execute(READS["profile_id"].sql(["name"]), (profile,)).fetchone()
                if found is None:
                    return []
                return self._connection.execute(read.sql(filters), (found[0], *filters.values())).fetchall()
        except sqlite3.Error as err:
            raise _unusable(self.shown(), err) from None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class Store:
    """One progress database. Every write is one transaction; reads of a missing SQLite file
    return nothing and create nothing.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL or a file path (SQLite); default :func:`default_url`.
    sqlite_reads : bool, default True
        Read a SQLite file with the standard library's sqlite3 until this store first writes (see
        :class:`_SqliteReader`); False reads through SQLAlchemy too.
    """

    def __init__(self, url: str | None = None, *, sqlite_reads: bool = True):
        self.url = normalise_url(url or default_url())
        self._engine = None
        self._metadata = None
        self._ready = False
        self._reader: _SqliteReader | None = None
        self._reader_lock = threading.Lock()  # the app's sessions share a store
        self.path = None
        if self.url.startswith("sqlite:///") and self.url != "sqlite:///:memory:":
            self.path = Path(self.url[len("sqlite:///"):])
        # SQLAlchemy unquotes %XX and takes ?... as options in a URL: such a file is left to it, so that
        # both ways of reading open the same file.
        self._sqlite_reads = sqlite_reads and self.path is not None and not any(c in str(self.path) for c in "%?")

    # ------------------------------------------------------------ opening, checking, upgrading

    @property
    def _meta(self):
        # Built on first use: reading a profile from a database that does not exist yet (every plain
        # 'kg order' of a new user) must not pay for importing SQLAlchemy.
        if self._metadata is None:
            self._metadata = _tables()
        return self._metadata

    @property
    def _t(self):
        return self._meta.tables

    @property
    def shown(self) -> str:
        """The URL without a password, for messages."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    def _check_file(self) -> None:
        """Refuse a file that is not an SQLite database before SQLite can touch it."""
        if self.path is None or not self.path.exists():
            return
        if not self.path.is_file():
            raise StoreError(key="error_store_not_file", path=str(self.path))
        try:
            with open(self.path, "rb") as stream:
                head = stream.read(16)
        except OSError as err:
            raise StoreError(f"cannot read the progress database {self.path}: {err.strerror or err}") from None
        if head and head != b"SQLite format 3\x00":
            raise StoreError(key="error_store_not_sqlite", path=str(self.path))

    def _absent(self) -> bool:
        """True for an SQLite database that does not exist yet: every read of it is empty."""
        return not self._ready and self.path is not None and not self.path.exists()

    def _engine_for(self):
        if self._engine is None:
            from sqlalchemy import create_engine, event

            try:
                if self.path is not None:
                    engine = create_engine(self.url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

                    @event.listens_for(engine, "connect")
                    def _sqlite_connect(dbapi_connection, record):
                        # Transactions are begun by hand below; WAL lets readers run beside one writer.
                        dbapi_connection.isolation_level = None
                        cursor = dbapi_connection.cursor()
                        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
                        cursor.execute("PRAGMA foreign_keys = ON")
                        mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()
                        cursor.close()
                        if not mode or str(mode[0]).lower() != "wal":
                            raise StoreError(f"{self.path}: SQLite cannot use WAL mode here (journal mode {mode})")

                    @event.listens_for(engine, "begin")
                    def _sqlite_begin(connection):
                        # IMMEDIATE takes the write lock at the start, so two writers queue (busy
                        # timeout) instead of one failing when it upgrades a read lock.
                        connection.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    engine = create_engine(self.url, pool_pre_ping=True)
            except Exception as err:  # a bad URL or a missing driver
                raise StoreError(f"cannot use the progress database {self.url!r}: {err}") from None
            self._engine = engine
        return self._engine

    def _connect(self, write: bool):
        """A transaction on a checked, current database; None when reading a database that does not exist yet."""
        self._check_file()
        if not write and self._absent():
            return None
        from sqlalchemy.exc import SQLAlchemyError

        if write and self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"cannot create the folder of {self.path}: {err.strerror or err}") from None
        engine = self._engine_for()
        if not self._ready:
            try:
                if self.path is not None:
                    with engine.connect() as raw:
                        _check_integrity(self.path, raw.exec_driver_sql("PRAGMA quick_check").scalar())
                with engine.begin() as connection:
                    self._prepare(connection)
            except SQLAlchemyError as err:
                raise _unusable(self.shown, err) from None
            self._ready = True
            self._close_reader()  # reads go through the engine from now on
        return engine.begin()

    def _prepare(self, connection) -> None:
        """Create a new database, upgrade an older one in place, refuse anything else."""
        from sqlalchemy import inspect, insert

        names = set(inspect(connection).get_table_names())
        schema = self._t["kg_schema"]
        version = _schema_version(lambda: self.shown, names,
                                  lambda: [row[0] for row in connection.execute(READS["version"].select(self._t))])
        if version is None:
            self._meta.create_all(connection)
            connection.execute(insert(schema).values(version=SCHEMA_VERSION))
            return
        while version < SCHEMA_VERSION:
            UPGRADES[version](connection, self._meta)
            version += 1
            connection.execute(schema.update().values(version=version))

    # ------------------------------------------------------------ profiles

    def _profile_id(self, connection, name: str, *, create: bool) -> int | None:
        name = check_profile(name)
        lookup = READS["profile_id"].select(self._t, name=name)
        found = connection.execute(lookup).scalar()
        if found is not None or not create:
            return found
        _upsert(connection, self._t["profiles"], {"name": name, "created_at": now()}, ["name"], [])
        return connection.execute(lookup).scalar()

    def profiles(self) -> list[str]:
        return [row[0] for row in self._rows("profiles")]

    def delete_profile(self, profile: str) -> bool:
        from sqlalchemy import delete

        with self._connect(write=True) as connection:
            pid = self._profile_id(connection, profile, create=False)
            if pid is None:
                return False
            for table in ("concept_states", "targets", "answers", "cards", "review_items"):
                connection.execute(delete(self._t[table]).where(self._t[table].c.profile_id == pid))
            connection.execute(delete(self._t["profiles"]).where(self._t["profiles"].c.id == pid))
            return True

    def _rows(self, read: str, profile: str | None = None, **filters) -> list[tuple]:
        """The rows of ``READS[read]`` (of ``profile`` for a per-profile read, where ``filters`` hold);
        [] when the database or the profile does not exist.

        Until this store first writes, a SQLite file is read with sqlite3 (:class:`_SqliteReader`), so
        that a command that only reads a profile does not import SQLAlchemy; otherwise, and for every
        other database, through SQLAlchemy."""
        if self._absent():
            return []
        query = READS[read]
        reader = self._reader or self._open_reader()
        if reader is not None:
            rows = reader.rows(query, check_profile(profile) if query.per_profile else None, filters)
            if rows is not None:
                return rows
        transaction = self._connect(write=False)
        if transaction is None:
            return []
        with transaction as connection:
            pid = None
            if query.per_profile:
                pid = self._profile_id(connection, profile, create=False)
                if pid is None:
                    return []
            return list(connection.execute(query.select(self._t, pid, **filters)))

    def _open_reader(self) -> _SqliteReader | None:
        """The sqlite3 reader while this store reads a SQLite file it has not written to, else None."""
        with self._reader_lock:
            if self._reader is None and self._sqlite_reads and not self._ready:
                self._check_file()
                self._reader = _SqliteReader.open(self.path, lambda: self.shown)
                if self._reader is None:  # a database to create or upgrade first
                    self._sqlite_reads = False
            return self._reader

    def _close_reader(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    # ------------------------------------------------------------ concept states

    def mark(self, profile: str, concepts: Iterable[str], state: str, *, at: str | None = None) -> None:
        """Set the state of concepts (one of :data:`STATES`), recording when it changed."""
        if state not in STATES:
            raise StoreError(f"a concept state is one of {', '.join(STATES)}, not {state!r}")
        ids = _check_concepts(concepts)
        stamp = as_stamp(at) if at else now()
        table = self._t["concept_states"]
        with self._connect(write=True) as connection:
            pid = self._profile_id(connection, profile, create=True)
            for concept in ids:
                _upsert(connection, table, {"profile_id": pid, "concept": concept, "state": state, "changed_at": stamp},
                        ["profile_id", "concept"], ["state", "changed_at"])

    def states(self, profile: str) -> dict[str, tuple[str, str]]:
        """concept -> (state, when it changed)."""
        return {concept: (state, changed) for concept, state, changed in self._rows("states", profile)}

    def known(self, profile: str) -> set[str]:
        """Concepts a plan treats as done: known or skipped."""
        return {c for c, (state, _) in self.states(profile).items() if state in DONE_STATES}

    # ------------------------------------------------------------ targets

    def add_targets(self, profile: str, concepts: Iterable[str]) -> None:
        ids = _check_concepts(concepts)
        table = self._t["targets"]
        start = datetime.now(timezone.utc)
        with self._connect(write=True) as connection:
            pid = self._profile_id(connection, profile, create=True)
            for offset, concept in enumerate(ids):
                # one microsecond apart: targets are listed in the order they were added
                stamp = (start + timedelta(microseconds=offset)).isoformat(timespec="microseconds")
                _upsert(connection, table, {"profile_id": pid, "concept": concept, "added_at": stamp},
                        ["profile_id", "concept"], [])

    def remove_targets(self, profile: str, concepts: Iterable[str]) -> int:
        from sqlalchemy import delete

        ids = _check_concepts(concepts)
        table = self._t["targets"]
        with self._connect(write=True) as connection:
            pid = self._profile_id(connection, profile, create=False)
            if pid is None:
                return 0
            return connection.execute(delete(table).where(table.c.profile_id == pid, table.c.concept.in_(ids))).rowcount

    def targets(self, profile: str) -> list[str]:
        """Targets in the order they were added."""
        return [row[0] for row in self._rows("targets", profile)]

    # ------------------------------------------------------------ answers

    def record_answers(self, profile: str, answers: Iterable[Answer]) -> int:
        """Append answers (quiz, review or placement); every one is kept."""
        from sqlalchemy import insert

        rows = []
        for answer in answers:
            _check_concepts([answer.concept])
            if answer.source not in SOURCES:
                raise StoreError(f"an answer's source is one of {', '.join(SOURCES)}, not {answer.source!r}")
            rows.append({"concept": answer.concept, "question": str(answer.question)[:400], "correct": bool(answer.correct),
                         "answered_at": as_stamp(answer.at) if answer.at else now(), "source": answer.source})
        if not rows:
            return 0
        with self._connect(write=True) as connection:
            pid = self._profile_id(connection, profile, create=True)
            connection.execute(insert(self._t["answers"]), [{**row, "profile_id": pid} for row in rows])
        return len(rows)

    def answers(self, profile: str, concept: str | None = None) -> list[Answer]:
        rows = self._rows("answers", profile, **({} if concept is None else {"concept": concept}))
        return [Answer(c, q, bool(ok), at, source) for c, q, ok, at, source in rows]

    # ------------------------------------------------------------ scheduler cards

    def save_cards(self, profile: str, cards: dict[str, tuple[dict, str, str]]) -> None:
        """concept -> (card as a dict, due as ISO text, flag text or "")."""
        table = self._t["cards"]
        _check_concepts(cards)
        stamp = now()
        with self._connect(write=True) as connection:
            pid = self._profile_id(connection, profile, create=True)
            for concept, (card, due, flag) in cards.items():
                _upsert(connection, table, {"profile_id": pid, "concept": concept, "card": json.dumps(card, sort_keys=True),
                                            "due": as_stamp(due), "flag": flag or "", "updated_at": stamp},
                        ["profile_id", "concept"], ["card", "due", "flag", "updated_at"])

    def cards(self, profile: str) -> dict[str, tuple[dict, str, str]]:
        return {concept: (json.loads(card), due, flag) for concept, card, due, flag in self._rows("cards", profile)}

    # ------------------------------------------------------------ the quiz's review list

    def save_review_items(self, profile: str, add: Iterable[dict] = (), remove: Iterable[str] = ()) -> None:
        """Add (or replace) review items, keyed by question id, and remove answered ones, in one transaction."""
        from sqlalchemy import delete

        table = self._t["review_items"]
        items = [item for item in add if isinstance(item.get("id"), str)]
        gone = list(remove)
        start = datetime.now(timezone.utc)
        with self._connect(write=True) as connection:
            pid = self._profile_id(connection, profile, create=True)
            if gone:
                connection.execute(delete(table).where(table.c.profile_id == pid, table.c.question.in_(gone)))
            for offset, item in enumerate(items):
                stamp = (start + timedelta(microseconds=offset)).isoformat(timespec="microseconds")  # keeps their order
                _upsert(connection, table, {"profile_id": pid, "question": item["id"][:400],
                                            "item": json.dumps(item, ensure_ascii=False), "updated_at": stamp},
                        ["profile_id", "question"], ["item", "updated_at"])

    def review_items(self, profile: str) -> list[dict]:
        return [json.loads(row[0]) for row in self._rows("review_items", profile)]

    def clear_review_items(self, profile: str) -> None:
        from sqlalchemy import delete

        table = self._t["review_items"]
        with self._connect(write=True) as connection:
            pid = self._profile_id(connection, profile, create=False)
            if pid is not None:
                connection.execute(delete(table).where(table.c.profile_id == pid))

    # ------------------------------------------------------------ a changed pack

    def orphans(self, profile: str, pack_ids: Iterable[str]) -> list[str]:
        """Concepts this profile has progress on that the pack no longer has (they are kept, not dropped)."""
        present = set(pack_ids)
        mentioned = set(self.states(profile)) | set(self.targets(profile)) | set(self.cards(profile))
        mentioned |= {a.concept for a in self.answers(profile)}
        return sorted(mentioned - present)

    # ------------------------------------------------------------ export and import

    def export(self, profile: str) -> dict:
        """Everything of one profile as plain JSON data (format ``kg-progress``, version 1)."""
        return {
            "format": "kg-progress", "version": 1, "profile": check_profile(profile), "exported_at": now(),
            "states": {c: {"state": s, "changed_at": at} for c, (s, at) in self.states(profile).items()},
            "targets": self.targets(profile),
            "answers": [{"concept": a.concept, "question": a.question, "correct": a.correct, "at": a.at, "source": a.source}
                        for a in self.answers(profile)],
            "cards": {c: {"card": card, "due": due, "flag": flag} for c, (card, due, flag) in self.cards(profile).items()},
            "review": self.review_items(profile),
        }

    def import_data(self, profile: str, data) -> dict:
        """Merge a progress file's data (see :func:`parse_progress`) into a profile; returns what was imported."""
        parsed = parse_progress(data)
        with self._connect(write=True) as connection:
            pid = self._profile_id(connection, profile, create=True)
            for concept, (state, at) in parsed["states"].items():
                _upsert(connection, self._t["concept_states"], {"profile_id": pid, "concept": concept, "state": state, "changed_at": at},
                        ["profile_id", "concept"], ["state", "changed_at"])
            for concept in parsed["targets"]:
                _upsert(connection, self._t["targets"], {"profile_id": pid, "concept": concept, "added_at": now()},
                        ["profile_id", "concept"], [])
            if parsed["answers"]:
                from sqlalchemy import insert

                connection.execute(insert(self._t["answers"]), [{**a, "profile_id": pid} for a in parsed["answers"]])
            for concept, (card, due, flag) in parsed["cards"].items():
                _upsert(connection, self._t["cards"], {"profile_id": pid, "concept": concept, "card": json.dumps(card, sort_keys=True),
                                                      "due": due, "flag": flag, "updated_at": now()},
                        ["profile_id", "concept"], ["card", "due", "flag", "updated_at"])
            for item in parsed["review"]:
                _upsert(connection, self._t["review_items"], {"profile_id": pid, "question": item["id"],
                                                             "item": json.dumps(item, ensure_ascii=False), "updated_at": now()},
                        ["profile_id", "question"], ["item", "updated_at"])
        return {key: len(value) for key, value in parsed.items()}

    def close(self) -> None:
        self._close_reader()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._ready = False


# ---------------------------------------------------------------- upgrades, one per old version


def _upgrade_1_to_2(connection, metadata) -> None:
    """Version 2: answers say where they came from; scheduler cards and the review list get tables."""
    connection.exec_driver_sql("ALTER TABLE answers ADD COLUMN source VARCHAR(16) NOT NULL DEFAULT 'quiz'")
    metadata.tables["cards"].create(connection, checkfirst=True)
    metadata.tables["review_items"].create(connection, checkfirst=True)


UPGRADES = {1: _upgrade_1_to_2}


def _upsert(connection, table, values: dict, keys: list[str], update: list[str]) -> None:
    """Insert a row, or update ``update`` columns of the row with the same ``keys`` (atomic on both databases)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        raise StoreError(f"kg's progress store supports SQLite and PostgreSQL, not {dialect}")
    statement = insert(table).values(**values)
    if update:
        statement = statement.on_conflict_do_update(index_elements=keys, set_={c: statement.excluded[c] for c in update})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    connection.execute(statement)


def _unusable(shown: str, err) -> StoreError:
    """The database at ``shown`` failed under SQLite or SQLAlchemy (either way of reading, or a write)."""
    return StoreError(f"the progress database {shown} cannot be used: {_reason(err)}")


def _reason(err) -> str:
    original = getattr(err, "orig", None)
    return str(original or err).strip().splitlines()[0]


# ---------------------------------------------------------------- progress files (untrusted)


def _text(value, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ProgressFileError(f"{what} must be text of at most {limit} characters")
    return value


def _stamp(value, what: str) -> str:
    text = _text(value, what, 40)
    try:
        return as_stamp(text)
    except StoreError:
        raise ProgressFileError(f"{what} is not an ISO 8601 time: {text!r}") from None


def _concept(value, what: str) -> str:
    if not isinstance(value, str) or len(value) > ID_MAX_LENGTH or not ID_PATTERN.match(value):
        raise ProgressFileError(f"{what} is not a concept id: {str(value)[:100]!r}")
    return value


def _list(value, what: str) -> list:
    if not isinstance(value, list):
        raise ProgressFileError(f"{what} must be a list")
    if len(value) > MAX_ITEMS:
        raise ProgressFileError(f"{what} has more than {MAX_ITEMS} entries")
    return value


def _review_item(item, what: str) -> dict:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not 0 < len(item["id"]) <= 400:
        raise ProgressFileError(f"{what} must be an object with an \"id\" of 1 to 400 characters")
    clean = {}
    for key, value in item.items():
        if not isinstance(key, str) or len(key) > 40:
            raise ProgressFileError(f"{what} has a bad key")
        if isinstance(value, str):
            value = _text(value, f"{what}.{key}")
        elif not (value is None or isinstance(value, (bool, int, float))):
            raise ProgressFileError(f"{what}.{key} must be text, a number, true/false or null")
        clean[key] = value
    if "concept" in clean and clean["concept"]:
        _concept(clean["concept"], f"{what}.concept")
    return clean


def parse_progress(data) -> dict:
    """Validate progress data in any of the formats kg has written, into one shape.

    Accepted: ``kg-progress`` (``kg progress --export``), the app's known-concepts file
    (``{"format": "kg-known", "known": [ids]}`` or a bare list of ids) and the quiz's review files
    (``kg quiz --review``: ``{"format": 1, "items": [...]}``; the app's ``{"format": "kg-review", ...}``).
    Anything else, or any invalid value, raises :class:`ProgressFileError` and nothing is imported.

    >>> parse_progress({"format": "kg-known", "version": 1, "known": ["relu"]})["states"]["relu"][0]
    'known'
    >>> parse_progress({"known": ["Not An Id"]})
    Traceback (most recent call last):
    ...
    kg.store.ProgressFileError: known[0] is not a concept id: 'Not An Id'
    """
    result = {"states": {}, "targets": [], "answers": [], "cards": {}, "review": []}
    stamp = now()
    if isinstance(data, list):
        data = {"known": data}
    if not isinstance(data, dict):
        raise ProgressFileError("a progress file is a JSON object (or a list of known concept ids)")
    fmt = data.get("format")
    if fmt == "kg-progress":
        if data.get("version") != 1:
            raise ProgressFileError(f"kg-progress version {data.get('version')!r} is not one this kg reads")
        states = data.get("states", {})
        if not isinstance(states, dict) or len(states) > MAX_ITEMS:
            raise ProgressFileError("states must be an object of at most {MAX_ITEMS} concepts")
        for concept, entry in states.items():
            _concept(concept, "a key of states")
            if not isinstance(entry, dict) or entry.get("state") not in STATES:
                raise ProgressFileError(f"states.{concept} must be {{\"state\": one of {', '.join(STATES)}, \"changed_at\": time}}")
            result["states"][concept] = (entry["state"], _stamp(entry.get("changed_at", stamp), f"states.{concept}.changed_at"))
        result["targets"] = [_concept(c, f"targets[{i}]") for i, c in enumerate(_list(data.get("targets", []), "targets"))]
        for i, entry in enumerate(_list(data.get("answers", []), "answers")):
            where = f"answers[{i}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("correct"), bool):
                raise ProgressFileError(f"{where} must be an object with \"correct\": true or false")
            source = entry.get("source", "import")
            if source not in SOURCES:
                raise ProgressFileError(f"{where}.source must be one of {', '.join(SOURCES)}")
            result["answers"].append({"concept": _concept(entry.get("concept"), f"{where}.concept"),
                                      "question": _text(entry.get("question", ""), f"{where}.question", 400),
                                      "correct": entry["correct"], "answered_at": _stamp(entry.get("at", stamp), f"{where}.at"),
                                      "source": source})
        cards = data.get("cards", {})
        if not isinstance(cards, dict) or len(cards) > MAX_ITEMS:
            raise ProgressFileError("cards must be an object")
        for concept, entry in cards.items():
            _concept(concept, "a key of cards")
            if not isinstance(entry, dict) or not isinstance(entry.get("card"), dict):
                raise ProgressFileError(f"cards.{concept} must be {{\"card\": {{...}}, \"due\": time}}")
            card = entry["card"]
            if len(json.dumps(card)) > MAX_TEXT:
                raise ProgressFileError(f"cards.{concept}.card is too large")
            _check_card(card, f"cards.{concept}.card")
            result["cards"][concept] = (card, _stamp(entry.get("due"), f"cards.{concept}.due"),
                                        _text(entry.get("flag", ""), f"cards.{concept}.flag", 200))
        result["review"] = [_review_item(item, f"review[{i}]") for i, item in enumerate(_list(data.get("review", []), "review"))]
        return result
    if "known" in data:
        if fmt not in (None, "kg-known"):
            raise ProgressFileError(f"unknown progress file format {fmt!r}")
        for i, concept in enumerate(_list(data["known"], "known")):
            result["states"][_concept(concept, f"known[{i}]")] = ("known", stamp)
        return result
    if "items" in data:
        if fmt not in (1, "kg-review"):
            raise ProgressFileError(f"unknown review file format {fmt!r}")
        result["review"] = [_review_item(item, f"items[{i}]") for i, item in enumerate(_list(data["items"], "items"))]
        return result
    raise ProgressFileError("not a kg progress file: expected a kg-progress export, a known-concepts file or a quiz review file")


def _check_card(card: dict, where: str) -> None:
    """A scheduler card must be one the fsrs package can read back."""
    try:
        from fsrs import Card

        Card.from_dict(card)
    except Exception as err:  # fsrs raises KeyError/ValueError/TypeError on bad cards
        raise ProgressFileError(f"{where} is not a scheduler card: {type(err).__name__}: {err}") from None


def read_progress_file(path: str | os.PathLike) -> dict:
    """The JSON of a progress file, read with a size limit; errors are :class:`ProgressFileError`."""
    file = Path(path)
    try:
        if not file.is_file():
            raise ProgressFileError(f"{path}: not a file")
        if file.stat().st_size > MAX_PROGRESS_BYTES:
            raise ProgressFileError(f"{path}: larger than {MAX_PROGRESS_BYTES // (1024 * 1024)} MB")
        with open(file, "rb") as stream:
            raw = stream.read(MAX_PROGRESS_BYTES + 1)
    except OSError as err:
        raise ProgressFileError(f"{path}: {err.strerror or err}") from None
    if len(raw) > MAX_PROGRESS_BYTES:
        raise ProgressFileError(f"{path}: larger than {MAX_PROGRESS_BYTES // (1024 * 1024)} MB")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ProgressFileError(f"{path}: not valid UTF-8 JSON: {err}") from None
