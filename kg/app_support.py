"""What the Streamlit app (``app.py``) needs that is not a view: where its pack comes from and how pack
text is made literal for Streamlit's Markdown. Importing this module imports neither streamlit nor
pyvis, so tests use these functions themselves instead of copies of them; the ``kg`` command never
imports it.
"""
from __future__ import annotations

import argparse
import os
import re

#: Every character Streamlit's Markdown gives a meaning to: CommonMark's, HTML's, and Streamlit's own
#: ($ for LaTeX, : for emoji shortcodes, ~ for strikethrough).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")
#: A reference URL the app may make a link: http(s) and nothing that could end the link early.
SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]\"'`\\]+$")


def markdown_literal(text) -> str:
    """Pack text made literal for Streamlit Markdown: one line, every meaningful character backslash-escaped.

    >>> markdown_literal("**a** <b>\\n[x](javascript:y)")
    '\\\\*\\\\*a\\\\*\\\\* \\\\<b\\\\> \\\\[x\\\\]\\\\(javascript\\\\:y\\\\)'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def pack_path_from_args(argv: list[str], environ=os.environ) -> str | None:
    """``--graph PATH`` after ``streamlit run app.py --``, else ``$KG_GRAPH``, else None (the shipped graph).

    >>> pack_path_from_args(["--graph", "a"], {"KG_GRAPH": "b"}), pack_path_from_args([], {"KG_GRAPH": "b"})
    ('a', 'b')
    >>> pack_path_from_args(["-q", "tests"], {}) is None
    True
    """
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--graph")
    known, _ = parser.parse_known_args(argv)
    return known.graph or environ.get("KG_GRAPH") or None
