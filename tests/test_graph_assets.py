"""The app's graph script is served by URL from kg/static, not sent inside every drawing.

Streamlit finds the component's folder through ``kg/pyproject.toml`` (``[tool.streamlit.component]``)
in the installed package; the browser then loads ``kg-graph.js``, ``kg-draw.js`` and vis-network from
``/_stcore/bidi-components/kg.graph/`` on this server, and the drawing messages carry only data.
(The wheel carries the declaration too: tests/test_packaging.py.) Timings are for ``kg.bench_app``,
never asserted here.
"""
from __future__ import annotations

import re
import tomllib
from urllib.parse import urlparse

import pytest
from kgtest import ROOT, require_module
from test_e2e_browser import browser  # noqa: F401 (the one Chromium fixture of the browser tests)

from kg import bench_app, render
from kg.app.serve import APP, streamlit_server

#: vis-network's copyright line: present in its source, absent from kg's own scripts and data.
VIS_MARK = "Almende B.V"


def test_the_package_declares_the_component_and_its_folder():
    declared = tomllib.loads((render.STATIC.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["name"] == "kg"
    (component,) = declared["tool"]["streamlit"]["component"]["components"]
    assert f"kg.{component['name']}" == render.COMPONENT_NAME
    assert (render.STATIC.parent / component["asset_dir"]).resolve() == render.STATIC.resolve()
    assert (render.STATIC / render.COMPONENT_MODULE).is_file()


def test_the_module_imports_vis_network_and_the_drawing_from_its_own_folder():
    module = (render.STATIC / render.COMPONENT_MODULE).read_text(encoding="utf-8")
    imports = re.findall(r'^import .*?"(.+?)";', module, flags=re.MULTILINE)
    assert imports == ["./vis-network.min.js", "./kg-draw.js"]
    assert all((render.STATIC / name).is_file() for name in imports)
    assert "export default function" in module and "innerHTML" not in module
    # no URL anywhere in the scripts kg wrote: nothing is fetched from elsewhere
    for name in (render.COMPONENT_MODULE, "kg-draw.js"):
        assert not re.search(r"https?://|//cdn", (render.STATIC / name).read_text(encoding="utf-8")), name


def test_the_inline_fallback_is_the_same_module_with_its_imports_resolved():
    """Where Streamlit cannot serve kg/static (kg not installed as a package) the module travels inline."""
    js = render.component_js()
    assert not re.search(r"^import ", js, flags=re.MULTILINE)
    assert VIS_MARK in js and "function kgDraw(vis, root, data, onSelect)" in js
    assert js.rstrip().endswith((render.STATIC / render.COMPONENT_MODULE).read_text(encoding="utf-8").rstrip()[-200:])


def test_streamlit_resolves_the_module_to_a_url_in_kg_static():
    """The installed kg (editable here, as the README installs it) is found by Streamlit's own scanner."""
    require_module("streamlit")
    from streamlit.components.v2.component_definition_resolver import build_definition_with_validation
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components()
    assert manager.get_component_asset_root(render.COMPONENT_NAME) == render.STATIC.resolve()
    definition = build_definition_with_validation(manager=manager, component_key=render.COMPONENT_NAME,
                                                  html=render.COMPONENT_HTML, css=render.DRAW_CSS,
                                                  js=render.COMPONENT_MODULE)
    assert definition.js_asset_relative_path == render.COMPONENT_MODULE




@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("app")
    with streamlit_server(APP, log=folder / "app.log", cwd=ROOT) as url:
        yield url


def test_the_browser_loads_the_script_by_url_and_the_messages_carry_only_data(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    responses, requests, frames = {}, [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: responses.setdefault(urlparse(response.url).path, response))
    page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: frames.append(payload)))
    page.goto(app_url)
    page.wait_for_function(bench_app.APP_INTERACTIVE, timeout=90_000)
    served = {name: responses.get(f"/_stcore/bidi-components/{render.COMPONENT_NAME}/{name}")
              for name in (render.COMPONENT_MODULE, "kg-draw.js", "vis-network.min.js")}
    assert all(served.values()), sorted(responses)
    for name, response in served.items():
        assert response.status == 200, name
        assert "javascript" in response.headers.get("content-type", ""), name
        assert "public" in response.headers.get("cache-control", ""), name  # the browser may keep it
    assert VIS_MARK in served["vis-network.min.js"].text()
    context.close()
    assert [u for u in requests if urlparse(u).hostname not in ("localhost", "127.0.0.1")] == []
    # the drawing arrived (the canvas is drawn), but no websocket message carried vis-network
    payloads = [frame if isinstance(frame, bytes) else frame.encode("utf-8") for frame in frames]
    assert payloads and not any(VIS_MARK.encode() in payload for payload in payloads)
    assert max(map(len, payloads)) < 200_000


CANVAS = """() => {
  for (const host of document.querySelectorAll('[data-testid^="stBidiComponent"]')) {
    const canvas = (host.shadowRoot || host).querySelector('.kg-root:not(.kg-waiting) .kg-canvas');
    if (canvas && canvas.dataset.drawn === '1') return canvas;
  }
  return null;
}"""
PICTURE = '[class*="st-key-kg_preview_"] img'


def test_the_first_screen_is_the_graph_and_the_rest_follows_without_drawing_it_again(browser, app_url):
    """The first run stops after the first graph: a still picture of it, then the interactive graph, drawn
    out of sight, takes the picture's place. Once drawn, it asks for the rerun that brings the rest
    (details column, sidebar), which sends the same drawing: the canvas on screen stays, not redrawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_function(bench_app.APP_DRAWN, timeout=90_000)
    # the first thing of the graph on screen is the picture: a decoded image, no canvas shown yet
    assert page.evaluate(f"() => !({CANVAS})()")
    picture = page.evaluate(f"() => {{ const i = document.querySelector('{PICTURE}'); const r = i.getBoundingClientRect();"
                            " return [i.naturalWidth, r.width, r.height, i.src.slice(0, 26)]; }")
    assert picture[0] > 0 and picture[1] > 300 and picture[2] > 300 and picture[3] == "data:image/svg+xml;base64,"
    page.wait_for_function(bench_app.APP_INTERACTIVE, timeout=90_000)
    # the swap: the interactive graph is on screen where the picture was, and the picture is gone
    assert page.evaluate(f"() => {{ const i = document.querySelector('{PICTURE}'); return !i || i.offsetParent === null; }}")
    page.evaluate(f"() => {{ ({CANVAS})().dataset.kgFirst = 'yes'; }}")
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stFileUploader"]', timeout=60_000)
    page.wait_for_selector('button:has-text("Study plan for")', timeout=60_000)  # the details column's first action
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    assert page.evaluate(f"() => ({CANVAS})().dataset.kgFirst") == "yes"
    assert page.evaluate(f"() => document.querySelectorAll('{PICTURE}').length") == 0  # later runs send no picture
    context.close()
