"""kg export --format html is built by pyvis: a Network with our nodes, edges and options, rendered
through kg's own offline template; the kg command imports pyvis for this export only."""
from __future__ import annotations

import json
import subprocess
import sys

from kgtest import ROOT, parse_html

from kg import load_pack
from kg.cli import main

MINI = ROOT / "tests" / "fixtures" / "mini"


def test_the_page_is_rendered_by_a_pyvis_network(monkeypatch, tmp_path):
    from pyvis.network import Network

    seen = []
    original = Network.generate_html

    def recording(self, *args, **kwargs):
        seen.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Network, "generate_html", recording)
    target = tmp_path / "page.html"
    assert main(["export", "--format", "html", "--graph", str(MINI), "--focus", "relu", "-o", str(target)]) == 0
    (network,) = seen
    assert network.path == "page.html" and network.template_dir.rstrip("/").endswith("kg/static")
    page = target.read_text(encoding="utf-8")
    block = next(text for attrs, text in parse_html(page).scripts if attrs.get("id") == "kg-data")
    data = json.loads(block)
    assert [n["id"] for n in data["nodes"]] == [n["id"] for n in network.nodes]
    assert {(e["from"], e["type"], e["to"]) for e in data["edges"]} == {(e["from"], e["type"], e["to"]) for e in network.edges}
    assert data["options"]["physics"] == {"enabled": False}
    pack = load_pack(MINI)
    assert {n["id"] for n in network.nodes} == {"relu", *(v for _, v in pack.graph.out_edges("relu")), *(u for u, _ in pack.graph.in_edges("relu"))}


def test_the_page_loads_nothing_and_has_no_bootstrap(tmp_path):
    target = tmp_path / "page.html"
    assert main(["export", "--format", "html", "--graph", str(MINI), "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    lowered = page.lower()
    assert "bootstrap" not in lowered and "cdn." not in lowered and "https://" not in lowered.split("<script>", 1)[0]
    markup = parse_html(page)
    assert not [attrs for tag, attrs in markup.tags if attrs.get("src") or (tag == "link" and attrs.get("href"))]


def test_only_the_html_export_imports_pyvis():
    script = ("import sys; from kg.cli import main; "
              f"main(['export', '--format', 'json', '--graph', {str(MINI)!r}]); assert 'pyvis' not in sys.modules; "
              f"main(['export', '--format', 'html', '--graph', {str(MINI)!r}]); assert 'pyvis' in sys.modules")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT, capture_output=True)
