"""The shipped graph is found from an installed wheel as well as from a checkout."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import kg
import kg.d2l

ROOT = Path(__file__).resolve().parents[1]


def test_checkout_finds_the_shipped_graph():
    assert kg.default_pack_path() == ROOT / "graph"


def test_installed_wheel_carries_the_graph(tmp_path):
    wheels, target, source = tmp_path / "wheels", tmp_path / "site", tmp_path / "source"
    # Build from a clean copy: an in-tree build/ keeps copies of graph files since renamed or deleted,
    # and setuptools would ship them beside the new ones (duplicate concepts, the old edges winning).
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                                               ".pytest_cache", ".hypothesis"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(source)],
                           capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("kg-*.whl")
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    # The installed wheel must carry the checkout's graph exactly, whatever its size: the same concepts,
    # the same typed edges, the same curriculum assertions, the d2l page table and the header.
    script = ("import json, kg, kg.d2l; p = kg.default_pack_path(); pack = kg.load_pack(p); print(p);"
              "print(json.dumps(sorted(pack.graph))); print(json.dumps(sorted(map(list, pack.graph.edges(keys=True)))));"
              "print(len(pack.expectations)); print(len(kg.d2l.pages())); print(pack.section_name('0'))")
    env = {**os.environ, "PYTHONPATH": str(target), "KG_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    location, concepts, edges, expectations, pages, section = result.stdout.split("\n")[:6]
    assert Path(location) == target / "kg" / "graph"
    checkout = kg.load_pack(ROOT / "graph")
    assert json.loads(concepts) == sorted(checkout.graph)
    assert json.loads(edges) == sorted(map(list, checkout.graph.edges(keys=True)))
    assert int(expectations) == len(checkout.expectations) > 0
    assert int(pages) == len(kg.d2l.pages()) > 200
    assert section == checkout.section_name("0") != ""
    # ... and the app's graph component: Streamlit finds its declaration (kg/pyproject.toml) in the installed
    # package and serves the script from the installed kg/static (tests/test_graph_assets.py, editable install)
    assert (target / "kg" / "pyproject.toml").is_file() and (target / "kg" / "static" / "kg-graph.js").is_file()
    script = ("from streamlit.components.v2.component_manager import BidiComponentManager; m = BidiComponentManager();"
              "m.discover_and_register_components(); print(m.get_component_asset_root('kg.graph'))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == (target / "kg" / "static").resolve()


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme.split("Run the tests", 1)[1]
    command = after.split("```sh\n", 1)[1].split("\n```", 1)[0].strip()
    assert "pytest" in command and "\n" not in command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines()


def test_readme_app_command_installs_the_app_extra_and_runs_the_app():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = readme.split("Start the app", 1)[1].split("```sh\n", 1)[1].split("\n```", 1)[0].strip()
    assert '".[app]"' in command and command.endswith("streamlit run app.py")
    assert (ROOT / "app.py").is_file() and (ROOT / ".streamlit" / "config.toml").is_file()
