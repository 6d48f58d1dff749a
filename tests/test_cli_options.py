"""Every option a subcommand accepts changes what it does, and the library never imports the command line.

The parser is walked: each optional argument of each subcommand must have an entry in ``EFFECTS``
(a new option without one fails ``test_every_option_has_an_effect_case``), and running the command
with the option must differ from running it without: in standard output, standard error, exit code,
or the files it leaves (the load cache, an output file). An option that is accepted and ignored
gives the same outcome twice and fails.
"""
from __future__ import annotations

import ast
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from kgtest import ROOT

from kg import load_pack, synth
from kg.cli import build_parser, main
from kg.quiz import make_quiz

MINI = str(ROOT / "tests" / "fixtures" / "mini")
DEFAULT = ROOT / "tests" / "fixtures" / "mini" / "networks.yaml"

#: (command, option) -> (argv without the option, the option's own words). "{tmp}" is a fresh folder per
#: run; without --graph a command reads DEFAULT (standing in for the shipped graph, to keep runs fast).
EFFECTS: dict[tuple[str, str], tuple[list[str], list[str]]] = {
    ("check", "--graph"): (["check"], ["--graph", MINI]),
    ("check", "--no-cache"): (["check", "--graph", MINI], ["--no-cache"]),
    ("check", "--json"): (["check", "--graph", MINI], ["--json"]),
    ("check", "--strict"): (["check", "--graph", str(ROOT / "tests" / "fixtures" / "codes" / "isolated-concept.yaml")], ["--strict"]),
    ("check", "--max-file-mb"): (["check", "--graph", "{big}"], ["--max-file-mb", "1"]),
    ("check", "--lang"): (["check", "--graph", str(ROOT / "tests" / "fixtures" / "codes" / "isolated-concept.yaml")], ["--lang", "zh"]),
    ("order", "--graph"): (["order", "relu"], ["--graph", MINI]),
    ("order", "--no-cache"): (["order", "relu", "--graph", MINI], ["--no-cache"]),
    ("order", "--json"): (["order", "relu", "--graph", MINI], ["--json"]),
    ("order", "--lang"): (["order", "relu", "--graph", MINI], ["--lang", "zh"]),
    ("order", "--known"): (["order", "relu", "--graph", MINI], ["--known", "chain-rule"]),
    ("order", "--why"): (["order", "leaky-relu", "--graph", MINI], ["--why", "full"]),
    ("next", "--graph"): (["next"], ["--graph", MINI]),
    ("next", "--no-cache"): (["next", "--graph", MINI], ["--no-cache"]),
    ("next", "--json"): (["next", "--graph", MINI], ["--json"]),
    ("next", "--lang"): (["next", "--graph", MINI], ["--lang", "zh"]),
    ("next", "--known"): (["next", "--graph", MINI], ["--known", "chain-rule"]),
    ("next", "--limit"): (["next", "--graph", MINI], ["--limit", "1"]),
    ("related", "--graph"): (["related", "relu"], ["--graph", MINI]),
    ("related", "--no-cache"): (["related", "relu", "--graph", MINI], ["--no-cache"]),
    ("related", "--json"): (["related", "relu", "--graph", MINI], ["--json"]),
    ("related", "--lang"): (["related", "relu", "--graph", MINI], ["--lang", "zh"]),
    ("related", "--type"): (["related", "relu", "--graph", MINI], ["--type", "solves"]),
    ("related", "--depth"): (["related", "relu", "--graph", MINI], ["--depth", "2"]),
    ("path", "--graph"): (["path", "relu", "chain-rule"], ["--graph", MINI]),
    ("path", "--no-cache"): (["path", "relu", "chain-rule", "--graph", MINI], ["--no-cache"]),
    ("path", "--json"): (["path", "relu", "chain-rule", "--graph", MINI], ["--json"]),
    ("path", "--lang"): (["path", "relu", "chain-rule", "--graph", MINI], ["--lang", "zh"]),
    ("path", "--max"): (["path", "relu", "backpropagation", "--graph", MINI], ["--max", "1"]),
    ("show", "--graph"): (["show", "relu"], ["--graph", MINI]),
    ("show", "--no-cache"): (["show", "relu", "--graph", MINI], ["--no-cache"]),
    ("show", "--json"): (["show", "relu", "--graph", MINI], ["--json"]),
    ("show", "--lang"): (["show", "relu", "--graph", MINI], ["--lang", "zh"]),
    ("search", "--graph"): (["search", "relu"], ["--graph", MINI]),
    ("search", "--no-cache"): (["search", "relu", "--graph", MINI], ["--no-cache"]),
    ("search", "--json"): (["search", "relu", "--graph", MINI], ["--json"]),
    ("search", "--lang"): (["search", "relu", "--graph", MINI], ["--lang", "zh"]),
    ("search", "--limit"): (["search", "relu", "--graph", MINI], ["--limit", "1"]),
    ("stats", "--graph"): (["stats"], ["--graph", MINI]),
    ("stats", "--no-cache"): (["stats", "--graph", MINI], ["--no-cache"]),
    ("stats", "--json"): (["stats", "--graph", MINI], ["--json"]),
    ("audit", "--graph"): (["audit"], ["--graph", MINI]),
    ("audit", "--no-cache"): (["audit", "--graph", MINI], ["--no-cache"]),
    ("audit", "--json"): (["audit", "--graph", MINI], ["--json"]),
    ("audit", "--lang"): (["audit", "--graph", MINI], ["--lang", "zh"]),
    ("audit", "--top"): (["audit", "--graph", MINI], ["--top", "1"]),
    ("compare", "--graph"): (["compare", "relu", "chain-rule"], ["--graph", MINI]),
    ("compare", "--no-cache"): (["compare", "relu", "chain-rule", "--graph", MINI], ["--no-cache"]),
    ("compare", "--json"): (["compare", "relu", "chain-rule", "--graph", MINI], ["--json"]),
    ("compare", "--lang"): (["compare", "relu", "chain-rule", "--graph", MINI], ["--lang", "zh"]),
    ("export", "--format"): (["export", "--format", "json", "--graph", MINI], ["--format", "csv"]),
    ("export", "--graph"): (["export", "--format", "json"], ["--graph", MINI]),
    ("export", "--no-cache"): (["export", "--format", "json", "--graph", MINI], ["--no-cache"]),
    ("export", "--output"): (["export", "--format", "json", "--graph", MINI], ["--output", "{tmp}/out.json"]),
    ("export", "--lang"): (["export", "--format", "markdown", "--graph", MINI], ["--lang", "zh"]),
    ("export", "--focus"): (["export", "--format", "json", "--graph", MINI], ["--focus", "chain-rule"]),
    ("export", "--depth"): (["export", "--format", "json", "--graph", MINI, "--focus", "chain-rule"], ["--depth", "2"]),
    ("export", "--plan"): (["export", "--format", "json", "--graph", MINI], ["--plan", "relu"]),
    ("export", "--known"): (["export", "--format", "json", "--graph", MINI, "--plan", "relu"], ["--known", "chain-rule"]),
    ("export", "--nodes"): (["export", "--format", "csv", "--graph", MINI], ["--nodes"]),
    ("export", "--reverse-cards"): (["export", "--format", "anki", "--graph", MINI, "-o", "{tmp}/deck.apkg"], ["--reverse-cards"]),
    ("export", "--zh-name-cards"): (["export", "--format", "anki", "--graph", MINI, "-o", "{tmp}/deck.apkg"], ["--zh-name-cards"]),
    ("quiz", "--graph"): (["quiz", "--answers", "", "--flashcards"], ["--graph", "{quiz}"]),
    ("quiz", "--no-cache"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--no-cache"]),
    ("quiz", "--json"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--json"]),
    ("quiz", "--lang"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--lang", "zh"]),
    ("quiz", "--topic"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--topic", "{topic}"]),
    ("quiz", "--count"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--count", "1"]),
    ("quiz", "--seed"): (["quiz", "--graph", "{quiz}", "--answers", "", "--count", "3"], ["--seed", "7"]),
    ("quiz", "--answers"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--answers", "1,1,1,1,1,1,1"]),
    ("quiz", "--review"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--review", "{tmp}/review.json"]),
    ("quiz", "--retry"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--retry", "{review}"]),
    ("quiz", "--flashcards"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--flashcards"]),
    # the learner's commands; "{progress}" is a copy, per run, of a store whose profile "ada" knows chain-rule
    # and aims at relu (and at "{topic}" of the quiz pack)
    ("order", "--profile"): (["order", "relu", "--graph", MINI, "--db", "{progress}"], ["--profile", "ada"]),
    ("order", "--db"): (["order", "relu", "--graph", MINI, "--profile", "ada"], ["--db", "{progress}"]),
    ("order", "--fresh"): (["order", "relu", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--fresh"]),
    ("next", "--profile"): (["next", "--graph", MINI, "--db", "{progress}"], ["--profile", "ada"]),
    ("next", "--db"): (["next", "--graph", MINI, "--profile", "ada"], ["--db", "{progress}"]),
    ("next", "--fresh"): (["next", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--fresh"]),
    ("quiz", "--profile"): (["quiz", "--graph", "{quiz}", "--answers", "", "--db", "{tmp}/p.db"], ["--profile", "ada"]),
    ("quiz", "--db"): (["quiz", "--graph", "{quiz}", "--answers", ""], ["--db", "{tmp}/p.db"]),
    ("quiz", "--fresh"): (["quiz", "--graph", "{quiz}", "--answers", "", "--db", "{tmp}/p.db"], ["--fresh"]),
    ("mark", "--graph"): (["mark", "relu", "--as", "known", "--db", "{tmp}/p.db"], ["--graph", MINI]),
    ("mark", "--no-cache"): (["mark", "relu", "--as", "known", "--graph", MINI, "--db", "{tmp}/p.db"], ["--no-cache"]),
    ("mark", "--json"): (["mark", "relu", "--as", "known", "--graph", MINI, "--db", "{tmp}/p.db"], ["--json"]),
    ("mark", "--lang"): (["mark", "relu", "--as", "known", "--graph", MINI, "--db", "{tmp}/p.db"], ["--lang", "zh"]),
    ("mark", "--as"): (["mark", "relu", "--as", "known", "--graph", MINI, "--db", "{tmp}/p.db"], ["--as", "skipped"]),
    ("mark", "--profile"): (["mark", "relu", "--as", "known", "--graph", MINI, "--db", "{tmp}/p.db"], ["--profile", "ada"]),
    ("mark", "--db"): (["mark", "relu", "--as", "known", "--graph", MINI], ["--db", "{tmp}/p.db"]),
    ("targets", "--graph"): (["targets", "--db", "{progress}", "--profile", "ada"], ["--graph", MINI]),
    ("targets", "--no-cache"): (["targets", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--no-cache"]),
    ("targets", "--json"): (["targets", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--json"]),
    ("targets", "--lang"): (["targets", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--lang", "zh"]),
    ("targets", "--profile"): (["targets", "--graph", MINI, "--db", "{progress}"], ["--profile", "ada"]),
    ("targets", "--db"): (["targets", "--graph", MINI, "--profile", "ada"], ["--db", "{progress}"]),
    ("progress", "--graph"): (["progress", "--db", "{progress}", "--profile", "ada"], ["--graph", MINI]),
    ("progress", "--no-cache"): (["progress", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--no-cache"]),
    ("progress", "--json"): (["progress", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--json"]),
    ("progress", "--lang"): (["progress", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--lang", "zh"]),
    ("progress", "--profile"): (["progress", "--graph", MINI, "--db", "{progress}"], ["--profile", "ada"]),
    ("progress", "--db"): (["progress", "--graph", MINI, "--profile", "ada"], ["--db", "{progress}"]),
    ("progress", "--export"): (["progress", "--graph", MINI, "--db", "{progress}"], ["--export", "{tmp}/mine.json"]),
    ("progress", "--import"): (["progress", "--graph", MINI, "--db", "{tmp}/p.db"], ["--import", "{known}"]),
    ("diagnose", "--graph"): (["diagnose", "relu", "--simulate", "3"], ["--graph", MINI]),
    ("diagnose", "--no-cache"): (["diagnose", "relu", "--graph", MINI, "--simulate", "3"], ["--no-cache"]),
    ("diagnose", "--json"): (["diagnose", "relu", "--graph", MINI, "--simulate", "3"], ["--json"]),
    ("diagnose", "--lang"): (["diagnose", "relu", "--graph", MINI, "--simulate", "3"], ["--lang", "zh"]),
    ("diagnose", "--answers"): (["diagnose", "relu", "--graph", MINI, "--answers", "y", "--json"], ["--answers", "n"]),
    ("diagnose", "--save"): (["diagnose", "relu", "--graph", MINI, "--answers", "y", "--db", "{tmp}/p.db"], ["--save"]),
    ("diagnose", "--simulate"): (["diagnose", "relu", "--graph", MINI, "--answers", "y"], ["--simulate", "3"]),
    ("diagnose", "--slip"): (["diagnose", "relu", "--graph", MINI, "--simulate", "20", "--json"], ["--slip", "0.3"]),
    ("diagnose", "--guess"): (["diagnose", "relu", "--graph", MINI, "--simulate", "20", "--json"], ["--guess", "0.4"]),
    ("diagnose", "--max-questions"): (["diagnose", "relu", "--graph", MINI, "--simulate", "3", "--json"], ["--max-questions", "1"]),
    ("diagnose", "--seed"): (["diagnose", "relu", "--graph", MINI, "--simulate", "20", "--json"], ["--seed", "5"]),
    ("diagnose", "--profile"): (["diagnose", "relu", "--graph", MINI, "--answers", "y", "--save", "--db", "{tmp}/p.db"], ["--profile", "ada"]),
    ("diagnose", "--db"): (["diagnose", "relu", "--graph", MINI, "--answers", "y", "--save"], ["--db", "{tmp}/p.db"]),
    ("today", "--graph"): (["today", "--db", "{progress}", "--profile", "ada"], ["--graph", MINI]),
    ("today", "--no-cache"): (["today", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--no-cache"]),
    ("today", "--json"): (["today", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--json"]),
    ("today", "--lang"): (["today", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--lang", "zh"]),
    ("today", "--minutes"): (["today", "--graph", MINI, "--db", "{progress}", "--profile", "ada"], ["--minutes", "200"]),
    ("today", "--simulate"): (["today", "--graph", MINI, "--days", "3"], ["--simulate"]),
    ("today", "--days"): (["today", "--graph", MINI, "--simulate", "--days", "3", "--json"], ["--days", "5"]),
    ("today", "--concepts"): (["today", "--graph", MINI, "--simulate", "--days", "3", "--json"], ["--concepts", "2"]),
    ("today", "--seed"): (["today", "--graph", "{quiz}", "--simulate", "--days", "30", "--minutes", "200", "--json"], ["--seed", "5"]),
    ("today", "--profile"): (["today", "--graph", MINI, "--db", "{progress}"], ["--profile", "ada"]),
    ("today", "--db"): (["today", "--graph", MINI, "--profile", "ada"], ["--db", "{progress}"]),
    ("review", "--graph"): (["review", "--db", "{tmp}/p.db", "--profile", "ada", "--answers", "{yes}"], ["--graph", "{quiz}"]),
    ("review", "--no-cache"): (["review", "--graph", MINI, "--db", "{tmp}/p.db", "--answers", "{yes}"], ["--no-cache"]),
    ("review", "--json"): (["review", "--graph", MINI, "--db", "{progress}", "--profile", "ada", "--answers", "{yes}"], ["--json"]),
    ("review", "--lang"): (["review", "--graph", MINI, "--db", "{progress}", "--profile", "ada", "--answers", "{yes}"], ["--lang", "zh"]),
    ("review", "--minutes"): (["review", "--graph", MINI, "--db", "{progress}", "--profile", "ada", "--answers", "{yes}"], ["--minutes", "1"]),
    ("review", "--answers"): (["review", "--graph", MINI, "--db", "{progress}", "--profile", "ada", "--answers", "{yes}"], ["--answers", "{no}"]),
    ("review", "--seed"): (["review", "--graph", "{quiz}", "--db", "{progress}", "--profile", "ada", "--answers", "{yes}", "--minutes", "200"], ["--seed", "3"]),
    ("review", "--profile"): (["review", "--graph", MINI, "--db", "{progress}", "--answers", "{yes}"], ["--profile", "ada"]),
    ("review", "--db"): (["review", "--graph", MINI, "--profile", "ada", "--answers", "{yes}"], ["--db", "{progress}"]),
    ("synth", "--files"): (["synth", "30", "{tmp}/pack"], ["--files", "3"]),
    ("synth", "--seed"): (["synth", "30", "{tmp}/pack"], ["--seed", "5"]),
}


def subcommands() -> dict:
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return action.choices


def accepted_options() -> list[tuple[str, str]]:
    found = []
    for name, parser in subcommands().items():
        for action in parser._actions:
            if action.option_strings and action.dest != "help":
                found.append((name, max(action.option_strings, key=len)))
    return found


def outcome(argv: list[str], tmp_path: Path, capsys, monkeypatch, fixtures: dict) -> tuple:
    """Everything a run can change: exit code, both streams, and the files left in the cache and the run folder."""
    run_dir = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    run_dir.mkdir()
    cache = run_dir / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(cache))
    for module in ("kg.pack", "kg.cache"):
        monkeypatch.setattr(f"{module}.default_pack_path", lambda: DEFAULT)
    progress = run_dir / "progress.db"  # each run gets its own copy of the fixture profile store
    shutil.copyfile(fixtures["progress_given"], progress)
    words = [part.format(tmp=run_dir, progress=progress, **fixtures) for part in argv]
    code = main(words)
    out, err = capsys.readouterr()
    out = out.replace(str(run_dir), "{tmp}")
    err = err.replace(str(run_dir), "{tmp}")
    files = sorted(str(path.relative_to(run_dir)) for path in run_dir.rglob("*") if path.is_file())
    contents = {name: (run_dir / name).read_bytes() for name in files if not name.startswith("cache")}
    for name in [n for n in contents if n.endswith(".apkg")]:  # a deck's bytes hold its time: compare its notes
        unpacked = run_dir / f"{name}.unpacked"
        unpacked.mkdir()
        contents[name] = sorted(json.dumps(note, sort_keys=True) for note in _anki_notes(run_dir / name, unpacked))
    return code, out, err, files, contents


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("fixtures")
    big = folder / "big.yaml"  # over 1 MB: refused with --max-file-mb 1
    filler = "# " + "x" * 1000 + "\n"
    big.write_text((Path(MINI) / "basics.yaml").read_text(encoding="utf-8") + filler * 1100, encoding="utf-8")
    quiz = folder / "quiz"  # the mini pack is too small for multiple-choice questions
    synth.write_pack(60, quiz, seed=1)
    questions = make_quiz(load_pack(quiz), count=10, seed=3)
    review = folder / "review.json"
    review.write_text(json.dumps({"format": 1, "items": [{"id": questions[-1].id}]}), encoding="utf-8")
    from kg.store import Store

    progress = folder / "progress.db"  # profile "ada": knows chain-rule, aims at relu (and a concept of the quiz pack)
    store = Store(str(progress))
    store.mark("ada", ["chain-rule"], "known")
    store.add_targets("ada", ["relu", questions[0].concept])
    store.close()
    known = folder / "kg-known.json"
    known.write_text(json.dumps({"format": "kg-known", "version": 1, "known": ["relu"]}), encoding="utf-8")
    yes, no = folder / "yes.txt", folder / "no.txt"
    yes.write_text("y\n" * 40, encoding="utf-8")
    no.write_text("n\n" * 40, encoding="utf-8")
    return {"big": str(big), "review": str(review), "quiz": str(quiz), "topic": questions[0].concept,
            "progress_given": str(progress), "known": str(known), "yes": str(yes), "no": str(no)}


def test_every_option_has_an_effect_case():
    assert sorted(set(accepted_options()) - set(EFFECTS)) == [], "add a case to EFFECTS for each new option"
    assert sorted(set(EFFECTS) - set(accepted_options())) == [], "EFFECTS names options that no longer exist"


@pytest.mark.parametrize("command, option", sorted(EFFECTS))
def test_option_changes_the_outcome(command, option, tmp_path, capsys, monkeypatch, fixtures):
    base, extra = EFFECTS[(command, option)]
    without = outcome(base, tmp_path, capsys, monkeypatch, fixtures)
    with_option = outcome(base + extra, tmp_path, capsys, monkeypatch, fixtures)
    assert without[0] in (0, 1) or command == "check", without  # the baseline is a working run
    assert with_option != without, f"kg {command} {option} was accepted and changed nothing"


def test_options_a_command_does_not_honour_are_refused(capsys):
    for argv in (["stats", "--lang", "zh"], ["export", "--format", "json", "--json"],
                 ["synth", "3", "out", "--json"], ["synth", "3", "out", "--graph", "x"], ["import", "metacademy", "a", "b", "--no-cache"],
                 ["check", "--format", "json"]):
        assert main(argv) == 2, argv
        assert "unrecognized arguments" in capsys.readouterr().err, argv


@pytest.mark.parametrize("argv, message", [
    (["export", "--format", "json", "--lang", "zh"], "--format json does not use lang"),
    (["export", "--format", "json", "--nodes"], "--format json does not use nodes_table"),
    (["export", "--format", "json", "--depth", "2"], "--depth needs --focus"),
    (["export", "--format", "json", "--known", "relu"], "--known needs --plan"),
])
def test_export_refuses_an_option_the_format_does_not_use(capsys, argv, message):
    assert main([*argv, "--graph", MINI]) == 2
    assert message in capsys.readouterr().err


def _anki_notes(path: Path, tmp_path: Path) -> list[dict]:
    from kg.export.anki import FIELDS

    with zipfile.ZipFile(path) as archive:
        archive.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    notes = []
    for mid, fields, tags in db.execute("SELECT mid, flds, tags FROM notes"):
        note = dict(zip(FIELDS, fields.split("\x1f")))
        note["front"] = models[str(mid)]["tmpls"][0]["qfmt"]
        note["model"] = models[str(mid)]["name"]
        note["tags"] = tags.split()
        notes.append(note)
    db.close()
    return notes


def test_anki_deck_in_chinese_puts_chinese_first(tmp_path, capsys):
    decks = {}
    for lang in ("en", "zh"):
        target = tmp_path / f"{lang}.apkg"
        assert main(["export", "--format", "anki", "--lang", lang, "--graph", MINI, "-o", str(target)]) == 0
        folder = tmp_path / lang
        folder.mkdir()
        decks[lang] = {note["Id"]: note for note in _anki_notes(target, folder)}
    en, zh = decks["en"]["relu"], decks["zh"]["relu"]
    assert en["Name"] == zh["Name"] == "ReLU" and en["NameZh"] == zh["NameZh"] == "修正线性单元"
    assert en["front"].index("{{Name}}") < en["front"].index("{{NameZh}}")
    assert zh["front"].index("{{NameZh}}") < zh["front"].index("{{Name}}")  # the Chinese name is the card's title
    assert en["Kind"] == "activation" and zh["Kind"] == "激活函数"
    assert en["Relations"].startswith("<ul><li><b>solves</b> Vanishing Gradient (梯度消失)")
    assert zh["Relations"].startswith("<ul><li><b>解决</b> 梯度消失 (Vanishing Gradient)")


def test_anki_options_add_their_notes_and_nothing_else(tmp_path, capsys):
    def notes(*extra):
        target = tmp_path / f"deck{len(list(tmp_path.iterdir()))}.apkg"
        assert main(["export", "--format", "anki", "--graph", MINI, "-o", str(target), *extra]) == 0
        folder = tmp_path / f"{target.stem}-unpacked"
        folder.mkdir()
        return _anki_notes(target, folder)

    plain, reverse, zh_names = notes(), notes("--reverse-cards"), notes("--zh-name-cards")
    concepts = load_pack(MINI).graph
    with_summary = sum(1 for n in concepts if concepts.nodes[n].get("summary"))
    with_zh = sum(1 for n in concepts if concepts.nodes[n].get("name_zh") not in (None, "", concepts.nodes[n].get("name")))
    assert len(reverse) == len(plain) + with_summary and with_summary > 0
    assert len(zh_names) == len(plain) + with_zh and with_zh > 0
    assert {n["model"] for n in reverse} - {n["model"] for n in plain} == {"kg concept reverse (summary to name)"}
    assert main(["export", "--format", "csv", "--graph", MINI, "--reverse-cards"]) == 2  # not an option of csv
    capsys.readouterr()


def cli_imports(source: str) -> list[int]:
    """Line numbers where ``source`` (a module inside kg/) imports kg.cli, however it is spelt."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if module.lstrip(".") in ("cli", "kg.cli") or (module.strip(".") in ("", "kg") and "cli" in [a.name for a in node.names]):
                lines.append(node.lineno)
        elif isinstance(node, ast.Import) and any(alias.name == "kg.cli" for alias in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__"):
            if any(isinstance(arg, ast.Constant) and str(arg.value).endswith("cli") for arg in node.args):
                lines.append(node.lineno)
    return lines


def test_the_import_finder_sees_every_spelling():
    for source in ("from .cli import _load", "from ..cli import main", "from kg.cli import main", "import kg.cli",
                   "from . import cli", "from kg import cli", "import importlib\nimportlib.import_module('kg.cli')"):
        assert cli_imports("def f():\n    " + source.replace("\n", "\n    ")), source
    assert cli_imports("from .client import x\nfrom .queries import cli_name") == []


def test_no_library_module_imports_the_command_line():
    found = {str(path.relative_to(ROOT)): cli_imports(path.read_text(encoding="utf-8"))
             for path in sorted((ROOT / "kg").rglob("*.py")) if path.name not in ("cli.py", "__main__.py")}
    assert {name: lines for name, lines in found.items() if lines} == {}
