"""Turning one file's parsed data into concept records, reporting every shape problem.

The output of :func:`concepts_from_document` is a list of plain dicts holding
only well-formed fields, plus where each concept and edge was written.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .d2l import pages as d2l_pages
from .problems import Phrase, Problem, did_you_mean, problem
from .schema import (
    CONTRAST_FIELDS,
    D2L_PAGE_PATTERN,
    EDGE_FIELDS,
    EDGE_TYPES,
    FIELDS,
    FORMAT_VERSION,
    ID_MAX_LENGTH,
    ID_PATTERN,
    KINDS,
    PACK_FIELDS,
    QUESTION_FIELDS,
    REF_FIELDS,
    SECTION_FIELDS,
    SECTION_PATTERN,
)
from .yamlsafe import YList, YMap

# Field names people reach for when they mean an edge type.
_EDGE_SYNONYMS = {
    "prerequisites": "requires", "prereqs": "requires", "depends-on": "requires", "needs": "requires",
    "require": "requires", "required": "requires", "uses": "used-in", "part-of": "used-in", "used-by": "used-in",
    "variant": "variant-of", "extends": "variant-of", "is-a": "variant-of", "subclass-of": "variant-of",
    "fixes": "solves", "solve": "solves", "addresses": "solves", "related": "requires", "related-to": "requires",
}
_URL_OK = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_DIGITS = re.compile(r"^[0-9]{1,9}$")


@dataclass
class RawEdge:
    source: str
    type: str
    target: str
    why: str
    line: int
    col: int
    why_zh: str = ""


@dataclass
class RawContrast:
    """One written ``contrasts`` entry: symmetric, so ``source`` is only where it happens to be written."""

    source: str
    target: str
    how: str
    how_zh: str
    line: int
    col: int


@dataclass
class RawConcept:
    id: str
    fields: dict
    line: int
    col: int
    edges: list[RawEdge] = field(default_factory=list)
    contrasts: list[RawContrast] = field(default_factory=list)


def concepts_from_document(data, path: str, problems: list[Problem], position: tuple[int, int] = (1, 1),
                           expectations: list | None = None, *, budget=None, stop_after: int | None = None,
                           stopped: list | None = None) -> tuple[list[RawConcept], dict]:
    """Concepts and pack header from one file's data; problems are appended.

    Curriculum assertions (a top-level ``expect:`` list) are appended to ``expectations`` when it is given
    (see :mod:`kg.expect`). With a :class:`kg.checks.ProblemBudget`, entries that are not mappings are only
    counted once the budget holds no more ``bad-shape`` records (1,999 files of bare numbers made 2 million
    records that the budget then dropped, 4 of the 7.7 s their check took). With ``stop_after``, checking
    stops before the first entry met with that many errors in ``problems`` already (a compiler's error
    limit: a 5 MB file of ``- {}`` makes 4 million ``missing-field`` records otherwise); the entry's place and
    the number of entries left unchecked are appended to ``stopped`` as ``(line, col, entries)``.

    >>> from kg.yamlsafe import parse
    >>> problems = []
    >>> doc = parse("- id: relu\\n  name: ReLU\\n  kind: activation\\n  summary: max(0, x).\\n  solves: [vanishing-gradient]\\n", "f.yaml")
    >>> concepts, header = concepts_from_document(doc.data, "f.yaml", problems)
    >>> concepts[0].id, concepts[0].edges[0].target, problems
    ('relu', 'vanishing-gradient', [])
    """
    header: dict = {}
    if isinstance(data, YList):
        entries, positions = data, data.item_pos
    elif isinstance(data, YMap) and "id" in data:
        entries, positions = [data], [(data.line, data.col)]
    elif isinstance(data, YMap) and ("concepts" in data or "pack" in data or "expect" in data):
        for key in data:
            if key not in ("concepts", "pack", "expect"):
                line, col = data.key_pos[key]
                problems.append(problem("unknown-field", (path, line, col), field=key, suggestion=did_you_mean(key, ["concepts", "pack", "expect"])))
        header = _header(data.get("pack"), data, path, problems)
        if "expect" in data:
            from .expect import expectations_from_value

            found = expectations_from_value(data["expect"], data.value_pos["expect"], path, problems)
            if expectations is not None:
                expectations.extend(found)
        if "concepts" not in data:
            return [], header  # a header-only file (graph/pack.yaml) or an expectations file
        entries = data["concepts"]
        if not isinstance(entries, YList):
            line, col = data.value_pos.get("concepts", (data.line, data.col))
            problems.append(problem("bad-shape", (path, line, col), part=Phrase("the-concepts-value"), expected=Phrase("concept-list"),
                                    found=_describe(entries)))
            return [], header
        positions = entries.item_pos
    else:
        line, col = (data.line, data.col) if isinstance(data, (YMap, YList)) else position
        found = Phrase("mapping-without-id") if isinstance(data, YMap) else _describe(data)
        problems.append(problem("bad-shape", (path, line, col), part=Phrase("the-file-shape"), expected=Phrase("concepts"), found=found))
        return [], header
    pairs = zip(entries, positions)
    if budget is not None and budget.full("bad-shape"):  # the budget only changes between files
        pairs = list(pairs)
        shapeless = [where for entry, where in pairs if not isinstance(entry, YMap)]
        if shapeless:
            budget.drop("bad-shape", path, *shapeless[0], count=len(shapeless))
            pairs = [(entry, where) for entry, where in pairs if isinstance(entry, YMap)]
    pairs = list(pairs)
    concepts = []
    errors, counted = 0, 0  # errors among problems[:counted]: warnings never stop the checking
    for index, (entry, (line, col)) in enumerate(pairs):
        if stop_after is not None:
            errors += sum(1 for problem in problems[counted:] if problem.severity == "error")
            counted = len(problems)
            if errors >= stop_after:
                if stopped is not None:
                    stopped.append((line, col, len(pairs) - index))
                break
        concept = _concept(entry, line, col, path, problems)
        if concept is not None:
            concepts.append(concept)
    return concepts, header


def _header(value, parent: YMap, path: str, problems: list[Problem]) -> dict:
    if value is None:
        return {}
    if not isinstance(value, YMap):
        line, col = parent.value_pos["pack"]
        problems.append(problem("wrong-type", (path, line, col), field="pack", expected=Phrase("mapping"), found=_describe(value)))
        return {}
    header = {}
    for key, item in value.items():
        line, col = value.key_pos[key]
        if key not in PACK_FIELDS:
            problems.append(problem("unknown-field", (path, line, col), field=f"pack.{key}", suggestion=did_you_mean(key, PACK_FIELDS)))
        elif key == "sections":
            header[key] = _sections(item, *value.value_pos[key], path, problems)
        elif not isinstance(item, str):
            problems.append(problem("wrong-type", (path, line, col), field=f"pack.{key}", expected=Phrase("text"), found=_describe(item)))
        elif key == "format" and item != str(FORMAT_VERSION):
            problems.append(problem("bad-value", (path, *value.value_pos[key]), field="pack.format", value=item, expected=Phrase("format-version")))
        else:
            header[key] = item
    return header


def _sections(value, line: int, col: int, path: str, problems: list[Problem]) -> dict:
    """The header's ``sections:``: section id -> {"name": ..., "name_zh": ...}, each entry checked."""
    if not isinstance(value, YMap):
        problems.append(problem("wrong-type", (path, line, col), field="pack.sections", expected=Phrase("section-map"), found=_describe(value)))
        return {}
    sections = {}
    for section, names in value.items():
        kl, kc = value.key_pos[section]
        if not SECTION_PATTERN.match(section):
            problems.append(problem("bad-value", (path, kl, kc), field="pack.sections", value=section, expected=Phrase("dotted-number")))
            continue
        if not isinstance(names, YMap):
            problems.append(problem("wrong-type", (path, *value.value_pos[section]), field=f"pack.sections.{section}", expected=Phrase("section-names"),
                                    found=_describe(names)))
            continue
        entry, ok = {}, True
        for key, text in names.items():
            if key not in SECTION_FIELDS:
                problems.append(problem("unknown-field", (path, *names.key_pos[key]), field=f"pack.sections.{section}.{key}",
                                        suggestion=did_you_mean(key, SECTION_FIELDS)))
            elif not isinstance(text, str) or not text.strip():
                problems.append(problem("wrong-type", (path, *names.value_pos[key]), field=f"pack.sections.{section}.{key}", expected=Phrase("text"),
                                        found=_describe(text)))
                ok = False
            else:
                entry[key] = " ".join(text.split())
        if ok and "name" not in entry:
            problems.append(problem("missing-field", (path, kl, kc), field=f"pack.sections.{section}.name"))
            ok = False
        if ok:
            sections[section] = entry
    return sections


def _concept(entry, line: int, col: int, path: str, problems: list[Problem]) -> RawConcept | None:
    if not isinstance(entry, YMap):
        problems.append(problem("bad-shape", (path, line, col), part=Phrase("a-concept-entry"), expected=Phrase("concept-mapping"),
                                found=_describe(entry)))
        return None
    fields: dict = {}
    edges: list[RawEdge] = []
    contrasts: list[RawContrast] = []
    for key, value in entry.items():
        kl, kc = entry.key_pos[key]
        vl, vc = entry.value_pos[key]
        spec = FIELDS.get(key)
        if spec is None:
            _unknown_concept_field(key, kl, kc, path, problems)
            continue
        kind_of_value = spec[1]
        if kind_of_value == "edges":
            edges.extend(_edges(key, value, vl, vc, path, problems))
            continue
        if kind_of_value == "contrasts":
            contrasts.extend(_contrasts(value, vl, vc, path, problems))
            continue
        checked = _field(key, kind_of_value, value, vl, vc, path, problems)
        if checked is not None:
            fields[key] = checked
    for name in ("id", "name", "kind", "summary"):
        if name not in entry or (isinstance(entry[name], str) and not entry[name].strip()):
            problems.append(problem("missing-field", (path, *entry.value_pos.get(name, (line, col))), field=name))
    if "id" not in fields:
        return None
    concept = RawConcept(fields["id"], fields, line, col, edges, contrasts)
    for edge in (*edges, *contrasts):
        edge.source = concept.id
    return concept


def _unknown_concept_field(key: str, line: int, col: int, path: str, problems: list[Problem]) -> None:
    edge_guess = _EDGE_SYNONYMS.get(key.lower().replace("_", "-")) or did_you_mean(key, EDGE_TYPES, 0.75)
    if edge_guess:
        problems.append(problem("unknown-edge-type", (path, line, col), field=key, suggestion=edge_guess))
    else:
        problems.append(problem("unknown-field", (path, line, col), field=key, suggestion=did_you_mean(key, FIELDS)))


def _field(key: str, kind_of_value: str, value, line: int, col: int, path: str, problems: list[Problem]):
    def wrong(expected: str):
        problems.append(problem("wrong-type", (path, line, col), field=key, expected=Phrase(expected), found=_describe(value)))

    if kind_of_value in ("id", "text", "kind", "section", "minutes"):
        if not isinstance(value, str):
            return wrong("text")
        if kind_of_value == "id":
            if not ID_PATTERN.match(value) or len(value) > ID_MAX_LENGTH:
                problems.append(problem("bad-id", (path, line, col), field=key, value=value, suggestion=_kebab(value)))
                return None
            return value
        if kind_of_value == "kind":
            if value not in KINDS:
                problems.append(problem("unknown-kind", (path, line, col), value=value, suggestion=did_you_mean(value, KINDS)))
                return None
            return value
        if kind_of_value == "section":
            if not SECTION_PATTERN.match(value):
                problems.append(problem("bad-value", (path, line, col), field=key, value=value, expected=Phrase("dotted-number")))
                return None
            return value
        if kind_of_value == "minutes":
            if not _DIGITS.match(value) or not 1 <= int(value) <= 100000:
                problems.append(problem("bad-value", (path, line, col), field=key, value=value, expected=Phrase("minutes-range")))
                return None
            return int(value)
        if not value.strip():
            return None  # reported as missing-field for required ones
        return unicodedata.normalize("NFC", value)  # "é" typed two ways is one name, not two look-alike concepts
    if kind_of_value == "d2l":
        if not isinstance(value, YList):
            return wrong("d2l-page-list")
        pages = []
        for item, (il, ic) in zip(value, value.item_pos):
            if not isinstance(item, str):
                problems.append(problem("wrong-type", (path, il, ic), field=f"{key}[]", expected=Phrase("text"), found=_describe(item)))
            elif not D2L_PAGE_PATTERN.match(item):
                problems.append(problem("bad-value", (path, il, ic), field=f"{key}[]", value=item, expected=Phrase("d2l-page-key")))
            elif item not in pages:
                if item not in d2l_pages():
                    problems.append(problem("unknown-d2l-page", (path, il, ic), page=item, suggestion=did_you_mean(item, d2l_pages())))
                pages.append(item)
        return pages
    if kind_of_value == "text-list":
        if not isinstance(value, YList):
            return wrong("list-of-text")
        items = []
        for item, (il, ic) in zip(value, value.item_pos):
            if isinstance(item, str):
                items.append(unicodedata.normalize("NFC", item))
            else:
                problems.append(problem("wrong-type", (path, il, ic), field=f"{key}[]", expected=Phrase("text"), found=_describe(item)))
        return items
    if kind_of_value == "refs":
        return _records(key, value, line, col, REF_FIELDS, path, problems, _check_ref)
    if kind_of_value == "questions":
        return _records(key, value, line, col, QUESTION_FIELDS, path, problems, None)
    raise AssertionError(kind_of_value)


def _records(key, value, line, col, spec, path, problems, extra_check):
    if not isinstance(value, YList):
        problems.append(problem("wrong-type", (path, line, col), field=key, expected=Phrase("list-of-mappings"), found=_describe(value)))
        return None
    records = []
    for item, (il, ic) in zip(value, value.item_pos):
        if not isinstance(item, YMap):
            problems.append(problem("wrong-type", (path, il, ic), field=f"{key}[]", expected=Phrase("mapping"), found=_describe(item)))
            continue
        record, ok = {}, True
        for field_name, field_value in item.items():
            fl, fc = item.key_pos[field_name]
            if field_name not in spec:
                problems.append(problem("unknown-field", (path, fl, fc), field=f"{key}[].{field_name}", suggestion=did_you_mean(field_name, spec)))
                continue
            if field_name == "authors" and isinstance(field_value, YList) and all(isinstance(a, str) for a in field_value):
                record[field_name] = list(field_value)
            elif isinstance(field_value, str):
                record[field_name] = field_value
            else:
                problems.append(problem("wrong-type", (path, *item.value_pos[field_name]), field=f"{key}[].{field_name}", expected=Phrase("text"),
                                        found=_describe(field_value)))
                ok = False
        for required, needed in spec.items():
            if needed and not record.get(required, "").strip() and ok:
                problems.append(problem("missing-field", (path, il, ic), field=f"{key}[].{required}"))
                ok = False
        if ok and extra_check is not None:
            ok = extra_check(key, record, item, path, problems)
        if ok:
            records.append(record)
    return records


def _check_ref(key: str, record: dict, item: YMap, path: str, problems: list[Problem]) -> bool:
    ok = True
    if "year" in record:
        if not _DIGITS.match(record["year"]) or not 1600 <= int(record["year"]) <= 2100:
            problems.append(problem("bad-value", (path, *item.value_pos["year"]), field=f"{key}[].year", value=record["year"],
                                    expected=Phrase("year-range")))
            ok = False
        else:
            record["year"] = int(record["year"])
    if "url" in record and not _URL_OK.match(record["url"]):
        problems.append(problem("bad-value", (path, *item.value_pos["url"]), field=f"{key}[].url", value=record["url"], expected=Phrase("http-url")))
        ok = False
    if isinstance(record.get("authors"), str):
        record["authors"] = [record["authors"]]
    return ok


#: Most edges of one type written on one concept (the shipped graph has at most a dozen).
MAX_EDGES_PER_LIST = 128


def _edges(edge_type: str, value, line: int, col: int, path: str, problems: list[Problem]) -> list[RawEdge]:
    if isinstance(value, str):
        value_list, positions = [value], [(line, col)]
    elif isinstance(value, YList):
        value_list, positions = value, value.item_pos
    else:
        problems.append(problem("wrong-type", (path, line, col), field=edge_type, expected=Phrase("edge-list"), found=_describe(value)))
        return []
    if len(value_list) > MAX_EDGES_PER_LIST:
        # A complete DAG of 1,000 concepts is 3 MB and half a million edges: stop at a documented cap, located.
        problems.append(problem("limit-exceeded", (path, line, col), subject=Phrase("the-edge-list"), limit=MAX_EDGES_PER_LIST,
                                unit=Phrase("unit-edges"), consequence=Phrase("rest-ignored")))
        value_list, positions = value_list[:MAX_EDGES_PER_LIST], positions[:MAX_EDGES_PER_LIST]
    edges = []
    for item, (il, ic) in zip(value_list, positions):
        target, why, why_zh = None, "", ""
        if isinstance(item, str):
            target = item
        elif isinstance(item, YMap):
            for key in item:
                if key not in EDGE_FIELDS:
                    problems.append(problem("unknown-field", (path, *item.key_pos[key]), field=f"{edge_type}[].{key}",
                                            suggestion=did_you_mean(key, EDGE_FIELDS)))
            target, why, why_zh = item.get("to"), item.get("why", ""), item.get("why_zh", "")
            if not isinstance(why, str):
                problems.append(problem("wrong-type", (path, *item.value_pos["why"]), field=f"{edge_type}[].why", expected=Phrase("text"),
                                        found=_describe(why)))
                why = ""
            if not isinstance(why_zh, str):
                problems.append(problem("wrong-type", (path, *item.value_pos["why_zh"]), field=f"{edge_type}[].why_zh", expected=Phrase("text"),
                                        found=_describe(why_zh)))
                why_zh = ""
            if target is None:
                problems.append(problem("missing-field", (path, il, ic), field=f"{edge_type}[].to"))
                continue
            if not isinstance(target, str):
                problems.append(problem("wrong-type", (path, *item.value_pos["to"]), field=f"{edge_type}[].to", expected=Phrase("id"),
                                        found=_describe(target)))
                continue
        else:
            problems.append(problem("wrong-type", (path, il, ic), field=f"{edge_type}[]", expected=Phrase("edge-entry"), found=_describe(item)))
            continue
        if not ID_PATTERN.match(target) or len(target) > ID_MAX_LENGTH:
            problems.append(problem("bad-id", (path, il, ic), field=f"{edge_type}[]", value=target, suggestion=_kebab(target)))
            continue
        edges.append(RawEdge("", edge_type, target, " ".join(why.split()), il, ic, " ".join(why_zh.split())))
    return edges


def _contrasts(value, line: int, col: int, path: str, problems: list[Problem]) -> list[RawContrast]:
    """``contrasts: [{to: id, how: ..., how_zh: ...}]``; unlike an edge, the text is required."""
    if not isinstance(value, YList):
        problems.append(problem("wrong-type", (path, line, col), field="contrasts", expected=Phrase("contrast-list"), found=_describe(value)))
        return []
    found = []
    for item, (il, ic) in zip(value, value.item_pos):
        if not isinstance(item, YMap):
            problems.append(problem("wrong-type", (path, il, ic), field="contrasts[]", expected=Phrase("mapping"), found=_describe(item)))
            continue
        ok = True
        for key in item:
            if key not in CONTRAST_FIELDS:
                problems.append(problem("unknown-field", (path, *item.key_pos[key]), field=f"contrasts[].{key}",
                                        suggestion=did_you_mean(key, CONTRAST_FIELDS)))
            elif not isinstance(item[key], str):
                problems.append(problem("wrong-type", (path, *item.value_pos[key]), field=f"contrasts[].{key}", expected=Phrase("text"),
                                        found=_describe(item[key])))
                ok = False
        for key, required in CONTRAST_FIELDS.items():
            if required and ok and not (item.get(key) or "").strip():
                problems.append(problem("missing-field", (path, il, ic), field=f"contrasts[].{key}"))
                ok = False
        if not ok:
            continue
        target = item["to"]
        if not ID_PATTERN.match(target) or len(target) > ID_MAX_LENGTH:
            problems.append(problem("bad-id", (path, *item.value_pos["to"]), field="contrasts[].to", value=target, suggestion=_kebab(target)))
            continue
        found.append(RawContrast("", target, " ".join(item["how"].split()), " ".join(item.get("how_zh", "").split()), il, ic))
    return found


def _kebab(text: str) -> str:
    """A plausible id for a bad one: 'Batch Norm' -> 'batch-norm'."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    candidate = "-".join(words)[:ID_MAX_LENGTH].strip("-")
    return candidate if candidate and candidate != text else ""


def _describe(value) -> Phrase:
    """What a value is, as a phrase for "must be ..., not {found}"."""
    if isinstance(value, YMap):
        return Phrase("mapping")
    if isinstance(value, YList):
        return Phrase("list")
    return Phrase("text" if isinstance(value, str) and value.strip() else "empty-text")
