"""CSV: one row per edge (both ends' ids and names, type, why), or with ``nodes_table`` one row per concept.

Written with the ``csv`` module (RFC 4180 quoting, so commas, quotes and line breaks in a field
survive). A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed
with ``'`` so that a spreadsheet shows it as text instead of running it as a formula
(OWASP "CSV injection"); :func:`unguard` removes that prefix again.

>>> guard("=HYPERLINK(1)"), unguard(guard("=HYPERLINK(1)"))
("'=HYPERLINK(1)", '=HYPERLINK(1)')
>>> unguard(guard("'=x")), unguard(guard("'x"))
("'=x", "'x")
"""
from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Iterable

from .nodelink import node_link

if TYPE_CHECKING:
    from ..pack import Pack

EDGE_COLUMNS = ["source", "source_name", "source_name_zh", "type", "target", "target_name", "target_name_zh", "why", "why_zh"]
NODE_COLUMNS = ["id", "name", "name_zh", "kind", "section", "minutes", "summary", "summary_zh", "aliases", "tags"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def guard(value: object) -> str:
    """The cell text, with ``'`` in front if a spreadsheet could read it as a formula.

    Text that already starts with quotes before a formula character gets one more, so that
    :func:`unguard` gives back exactly what was written.
    """
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) else text


def _cell(value) -> str:
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    return guard(value)


def to_csv(pack: "Pack", nodes: Iterable[str] | None = None, nodes_table: bool = False, **_options) -> str:
    data = node_link(pack, nodes)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if nodes_table:
        writer.writerow(NODE_COLUMNS)
        for node in data["nodes"]:
            writer.writerow([_cell(node.get(column, "")) for column in NODE_COLUMNS])
        return buffer.getvalue()
    by_id = {node["id"]: node for node in data["nodes"]}
    writer.writerow(EDGE_COLUMNS)
    for link in data["links"]:
        source, target = by_id[link["source"]], by_id[link["target"]]
        writer.writerow([_cell(v) for v in (
            link["source"], source.get("name", ""), source.get("name_zh", ""), link["type"],
            link["target"], target.get("name", ""), target.get("name_zh", ""), link.get("why") or "", link.get("why_zh") or "")])
    return buffer.getvalue()
