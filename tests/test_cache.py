"""The load cache: hits, stale entries after an edit, corrupt entries rebuilt, --no-cache, private folder only."""
from __future__ import annotations

import os

import pytest

import kg.cache as cache
from kg.cache import entry_path, load_pack_cached
from kg.cli import main

CONCEPTS = """\
- id: a
  name: A
  name_zh: 甲
  kind: concept
  summary: First.
  summary_zh: 第一。
- id: b
  name: B
  name_zh: 乙
  kind: concept
  summary: Second.
  summary_zh: 第二。
  requires: [a]
"""


@pytest.fixture
def pack_dir(tmp_path, monkeypatch):
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "a.yaml").write_text(CONCEPTS, encoding="utf-8")
    store = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(store))
    monkeypatch.delenv("KG_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def count_loads(monkeypatch):
    calls = []
    real = cache.load_pack

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "load_pack", counting)
    return calls


def test_second_load_is_a_hit(pack_dir, count_loads):
    first = load_pack_cached(pack_dir)
    assert len(count_loads) == 1 and entry_path(pack_dir).is_file()
    second = load_pack_cached(pack_dir)
    assert len(count_loads) == 1
    assert sorted(second.graph.edges(keys=True)) == sorted(first.graph.edges(keys=True)) == [("b", "a", "requires")]
    assert second.problems == first.problems
    assert [s.id for s in __import__("kg.queries").queries.study_order(second, ["b"]).steps] == ["a", "b"]


def test_edit_makes_the_entry_stale(pack_dir, count_loads):
    load_pack_cached(pack_dir)
    file = pack_dir / "a.yaml"
    before = file.stat()
    file.write_text(CONCEPTS.replace("name: B", "name: Bee"), encoding="utf-8")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert load_pack_cached(pack_dir).graph.nodes["b"]["name"] == "Bee"
    assert len(count_loads) == 2
    assert len(list(entry_path(pack_dir).parent.iterdir())) == 1  # overwritten, not piled up


def test_new_file_makes_the_entry_stale(pack_dir, count_loads):
    load_pack_cached(pack_dir)
    (pack_dir / "b.yaml").write_text("- id: c\n  name: C\n  kind: concept\n  summary: Third.\n  requires: [b]\n", encoding="utf-8")
    assert "c" in load_pack_cached(pack_dir).graph
    assert len(count_loads) == 2


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_corrupt_entry_is_rebuilt(pack_dir, count_loads, damage):
    load_pack_cached(pack_dir)
    entry = entry_path(pack_dir)
    blob = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip":
        entry.write_bytes(blob[:-20] + bytes([blob[-20] ^ 0xFF]) + blob[-19:])
    elif damage == "garbage":
        entry.write_bytes(b"not a cache entry at all")
    else:
        entry.write_bytes(b"")
    pack = load_pack_cached(pack_dir)
    assert len(count_loads) == 2 and set(pack.graph) == {"a", "b"}
    load_pack_cached(pack_dir)  # and the rebuilt entry is good again
    assert len(count_loads) == 2


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_shared_writable_folder_is_not_trusted(pack_dir, count_loads):
    load_pack_cached(pack_dir)
    entry_path(pack_dir).parent.chmod(0o777)
    load_pack_cached(pack_dir)
    assert len(count_loads) == 2  # not read from a folder others could have written


def test_no_cache_flag_neither_reads_nor_writes(pack_dir, capsys):
    assert main(["check", "--graph", str(pack_dir), "--no-cache"]) == 0
    assert not entry_path(pack_dir).exists()
    assert main(["check", "--graph", str(pack_dir)]) == 0
    assert entry_path(pack_dir).is_file()
    entry_path(pack_dir).write_bytes(b"junk")
    assert main(["order", "b", "--graph", str(pack_dir), "--no-cache"]) == 0
    assert entry_path(pack_dir).read_bytes() == b"junk"
    assert "2 steps" in capsys.readouterr().out


def test_unwritable_cache_folder_still_loads(pack_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "sub"))
    assert set(load_pack_cached(pack_dir).graph) == {"a", "b"}
