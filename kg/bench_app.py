"""First draw of the app against a bare Streamlit page, in the same browser (Debian's Chromium).

    python -m kg.bench_app [--runs 5] [--json app-bench.json]

Two servers run side by side on free localhost ports, with the same settings (the checkout's
``.streamlit/config.toml``): the app on the shipped graph, and a page whose whole script is one
``st.write``. Each visit opens a fresh browser context (no cookies, no cache) and takes, from the
browser's own clock (``performance.now()``, zero at navigation start), the moment the bare page's
text is on screen and the moment the app's first graph is drawn (the drawing script marks its canvas
``data-drawn``). The first visit of each server is reported apart ("cold": the app loads the pack
then); the ratio is of the medians of the later, warm visits, which every later visitor sees, taken
in turns (bare, app, bare, app ...) so that both see the same load on the machine.

The goal (issue 14): the app's first graph within 1.5x the bare page's text. Timings are reported,
never asserted by tests. Needs streamlit, Playwright for Python and ``/usr/bin/chromium``.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from kg.app.serve import APP, CHROMIUM, CHROMIUM_ARGS, streamlit_server

ROOT = Path(__file__).resolve().parents[1]
BARE_TEXT = "kg bare page"
GOAL = 1.5

#: A loop run in the page: the time once a graph canvas matching the selector is drawn (the drawing script marks it).
_CANVAS_DRAWN = """  for (const host of document.querySelectorAll('[data-testid^="stBidiComponent"]')) {
    const canvas = (host.shadowRoot || host).querySelector(%r);
    if (canvas && canvas.dataset.drawn === '1') return performance.now();
  }
"""
#: In the page: the time (ms since navigation) once the app's first graph is on screen, else false: the
#: still picture of the first screen (kg.picture) once its image is decoded, or the drawn canvas.
APP_DRAWN = ("""() => {
  const still = document.querySelector('[class*="st-key-kg_preview_"] img');
  if (still && still.complete && still.naturalWidth > 0) return performance.now();
""" + _CANVAS_DRAWN % ".kg-canvas" + "  return false;\n}")
#: The time the interactive graph (vis-network's canvas) is on screen, in place of the picture.
APP_INTERACTIVE = "() => {\n" + _CANVAS_DRAWN % ".kg-root:not(.kg-waiting) .kg-canvas" + "  return false;\n}"
BARE_SHOWN = "() => document.body.innerText.includes(" + json.dumps(BARE_TEXT) + ") ? performance.now() : false"


def _visit(browser, url: str, *conditions: str) -> list[float]:
    """Seconds from navigation start to each of ``conditions``, in turn, in a fresh context (no cookies, no cache)."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        page = context.new_page()
        page.goto(url)
        return [page.wait_for_function(condition, timeout=120_000, polling="raf").json_value() / 1000
                for condition in conditions]
    finally:
        context.close()


def measure(runs: int = 5) -> dict:
    """Cold and warm first-draw times of the app and the bare page, and the warm ratio.

    The app's first graph is the first screen's still picture; when the interactive graph has replaced it
    is reported too (``app_interactive_s``), as is its ratio to the bare page."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kg-bench-app-") as folder:
        folder = Path(folder)
        bare = folder / "bare.py"
        bare.write_text(f"import streamlit as st\nst.write({BARE_TEXT!r})\n", encoding="utf-8")
        # the same server and theme settings as the app (its .streamlit/config.toml), so only the page differs
        (folder / ".streamlit").mkdir()
        shutil.copyfile(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
        with streamlit_server(APP, log=folder / "app.log", cwd=ROOT) as app_url, \
                streamlit_server(bare, log=folder / "bare.log", cwd=folder) as bare_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                (cold_bare,) = _visit(browser, bare_url, BARE_SHOWN)
                cold_app, cold_interactive = _visit(browser, app_url, APP_DRAWN, APP_INTERACTIVE)
                times: dict[str, list[float]] = {"bare": [], "app": [], "interactive": []}
                for _ in range(max(1, runs)):  # interleaved, so both see the same machine load
                    times["bare"] += _visit(browser, bare_url, BARE_SHOWN)
                    first, interactive = _visit(browser, app_url, APP_DRAWN, APP_INTERACTIVE)
                    times["app"].append(first)
                    times["interactive"].append(interactive)
            finally:
                browser.close()
    bare_s, app_s = statistics.median(times["bare"]), statistics.median(times["app"])
    interactive_s = statistics.median(times["interactive"])
    return {"runs": runs, "cold_bare_s": round(cold_bare, 3), "cold_app_s": round(cold_app, 3),
            "cold_interactive_s": round(cold_interactive, 3),
            "bare_text_s": round(bare_s, 3), "app_first_graph_s": round(app_s, 3), "app_interactive_s": round(interactive_s, 3),
            "ratio": round(app_s / bare_s, 2), "interactive_ratio": round(interactive_s / bare_s, 2), "goal": GOAL,
            "all": {k: [round(t, 3) for t in v] for k, v in times.items()}}


def report(result: dict) -> str:
    verdict = "meets" if result["ratio"] <= result["goal"] else "misses"
    return (f"app first graph {result['app_first_graph_s']:.2f} s, bare Streamlit text {result['bare_text_s']:.2f} s "
            f"(medians of {result['runs']} warm visits): ratio {result['ratio']:.2f}, {verdict} the {result['goal']}x goal; "
            f"interactive graph in its place {result['app_interactive_s']:.2f} s ({result['interactive_ratio']:.2f}x); "
            f"cold first visit: app {result['cold_app_s']:.2f} s (interactive {result['cold_interactive_s']:.2f} s), "
            f"bare {result['cold_bare_s']:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.bench_app", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="also write the numbers to this file")
    options = parser.parse_args(argv)
    result = measure(options.runs)
    print(report(result))
    if options.json:
        Path(options.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
