"""Pack text made literal for Streamlit Markdown: no formatting, no HTML, no icons, colours or links.

Backslash escapes stop Markdown and HTML, but Streamlit expands some syntax in the *text* that
Markdown leaves after its escapes are read: ``:material/lock:`` and ``:streamlit:`` icons, emoji
shortcodes such as ``:smile:``, and GitHub's bare ``www.``/e-mail autolinks. A word joiner
(U+2060, invisible and never a line break) after such a colon, after ``www`` and after ``@``
keeps them from matching. Links are never made from pack text: the app builds them only from
validated ``refs``.

>>> markdown_literal("**bold** :red[alert] :material/lock: www.evil.example a@b.example")
'\\\\*\\\\*bold\\\\*\\\\* \\\\:\\u2060red\\\\[alert\\\\] \\\\:\\u2060material/lock\\\\: www\\u2060\\\\.evil\\\\.example a@\\u2060b\\\\.example'
"""
from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")
_JOINER = "\u2060"
#: after the escapes: a colon that could open a directive, icon or shortcode; www; an at sign
_DIRECTIVE = re.compile(r"(\\:)(?=[\w/+])")
_WWW = re.compile(r"(?i)\b(www)(?=\\\.)")
_AT = re.compile(r"@")


def markdown_literal(text) -> str:
    """``text`` on one line with every Markdown/HTML character escaped and every Streamlit directive broken."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))
    escaped = _DIRECTIVE.sub(r"\1" + _JOINER, escaped)
    escaped = _WWW.sub(r"\1" + _JOINER, escaped)
    return _AT.sub("@" + _JOINER, escaped)
