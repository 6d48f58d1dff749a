"""Exporters: each turns a pack (or a part of it) into one file format.

``EXPORTERS`` maps a format name to ``(function, binary, default_suffix)``; every
function takes ``(pack, nodes, **options)`` where ``nodes`` is the set of concept ids to
include (already chosen by ``--focus``/``--plan``) and returns ``str`` or ``bytes``.
``kg export`` passes ``lang``, ``plan``, ``known``, ``focus`` and ``nodes_table`` (``--nodes``)
to every exporter, which takes the ones it uses and ignores the rest.
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping

#: format -> (module, function, binary, default suffix). Modules are imported when a format is used,
#: so that `kg order` does not pay for nine exporters it never calls.
FORMATS: dict[str, tuple[str, str, bool, str]] = {
    "json": ("nodelink", "to_json", False, ".json"),
    "graphml": ("graphml", "to_graphml", False, ".graphml"),
    "gexf": ("gexf", "to_gexf", False, ".gexf"),
    "dot": ("dot", "to_dot", False, ".dot"),
    "mermaid": ("mermaid", "to_mermaid", False, ".mmd"),
    "csv": ("csv", "to_csv", False, ".csv"),
    "markdown": ("markdown", "to_markdown", False, ".md"),
    "anki": ("anki", "to_anki", True, ".apkg"),
    "html": ("html", "to_html", False, ".html"),
}


class _Exporters(Mapping):
    """``EXPORTERS[name] -> (function, binary, suffix)``, importing the exporter's module on first use."""

    def __getitem__(self, name: str) -> tuple:
        module, function, binary, suffix = FORMATS[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), function), binary, suffix

    def __iter__(self):
        return iter(FORMATS)

    def __len__(self) -> int:
        return len(FORMATS)


EXPORTERS: Mapping[str, tuple] = _Exporters()


def select_nodes(pack, *, focus: str | None = None, depth: int = 1, plan: list[str] | None = None, known: list[str] | None = None) -> list[str]:
    """The concept ids an export covers: the whole pack, a focus neighbourhood, or a study plan."""
    from ..queries import related, study_order

    if plan:
        return [step.id for step in study_order(pack, plan, known or []).steps]
    if focus:
        start = pack.resolve(focus)
        return sorted({start, *(r.neighbour for r in related(pack, start, depth=depth))}, key=pack.order_key)
    return sorted(pack.graph, key=pack.order_key)
