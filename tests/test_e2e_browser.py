"""The app in a real browser: `streamlit run` on a free localhost port, driven by Playwright in Debian's Chromium.

Outside CI a missing Chromium or Playwright skips these tests; with CI=true it fails them.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from kgtest import missing, write_hostile_pack, write_small_pack

from kg.app.serve import CHROMIUM, CHROMIUM_ARGS, streamlit_server


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def streamlit_app(graph: Path | None, tmp_path: Path):
    """The app on a free localhost port, on ``graph`` (None: the shipped graph); the server's log stays in tmp_path."""
    log = tmp_path / f"streamlit-{graph.name if graph else 'shipped'}.log"
    with streamlit_server(log=log, args=["--graph", str(graph)] if graph is not None else ()) as url:
        yield url


class Watch:
    """Console errors, page errors, dialogs and every request a page makes."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def outside(self) -> list[str]:
        bad = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("data",):
                continue
            if parsed.scheme == "blob":
                parsed = urlparse(url[len("blob:"):])
            if parsed.hostname not in ("localhost", "127.0.0.1", "::1"):
                bad.append(url)
        return bad


# JavaScript run in the page: the graph component's vis-network instance (inside its shadow root).
NETWORK = """(name) => {
  for (const host of document.querySelectorAll('[data-testid^="stBidiComponent"]')) {
    const root = host.shadowRoot || host;
    const canvas = root.querySelector('.kg-root:not(.kg-waiting) .kg-canvas');  // drawn and on screen
    if (canvas && canvas.__kgNetwork && canvas.dataset.drawn === '1') return canvas;
  }
  return null;
}"""
COUNT = "() => { const c = (" + NETWORK + ")(); if (!c) return -1; const n = c.__kgNetwork;" \
        " return Object.keys(n.body.nodes).filter((id) => n.body.nodes[id].options && !id.startsWith('edgeId:')).length; }"
FOCUS = "() => { const c = (" + NETWORK + ")(); return c ? c.__kgNetwork.getSelectedNodes() : null; }"
POSITION = """(id) => {
  const c = (""" + NETWORK + """)();
  const n = c.__kgNetwork;
  const p0 = n.canvasToDOM(n.getPositions([id])[id]);
  const r0 = c.getBoundingClientRect();
  if (r0.top + p0.y < 0 || r0.top + p0.y > window.innerHeight) c.scrollIntoView({ block: "center" });  // e.g. under the orientation
  const p = n.canvasToDOM(n.getPositions([id])[id]);
  const r = c.getBoundingClientRect();
  return { x: r.left + p.x, y: r.top + p.y };
}"""


def wait_for_graph(page, count: int | None = None, timeout: float = 30_000):
    page.wait_for_function(f"() => ({COUNT})() > 0" if count is None else f"() => ({COUNT})() === {count}", timeout=timeout)


def settle(page, timeout: float = 30_000):
    """Wait until Streamlit has finished its current run, so the elements we act on are not replaced under us."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(300)


def click_node(page, node: str, attempts: int = 3):
    """Click a node on the canvas; tried again if a rerun replaced the canvas before the click landed."""
    for attempt in range(attempts):
        settle(page)
        point = page.evaluate(POSITION, node)
        page.mouse.click(point["x"], point["y"])
        try:
            page.wait_for_function(f"() => JSON.stringify(({FOCUS})()) === JSON.stringify([{node!r}])", timeout=10_000)
            # the app took the click (it writes the focus into the URL), not only the canvas: on a loaded
            # machine a click that lands while a rerun replaces the component is lost, so it is tried again
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('focus') === {node!r}", timeout=15_000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; retried, then re-raised
            if attempt == attempts - 1:
                raise


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory):
    return write_small_pack(tmp_path_factory.mktemp("small") / "pack")


def test_explore_click_plan_offline(browser, small_pack, tmp_path):
    from kg import layout, load_pack
    from kg.queries import study_order

    pack = load_pack(small_pack)
    expected = layout.neighbourhood(pack, "relu", 1)
    with streamlit_app(small_pack, tmp_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        watch = Watch(page)
        page.goto(f"{url}/?focus=relu&depth=1")
        page.wait_for_function(f"() => ({COUNT})() === {len(expected)}", timeout=30_000)
        assert page.evaluate(COUNT) == len(expected) == 4
        assert page.evaluate(FOCUS) == ["relu"]
        page.get_by_role("heading", name="ReLU").first.wait_for()

        # clicking a node in the canvas makes it the focus: details, drawing and URL follow, no reload
        page.evaluate("() => { window.__sameDocument = true; }")
        click_node(page, "vanishing-gradient")
        page.get_by_role("heading", name="Vanishing Gradient").first.wait_for(timeout=20_000)
        page.wait_for_function("() => location.search.includes('focus=vanishing-gradient')", timeout=10_000)
        assert page.evaluate("() => window.__sameDocument") is True
        assert page.evaluate(COUNT) == len(layout.neighbourhood(pack, "vanishing-gradient", 1))

        # the study plan tab lists the steps in study order
        page.goto(f"{url}/?tab=plan&plan=attention")
        steps = [s.id for s in study_order(pack, ["attention"]).steps]
        names = [pack.graph.nodes[n]["name"] for n in steps]
        checkboxes = page.locator('[data-testid="stCheckbox"]')
        checkboxes.first.wait_for(timeout=30_000)
        page.wait_for_function(f"() => document.querySelectorAll('[data-testid=\"stCheckbox\"]').length >= {len(steps)}", timeout=30_000)
        settle(page)
        labels = [text.strip() for text in checkboxes.all_inner_texts()]
        assert len(labels) == len(steps)
        for index, (name, text) in enumerate(zip(names, labels), 1):
            assert text.startswith(f"{index}. {name} · "), (index, text)
        wait_for_graph(page, len(steps))

        page.wait_for_timeout(500)
        assert not watch.errors, watch.errors
        assert not watch.outside(), watch.outside()
        assert any(u.startswith(url) for u in watch.requests)
        page.close()


def test_hostile_pack_runs_no_script(browser, tmp_path):
    from kg import load_pack
    from kg import layout

    folder = write_hostile_pack(tmp_path / "hostile")
    pack = load_pack(folder)
    with streamlit_app(folder, tmp_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        watch = Watch(page)
        for query in ("?focus=evil-one&depth=2", "?tab=plan&plan=evil-one", "?tab=connect", "?tab=checks"):
            page.goto(url + "/" + query)
            page.locator('[data-testid="stTabs"]').first.wait_for(timeout=30_000)
            if "focus" in query:
                wait_for_graph(page, len(layout.neighbourhood(pack, "evil-one", 2)))
                settle(page)
                # hover every node so that every tooltip is built
                for node in ("evil-one", "evil-two", "evil-three"):
                    point = page.evaluate(POSITION, node)
                    page.mouse.move(point["x"], point["y"])
                    page.wait_for_timeout(300)
                for expander in page.locator('[data-testid="stExpander"] summary').all():
                    expander.click()
            page.wait_for_timeout(1200)
            assert page.evaluate("() => window.__pwned") is None, query
            injected = page.evaluate("""() => {
                const found = [];
                const scan = (root) => {
                  for (const el of root.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript"]')) found.push(el.outerHTML.slice(0, 80));
                  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) scan(el.shadowRoot);
                };
                scan(document);
                return found;
            }""")
            assert injected == [], (query, injected)
        # the hostile text is on screen, as text
        page.goto(url + "/?focus=evil-one")
        page.get_by_text("window.__pwned=1", exact=False).first.wait_for(timeout=30_000)
        assert not watch.dialogs
        assert not [u for u in watch.requests if urlparse(u).path.endswith("/x")]
        assert not watch.outside(), watch.outside()
        assert not watch.errors, watch.errors
        page.close()


def test_exported_page_draws_offline_and_runs_no_injected_script(browser, tmp_path):
    from kg import load_pack, render

    folder = write_hostile_pack(tmp_path / "hostile")
    pack = load_pack(folder)
    page_file = tmp_path / "graph.html"
    page_file.write_text(render.render_html(pack, list(pack.graph), focus="evil-one", title="<img src=x onerror=window.__pwned=7>"))
    page = browser.new_page()
    watch = Watch(page)
    page.goto(page_file.as_uri())
    page.wait_for_function("() => window.kgNetwork && document.querySelector('.kg-canvas').dataset.drawn === '1'", timeout=20_000)
    assert page.evaluate("() => window.kgNetwork.body.data.nodes.length") == 3
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.title").startswith("<img")
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert not watch.errors, watch.errors
    assert all(u.startswith("file://") for u in watch.requests), watch.requests
    page.close()

