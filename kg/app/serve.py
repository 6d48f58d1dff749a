"""Start the app (or any Streamlit script) on a free localhost port and stop it: for the browser tests and
the first-draw benchmark (``kg.bench_app``), which drive it in Debian's Chromium. Imports no Streamlit.

The browser is never downloaded: Playwright launches ``/usr/bin/chromium`` with :data:`CHROMIUM_ARGS`.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

#: The app's page, at the top of the checkout.
APP = Path(__file__).resolve().parents[2] / "app.py"
#: Debian's build of Chromium; the project never downloads a browser.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


class ServerDidNotStart(RuntimeError):
    """Streamlit exited or did not answer its health check in time; the message holds its log."""


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_process(script: Path = APP, *, log: Path, args: list[str] | tuple[str, ...] = (), cwd: Path | None = None,
                      timeout: float = 90):
    """Run ``streamlit run script -- args`` on localhost until the block ends; yields ``(url, process)``.

    The URL has no trailing slash; the process is there for callers that watch the server itself (the
    upload benchmark reads its peak memory). ``KG_GRAPH`` is removed from the server's environment
    (``args`` choose the pack); everything else, such as a test's private home and cache, is passed on.
    Usage statistics are off; the log is written to ``log``.
    """
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.headless", "true", "--server.address", "localhost", "--browser.gatherUsageStats", "false"]
    if args:
        command += ["--", *args]
    env = {k: v for k, v in os.environ.items() if k != "KG_GRAPH"}
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=cwd or script.parent, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_until_healthy(process, port, timeout, log)
            yield f"http://localhost:{port}", process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def streamlit_server(script: Path = APP, *, log: Path, args: list[str] | tuple[str, ...] = (), cwd: Path | None = None,
                     timeout: float = 90):
    """:func:`streamlit_process` for callers that need only the URL (no trailing slash)."""
    with streamlit_process(script, log=log, args=args, cwd=cwd, timeout=timeout) as (url, _process):
        yield url


def _wait_until_healthy(process: subprocess.Popen, port: int, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise ServerDidNotStart(f"streamlit did not start ({log}):\n" + log.read_text(errors="replace")[-4000:])
        time.sleep(0.3)
