"""The app a learner lives in, in a real browser: readable labels, a trail that Back walks, pickers where Enter
picks one concept, 中文 for a Chinese browser and nothing English left in it, a first-open orientation shown
once, and problems that cite the uploaded file's own name.

One Streamlit server on the shipped graph serves the whole module (CI has two cores); each test opens a
fresh browser context, so cookies and history never leak from one test to the next.
"""
from __future__ import annotations

import os
import re

import pytest
from kgtest import ROOT, SMALL
from test_e2e_browser import COUNT, FOCUS, NETWORK, Watch, browser, click_node, settle, streamlit_app, wait_for_graph  # noqa: F401

VIEWPORT = {"width": 1400, "height": 950}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with streamlit_app(None, tmp_path_factory.mktemp("app-browser")) as url:
        yield url


@pytest.fixture(scope="module")
def pack(shipped_pack):
    return shipped_pack


def open_page(browser, url: str, query: str = "", locale: str = "en-US", oriented: bool = True):
    """A fresh context (own cookies and history); ``oriented`` says the orientation was dismissed before."""
    context = browser.new_context(viewport=VIEWPORT, locale=locale)
    if oriented:
        context.add_cookies([{"name": "kg_oriented", "value": "1", "url": url}])
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{url}/{query}")
    page.locator('[data-testid="stTabs"]').first.wait_for(timeout=60_000)
    return page, watch


def heading(page) -> str:
    return page.locator('[data-testid="stHeadingWithActionElements"] h3').first.inner_text(timeout=20_000)


LABELS_ON_SCREEN = "() => { const c = (" + NETWORK + """)(); const net = c.__kgNetwork, scale = net.getScale(), out = {};
  for (const [id, node] of Object.entries(net.body.nodes)) {
    if (!net.body.nodeIndices.includes(id)) continue;
    out[id] = node.options.label ? node.options.font.size * scale : 0;
  }
  return out; }"""


def test_labels_at_depth_two_are_legible_in_the_app(browser, app_url, pack):
    page, watch = open_page(browser, app_url, "?focus=focal-loss&depth=2")
    wait_for_graph(page)
    settle(page)
    sizes = page.evaluate(LABELS_ON_SCREEN)
    graph = pack.graph
    near = {"focal-loss"} | set(graph.succ["focal-loss"]) | set(graph.pred["focal-loss"])
    assert len(sizes) > len(near)
    for node in near:
        assert sizes[node] >= 11, (node, sizes[node])
    assert min(s for s in sizes.values() if s) >= 11
    assert not watch.errors, watch.errors
    assert not watch.outside(), watch.outside()
    page.context.close()


def test_back_and_forward_walk_the_trail_of_focus_changes(browser, app_url, pack):
    page, _ = open_page(browser, app_url, "?focus=relu&depth=1")
    wait_for_graph(page)
    first = next(n for n in sorted(pack.graph.succ["relu"]) if n != "relu")
    click_node(page, first)
    page.wait_for_function(f"() => location.search.includes('focus={first}')", timeout=20_000)
    second = next(n for n in sorted(set(pack.graph.succ[first]) | set(pack.graph.pred[first])) if n not in ("relu", first))
    click_node(page, second)
    page.wait_for_function(f"() => location.search.includes('focus={second}')", timeout=20_000)
    page.go_back()
    page.wait_for_function(f"() => JSON.stringify(({FOCUS})()) === JSON.stringify([{first!r}])", timeout=20_000)
    # the graph's focus changes first; the details heading follows when the rerun finishes
    page.wait_for_function("(name) => [...document.querySelectorAll('[data-testid=\"stHeadingWithActionElements\"] h3')]"
                           ".some((h) => h.innerText.trim() === name)", arg=pack.graph.nodes[first]["name"], timeout=20_000)
    assert heading(page) == pack.graph.nodes[first]["name"]
    page.go_back()
    page.wait_for_function(f"() => JSON.stringify(({FOCUS})()) === JSON.stringify(['relu'])", timeout=20_000)
    assert "focus=relu" in page.url
    page.go_forward()
    page.wait_for_function(f"() => JSON.stringify(({FOCUS})()) === JSON.stringify([{first!r}])", timeout=20_000)
    # the URL of a view reopens it, in another browser
    again, _ = open_page(browser, app_url, "?" + page.url.split("?", 1)[1])
    again.wait_for_function(f"() => JSON.stringify(({FOCUS})()) === JSON.stringify([{first!r}])", timeout=30_000)
    again.context.close()
    page.context.close()


def test_enter_in_a_picker_picks_exactly_one_concept(browser, app_url, pack):
    page, _ = open_page(browser, app_url, "?tab=plan&plan=transformer")
    known = page.get_by_label(re.compile("Concepts you already know"))
    known.click()
    page.keyboard.type("relu")
    page.get_by_role("option").first.wait_for(timeout=20_000)  # the matches are listed: Enter takes the first
    page.keyboard.press("Enter")
    chips = page.locator('[class*="st-key-chips_known"] button')
    chips.first.wait_for(timeout=20_000)
    settle(page)
    assert chips.count() == 1
    assert chips.first.inner_text().startswith("ReLU")
    # a Chinese name finds its concept in English mode too
    known = page.get_by_label(re.compile("Concepts you already know"))
    known.click()
    page.keyboard.type(pack.graph.nodes["lstm"]["name_zh"])
    page.get_by_role("option").first.wait_for(timeout=20_000)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('[class*=\"st-key-chips_known\"] button').length === 2", timeout=20_000)
    assert pack.graph.nodes["lstm"]["name"] in chips.nth(1).inner_text()
    # a chip's click removes it
    chips.first.click()
    page.wait_for_function("() => document.querySelectorAll('[class*=\"st-key-chips_known\"] button').length === 1", timeout=20_000)
    page.context.close()


def test_a_chinese_browser_opens_in_chinese_and_the_switch_is_remembered(browser, app_url):
    page, _ = open_page(browser, app_url, "", locale="zh-CN")
    page.get_by_role("heading", name="kg · 深度学习概念图谱").wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('lang=zh')", timeout=20_000)
    # switching to English is remembered by this browser, also on a bare address
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="kg · deep-learning concepts").wait_for(timeout=30_000)
    page.wait_for_function("() => document.cookie.includes('kg_lang=en')", timeout=20_000)
    page.goto(app_url + "/")
    page.get_by_role("heading", name="kg · deep-learning concepts").wait_for(timeout=30_000)
    page.context.close()


def test_choices_survive_a_language_switch_and_a_tab_that_hides_them(browser, app_url):
    """The widgets are bound to session state by key alone: labels in another language, and a tab that does not
    draw them, keep what the learner chose (depth, physics, the search, what to export)."""
    page, watch = open_page(browser, app_url, "?focus=relu&depth=1")
    wait_for_graph(page)
    settle(page)
    widget = lambda key: page.locator(f'[class*="st-key-{key}"]').first  # noqa: E731 - the element of a keyed widget
    widget("depth").locator('input[type="range"]').focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('depth=2')", timeout=20_000)
    settle(page)
    widget("physics").locator("label").click()
    settle(page)
    widget("query").locator("input").fill("leaky")
    widget("query").locator("input").press("Enter")
    widget("hit-leaky-relu").wait_for(timeout=20_000)
    settle(page)

    def export_scope():
        """The export choice, in the sidebar's Export expander (opened if a rerun drew it closed)."""
        if not widget("export_scope").is_visible():
            page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').first.click()
        widget("export_scope").wait_for(timeout=20_000)
        return widget("export_scope")

    export_scope().locator('[data-testid="stRadioOption"]').nth(2).click()  # the whole pack
    settle(page)

    def chosen() -> tuple:
        export_scope()
        return (widget("depth").locator('input[type="range"]').input_value(),
                widget("physics").locator("input").is_checked(), widget("query").locator("input").input_value(),
                widget("export_scope").locator('input[type="radio"]').nth(2).is_checked())

    assert chosen() == ("2", True, "leaky", True)
    widget("lang").get_by_text("中文", exact=True).click()
    page.get_by_role("heading", name="kg · 深度学习概念图谱").wait_for(timeout=30_000)
    settle(page)
    assert "深度" in widget("depth").inner_text()
    assert chosen() == ("2", True, "leaky", True)
    # a multiselect's chips are the options' words: in the new language too
    page.get_by_text("筛选", exact=True).click()
    assert "激活函数" in widget("filter_kinds").inner_text() and "activation" not in widget("filter_kinds").inner_text()
    page.get_by_role("tab", name="测验").click()
    page.wait_for_function("() => location.search.includes('tab=quiz')", timeout=20_000)
    settle(page)
    assert widget("depth").count() == 0  # Explore's widgets are not drawn on the Quiz tab
    page.get_by_role("tab", name="探索").click()
    page.wait_for_function("() => location.search.includes('tab=explore')", timeout=20_000)
    widget("depth").wait_for(timeout=20_000)
    settle(page)
    assert chosen() == ("2", True, "leaky", True)
    assert not watch.errors, watch.errors
    page.context.close()


#: Latin-script words the app may show in Chinese mode: product and format names, never sentences.
NAMES = re.compile(r"\b(kg|English|Language|JSON|CSV|DOT|GEXF|GraphML|Mermaid|Markdown|Anki|HTML|YAML|yaml|yml|zip|"
                   r"Gephi|yEd|Graphviz|MB|KB)\b")


def english_text(page, allowed_exact: set[str]) -> list[str]:
    """Visible text nodes, outside the graph canvas, that hold an English word and no Chinese character."""
    texts = page.evaluate("""() => {
      const out = [];
      const visit = (root) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const el = node.parentElement;
          if (!el || el.closest('script,style,noscript')) continue;
          const style = getComputedStyle(el);
          if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.fontSize) === 0) continue;
          if (!el.getClientRects().length) continue;
          const fold = el.closest('details');
          if (fold && !fold.open && !el.closest('summary')) continue;  // inside a closed expander
          const box = el.getBoundingClientRect();
          if (box.right <= 0 || box.bottom <= 0 || box.width * box.height <= 1) continue;  // off-screen (skip links)
          if (/Material/i.test(style.fontFamily)) continue;  // icon ligatures: "keyboard_arrow_right" draws an arrow
          const text = node.textContent.trim();
          if (text) out.push(text);
        }
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
      };
      visit(document.body);
      return out;
    }""")
    bad = []
    for text in texts:
        if re.search(r"[\u3400-\u9fff]", text):
            continue
        rest = re.sub(r"[\w./-]+\.ya?ml:\d+(:\d+)?", " ", text)  # file:line of a problem
        rest = NAMES.sub(" ", rest)
        for content in allowed_exact:  # pack text in Latin script: names, aliases, ids, reference titles
            if content in rest:
                rest = re.sub(r"(?<!\w)" + re.escape(content) + r"(?!\w)", " ", rest)
        if re.search(r"[A-Za-z]{3,}", rest):
            bad.append(text)
    return bad


def test_chinese_mode_shows_no_english_the_app_controls(browser, app_url, pack):
    # Pack names written in Latin script (ReLU, LSTM, the English name beside the Chinese one) are content.
    allowed = set()
    for node, data in pack.graph.nodes(data=True):
        allowed.update(str(v).strip() for v in (node, data.get("name"), data.get("name_zh"), *data.get("aliases", ())) if v)
        for ref in data.get("refs") or ():
            allowed.update(str(v).strip() for v in (ref.get("title"), *(ref.get("authors") or ())) if v)
    from kg.problems import CODES

    allowed.update(CODES)  # problem codes are identifiers, shown as code in both languages
    allowed = sorted(allowed, key=len, reverse=True)  # longest first, so a name inside a title goes with it
    page, watch = open_page(browser, app_url, "?lang=zh&focus=focal-loss&plan=transformer&compare=relu,sigmoid")
    wait_for_graph(page)
    settle(page)
    found = {}
    for tab in ("探索", "学习计划", "关联", "对比", "测验", "检查"):
        page.get_by_role("tab", name=tab).click()
        settle(page)
        page.wait_for_timeout(500)
        bad = english_text(page, allowed)
        if bad:
            found[tab] = bad
    assert not found, "\n".join(f"{tab}: {sorted(set(bad))}" for tab, bad in found.items())
    assert not watch.errors, watch.errors
    page.context.close()


def test_the_orientation_is_shown_on_first_open_only(browser, app_url):
    page, _ = open_page(browser, app_url, "?focus=relu", oriented=False)
    box = page.locator('[class*="st-key-orientation"]')
    box.wait_for(timeout=30_000)
    assert "requires" in box.inner_text() and "Depth" in box.inner_text()
    box.get_by_role("button").click()
    box.wait_for(state="detached", timeout=20_000)
    settle(page)
    page.reload()
    page.locator('[data-testid="stTabs"]').first.wait_for(timeout=30_000)
    settle(page)
    assert page.locator('[class*="st-key-orientation"]').count() == 0
    page.context.close()


def test_problems_cite_the_uploaded_file_by_its_own_name(browser, app_url, tmp_path):
    bad = tmp_path / "my-broken-pack.yaml"
    bad.write_text(SMALL + "\n- id: broken\n  name: Broken\n  kind: gizmo\n  summary: S.\n  requires: [relux]\n", encoding="utf-8")
    page, _ = open_page(browser, app_url, "?tab=checks")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text(re.compile(r"my-broken-pack\.yaml:\d+:\d+")).first.wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "uploaded.yaml" not in body and "/tmp" not in body
    assert re.search(r"\b2 errors\b|\b1 error\b", body)
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_readme_screenshots(browser, app_url, lang, tmp_path):
    """The README's two screenshots, refreshed on request only (KG_UPDATE_SCREENSHOT=1), so a run leaves the checkout clean."""
    page, watch = open_page(browser, app_url, f"?focus=transformer&depth=1&lang={lang}")
    wait_for_graph(page)
    settle(page)
    page.wait_for_timeout(500)
    assert page.evaluate(COUNT) > 1
    name = "screenshot.png" if lang == "en" else "screenshot-zh.png"
    shot = ROOT / "docs" / name if os.environ.get("KG_UPDATE_SCREENSHOT") else tmp_path / name
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert not watch.errors, watch.errors
    assert not watch.outside(), watch.outside()
    page.context.close()
