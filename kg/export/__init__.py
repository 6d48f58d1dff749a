"""Exporters: each turns a pack (or a part of it) into one file format.

``EXPORTERS`` maps a format name to ``(function, binary, default_suffix)``; every
function takes ``(pack, nodes)`` where ``nodes`` is the set of concept ids to
include (already chosen by ``--focus``/``--plan``) and returns ``str`` or ``bytes``.
"""
from __future__ import annotations

from .nodelink import to_json

EXPORTERS: dict[str, tuple] = {
    "json": (to_json, False, ".json"),
}


def select_nodes(pack, *, focus: str | None = None, depth: int = 1, plan: list[str] | None = None, known: list[str] | None = None) -> list[str]:
    """The concept ids an export covers: the whole pack, a focus neighbourhood, or a study plan."""
    from ..queries import related, study_order

    if plan:
        return [step.id for step in study_order(pack, plan, known or []).steps]
    if focus:
        start = pack.resolve(focus)
        return sorted({start, *(r.neighbour for r in related(pack, start, depth=depth))}, key=pack.order_key)
    return sorted(pack.graph, key=pack.order_key)
