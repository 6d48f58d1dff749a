"""The shipped graph is found from an installed wheel as well as from a checkout."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import kg
import kg.d2l

ROOT = Path(__file__).resolve().parents[1]


def test_checkout_finds_the_shipped_graph():
    assert kg.default_pack_path() == ROOT / "graph"


def test_installed_wheel_carries_the_graph(tmp_path):
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("kg-*.whl")
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    script = ("import kg, kg.d2l; p = kg.default_pack_path(); pack = kg.load_pack(p); print(p); print(len(pack.graph));"
              "print(len(pack.expectations)); print(len(kg.d2l.pages())); print(pack.section_name('0'))")
    env = {**os.environ, "PYTHONPATH": str(target), "KG_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    location, count, expectations, pages, section = result.stdout.split("\n")[:5]
    assert Path(location) == target / "kg" / "graph"
    shipped = kg.load_pack()
    assert int(count) == len(shipped.graph)
    # the curriculum assertions in graph/expectations/, the d2l page table and the header travel too
    assert int(expectations) == len(shipped.expectations)
    assert int(pages) == len(kg.d2l.pages()) > 200
    assert section == shipped.section_name("0") != ""


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
