"""kg.render: what is drawn, where, and that no pack text can become markup or script."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from kgtest import HOSTILE, SMALL, Markup, write_hostile_pack, write_small_pack
from kgtest import parse_html as parse

from kg import layout, load_pack, render
from kg.queries import study_order
from kg.unpack import UnsafeArchive, ZipLimits, extract_zip


NODE_KEYS = {"id", "label", "title", "x", "y", "color", "border", "size", "focus", "labelled", "hit"}
EDGE_KEYS = {"id", "from", "to", "type", "title", "color", "dashes", "width"}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return load_pack(write_small_pack(tmp_path_factory.mktemp("small")))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return load_pack(write_hostile_pack(tmp_path_factory.mktemp("hostile")))


# --------------------------------------------------------------------------- data


def test_neighbourhood_depth_and_filters(small):
    # nearest first, then guide order (section, name)
    assert layout.neighbourhood(small, "relu", 1) == ["relu", "neural-network", "vanishing-gradient", "leaky-relu"]
    two = layout.neighbourhood(small, "relu", 2)
    assert two[:4] == ["relu", "neural-network", "vanishing-gradient", "leaky-relu"]
    assert set(two[4:]) == {"backpropagation", "attention"}
    assert layout.neighbourhood(small, "relu", 1, types=["solves"]) == ["relu", "vanishing-gradient"]
    assert layout.neighbourhood(small, "relu", 1, kinds=["problem"]) == ["relu", "vanishing-gradient"]
    assert layout.neighbourhood(small, "relu", 2, chapters=["1"]) == ["relu", "neural-network", "vanishing-gradient",
                                                                      "leaky-relu", "backpropagation"]


def test_graph_data_has_only_the_allowed_attributes(small):
    data = render.graph_data(small, layout.neighbourhood(small, "relu", 1), focus="relu", lang="en")
    assert {n["id"] for n in data["nodes"]} == {"relu", "leaky-relu", "neural-network", "vanishing-gradient"}
    assert all(set(n) == NODE_KEYS for n in data["nodes"])
    assert all(set(e) == EDGE_KEYS for e in data["edges"])
    assert sorted((e["from"], e["type"], e["to"]) for e in data["edges"]) == [
        ("leaky-relu", "variant-of", "relu"), ("relu", "solves", "vanishing-gradient"), ("relu", "used-in", "neural-network")]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", n["color"]) and re.fullmatch(r"#[0-9a-f]{6}", n["border"]) for n in data["nodes"])
    styles = {e["type"]: (e["color"], e["dashes"]) for e in data["edges"]}
    assert styles["solves"] != styles["used-in"] != styles["variant-of"]
    assert data["focus"] == "relu" and data["physics"] is False and data["notice"] == ""
    focus = next(n for n in data["nodes"] if n["id"] == "relu")
    assert focus["focus"] and focus["size"] > max(n["size"] for n in data["nodes"] if n["id"] != "relu")
    tip = next(e["title"] for e in data["edges"] if e["type"] == "solves")
    assert tip == "ReLU solves Vanishing Gradient\nIts gradient is 1 for positive inputs."


def test_labels_of_the_focus_its_neighbours_and_hits_are_always_shown(shipped_pack):
    pack = shipped_pack
    nodes = layout.neighbourhood(pack, "focal-loss", 2)
    near = {"focal-loss"} | set(pack.graph.succ["focal-loss"]) | set(pack.graph.pred["focal-loss"])
    far = next(n for n in nodes if n not in near)
    data = render.graph_data(pack, nodes, focus="focal-loss", hits=[far])
    labelled = {n["id"] for n in data["nodes"] if n["labelled"]}
    assert labelled == near | {far}
    assert [n["id"] for n in data["nodes"] if n["hit"]] == [far]
    plan = render.graph_data(pack, nodes, labels="all")
    assert all(n["labelled"] for n in plan["nodes"])


def test_the_grouped_overview_has_one_named_group_per_chapter(shipped_pack):
    pack = shipped_pack
    data = render.graph_data(pack, list(pack.graph), layout="sections", cap=len(pack.graph), grouped=True,
                             hits=["relu"], lang="zh")
    chapters = {layout.chapter(pack.graph.nodes[n].get("section")) for n in pack.graph}
    assert [g["id"] for g in data["groups"]] == sorted(chapters, key=lambda c: tuple(map(int, c.split("."))))
    seven = next(g for g in data["groups"] if g["id"] == "7")
    count = sum(1 for n in data["nodes"] if n["group"] == "7")
    assert seven["label"] == f"{pack.section_name('7', 'zh')} ({count})" and not seven["open"]
    relu = next(g for g in data["groups"] if g["id"] == layout.chapter(pack.graph.nodes["relu"]["section"]))
    assert relu["hit"] and relu["open"]
    assert sum(g["hit"] for g in data["groups"]) == 1


def test_language_changes_labels_tooltips_and_legend(small):
    en = render.graph_data(small, ["relu", "vanishing-gradient"], lang="en")
    zh = render.graph_data(small, ["relu", "vanishing-gradient"], lang="zh")
    assert {n["label"] for n in en["nodes"]} == {"ReLU", "Vanishing Gradient"}
    assert {n["label"] for n in zh["nodes"]} == {"线性整流函数", "梯度消失"}
    assert zh["edges"][0]["title"].startswith("线性整流函数 解决 梯度消失")
    assert "深层网络中梯度逐层变小。" in next(n["title"] for n in zh["nodes"] if n["id"] == "vanishing-gradient")
    assert [k["label"] for k in zh["legend"]["kinds"]] == ["问题", "激活函数"]
    assert [k["label"] for k in en["legend"]["edges"]] == ["solves"]


def test_layered_layout_follows_study_order_and_is_deterministic(small):
    plan = [s.id for s in study_order(small, ["attention"]).steps]
    first = layout.layered_positions(small, plan)
    assert first == layout.layered_positions(small, list(reversed(plan)))
    for before, after in small.study.subgraph(plan).edges:
        assert first[before][0] < first[after][0], (before, after)
    assert len(set(first.values())) == len(plan)  # no two concepts on one spot


def test_radial_layout_puts_the_focus_in_the_middle(small):
    nodes = layout.neighbourhood(small, "relu", 2)
    positions = layout.radial_positions(small, nodes, "relu")
    assert positions["relu"] == (0.0, 0.0)
    radius = {n: (x * x + y * y) ** 0.5 for n, (x, y) in positions.items()}
    assert max(radius[n] for n in nodes[1:4]) < min(radius[n] for n in nodes[4:])
    assert positions == layout.radial_positions(small, list(reversed(nodes)), "relu")


def test_cap_keeps_the_nearest_and_says_so(tmp_path):
    lines = ["- id: hub\n  name: Hub\n  kind: concept\n  summary: S.\n"]
    lines += [f"- id: n{i}\n  name: N{i}\n  kind: concept\n  summary: S.\n  requires: [hub]\n" for i in range(400)]
    (tmp_path / "big.yaml").write_text("".join(lines))
    pack = load_pack(tmp_path)
    nodes = layout.neighbourhood(pack, "hub", 1)
    data = render.graph_data(pack, nodes, focus="hub")
    assert data["shown"] == len(data["nodes"]) == layout.MAX_NODES and data["total"] == 401
    assert "300 of 401" in data["notice"]
    assert data["nodes"][0]["id"] == "hub" and data["focus"] == "hub"
    zh = render.graph_data(pack, nodes, focus="hub", lang="zh", cap=50)
    assert zh["shown"] == 50 and "401" in zh["notice"] and "上限 50" in zh["notice"]
    assert layout.cap_nodes(["a", "b", "c"], 2, focus="c") == ["c", "a"]


def test_script_json_escapes_everything_that_could_end_the_block():
    text = render.script_json({"x": HOSTILE, "y": "a\u2029b<!--"})
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == {"x": HOSTILE, "y": "a\u2029b<!--"}


# --------------------------------------------------------------------------- the page


def structure(page: Markup) -> list[tuple[str, tuple]]:
    return [(tag, tuple(sorted(attrs))) for tag, attrs in page.tags]


def test_hostile_pack_page_has_the_markup_of_a_harmless_one(small, hostile):
    harmless_raw = render.render_html(small, list(small.graph), focus="relu", title="Small pack")
    harmless = parse(harmless_raw)
    raw = render.render_html(hostile, list(hostile.graph), focus="evil-one", title=HOSTILE)
    page = parse(raw)
    assert structure(page) == structure(harmless)  # same tags, same attribute names: nothing injected
    assert not [(tag, name) for tag, attrs in page.tags for name in attrs if name.startswith("on")]
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None]
    data = json.loads(page.scripts[0][1])
    assert data["title"] == HOSTILE
    stored = hostile.graph.nodes["evil-one"]["summary"]  # as the loader read it (YAML folds U+2028)
    assert "</script><script>window.__pwned=1" in stored
    assert next(n for n in data["nodes"] if n["id"] == "evil-one")["details"]["summary"] == stored
    assert any(stored in e["title"] for e in data["edges"])
    # Outside the JSON block the two pages are the same, byte for byte: the pack changed nothing else.
    assert raw.replace(page.scripts[0][1], "") == harmless_raw.replace(harmless.scripts[0][1], "")
    assert "__pwned" not in raw.replace(page.scripts[0][1], "")


def test_page_is_offline_and_only_its_own_script_may_run(small):
    raw = render.render_html(small, list(small.graph))
    page = parse(raw)
    assert not [attrs for tag, attrs in page.tags if attrs.get("src") or attrs.get("href")]
    assert "cdn" not in raw.lower() and "bootstrap" not in raw.lower() and "sourceMappingURL" not in raw
    csp = next(attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    script = page.scripts[1][1]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp


def test_render_modules_import_neither_streamlit_nor_pyvis():
    code = ("import sys, kg, kg.render, kg.unpack, kg.cli; kg.render.vis_network_js(); "
            "bad = [m for m in ('streamlit', 'pyvis') if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parent.parent)


def test_vis_network_is_vendored_with_its_licence():
    path = render.vis_network_path()
    assert path.parent.name == "static" and (path.parent / "LICENSE-vis-network.txt").is_file()
    assert "@version 9.1.2" in render.vis_network_js()[:600]


def test_component_script_is_a_module_with_a_default_export():
    js = render.component_js()
    assert "export default function" in js and "setTriggerValue(\"clicked\"" in js
    assert "innerHTML" not in render.DRAW_JS and "innerHTML" not in js.split("const VIS")[0]


def test_unknown_layout_is_refused(small):
    with pytest.raises(ValueError):
        layout.positions_for(small, ["relu"], layout="spiral")


# --------------------------------------------------------------------------- zip uploads


def make_zip(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, "../../etc/passwd")
    return buffer.getvalue()


def test_zip_of_a_pack_extracts_only_yaml(tmp_path):
    written = extract_zip(make_zip({"pack/a.yaml": SMALL.encode(), "pack/README.md": b"hi", "pack/.hidden.yaml": b"x",
                                    "__MACOSX/pack/._a.yaml": b"x"}), tmp_path)
    assert [p.relative_to(tmp_path.resolve()).as_posix() for p in written] == ["pack/a.yaml"]
    assert load_pack(tmp_path).graph.number_of_nodes() == 8


@pytest.mark.parametrize("members,links", [
    ({"../evil.yaml": b"x"}, ()),
    ({"a/../../evil.yaml": b"x"}, ()),
    ({"/etc/evil.yaml": b"x"}, ()),
    ({"C:/evil.yaml": b"x"}, ()),
    ({"a\\..\\..\\evil.yaml": b"x"}, ()),
    ({"ok.yaml": b"x"}, ("link.yaml",)),
])
def test_zip_escaping_its_folder_is_refused_and_leaves_nothing(tmp_path, members, links):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(UnsafeArchive):
        extract_zip(make_zip(members, links), out)
    assert not any(out.rglob("*")) and not (tmp_path / "evil.yaml").exists()


def test_zip_limits_stop_bombs_and_floods(tmp_path):
    bomb = make_zip({"big.yaml": b"a" * (3 * 1024 * 1024)})
    assert len(bomb) < 20_000
    with pytest.raises(UnsafeArchive, match="size limits"):
        extract_zip(bomb, tmp_path, ZipLimits(max_member_bytes=1024 * 1024))
    with pytest.raises(UnsafeArchive, match="members"):
        extract_zip(make_zip({f"f{i}.yaml": b"x" for i in range(30)}), tmp_path, ZipLimits(max_members=20))
    with pytest.raises(UnsafeArchive, match="not a readable zip"):
        extract_zip(b"PK\x03\x04 not really", tmp_path)
    with pytest.raises(UnsafeArchive, match="archive is"):
        extract_zip(b"x" * 2048, tmp_path, ZipLimits(max_archive_bytes=1024))
    assert not any(tmp_path.rglob("*.yaml"))
