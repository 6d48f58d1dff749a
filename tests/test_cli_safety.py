"""Every kg subcommand on broken and hostile packs and with bad arguments: exit 0/1/2, never a traceback.

Exit codes (kg/cli.py): 0 success, 1 problems found or unknown concept, 2 usage or I/O error.
Writes go through kg.fsutil.atomic_write and never overwrite the pack.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg import fsutil
from kg.cli import build_parser, main
from kg.export import EXPORTERS

ROOT = Path(__file__).resolve().parents[1]
GOOD = "- id: {id}\n  name: {name}\n  name_zh: 名\n  kind: concept\n  summary: S.\n  summary_zh: 说明。\n"


def build_broken(folder: Path) -> Path:
    """A pack with one of almost everything wrong, plus a few usable concepts."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.yaml").write_text(
        GOOD.format(id="a", name="Alpha") + "  requires: [b]\n" + GOOD.format(id="b", name="Beta")
        + GOOD.format(id="c", name="Gamma") + "  requires: [d]\n" + GOOD.format(id="d", name="Delta") + "  requires: [c]\n"
        + GOOD.format(id="e", name="Epsilon") + "  requires: [nowhere]\n  varient-of: [a]\n", encoding="utf-8")
    (folder / "tag.yaml").write_text("- !!python/object/apply:os.mkdir [" + str(folder / "pwned") + "]\n", encoding="utf-8")
    (folder / "bomb.yaml").write_text("a: &a [x, x]\nb: &b [*a, *a]\n", encoding="utf-8")
    (folder / "deep.yaml").write_text("[" * 3000, encoding="utf-8")
    (folder / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (folder / "utf16.yaml").write_bytes(GOOD.format(id="f", name="Phi").encode("utf-16"))
    (folder / "scalar.yml").write_text("just text\n", encoding="utf-8")
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    (folder / "zz-dups.yaml").write_text(GOOD.format(id="a", name="Again") + "  name: Twice\n", encoding="utf-8")
    return folder


@pytest.fixture
def broken(tmp_path):
    return build_broken(tmp_path / "broken")


@pytest.fixture
def empty(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def run(capsys, *argv):
    code = main([str(part) for part in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out, err
    assert code in (0, 1, 2), code
    return code, out, err


def commands():
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return set(action.choices)


# Arguments per command on the broken pack: (argv, expected exit code). None: 0 or 1 are both fine.
CASES = [
    (["check"], 1),
    (["check", "--json"], 1),
    (["check", "--strict"], 1),
    (["check", "--max-file-mb", "1"], 1),
    (["mark", "a", "b", "--as", "known"], 0),
    (["mark", "nosuch", "--as", "known"], 1),
    (["targets", "add", "c"], 0),
    (["targets", "remove", "nosuch"], 0),
    (["progress"], 0),
    (["progress", "--json"], 0),
    (["diagnose", "a", "--answers", "y,y,y"], 0),
    (["diagnose", "c", "--simulate", "3"], 2),  # c and d require each other: no plan to place on
    (["diagnose", "nosuch", "--simulate", "3"], 1),
    (["today"], 0),
    (["today", "--simulate", "--days", "3"], 2),  # the whole pack has a study cycle: no plan to simulate
    (["review", "--answers", "/dev/null"], None),
    (["order", "a"], 0),
    (["order", "Alpha", "--known", "b"], 0),
    (["order", "c"], 2),  # c and d require each other: no order exists
    (["order", "nosuch"], 1),
    (["order", "a", "--known", "nosuch"], 1),
    (["next", "--known", "b"], 0),
    (["next"], 0),
    (["next", "--known", "nosuch"], 1),
    (["related", "a"], 0),
    (["related", "a", "--type", "requires", "--depth", "3"], 0),
    (["related", "nosuch"], 1),
    (["path", "a", "b"], 0),
    (["path", "a", "f"], 0),
    (["path", "a", "nosuch"], 1),
    (["show", "a"], 0),
    (["show", "名"], 0),
    (["show", "nosuch"], 1),
    (["search", "alpah"], 0),
    (["search", "zzqqxx"], 1),
    (["search", "<script>", "'", '"', "\\"], None),
    (["stats"], 0),
    (["audit"], 2),  # c and d require each other: plans are undefined
    (["compare", "a", "b"], 0),
    (["compare", "a", "b", "Alpha"], 2),  # the same concept twice
    (["compare", "a"], 2),
    (["compare", "a", "nosuch"], 1),
    (["export", "--format", "json", "--focus", "nosuch"], 1),
    (["export", "--format", "json", "--plan", "c"], 2),
    (["quiz", "--count", "2", "--seed", "1", "--answers", "1,1"], None),
    (["quiz", "--topic", "nosuch", "--answers", "1"], None),
    (["quiz", "--flashcards", "--count", "3"], None),
]


@pytest.mark.parametrize("argv, expected", CASES, ids=lambda value: " ".join(value) if isinstance(value, list) else str(value))
def test_commands_on_a_broken_pack(capsys, broken, argv, expected):
    code, out, err = run(capsys, *argv, "--graph", broken)
    if expected is not None:
        assert code == expected, (out, err)
    else:
        assert code in (0, 1), (out, err)
    assert not (broken / "pwned").exists()


@pytest.mark.parametrize("format_", sorted(EXPORTERS))
def test_every_export_format_on_a_broken_pack(capsys, broken, tmp_path, format_):
    binary = EXPORTERS[format_][1]
    code, out, err = run(capsys, "export", "--format", format_, "--graph", broken)
    assert code == (2 if binary else 0), err
    target = tmp_path / f"out.{format_}"
    code, out, err = run(capsys, "export", "--format", format_, "-o", target, "--graph", broken)
    assert code == 0 and target.stat().st_size > 0, err


def test_every_command_is_covered():
    covered = {argv[0] for argv, _ in CASES} | {"export", "import", "synth"}
    assert commands() <= covered, commands() - covered


@pytest.mark.parametrize("name", ["missing", "empty", "file-not-yaml", "fifo-root"])
@pytest.mark.parametrize("command", [["check"], ["order", "a"], ["next"], ["related", "a"], ["path", "a", "b"], ["show", "a"],
                                     ["search", "a"], ["stats"], ["export", "--format", "json"], ["quiz", "--answers", "1"],
                                     ["audit"], ["compare", "a", "b"]])
def test_commands_on_missing_or_empty_packs(capsys, tmp_path, empty, name, command):
    if name == "missing":
        graph = tmp_path / "does-not-exist"
    elif name == "empty":
        graph = empty
    elif name == "file-not-yaml":
        graph = tmp_path / "notes.txt"
        graph.write_bytes(b"\x00\x01 not yaml")
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs")
        graph = tmp_path / "pipe.yaml"
        os.mkfifo(graph)
    code, out, err = run(capsys, *command, "--graph", graph)
    if name in ("missing", "fifo-root"):
        assert code == 2  # the pack itself cannot be read: an I/O error, for every command
    elif command[0] == "check":
        assert code == (1 if name == "file-not-yaml" else 0)
    else:
        # nothing to find: naming a concept (or asking for a quiz or a search hit) is exit 1, listing nothing is 0
        assert code == (0 if command[0] in ("next", "stats", "export", "audit") else 1)


@pytest.mark.parametrize("argv", [
    [],
    ["nosuch-command"],
    ["check", "--format", "xml"],
    ["check", "--max-file-mb", "lots"],
    ["order"],
    ["related", "a", "--depth", "9"],
    ["related", "a", "--depth", "-1"],
    ["path", "a"],
    ["next", "--limit", "x"],
    ["search"],
    ["export"],
    ["export", "--format", "pdf"],
    ["show", "a", "--lang", "fr"],
    ["quiz", "--count", "many"],
    ["synth", "-5"],
    ["synth", "many", "out"],
    ["import", "metacademy"],
    ["import", "nosuch-format", "a", "b"],
    ["--graph"],
])
def test_bad_arguments_are_usage_errors(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)


def test_help_and_version_exit_0(capsys):
    assert run(capsys, "--help")[0] == 0
    assert run(capsys, "--version")[0] == 0
    for name in commands():
        assert run(capsys, name, "--help")[0] == 0


def test_import_and_synth_with_bad_paths(capsys, tmp_path, broken):
    assert run(capsys, "import", "metacademy", tmp_path / "nowhere", tmp_path / "out")[0] == 2
    # synth and import refuse to write into a folder that is not new or empty (here: the pack itself)
    before = {p: p.read_bytes() for p in broken.iterdir() if p.is_file() and not p.is_fifo()}
    assert run(capsys, "synth", "3", broken)[0] == 2
    assert run(capsys, "import", "metacademy", tmp_path, broken)[0] == 2
    assert {p: p.read_bytes() for p in before} == before


def test_synth_of_zero_concepts_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "synth", "0", tmp_path / "zero")
    assert code == 2 and "at least 1" in err and not (tmp_path / "zero").exists()


# --- writes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["same", "relative", "dotdot", "symlink"])
def test_export_onto_a_pack_file_is_refused(capsys, broken, tmp_path, monkeypatch, spelling):
    target = broken / "good.yaml"
    before = target.read_bytes()
    monkeypatch.chdir(tmp_path)
    if spelling == "same":
        output = str(target)
    elif spelling == "relative":
        output = "broken/good.yaml"
    elif spelling == "dotdot":
        output = "broken/../broken/./good.yaml"
    else:
        (tmp_path / "link.json").symlink_to(target)
        output = "link.json"
    code, out, err = run(capsys, "export", "--format", "json", "-o", output, "--graph", broken)
    assert code == 2 and "refusing" in err
    assert target.read_bytes() == before


def test_export_onto_a_single_file_pack_is_refused(capsys, tmp_path):
    pack = tmp_path / "one.yaml"
    pack.write_text(GOOD.format(id="a", name="A"), encoding="utf-8")
    before = pack.read_bytes()
    for format_ in ("json", "markdown", "dot"):
        code, _, err = run(capsys, "export", "--format", format_, "-o", pack, "--graph", pack)
        assert code == 2, err
    assert pack.read_bytes() == before


def test_export_onto_a_folder_or_into_a_missing_one(capsys, broken, tmp_path):
    code, _, err = run(capsys, "export", "--format", "json", "-o", tmp_path, "--graph", broken)
    assert code == 2 and err
    code, _, _ = run(capsys, "export", "--format", "json", "-o", tmp_path / "new" / "dir" / "out.json", "--graph", broken)
    assert code == 0 and (tmp_path / "new" / "dir" / "out.json").exists()


def leftovers(folder: Path):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_interrupted_write_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch, where, error):
    target = tmp_path / "out.json"
    target.write_text("old content", encoding="utf-8")

    def fail(*args, **kwargs):
        raise error

    if where == "write":
        real_fdopen = os.fdopen

        class Half:
            def __init__(self, stream):
                self.stream = stream

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.stream.close()

            def write(self, data):
                self.stream.write(data[: len(data) // 2])
                self.stream.flush()
                raise error

            def __getattr__(self, name):
                return getattr(self.stream, name)

        monkeypatch.setattr(fsutil.os, "fdopen", lambda *a, **k: Half(real_fdopen(*a, **k)))
    else:
        monkeypatch.setattr(fsutil.os, where, fail)
    with pytest.raises(type(error)):
        fsutil.atomic_write(target, "new content " * 1000)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old content"
    assert leftovers(tmp_path) == []


def test_interrupted_export_exits_2_and_keeps_the_old_file(capsys, broken, tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, "fsync", fail)
    code, _, err = run(capsys, "export", "--format", "json", "-o", target, "--graph", broken)
    assert code == 2 and "No space left" in err
    assert target.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_export_to_a_read_only_folder(capsys, broken, tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere (and CI runs as root): refuse as the kernel would for anyone else
        def refuse(*args, dir=None, **kwargs):
            raise PermissionError(13, "Permission denied", str(dir))
        monkeypatch.setattr(fsutil.tempfile, "mkstemp", refuse)
    try:
        code, out, err = run(capsys, "export", "--format", "json", "-o", folder / "out.json", "--graph", broken)
        assert code == 2 and "Permission denied" in err and not out
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


# --- the real process ------------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["check", "--graph", "{broken}"],
    ["order", "c", "--graph", "{broken}"],
    ["show", "nosuch", "--graph", "{broken}"],
    ["export", "--format", "anki", "--graph", "{broken}"],
    ["related", "a", "--depth", "9"],
    ["stats", "--graph", "{missing}"],
])
def test_no_traceback_from_the_real_command(tmp_path, argv):
    broken = build_broken(tmp_path / "broken")
    argv = [part.format(broken=broken, missing=tmp_path / "missing") for part in argv]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "kg", *argv], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert result.returncode in (1, 2), result
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() or argv[0] == "check"  # check prints its problems on stdout
