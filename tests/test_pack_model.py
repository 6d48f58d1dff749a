"""The Pack owns its derived data: built on first use, dropped or kept deliberately when pickled."""
from __future__ import annotations

import ast
import pickle
import re

from kgtest import ROOT

from kg import load_pack
from kg.search import search

MINI = ROOT / "tests" / "fixtures" / "mini"


def test_search_index_is_built_once_and_not_pickled():
    pack = load_pack(MINI)
    assert "search_index" not in vars(pack)
    assert search(pack, "relu")[0].id == "relu"
    index = pack.search_index
    assert search(pack, "backprop")[0].id == "backpropagation" and pack.search_index is index  # built once
    copy = pickle.loads(pickle.dumps(pack))
    assert "search_index" not in vars(copy) and "_names" not in vars(copy)
    assert "study" in vars(copy)  # every query needs it; reading it back beats rebuilding it
    assert sorted(copy.study.edges) == sorted(pack.study.edges)
    assert search(copy, "leaky")[0].id == "leaky-relu"  # rebuilt on first use
    assert "search_index" in vars(pack)  # pickling never takes anything away from the original


def test_clear_derived_forgets_and_rebuilds():
    pack = load_pack(MINI)
    edges = sorted(pack.study.edges)
    pack.resolve("ReLU")
    pack.clear_derived()
    assert not {"study", "search_index", "_names"} & set(vars(pack))
    assert sorted(pack.study.edges) == edges and pack.resolve("ReLU") == "relu"


def test_problems_name_the_file_as_asked(tmp_path):
    single = tmp_path / "upload-1234.yaml"
    single.write_text("- id: a\n  name: A\n  kind: concept\n  summary: S.\n  requires: [b]\n", encoding="utf-8")
    assert [p.path for p in load_pack(single, shown_as="my pack.yaml").errors] == ["my pack.yaml"]
    folder = tmp_path / "unzipped"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "x.yaml").write_text(single.read_text(encoding="utf-8"), encoding="utf-8")
    assert [p.path for p in load_pack(folder, shown_as="pack.zip").errors] == ["pack.zip/sub/x.yaml"]
    assert str(tmp_path) not in str(load_pack(folder, shown_as="pack.zip").problems)


def test_no_module_reaches_into_a_packs_dict():
    offenders = [f"{path.relative_to(ROOT)}:{number}" for path in [*sorted((ROOT / "kg").rglob("*.py")), ROOT / "app.py"]
                 if path.name != "pack.py"
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if re.search(r"__dict__|vars\(", line)]
    assert offenders == []


def test_checks_and_search_need_no_pack_at_run_time():
    """pack.py imports checks and search at the top; they import Pack only for type hints, so there is no cycle."""
    for name in ("checks.py", "search.py"):
        tree = ast.parse((ROOT / "kg" / name).read_text(encoding="utf-8"))
        runtime = [node for node in tree.body if isinstance(node, ast.ImportFrom) and node.module in ("pack", "kg.pack")]
        assert runtime == [], name
