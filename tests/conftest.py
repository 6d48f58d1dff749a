"""Fixtures for every test: a private home and cache (no test reads or writes the user's), the shipped pack.

What test modules import by name (``HOSTILE``, the HTML parser, ``shared_path``, ``missing``) is in
``kgtest.py``; pytest puts this folder on ``sys.path`` itself, so no module edits it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import kg

PRIVATE_DIRS = {"HOME": "home", "KG_CACHE_DIR": "cache/kg", "XDG_CACHE_HOME": "cache", "XDG_CONFIG_HOME": "config",
                "XDG_DATA_HOME": "data", "XDG_STATE_HOME": "state", "KG_HOME": "data/kg"}


def _private_home(monkeypatch: pytest.MonkeyPatch, root: Path) -> Path:
    for variable, folder in PRIVATE_DIRS.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(variable, str(root / folder))
    for variable in ("KG_GRAPH", "KG_DB"):  # the pack and the progress database come from the test, never from the caller's shell
        monkeypatch.delenv(variable, raising=False)
    return root


@pytest.fixture(scope="session", autouse=True)
def session_home(tmp_path_factory):
    """Module- and session-scoped fixtures run before per-test ones: give them a private home too."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield _private_home(monkeypatch, tmp_path_factory.mktemp("session-home"))


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch) -> Path:
    """Each test gets its own ``HOME``, ``KG_CACHE_DIR`` and XDG folders, outside ``tmp_path`` (which tests
    use as a pack folder). Returns the root holding them."""
    return _private_home(monkeypatch, tmp_path_factory.mktemp("home"))


@pytest.fixture(scope="session")
def shipped_pack():
    """The shipped graph, loaded once. Read it, never change it: every module shares this object."""
    return kg.load_pack()


@pytest.fixture()
def small_dir(tmp_path, monkeypatch):
    """The small hand-checked pack written to a folder, and the app pointed at it (``KG_GRAPH``)."""
    from kgtest import write_small_pack

    folder = write_small_pack(tmp_path / "small")
    monkeypatch.setenv("KG_GRAPH", str(folder))
    return folder
