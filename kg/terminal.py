"""Text for a terminal that cannot lie: pack strings with control, escape and bidi characters shown escaped.

A YAML double-quoted string may hold ``\\e``, ``\\r``, ``\\x9b`` or ``\\u202e``; printed raw, such a value
moves the cursor, recolours or overwrites earlier lines, or reverses the text around it, so a pack
could print a clean "0 error(s)" over its real problems. :func:`safe_text` is the one filter: every
human-readable line the ``kg`` command prints goes through it (:class:`SafeStream` wraps standard
output and error). JSON output and exported files are data and stay exact; JSON escapes C0 controls
itself.

>>> safe_text("ok\\x1b[2K\\r0 error(s)")
'ok\\\\x1b[2K\\\\r0 error(s)'
>>> safe_text("abc\\u202edef")
'abc\\\\u202edef'
>>> safe_text("two\\nlines\\tkept")
'two\\nlines\\tkept'
"""
from __future__ import annotations

import io
import re

#: C0 controls except newline and tab, DEL and the C1 controls (CSI U+009B starts an escape sequence
#: on many terminals), then invisible format characters: soft hyphen, Arabic letter mark, Mongolian
#: vowel separator, zero-width space/joiners, LRM/RLM, line and paragraph separators, bidi embeddings,
#: overrides and isolates, word joiner and invisible operators, BOM, interlinear annotation, tag characters.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
                    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f\ud800-\udfff]")


_NAMED = {"\r": "\\r", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v", "\0": "\\0"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def safe_text(text: str) -> str:
    """``text`` with every character that could move the cursor, restyle or reorder a terminal escaped."""
    return UNSAFE.sub(_escape, text)


class SafeStream(io.TextIOBase):
    """A text stream that writes everything through :func:`safe_text` to ``stream``.

    ``unfiltered`` is the wrapped stream, for output that is data (an exported file on standard output).

    >>> buffer = io.StringIO()
    >>> _ = SafeStream(buffer).write("name\\x1b[31m\\n")
    >>> buffer.getvalue()
    'name\\\\x1b[31m\\n'
    """

    def __init__(self, stream):
        super().__init__()
        self.unfiltered = stream

    def write(self, text: str) -> int:
        self.unfiltered.write(safe_text(text))
        return len(text)

    def flush(self) -> None:
        self.unfiltered.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.unfiltered.isatty()

    def fileno(self) -> int:
        return self.unfiltered.fileno()

    @property
    def encoding(self):
        return getattr(self.unfiltered, "encoding", "utf-8")

    @property
    def buffer(self):
        return self.unfiltered.buffer


def unfiltered(stream):
    """The stream under a :class:`SafeStream`, or ``stream`` itself."""
    return getattr(stream, "unfiltered", stream)
