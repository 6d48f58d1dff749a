"""Reading untrusted YAML into plain, position-tagged data.

We never call ``yaml.load``. The parser's event stream is turned into dicts,
lists and strings by a small iterative builder, so that

* every scalar stays text exactly as written (``0123``, ``yes``, ``2024-01-01``, ``~``);
* tags, anchors and aliases are refused before anything is built from them;
* duplicate keys and non-text keys are reported at their line;
* nesting depth is bounded without recursion (no ``RecursionError``);
* libyaml (``CSafeLoader``) and the pure-Python parser give the same result.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.resolver import Resolver

from .problems import Phrase, Problem, problem, yaml_complaint

C_AVAILABLE = bool(getattr(yaml, "__with_libyaml__", False))
_TEXT_TAGS = {None, "tag:yaml.org,2002:str", "!"}
_MAP_TAGS = {None, "tag:yaml.org,2002:map", "!"}
_SEQ_TAGS = {None, "tag:yaml.org,2002:seq", "!"}
# Characters YAML forbids in a stream (C0 controls other than tab/LF/CR, DEL, C1 but NEL, surrogates, FFFE/FFFF),
# and a byte order mark after the start, which libyaml skips where PyYAML keeps it as text.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_RESOLVER = Resolver()


class YMap(dict):
    """A mapping that remembers where it and each of its keys were written."""

    __slots__ = ("line", "col", "key_pos", "value_pos")

    def __init__(self, line: int, col: int):
        super().__init__()
        self.line, self.col = line, col
        self.key_pos: dict[str, tuple[int, int]] = {}
        self.value_pos: dict[str, tuple[int, int]] = {}


class YList(list):
    """A sequence that remembers where it and each of its items were written."""

    __slots__ = ("line", "col", "item_pos")

    def __init__(self, line: int, col: int):
        super().__init__()
        self.line, self.col = line, col
        self.item_pos: list[tuple[int, int]] = []


def to_plain(value):
    """Position-tagged data as plain dicts, lists and strings (for comparing, printing or serialising).

    >>> to_plain(parse("a: [b, {c: d}]", "f").data)
    {'a': ['b', {'c': 'd'}]}
    """
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    return value


@dataclass
class Document:
    """The outcome of reading one file: its data (or None) and its problems."""

    data: object
    problems: list[Problem]
    #: where the top-level value starts (1-based line, column)
    position: tuple[int, int] = (1, 1)


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 with or without BOM, UTF-16/32 with BOM or detectable without.

    >>> decode("a: 1".encode("utf-16"), "f")[0]
    'a: 1'
    >>> decode(b"a: \\xff", "f")[1][0].code
    'bad-encoding'
    """
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        encoding = "utf-32"
    elif data.startswith(codecs.BOM_UTF8):
        data, encoding = data[3:], "utf-8"
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    elif len(data) >= 2 and data[0] == 0 and data[1] != 0:
        encoding = "utf-16-be"
    elif len(data) >= 2 and data[0] != 0 and data[1] == 0:
        encoding = "utf-16-le"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        # Count lines in the decoded text before the bad byte: in UTF-16 a 0x0A byte is often half of a character (上 is 0A 4E).
        before = data[:err.start].decode(encoding, errors="replace")
        line, col = _line_col(before, len(before))
        return None, [problem("bad-encoding", (path, line, col), character=f"0x{data[err.start]:02X}", encoding=encoding.upper(),
                              reason=Phrase("invalid-byte"))]
    bad = _FORBIDDEN_CHARS.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        return None, [problem("bad-encoding", (path, line, col), character=f"U+{ord(bad.group()):04X}", encoding=encoding.upper(),
                              reason=Phrase("control-character"))]
    return text.lstrip("\ufeff") if encoding != "utf-8" else text, []


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _is_text_key(value: str, plain: bool) -> bool:
    """Whether YAML 1.1 would read this key as text (so '1', 'yes', '~' are not)."""
    if not plain:
        return True
    resolvers = _RESOLVER.yaml_implicit_resolvers.get(value[:1] if value else "", [])
    return not any(regexp.match(value) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:str")


def parse(text: str, path: str, *, max_depth: int = 32, use_c: bool = True) -> Document:
    """Parse one YAML document into YMap / YList / str values.

    Parameters
    ----------
    text : str
        The decoded file.
    path : str
        Used in problem records.
    max_depth : int
        Deepest nesting of collections allowed.
    use_c : bool
        Use libyaml when it is available.

    Examples
    --------
    >>> doc = parse("id: 0123\\nok: yes\\nwhen: 2024-01-01\\n", "f.yaml")
    >>> dict(doc.data)
    {'id': '0123', 'ok': 'yes', 'when': '2024-01-01'}
    >>> parse("a: 1\\na: 2\\n", "f.yaml").problems[0].code
    'duplicate-key'
    """
    loader_class = yaml.CSafeLoader if use_c and C_AVAILABLE else yaml.SafeLoader
    problems: list[Problem] = []
    loader = loader_class(text)
    position = [(1, 1)]
    try:
        data = _build(loader, path, problems, max_depth, position)
        if data == "":
            data = None  # a file holding only '---' is an empty document, not a text value
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(part for part in (err.context, err.problem) if part)  # the parser's own words
        opened = err.context_mark
        if opened is not None and err.problem_mark is not None and opened.line < err.problem_mark.line:
            # An unclosed bracket or quote is only noticed lines later (often past the end of the file):
            # point at the construct that was left open, and give where the parser gave up as line:col.
            detail = f"{err.context or ''}: {err.problem} ({err.problem_mark.line + 1}:{err.problem_mark.column + 1})"
            line, col = opened.line + 1, opened.column + 1
        if "nesting depth" in detail:
            # libyaml 0.2.5+ (bundled with PyYAML 6.0.4) stops at 1000 levels in its scanner, before our own limit sees them
            depth = re.search(r"\d+", detail)
            problems.append(problem("limit-exceeded", (path, line, col), subject=Phrase("the-file"), limit=int(depth.group()) if depth else 1000,
                                    unit=Phrase("unit-nesting"), consequence=Phrase("file-not-read")))
        else:
            problems.append(problem("yaml-syntax", (path, line, col), detail=yaml_complaint(detail or str(err).splitlines()[0])))
        data = None
    except yaml.reader.ReaderError as err:
        line, col = _line_col(text, err.position)
        character = f"U+{err.character:04X}" if isinstance(err.character, int) else f"0x{bytes(err.character[:1]).hex().upper()}"
        problems.append(problem("bad-encoding", (path, line, col), character=character, encoding=(err.encoding or "unicode").upper(),
                                reason=str(err.reason)))
        data = None
    except yaml.YAMLError as err:  # any other parser complaint still becomes a record
        problems.append(problem("yaml-syntax", (path, 1, 1), detail=yaml_complaint(str(err).splitlines()[0] if str(err) else type(err).__name__)))
        data = None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose:
            dispose()
    return Document(data, problems, position[0])


class _Stop(Exception):
    """Raised inside the builder when the file cannot be used at all."""


def _build(loader, path: str, problems: list[Problem], max_depth: int, position: list):
    get_event = loader.get_event
    documents = 0
    root = None
    # Each stack frame: [container, pending_key_or_None, key_is_ok]
    stack: list[list] = []

    def attach(value, line, col):
        nonlocal root
        if not stack:
            root = value
            position[0] = (line, col)
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, YList):
            container.append(value)
            container.item_pos.append((line, col))
        elif frame[1] is None:
            # value is a key
            if not isinstance(value, str):
                problems.append(problem("non-string-key", (path, line, col), yaml_type="map" if isinstance(value, YMap) else "seq"))
                frame[1], frame[2] = "", False
            else:
                frame[1], frame[2] = value, True
                frame.append((line, col))
        else:
            key, ok = frame[1], frame[2]
            if ok:
                if key in container:
                    first = container.key_pos[key][0]
                    kl, kc = frame[3]
                    problems.append(problem("duplicate-key", (path, kl, kc), key=key, first_line=first))
                else:
                    container[key] = value
                    container.key_pos[key] = frame[3]
                    container.value_pos[key] = (line, col)
            del frame[3:]
            frame[1], frame[2] = None, False

    try:
        while True:
            event = get_event()
            if event is None or isinstance(event, StreamEndEvent):
                break
            cls = type(event)
            if cls is ScalarEvent:
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if event.anchor is not None:
                    raise _anchor(path, line, col, event.anchor)
                if event.tag not in _TEXT_TAGS:
                    raise _tag(path, line, col, event.tag)
                value = event.value
                if stack and type(stack[-1][0]) is YList:  # the common case inline: one item of a list
                    container = stack[-1][0]
                    container.append(value)
                    container.item_pos.append((line, col))
                    continue
                if stack and stack[-1][1] is None and not _is_text_key(value, event.implicit[0] and not event.style):
                    problems.append(problem("non-string-key", (path, line, col), yaml_type=_implicit_type(value)))
                    stack[-1][1], stack[-1][2] = "", False
                    continue
                attach(value, line, col)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if event.anchor is not None:
                    raise _anchor(path, line, col, event.anchor)
                if event.tag not in (_MAP_TAGS if cls is MappingStartEvent else _SEQ_TAGS):
                    raise _tag(path, line, col, event.tag)
                if len(stack) >= max_depth:
                    raise _Stop(problem("limit-exceeded", (path, line, col), subject=Phrase("the-file"), limit=max_depth,
                                        unit=Phrase("unit-nesting"), consequence=Phrase("file-not-read")))
                stack.append([YMap(line, col) if cls is MappingStartEvent else YList(line, col), None, False])
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                attach(frame[0], frame[0].line, frame[0].col)
            elif cls is AliasEvent:
                mark = event.start_mark
                raise _Stop(problem("anchor-alias", (path, mark.line + 1, mark.column + 1), mark=f"*{event.anchor}"))
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise _Stop(problem("multiple-documents", (path, mark.line + 1, mark.column + 1)))
    except _Stop as stop:
        problems.append(stop.args[0])
        return None
    return root


def _anchor(path, line, col, name) -> _Stop:
    return _Stop(problem("anchor-alias", (path, line, col), mark=f"&{name}"))


def _tag(path, line, col, tag) -> _Stop:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return _Stop(problem("forbidden-tag", (path, line, col), tag=shown))


def _implicit_type(value: str) -> str:
    resolved = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return resolved.replace("tag:yaml.org,2002:", "")
