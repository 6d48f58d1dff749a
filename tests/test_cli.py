"""The kg command: every subcommand works, is documented, and fails cleanly."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kgtest import missing

from kg.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
MINI = str(Path(__file__).parent / "fixtures" / "mini")
CODES_DIR = Path(__file__).parent / "fixtures" / "codes"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def test_every_subcommand_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, sub in subcommands().items():
        assert sub.description and len(sub.description) > 20, name
        assert f"kg {name}" in readme, f"'kg {name}' is not documented in README.md"
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"kg {name} {action.option_strings or action.dest} has no help"


def test_check_exit_codes(capsys):
    assert run(capsys, "check", "--graph", MINI)[0] == 0
    code, out, _ = run(capsys, "check", "--graph", str(CODES_DIR / "unknown-target.yaml"))
    assert code == 1 and "error unknown-target" in out and "did you mean 'batch-normalization'?" in out
    assert run(capsys, "check", "--graph", str(CODES_DIR / "isolated-concept.yaml"))[0] == 0
    assert run(capsys, "check", "--strict", "--graph", str(CODES_DIR / "isolated-concept.yaml"))[0] == 1
    assert run(capsys, "check", "--strict", "--graph", str(CODES_DIR / "redundant-requires.yaml"))[0] == 0  # infos never fail
    assert run(capsys, "check", "--bogus")[0] == 2


def test_check_json(capsys):
    code, out, _ = run(capsys, "check", "--json", "--graph", str(CODES_DIR / "self-loop.yaml"))
    data = json.loads(out)
    assert code == 1 and data["counts"]["error"] == 1
    (problem,) = data["problems"]
    assert problem["code"] == "self-loop" and problem["line"] == 8 and problem["severity"] == "error"


@pytest.mark.parametrize("argv", [
    ["order", "leaky relu", "--known", "backprop"],
    ["next", "--known", "chain-rule"],
    ["related", "ReLU", "--depth", "2"],
    ["path", "leaky-relu", "backpropagation"],
    ["show", "反向传播"],
    ["search", "backprop"],
    ["stats"],
    ["export", "--format", "json"],
])
def test_queries_on_a_given_pack_text_and_json(capsys, argv):
    code, out, err = run(capsys, *argv, "--graph", MINI)
    assert code == 0 and out.strip() and not err, err
    if argv[0] != "export":
        code, out, err = run(capsys, *argv, "--graph", MINI, "--json")
        assert code == 0
        json.loads(out)


def test_order_output_reads_as_a_plan(capsys):
    _, out, _ = run(capsys, "order", "leaky-relu", "--graph", MINI)
    lines = out.splitlines()
    assert lines[0] == "Study plan for Leaky ReLU (带泄漏的 ReLU): 5 steps, 2 h 20 min"
    assert lines[1].strip().startswith("1. Chain Rule")
    assert "because Leaky ReLU is a variant of ReLU" in out


def test_export_json_is_node_link(capsys, tmp_path):
    target = tmp_path / "out.json"
    assert run(capsys, "export", "--format", "json", "-o", str(target), "--graph", MINI)[0] == 0
    data = json.loads(target.read_text())
    assert {n["id"] for n in data["nodes"]} >= {"relu", "backpropagation"}
    relu = next(n for n in data["nodes"] if n["id"] == "relu")
    assert relu["name_zh"] == "修正线性单元" and relu["aliases"] == ["Rectified Linear Unit"]
    assert {"source": "relu", "target": "vanishing-gradient", "type": "solves",
            "why": "Its derivative does not shrink for positive inputs.", "why_zh": "正输入时它的导数不会变小。"} in data["links"]


def test_export_refuses_to_overwrite_the_pack(capsys, tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text((Path(MINI) / "networks.yaml").read_text())
    before = pack.read_bytes()
    code, _, err = run(capsys, "export", "--format", "json", "--graph", str(pack), "-o", str(pack))
    assert code == 2 and "refusing" in err and pack.read_bytes() == before


def test_unknown_concept_is_exit_1_with_suggestions(capsys):
    code, out, err = run(capsys, "order", "backpropogation", "--graph", MINI)
    assert code == 1 and "did you mean 'backpropagation'" in err and "Traceback" not in err


def test_errors_are_said_in_the_language_asked_for(capsys):
    code, _, err = run(capsys, "order", "backpropogation", "--graph", MINI, "--lang", "zh")
    assert code == 1 and err.startswith("kg: 不存在的概念 'backpropogation';是否应为 'backpropagation'") and "unknown" not in err
    code, _, err = run(capsys, "order", "x", "--graph", "/nonexistent/pack", "--lang", "zh")
    assert code == 2 and err.startswith("kg: 无法读取概念包:/nonexistent/pack:无法读取:文件或文件夹不存在"), err


def test_missing_pack_is_reported_not_raised(capsys):
    code, out, err = run(capsys, "check", "--graph", "/nonexistent/pack")
    assert code == 2 and "io-error" in out
    code, out, err = run(capsys, "stats", "--graph", "/nonexistent/pack")
    assert code == 2 and "cannot read the pack" in err and not out


def test_kg_command_imports_neither_streamlit_nor_pyvis():
    script = ("import sys; from kg.cli import main; main(['order', 'leaky-relu', '--graph', %r]); "
              "main(['export', '--format', 'json', '--graph', %r]); "
              "bad = [m for m in ('streamlit', 'pyvis') if m in sys.modules]; assert not bad, bad" % (MINI, MINI))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_python_m_kg_and_console_script_agree():
    console_script = Path(sys.executable).with_name("kg")  # installed by pip beside this interpreter
    if not console_script.is_file():
        missing(f"the kg console script is not installed at {console_script}")
    runs = [subprocess.run([*command, "check", "--graph", MINI, "--no-cache"], capture_output=True, text=True, cwd=ROOT)
            for command in ([sys.executable, "-m", "kg"], [str(console_script)])]
    assert runs[0].returncode == runs[1].returncode == 0
    assert runs[0].stdout == runs[1].stdout and "7 concepts" in runs[0].stdout
