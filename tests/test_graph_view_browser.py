"""The graph view in a real browser: labels legible at every depth, an overview by section, physics that stops.

The standalone page (:func:`kg.render.render_html`) runs the same drawing script as the app's component,
so these tests drive it directly in Debian's Chromium. What is measured is on screen: a label's font
size in CSS pixels is its canvas font size times the view's scale.
"""
from __future__ import annotations

import os

import pytest
from kgtest import missing, require_module

from kg import layout, render
from kg.layout import neighbourhood
from kg.app.serve import CHROMIUM, CHROMIUM_ARGS
from kg.text import word


LABELS_ON_SCREEN = """() => {
  const net = window.kgNetwork, scale = net.getScale(), out = {};
  for (const [id, node] of Object.entries(net.body.nodes)) {
    if (!net.body.nodeIndices.includes(id)) continue;
    out[id] = node.options.label ? node.options.font.size * scale : 0;
  }
  return out;
}"""


@pytest.fixture(scope="module")
def page():
    sync_playwright = require_module("playwright.sync_api").sync_playwright
    if not os.path.exists(CHROMIUM):
        missing(f"{CHROMIUM} is missing (Debian's chromium package)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield tab
        browser.close()


@pytest.fixture(scope="module")
def pack(shipped_pack):
    return shipped_pack


def _open(page, tmp_path, html: str) -> None:
    file = tmp_path / "view.html"
    file.write_text(html, encoding="utf-8")
    page.goto(file.as_uri())
    page.wait_for_selector(".kg-canvas[data-drawn='1']")
    page.wait_for_timeout(200)


def test_depth_two_labels_focus_and_neighbours_at_readable_size(page, pack, tmp_path):
    focus = "focal-loss"
    nodes = neighbourhood(pack, focus, 2)
    _open(page, tmp_path, render.render_html(pack, nodes, focus=focus, layout="radial"))
    sizes = page.evaluate(LABELS_ON_SCREEN)
    near = {focus} | set(pack.graph.succ[focus]) | set(pack.graph.pred[focus])
    assert len(nodes) > len(near), "the depth-2 view must hold concepts beyond the neighbours"
    for node in near:
        assert sizes[node] >= 11, f"{node}'s label is {sizes[node]:.1f} px on screen"
    shown = [s for s in sizes.values() if s]
    assert min(shown) >= 11


def test_zooming_in_shows_the_other_labels_and_zooming_out_never_shrinks_text(page, pack, tmp_path):
    focus = "focal-loss"
    nodes = neighbourhood(pack, focus, 2)
    _open(page, tmp_path, render.render_html(pack, nodes, focus=focus, layout="radial"))
    before = page.evaluate(LABELS_ON_SCREEN)
    hidden = [n for n, size in before.items() if not size]
    assert hidden, "far concepts start unlabelled at this zoom"
    page.evaluate("() => { window.kgNetwork.moveTo({ scale: 1.5 }); window.kgNetwork.kgRelabel(); }")
    zoomed = page.evaluate(LABELS_ON_SCREEN)
    assert all(zoomed[n] >= 11 for n in hidden)
    page.evaluate("() => { window.kgNetwork.moveTo({ scale: 0.1 }); window.kgNetwork.kgRelabel(); }")
    far = page.evaluate(LABELS_ON_SCREEN)
    assert all(size >= 11 for size in far.values() if size)
    assert far[focus] >= 11


def test_the_overview_is_one_labelled_cluster_per_chapter_and_opens_on_click(page, pack, tmp_path):
    html = render.render_html(pack, list(pack.graph), layout="sections", cap=len(pack.graph), grouped=True,
                              hits=["relu"])
    _open(page, tmp_path, html)
    chapters = {layout.chapter(pack.graph.nodes[n].get("section")) for n in pack.graph}
    state = page.evaluate("""() => {
      const net = window.kgNetwork, ids = net.body.nodeIndices;
      const clusters = ids.filter((id) => net.isCluster(id));
      return { clusters, labels: clusters.map((id) => net.body.nodes[id].options.label), visible: ids.length };
    }""")
    relu_chapter = layout.chapter(pack.graph.nodes["relu"].get("section"))
    # every chapter is one cluster, except the one holding the search hit, which starts open
    assert sorted(state["clusters"]) == sorted(f"group:{c}" for c in chapters if c != relu_chapter)
    name = pack.section_name("7", "en")
    assert any(label.startswith(name) for label in state["labels"])
    sizes = page.evaluate(LABELS_ON_SCREEN)
    assert sizes["relu"] >= 11 and all(sizes[c] >= 11 for c in state["clusters"])
    page.evaluate("""() => { const net = window.kgNetwork;
      net.body.emitter.emit("click", { nodes: ["group:7"], edges: [] }); }""")
    after = page.evaluate("() => window.kgNetwork.body.nodeIndices.length")
    in_seven = sum(1 for n in pack.graph if layout.chapter(pack.graph.nodes[n].get("section")) == "7")
    assert after == state["visible"] - 1 + in_seven


def test_physics_settles_stops_and_stays_centred(page, pack, tmp_path):
    nodes = neighbourhood(pack, "adam", 2)
    _open(page, tmp_path, render.render_html(pack, nodes, focus="adam", physics=True))
    page.wait_for_function("() => !window.kgNetwork.physics.options.enabled", timeout=30000)
    page.wait_for_timeout(300)
    first = page.evaluate("() => window.kgNetwork.getViewPosition()")
    box = page.evaluate("""() => { const net = window.kgNetwork, pos = net.getPositions();
      const xs = Object.values(pos).map((p) => p.x), ys = Object.values(pos).map((p) => p.y);
      return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2,
              Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)]; }""")
    assert abs(first["x"] - box[0]) <= 0.1 * box[2] + 1 and abs(first["y"] - box[1]) <= 0.1 * box[3] + 1
    page.wait_for_timeout(700)
    assert page.evaluate("() => window.kgNetwork.getViewPosition()") == first


def test_full_screen_fills_the_window_and_returns(page, pack, tmp_path):
    _open(page, tmp_path, render.render_html(pack, neighbourhood(pack, "relu", 1), focus="relu"))
    page.click(".kg-fullscreen")
    page.wait_for_function("() => document.fullscreenElement !== null")
    page.wait_for_timeout(200)
    height = page.evaluate("() => document.querySelector('.kg-canvas').getBoundingClientRect().height")
    assert height >= 0.8 * page.viewport_size["height"]
    assert page.text_content(".kg-fullscreen") == word("draw_exit_fullscreen", "en")
    page.click(".kg-fullscreen")
    page.wait_for_function("() => document.fullscreenElement === null")
