"""Importing other people's concept graphs as packs: ``kg import metacademy DIR OUT``.

Metacademy (https://metacademy.org, CC BY-SA 3.0) ships its graph as
``concepts.jsonl`` (tag, title, summary, learn_time_hours, tags) and
``dependencies.jsonl`` (concept requires requires, with a reason). The import:

* turns each tag into an id (underscores become hyphens; anything that is still
  not a valid id is reported and made kebab-case, kept unique);
* keeps titles as ``name`` and summaries as ``summary`` (35 concepts have none:
  they get a one-line placeholder, because ``summary`` is required);
* turns ``learn_time_hours`` into whole ``minutes`` (at least 1);
* gives ``kind: math`` to concepts whose subject areas are all mathematics,
  ``kind: concept`` to the rest;
* writes every dependency as ``requires`` with its reason as ``why``;
* writes one file per subject area, each with the ``pack:`` header carrying the
  name, licence, attribution and source, and ``languages: en`` because the data
  has no Chinese, so that ``kg check`` does not warn about 974 missing
  translations it cannot fix (see docs/pack-format.md).

>>> import tempfile, pathlib, json
>>> src = pathlib.Path(tempfile.mkdtemp())
>>> _ = (src / "concepts.jsonl").write_text(json.dumps({"tag": "a_b", "title": "A B", "summary": "S.", "learn_time_hours": 1.5, "tags": ["linearalgebra"]}) + "\\n"
...                                         + json.dumps({"tag": "c", "title": "C", "summary": "", "learn_time_hours": 0.1, "tags": []}) + "\\n")
>>> _ = (src / "dependencies.jsonl").write_text(json.dumps({"concept": "c", "requires": "a_b", "reason": "C uses A B"}) + "\\n")
>>> report = import_metacademy(src, src / "pack")
>>> report["concepts"], report["edges"]
(2, 1)
>>> from kg import load_pack
>>> pack = load_pack(src / "pack")
>>> [p.code for p in pack.problems], pack.graph.nodes["a-b"]["kind"], pack.graph.nodes["a-b"]["minutes"]
([], 'math', 90)
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from .errors import UsageError
from .fsutil import atomic_write, new_or_empty_folder
from .schema import ID_MAX_LENGTH, ID_PATTERN

METACADEMY_HEADER = {
    "name": "Metacademy",
    "format": "1",
    "license": "CC BY-SA 3.0",
    "attribution": ("Converted from the Metacademy concept graph (metacademy/metacademy-application, dev_utils/graph_data.json, "
                    "2015 data) by kg import metacademy: tags became ids, reasons became why, hours became minutes."),
    "source": "https://github.com/metacademy/metacademy-application",
    "url": "https://creativecommons.org/licenses/by-sa/3.0/",
    "languages": "en",
}
#: Metacademy subject areas that are pure mathematics: a concept with only these gets kind ``math``.
MATH_AREAS = {"linearalgebra", "mvcalc", "probabilitytheor", "settheory", "diffgeom"}


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


#: Fields of each Metacademy record and the JSON types they must have (None: may be missing or null).
_FIELDS = {
    "concepts.jsonl": {"tag": (str,), "title": (str, type(None)), "summary": (str, type(None)),
                       "learn_time_hours": (int, float, type(None)), "tags": (list, type(None))},
    "dependencies.jsonl": {"concept": (str,), "requires": (str,), "reason": (str, type(None))},
}
_REQUIRED = {"concepts.jsonl": ("tag",), "dependencies.jsonl": ("concept", "requires")}


class ImportError_(ValueError):
    """A record of the data being imported is malformed; the message says file:line and what."""


def _read_jsonl(path: Path) -> list[dict]:
    """The records of a JSON-lines file, each checked: every problem is ``file:line: what is wrong``."""
    records = []
    fields, required = _FIELDS.get(path.name, {}), _REQUIRED.get(path.name, ())
    with open(path, encoding="utf-8-sig", errors="strict") as stream:
        try:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise ImportError_(f"{path}:{number}: not JSON: {err.msg} (column {err.colno})") from None
                except RecursionError:
                    raise ImportError_(f"{path}:{number}: nested too deeply") from None
                if not isinstance(record, dict):
                    raise ImportError_(f"{path}:{number}: expected a JSON object, found {type(record).__name__}")
                for key in required:
                    if key not in record:
                        raise ImportError_(f"{path}:{number}: the record has no '{key}'")
                for key, types in fields.items():
                    if key in record and not isinstance(record[key], types):
                        raise ImportError_(f"{path}:{number}: '{key}' must be {' or '.join(t.__name__ for t in types if t is not type(None))}, "
                                           f"not {type(record[key]).__name__}")
                if path.name == "concepts.jsonl" and not all(isinstance(t, str) for t in record.get("tags") or []):
                    raise ImportError_(f"{path}:{number}: 'tags' must be a list of text")
                records.append(record)
        except UnicodeDecodeError:
            raise ImportError_(f"{path}: not UTF-8 text") from None
    return records


def metacademy_id(tag: str) -> str:
    """The pack id of a Metacademy tag.

    >>> metacademy_id("convolutional_nets"), metacademy_id("Bayes__Net")
    ('convolutional-nets', 'bayes-net')
    """
    candidate = tag.replace("_", "-")
    if ID_PATTERN.match(candidate) and len(candidate) <= ID_MAX_LENGTH:
        return candidate
    return "-".join(re.findall(r"[a-z0-9]+", tag.lower()))[:ID_MAX_LENGTH].strip("-") or "concept"


def import_metacademy(source: str | Path, out: str | Path) -> dict:
    """Convert the Metacademy JSON-lines files in ``source`` into a pack folder ``out``; return counts and notes.

    Raises :class:`~kg.errors.UsageError` when ``out`` is not new or empty or ``source`` lacks Metacademy's
    two files, and :class:`ImportError_` (a ValueError) naming file:line when a record is malformed."""
    source, out = Path(source), new_or_empty_folder(out)
    for name in ("concepts.jsonl", "dependencies.jsonl"):
        if not (source / name).is_file():
            raise UsageError(f"{source / name} not found (expected the Metacademy JSON-lines files)")
    concepts = _read_jsonl(source / "concepts.jsonl")
    dependencies = _read_jsonl(source / "dependencies.jsonl")
    notes: list[str] = []
    ids: dict[str, str] = {}
    used: set[str] = set()
    for record in concepts:
        tag = record["tag"]
        cid = metacademy_id(tag)
        if cid != tag.replace("_", "-"):
            notes.append(f"tag {tag!r} is not a valid id; it became {cid!r}")
        base, number = cid, 2
        while cid in used:
            cid = f"{base}-{number}"[:ID_MAX_LENGTH]
            number += 1
        if tag in ids:
            notes.append(f"tag {tag!r} appears twice; the second was imported as {cid!r}")
        used.add(cid)
        ids.setdefault(tag, cid)
        record["_id"] = cid
    requires: dict[str, list[tuple[str, str]]] = {}
    seen_edges = set()
    for dep in dependencies:
        source_id, target_id = ids.get(dep["concept"]), ids.get(dep["requires"])
        if source_id is None or target_id is None:
            notes.append(f"dependency {dep['concept']} -> {dep['requires']} names an unknown tag; skipped")
            continue
        if (source_id, target_id) in seen_edges:
            notes.append(f"dependency {dep['concept']} -> {dep['requires']} is listed twice; kept once")
            continue
        seen_edges.add((source_id, target_id))
        requires.setdefault(source_id, []).append((target_id, " ".join((dep.get("reason") or "").split())))
    by_area: dict[str, list[dict]] = {}
    for record in concepts:
        area = (record.get("tags") or ["other"])[0]
        by_area.setdefault(re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-") or "other", []).append(record)
    header = ["pack:"] + [f"  {key}: {_q(value)}" for key, value in METACADEMY_HEADER.items()]
    # Written into a hidden sibling folder and renamed into place at the end: OUT appears complete or not at all.
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        for area, records in sorted(by_area.items()):
            lines = [f"# Metacademy concepts, subject area '{area}'. CC BY-SA 3.0; written by kg import metacademy.", *header, "concepts:"]
            for record in sorted(records, key=lambda r: r["_id"]):
                lines.extend(_concept_lines(record, requires.get(record["_id"], [])))
            atomic_write(partial / f"{area}.yaml", "\n".join(lines) + "\n")
        atomic_write(partial / "LICENSE.md", _LICENSE_NOTE)
        os.chmod(partial, 0o777 & ~_umask())
        os.replace(partial, out)  # over a missing or empty folder only (import_metacademy refuses a non-empty OUT)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return {"concepts": len(concepts), "edges": len(seen_edges), "files": len(by_area), "notes": notes, "path": str(out)}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _concept_lines(record: dict, edges: list[tuple[str, str]]) -> list[str]:
    title = " ".join(str(record.get("title") or record["tag"]).split())
    summary = " ".join(str(record.get("summary") or "").split())
    if not summary:
        summary = f"{title} (the Metacademy data has no summary for this concept)."
    areas = [str(t) for t in record.get("tags") or []]
    kind = "math" if areas and set(areas) <= MATH_AREAS else "concept"
    hours = record.get("learn_time_hours")
    lines = [f"  - id: {record['_id']}", f"    name: {_q(title)}", f"    kind: {kind}", f"    summary: {_q(summary)}"]
    if areas:
        lines.append(f"    tags: [{', '.join(_q(a) for a in areas)}]")
    if isinstance(hours, (int, float)) and hours > 0:
        lines.append(f"    minutes: {min(100000, max(1, round(hours * 60)))}")
    if edges:
        lines.append("    requires:")
        for target, why in sorted(edges):
            if why:
                lines += [f"      - to: {target}", f"        why: {_q(why)}"]
            else:
                lines.append(f"      - {target}")
    return lines


_LICENSE_NOTE = """# Licence of this pack

The concepts, summaries, prerequisite links, reasons and time estimates in this folder come from the
Metacademy project (https://github.com/metacademy/metacademy-application, `dev_utils/graph_data.json`,
2015 data) and are licensed under Creative Commons Attribution-ShareAlike 3.0
(https://creativecommons.org/licenses/by-sa/3.0/). They were converted to the kg pack format by
`kg import metacademy`: tags became ids, reasons became `why`, hours became whole `minutes`.
Anything derived from this pack and shared must keep this attribution and licence.
"""
