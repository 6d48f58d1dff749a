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
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable

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


def _tables():
    """The current layout (version 2), as SQLAlchemy Core tables on their own MetaData."""
    from sqlalchemy import (Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                            UniqueConstraint)

    metadata = MetaData()
    Table("kg_schema", metadata, Column("version", Integer, nullable=False))
    Table("profiles", metadata,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("name", String(PROFILE_MAX_LENGTH), nullable=False),
          Column("created_at", String(40), nullable=False),
          UniqueConstraint("name", name="uq_profiles_name"))
    profile = lambda: Column("profile_id", Integer, ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)  # noqa: E731
    Table("concept_states", metadata, profile(),
          Column("concept", String(ID_MAX_LENGTH), primary_key=True),
          Column("state", String(16), nullable=False),
          Column("changed_at", String(40), nullable=False))
    Table("targets", metadata, profile(),
          Column("concept", String(ID_MAX_LENGTH), primary_key=True),
          Column("added_at", String(40), nullable=False))
    answers = Table("answers", metadata,
                    Column("id", Integer, primary_key=True, autoincrement=True),
                    Column("profile_id", Integer, ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False),
                    Column("concept", String(ID_MAX_LENGTH), nullable=False),
                    Column("question", String(400), nullable=False),
                    Column("correct", Boolean, nullable=False),
                    Column("answered_at", String(40), nullable=False),
                    Column("source", String(16), nullable=False, server_default="quiz"))
    Index("ix_answers_profile_concept", answers.c.profile_id, answers.c.concept)
    Table("cards", metadata, profile(),
          Column("concept", String(ID_MAX_LENGTH), primary_key=True),
          Column("card", Text, nullable=False),
          Column("due", String(40), nullable=False),
          Column("flag", String(200), nullable=False, server_default=""),
          Column("updated_at", String(40), nullable=False))
    Table("review_items", metadata, profile(),
          Column("question", String(400), primary_key=True),
          Column("item", Text, nullable=False),
          Column("updated_at", String(40), nullable=False))
    return metadata


class Store:
    """One progress database. Every write is one transaction; reads of a missing SQLite file
    return nothing and create nothing.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL or a file path (SQLite); default :func:`default_url`.
    """

    def __init__(self, url: str | None = None):
        self.url = normalise_url(url or default_url())
        self._engine = None
        self._metadata = None
        self._ready = False
        self.path = None
        if self.url.startswith("sqlite:///") and self.url != "sqlite:///:memory:":
            self.path = Path(self.url[len("sqlite:///"):])

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
            raise StoreError(f"the progress database {self.path} is not a regular file")
        try:
            with open(self.path, "rb") as stream:
                head = stream.read(16)
        except OSError as err:
            raise StoreError(f"cannot read the progress database {self.path}: {err.strerror or err}") from None
        if head and head != b"SQLite format 3\x00":
            raise StoreError(f"{self.path} is not an SQLite database (corrupt or another file); "
                             "it was left untouched: move it away or give another --db")

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
                        verdict = raw.exec_driver_sql("PRAGMA quick_check").scalar()
                        if verdict != "ok":
                            raise StoreError(f"{self.path} is damaged ({verdict}); it was left untouched")
                with engine.begin() as connection:
                    self._prepare(connection)
            except SQLAlchemyError as err:
                raise StoreError(f"the progress database {self.shown} cannot be used: {_reason(err)}") from None
            self._ready = True
        return engine.begin()

    def _prepare(self, connection) -> None:
        """Create a new database, upgrade an older one in place, refuse anything else."""
        from sqlalchemy import inspect, insert, select

        names = set(inspect(connection).get_table_names())
        schema = self._t["kg_schema"]
        if not names:
            self._meta.create_all(connection)
            connection.execute(insert(schema).values(version=SCHEMA_VERSION))
            return
        if "kg_schema" not in names:
            raise StoreError(f"{self.shown} holds tables but is not a kg progress database; it was left untouched")
        versions = [row[0] for row in connection.execute(select(schema.c.version))]
        if len(versions) != 1 or not isinstance(versions[0], int):
            raise StoreError(f"{self.shown}: the schema version record is damaged; the database was left untouched")
        version = versions[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.shown} was written by a newer kg (schema {version}, this kg knows {SCHEMA_VERSION}); "
                             "upgrade kg instead")
        while version < SCHEMA_VERSION:
            UPGRADES[version](connection, self._meta)
            version += 1
            connection.execute(schema.update().values(version=version))

    # ------------------------------------------------------------ profiles

    def _profile_id(self, connection, name: str, *, create: bool) -> int | None:
        from sqlalchemy import insert, select

        profiles = self._t["profiles"]
        name = check_profile(name)
        found = connection.execute(select(profiles.c.id).where(profiles.c.name == name)).scalar()
        if found is not None or not create:
            return found
        _upsert(connection, profiles, {"name": name, "created_at": now()}, ["name"], [])
        return connection.execute(select(profiles.c.id).where(profiles.c.name == name)).scalar()

    def profiles(self) -> list[str]:
        if self._absent():
            return []
        from sqlalchemy import select

        transaction = self._connect(write=False)
        if transaction is None:
            return []
        with transaction as connection:
            profiles = self._t["profiles"]
            return [row[0] for row in connection.execute(select(profiles.c.name).order_by(profiles.c.name))]

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

    def _select(self, profile: str, query_for):
        """Run ``query_for(profile_id)`` in a read transaction; [] when the profile or database does not exist."""
        transaction = self._connect(write=False)
        if transaction is None:
            return []
        with transaction as connection:
            pid = self._profile_id(connection, profile, create=False)
            if pid is None:
                return []
            return list(connection.execute(query_for(pid)))

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
        if self._absent():
            return {}
        from sqlalchemy import select

        table = self._t["concept_states"]
        rows = self._select(profile, lambda pid: select(table.c.concept, table.c.state, table.c.changed_at)
                            .where(table.c.profile_id == pid).order_by(table.c.concept))
        return {concept: (state, changed) for concept, state, changed in rows}

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
        if self._absent():
            return []
        from sqlalchemy import select

        table = self._t["targets"]
        rows = self._select(profile, lambda pid: select(table.c.concept).where(table.c.profile_id == pid)
                            .order_by(table.c.added_at, table.c.concept))
        return [row[0] for row in rows]

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
        if self._absent():
            return []
        from sqlalchemy import select

        table = self._t["answers"]

        def query(pid):
            q = select(table.c.concept, table.c.question, table.c.correct, table.c.answered_at, table.c.source).where(table.c.profile_id == pid)
            if concept is not None:
                q = q.where(table.c.concept == concept)
            return q.order_by(table.c.answered_at, table.c.id)

        return [Answer(c, q, bool(ok), at, source) for c, q, ok, at, source in self._select(profile, query)]

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
        if self._absent():
            return {}
        from sqlalchemy import select

        table = self._t["cards"]
        rows = self._select(profile, lambda pid: select(table.c.concept, table.c.card, table.c.due, table.c.flag)
                            .where(table.c.profile_id == pid).order_by(table.c.concept))
        return {concept: (json.loads(card), due, flag) for concept, card, due, flag in rows}

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
        if self._absent():
            return []
        from sqlalchemy import select

        table = self._t["review_items"]
        rows = self._select(profile, lambda pid: select(table.c.item).where(table.c.profile_id == pid)
                            .order_by(table.c.updated_at, table.c.question))
        return [json.loads(row[0]) for row in rows]

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
