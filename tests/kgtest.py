"""Test helpers shared by every test module: where ``../shared`` is, what CI requires, the one
hostile text, the one HTML parser, and small packs written on the fly (stable while graph/ is edited).

Fixtures live in ``conftest.py``; this module holds what test modules import by name.
"""
from __future__ import annotations

import importlib
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: ``shared/`` sits beside the checkout (CI lays a copy there); there is no other place to look.
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI") == "true"


def missing(what: str) -> NoReturn:
    """Skip the test outside CI; under ``CI=true`` fail it, so that nothing needed can vanish quietly."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: every test must run)", pytrace=False)
    pytest.skip(what)


def shared_path(*parts: str) -> Path:
    """A path under ``shared/``; a missing one skips the test (fails it in CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        missing(f"{path} is missing (shared/ must sit beside the checkout)")
    return path


def require_tool(name: str) -> str:
    """The full path of a program on PATH; a missing one skips the test (fails it in CI)."""
    found = shutil.which(name)
    if not found:
        missing(f"the program {name!r} is not installed")
    return found


def require_module(name: str):
    """Import a third-party module a test needs; a missing one skips the test (fails it in CI)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"the Python module {name!r} is not installed")


#: Script in every form we know, for every exporter and view: a closing tag and a new script, an
#: attribute break-out with an event handler, SVG, javascript: URLs in HTML and Markdown, the
#: substring "href" (pyvis switches tooltips to innerHTML on it), template syntax, comment and CDATA
#: ends, Markdown/Mermaid/DOT/CSV metacharacters, entities, and U+2028 (a line break to JavaScript).
#: Browser tests watch ``window.__pwned``: any script that runs sets it.
HOSTILE = ('</script><script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">'
           "<svg onload=window.__pwned=3> javascript:window.__pwned=4 href='javascript:1' {{7*7}} ${7*7} "
           '<a href="javascript:window.__pwned=5">x</a> [y](javascript:x) ![i](javascript:y) <https://evil.example> '
           "' --> <!-- ]]> `tick` | pipe {c} (p) #35; #quot; %% c ; \\N \\\" end click subgraph "
           "&amp; &lt;b&gt; <b>b</b> *em* _u_ ~~s~~ \u2028 # [[ ]] href=")


class Markup(HTMLParser):
    """Every start tag with its attributes, the text of each script, and all text, of an HTML or SVG text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._in_script = True
            self.scripts.append((attributes, ""))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_script:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)


def parse_html(text: str) -> Markup:
    parser = Markup()
    parser.feed(text)
    parser.close()
    return parser


def handlers(page: Markup) -> list[tuple[str, str, str]]:
    """Every event-handler attribute (on...)."""
    return sorted((tag, name, value) for tag, attrs in page.tags for name, value in attrs.items() if name.startswith("on"))


def script_links(page: Markup) -> list[tuple[str, str, str]]:
    """Every link attribute whose target would run script (javascript:, data:, vbscript:)."""
    return [(tag, name, value) for tag, attrs in page.tags for name, value in attrs.items()
            if name in ("href", "src", "action", "formaction", "xlink:href") and value and
            re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:", "vbscript:"))]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


SMALL = """
- id: calculus
  name: Calculus
  name_zh: 微积分
  kind: math
  section: "0"
  summary: Derivatives and integrals.
  summary_zh: 导数与积分。
  minutes: 20
- id: gradient-descent
  name: Gradient Descent
  name_zh: 梯度下降
  kind: optimizer
  section: "2.1"
  summary: Step against the gradient to lower the loss.
  summary_zh: 沿梯度反方向更新参数以降低损失。
  aliases: [GD]
  minutes: 30
  requires:
    - to: calculus
      why: The gradient is a vector of derivatives.
      why_zh: 梯度是由导数组成的向量。
  questions:
    - q: Why does the learning rate matter?
      a: Too large diverges, too small crawls.
      q_zh: 学习率为什么重要?
      a_zh: 太大发散,太小太慢。
  refs:
    - title: An overview of gradient descent optimization algorithms
      authors: [Sebastian Ruder]
      year: 2016
      url: https://arxiv.org/abs/1609.04747
- id: neural-network
  name: Neural Network
  name_zh: 神经网络
  kind: architecture
  section: "1.1"
  summary: Layers of weighted sums and non-linearities.
  summary_zh: 由加权求和与非线性组成的多层结构。
  minutes: 40
- id: backpropagation
  name: Backpropagation
  name_zh: 反向传播
  kind: technique
  section: "1.2"
  summary: The chain rule applied through a network to get every gradient.
  summary_zh: 在网络中应用链式法则求出所有梯度。
  minutes: 45
  requires:
    - to: calculus
      why: It is the chain rule.
      why_zh: 它就是链式法则。
  used-in:
    - to: neural-network
      why: Networks are trained with it.
      why_zh: 网络用它来训练。
- id: vanishing-gradient
  name: Vanishing Gradient
  name_zh: 梯度消失
  kind: problem
  section: "1.3"
  summary: Gradients shrink layer by layer in deep networks.
  summary_zh: 深层网络中梯度逐层变小。
  requires: [backpropagation]
- id: relu
  name: ReLU
  name_zh: 线性整流函数
  kind: activation
  section: "1.4"
  summary: max(0, x).
  summary_zh: max(0, x)。
  aliases: [rectified linear unit]
  minutes: 10
  solves:
    - to: vanishing-gradient
      why: Its gradient is 1 for positive inputs.
      why_zh: 正输入时它的梯度为 1。
  used-in: [neural-network]
- id: leaky-relu
  name: Leaky ReLU
  name_zh: 带泄露线性整流函数
  kind: activation
  section: "1.4"
  summary: ReLU with a small slope for negative inputs.
  summary_zh: 负半轴有小斜率的 ReLU。
  minutes: 10
  variant-of:
    - to: relu
      why: Replaces the flat negative half with a small slope.
      why_zh: 把平坦的负半轴换成小斜率。
- id: attention
  name: Attention
  name_zh: 注意力机制
  kind: layer
  section: "3.1"
  summary: A weighted average whose weights come from similarity.
  summary_zh: 权重来自相似度的加权平均。
  minutes: 40
  requires: [neural-network, gradient-descent]
"""

def write_small_pack(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "small.yaml").write_text(SMALL, encoding="utf-8")
    return folder


def hostile_yaml(extra_bad_concept: bool = True) -> str:
    h = q(HOSTILE)
    text = f"""
pack:
  name: {h}
  description: {h}
concepts:
  - id: evil-one
    name: {q("Evil " + HOSTILE)}
    name_zh: {q("恶意 " + HOSTILE)}
    kind: concept
    section: "1.1"
    summary: {h}
    summary_zh: {h}
    aliases: [{h}, {q("href=" + HOSTILE)}]
    tags: [{h}]
    refs:
      - title: {h}
        authors: [{h}]
        year: 2020
        url: https://example.org/?q=%3Cscript%3E
      - title: {h}
        url: "javascript:window.__pwned=5"
    questions:
      - q: {h}
        a: {h}
        q_zh: {h}
        a_zh: {h}
    requires:
      - to: evil-two
        why: {h}
        why_zh: {h}
  - id: evil-two
    name: {q("Two " + HOSTILE)}
    name_zh: {q("二 " + HOSTILE)}
    kind: problem
    section: "1.2"
    summary: {h}
    summary_zh: {h}
  - id: evil-three
    name: {q("Three " + HOSTILE)}
    name_zh: {q("三 " + HOSTILE)}
    kind: technique
    section: "1.3"
    summary: {h}
    summary_zh: {h}
    solves:
      - to: evil-two
        why: {h}
        why_zh: {h}
    used-in:
      - to: evil-one
        why: {h}
        why_zh: {h}
"""
    if extra_bad_concept:  # refused with problems whose messages quote the hostile text
        text += f"""
  - id: {q("bad-<script>window.__pwned=9</script>")}
    name: {h}
    kind: {h}
    summary: {h}
    requires:
      - to: {q("x-<img src=x onerror=window.__pwned=8>")}
        why: {h}
        why_zh: {h}
"""
    return text


def write_hostile_pack(folder: Path, extra_bad_concept: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.yaml").write_text(hostile_yaml(extra_bad_concept), encoding="utf-8")
    return folder


def damage_a_store_page(path: Path) -> None:
    """A kg progress database at ``path`` with a page in the middle overwritten: a header SQLite accepts,
    content its integrity check refuses."""
    import sqlite3

    from kg.store import Store

    store = Store(str(path))
    store.mark("ada", [f"c{i}" for i in range(400)], "known")
    store.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096 * 2: 4096 * 3] = b"\x07" * 4096  # a page in the middle
    path.write_bytes(bytes(data))
