"""Exporters: each turns a pack (or a part of it) into one file format.

``EXPORTERS`` maps a format name to ``(function, binary, default_suffix)``; every
function takes ``(pack, nodes, **options)`` where ``nodes`` is the set of concept ids to
include (already chosen by ``--focus``/``--plan``) and returns ``str`` or ``bytes``.
Call :func:`export` rather than the function: it refuses an option the format does not use
(``--nodes`` with ``--format json``), so that nothing the user asked for is silently dropped.
"""
from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from typing import NamedTuple

from ..errors import UsageError


class Format(NamedTuple):
    module: str  #: module under kg.export, imported when the format is used
    function: str
    binary: bool  #: returns bytes (cannot go to a terminal)
    suffix: str  #: default file suffix
    mime: str  #: download type


#: Every export format. Modules are imported when a format is used, so that `kg order` does not pay
#: for nine exporters it never calls.
FORMATS: dict[str, Format] = {
    "json": Format("nodelink", "to_json", False, ".json", "application/json"),
    "graphml": Format("graphml", "to_graphml", False, ".graphml", "application/graphml+xml"),
    "gexf": Format("gexf", "to_gexf", False, ".gexf", "application/gexf+xml"),
    "dot": Format("dot", "to_dot", False, ".dot", "text/vnd.graphviz"),
    "mermaid": Format("mermaid", "to_mermaid", False, ".mmd", "text/plain"),
    "csv": Format("csv", "to_csv", False, ".csv", "text/csv"),
    "markdown": Format("markdown", "to_markdown", False, ".md", "text/markdown"),
    "anki": Format("anki", "to_anki", True, ".apkg", "application/octet-stream"),
    "html": Format("html", "to_html", False, ".html", "text/html"),
}


class _Exporters(Mapping):
    """``EXPORTERS[name] -> (function, binary, suffix)``, importing the exporter's module on first use."""

    def __getitem__(self, name: str) -> tuple:
        entry = FORMATS[name]
        return getattr(importlib.import_module(f"{__name__}.{entry.module}"), entry.function), entry.binary, entry.suffix

    def __iter__(self):
        return iter(FORMATS)

    def __len__(self) -> int:
        return len(FORMATS)


EXPORTERS: Mapping[str, tuple] = _Exporters()

#: The options an exporter may take besides ``pack`` and ``nodes``, with what they mean.
OPTIONS = {"lang": "language shown first", "plan": "the study plan's targets", "known": "known concepts (with plan)",
           "focus": "the concept the view centres on", "nodes_table": "the concept table instead of the edge list",
           "anki_reverse": "a reverse note per concept (summary to name)",
           "anki_zh_names": "a Chinese-to-English name note per concept"}


def format_options(name: str) -> set[str]:
    """The options of :data:`OPTIONS` that the exporter of format ``name`` uses.

    >>> sorted(format_options("csv")), sorted(format_options("markdown"))
    (['nodes_table'], ['known', 'lang', 'plan'])
    """
    function = EXPORTERS[name][0]
    return set(inspect.signature(function).parameters) & set(OPTIONS)


def export(pack, name: str, nodes, **options) -> str | bytes:
    """Format ``nodes`` of ``pack`` as ``name``; an option the format does not use is a
    :class:`~kg.errors.UsageError` rather than silently dropped."""
    unused = sorted(set(options) - format_options(name))
    if unused:
        raise UsageError(f"--format {name} does not use {', '.join(unused)}")
    return EXPORTERS[name][0](pack, nodes, **options)


def select_nodes(pack, *, focus: str | None = None, depth: int = 1, plan: list[str] | None = None, known: list[str] | None = None) -> list[str]:
    """The concept ids an export covers: the whole pack, a focus neighbourhood, or a study plan."""
    from ..queries import related, study_order

    if plan:
        return [step.id for step in study_order(pack, plan, known or []).steps]
    if focus:
        start = pack.resolve(focus)
        return sorted({start, *(r.neighbour for r in related(pack, start, depth=depth))}, key=pack.order_key)
    return sorted(pack.graph, key=pack.order_key)
