"""A real PostgreSQL server for the store's tests, started by the test session itself, and ``store_url``:
every store test runs once on SQLite and once on PostgreSQL.

The server comes from Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``), the README's test
command installs it. It listens on 127.0.0.1 at a free port, with its unix socket in its own temporary
folder, and is stopped and deleted at the end. As root, initdb and postgres run as the ``postgres`` user
(they refuse to run as root). When it cannot start, store tests on PostgreSQL are skipped, except under
``CI=true`` where that is a failure.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="kg-pg-"))
        self.data = self.folder / "data"
        self.sockets = self.folder / "sockets"
        self.sockets.mkdir()
        self.log = self.folder / "server.log"
        self.port = None
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            import pwd

            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no 'postgres' user to run the server as") from None
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            os.chown(self.sockets, account.pw_uid, account.pw_gid)
            os.chmod(self.folder, 0o755)
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            self.prefix = [runuser, "-u", "postgres", "--"]

    def _run(self, *command, timeout=120):
        return subprocess.run([*self.prefix, *command], capture_output=True, text=True, timeout=timeout, cwd=self.folder)

    def start(self) -> None:
        made = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "kg", "--auth=trust",
                         "-E", "UTF8", "--no-locale", "--no-sync")
        if made.returncode:
            raise RuntimeError(f"initdb failed: {made.stderr.strip() or made.stdout.strip()}")
        last = ""
        for _ in range(5):  # a port found free can be taken before the server binds it: try another
            self.port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
            started = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                                "-w", "-t", "60", "start")
            if started.returncode == 0:
                return
            last = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else started.stderr
        raise RuntimeError(f"PostgreSQL did not start: {last}")

    def stop(self) -> None:
        if self.data.exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://kg@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server():
    bindir = _binaries()
    if bindir is None:
        message = "PostgreSQL is not installed (apt-get install postgresql)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bindir)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as err:
        server.stop()
        if IN_CI:
            pytest.fail(str(err))
        pytest.skip(str(err))
    yield server
    server.stop()


_numbers = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty progress database: an SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'progress.db'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"kg_test_{os.getpid()}_{next(_numbers)}_{int(time.time() * 1000) % 100000}")
