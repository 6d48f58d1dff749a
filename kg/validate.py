"""Turning one file's parsed data into concept records, reporting every shape problem.

The output of :func:`concepts_from_document` is a list of plain dicts holding
only well-formed fields, plus where each concept and edge was written.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .d2l import pages as d2l_pages
from .problems import Problem, did_you_mean, did_you_mean_hint
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
                problems.append(Problem(path, line, col, "unknown-field", f"unknown top-level key '{key}'",
                                        did_you_mean_hint(did_you_mean(key, ["concepts", "pack", "expect"])) or "a file holds 'pack', 'concepts' and 'expect'"))
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
            problems.append(Problem(path, line, col, "bad-shape", "'concepts' must be a list of concepts", "write '- id: ...' entries under 'concepts:'"))
            return [], header
        positions = entries.item_pos
    else:
        line, col = (data.line, data.col) if isinstance(data, (YMap, YList)) else position
        what = "a mapping without 'id' or 'concepts'" if isinstance(data, YMap) else "a single text value"
        problems.append(Problem(path, line, col, "bad-shape", f"the file holds {what}, not concepts",
                                "a file is a list of concepts ('- id: ...'), one concept, or 'pack:' and 'concepts:'"))
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
        problems.append(Problem(path, line, col, "wrong-type", "'pack' must be a mapping", "e.g. pack: {name: My pack, format: 1}"))
        return {}
    header = {}
    for key, item in value.items():
        line, col = value.key_pos[key]
        if key not in PACK_FIELDS:
            problems.append(Problem(path, line, col, "unknown-field", f"unknown pack header field '{key}'", did_you_mean_hint(did_you_mean(key, PACK_FIELDS))))
        elif key == "sections":
            header[key] = _sections(item, *value.value_pos[key], path, problems)
        elif not isinstance(item, str):
            problems.append(Problem(path, line, col, "wrong-type", f"pack header field '{key}' must be text"))
        elif key == "format" and item != str(FORMAT_VERSION):
            problems.append(Problem(path, *value.value_pos[key], "bad-value", f"pack format {item!r} is not supported", "this kg reads format 1"))
        else:
            header[key] = item
    return header


def _sections(value, line: int, col: int, path: str, problems: list[Problem]) -> dict:
    """The header's ``sections:``: section id -> {"name": ..., "name_zh": ...}, each entry checked."""
    if not isinstance(value, YMap):
        problems.append(Problem(path, line, col, "wrong-type", "'sections' must be a mapping of section -> {name, name_zh}",
                                "e.g. sections: {\"7.4\": {name: Losses, name_zh: 损失函数}}"))
        return {}
    sections = {}
    for section, names in value.items():
        kl, kc = value.key_pos[section]
        if not SECTION_PATTERN.match(section):
            problems.append(Problem(path, kl, kc, "bad-value", f"section {section!r} is not a dotted number", "e.g. \"7.4\""))
            continue
        if not isinstance(names, YMap):
            problems.append(Problem(path, *value.value_pos[section], "wrong-type", f"section {section!r} must map to {{name, name_zh}}, not {_describe(names)}"))
            continue
        entry, ok = {}, True
        for key, text in names.items():
            if key not in SECTION_FIELDS:
                problems.append(Problem(path, *names.key_pos[key], "unknown-field", f"unknown field '{key}' in section {section!r}",
                                        did_you_mean_hint(did_you_mean(key, SECTION_FIELDS)) or "a section has 'name' and 'name_zh'"))
            elif not isinstance(text, str) or not text.strip():
                problems.append(Problem(path, *names.value_pos[key], "wrong-type", f"'{key}' of section {section!r} must be text"))
                ok = False
            else:
                entry[key] = " ".join(text.split())
        if ok and "name" not in entry:
            problems.append(Problem(path, kl, kc, "missing-field", f"section {section!r} has no 'name'", "add 'name: ...'"))
            ok = False
        if ok:
            sections[section] = entry
    return sections


def _concept(entry, line: int, col: int, path: str, problems: list[Problem]) -> RawConcept | None:
    if not isinstance(entry, YMap):
        problems.append(Problem(path, line, col, "bad-shape", "a concept must be a mapping of fields",
                                "start the entry with 'id:' and give name, kind and summary"))
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
            where = entry.value_pos.get(name, (line, col))
            owner = f" (id '{fields['id']}')" if "id" in fields else ""
            problems.append(Problem(path, *where, "missing-field", f"concept has no '{name}'{owner}", f"add '{name}: ...' to this concept"))
    if "id" not in fields:
        return None
    concept = RawConcept(fields["id"], fields, line, col, edges, contrasts)
    for edge in (*edges, *contrasts):
        edge.source = concept.id
    return concept


def _unknown_concept_field(key: str, line: int, col: int, path: str, problems: list[Problem]) -> None:
    edge_guess = _EDGE_SYNONYMS.get(key.lower().replace("_", "-")) or did_you_mean(key, EDGE_TYPES, 0.75)
    if edge_guess:
        problems.append(Problem(path, line, col, "unknown-edge-type", f"'{key}' is not an edge type",
                                f"did you mean '{edge_guess}'? edge types are: {', '.join(EDGE_TYPES)}"))
    else:
        problems.append(Problem(path, line, col, "unknown-field", f"unknown field '{key}'",
                                did_you_mean_hint(did_you_mean(key, FIELDS)) or f"fields are: {', '.join(FIELDS)}"))


def _field(key: str, kind_of_value: str, value, line: int, col: int, path: str, problems: list[Problem]):
    def wrong(expected: str):
        problems.append(Problem(path, line, col, "wrong-type", f"'{key}' must be {expected}, not {_describe(value)}"))

    if kind_of_value in ("id", "text", "kind", "section", "minutes"):
        if not isinstance(value, str):
            return wrong("text")
        if kind_of_value == "id":
            if not ID_PATTERN.match(value) or len(value) > ID_MAX_LENGTH:
                suggestion = _kebab(value)
                problems.append(Problem(path, line, col, "bad-id", f"id {value!r} is not lowercase kebab-case",
                                        f"try '{suggestion}'" if suggestion else "use letters a-z, digits and single hyphens"))
                return None
            return value
        if kind_of_value == "kind":
            if value not in KINDS:
                problems.append(Problem(path, line, col, "unknown-kind", f"kind {value!r} is not in the vocabulary",
                                        did_you_mean_hint(did_you_mean(value, KINDS)) or f"kinds are: {', '.join(KINDS)}"))
                return None
            return value
        if kind_of_value == "section":
            if not SECTION_PATTERN.match(value):
                problems.append(Problem(path, line, col, "bad-value", f"section {value!r} is not a dotted number", "e.g. section: \"7.4\""))
                return None
            return value
        if kind_of_value == "minutes":
            if not _DIGITS.match(value) or not 1 <= int(value) <= 100000:
                problems.append(Problem(path, line, col, "bad-value", f"minutes {value!r} is not a whole number from 1 to 100000"))
                return None
            return int(value)
        if not value.strip():
            return None  # reported as missing-field for required ones
        return unicodedata.normalize("NFC", value)  # "é" typed two ways is one name, not two look-alike concepts
    if kind_of_value == "d2l":
        if not isinstance(value, YList):
            return wrong("a list of d2l page keys")
        pages = []
        for item, (il, ic) in zip(value, value.item_pos):
            if not isinstance(item, str):
                problems.append(Problem(path, il, ic, "wrong-type", f"items of 'd2l' must be text, not {_describe(item)}"))
            elif not D2L_PAGE_PATTERN.match(item):
                problems.append(Problem(path, il, ic, "bad-value", f"d2l page {item!r} is not a page key",
                                        "write the page relative to the book, e.g. 'chapter_convolutional-modern/resnet.html', without https://"))
            elif item not in pages:
                if item not in d2l_pages():
                    problems.append(Problem(path, il, ic, "unknown-d2l-page", f"d2l page {item!r} is not a page of Dive into Deep Learning",
                                            did_you_mean_hint(did_you_mean(item, d2l_pages())) or "see kg/data/d2l_pages.json for the pages of both editions"))
                pages.append(item)
        return pages
    if kind_of_value == "text-list":
        if isinstance(value, str):
            return wrong("a list of text")
        if not isinstance(value, YList):
            return wrong("a list of text")
        items = []
        for item, (il, ic) in zip(value, value.item_pos):
            if isinstance(item, str):
                items.append(unicodedata.normalize("NFC", item))
            else:
                problems.append(Problem(path, il, ic, "wrong-type", f"items of '{key}' must be text, not {_describe(item)}"))
        return items
    if kind_of_value == "refs":
        return _records(key, value, line, col, REF_FIELDS, path, problems, _check_ref)
    if kind_of_value == "questions":
        return _records(key, value, line, col, QUESTION_FIELDS, path, problems, None)
    raise AssertionError(kind_of_value)


def _records(key, value, line, col, spec, path, problems, extra_check):
    if not isinstance(value, YList):
        problems.append(Problem(path, line, col, "wrong-type", f"'{key}' must be a list of mappings, not {_describe(value)}"))
        return None
    records = []
    for item, (il, ic) in zip(value, value.item_pos):
        if not isinstance(item, YMap):
            problems.append(Problem(path, il, ic, "wrong-type", f"each entry of '{key}' must be a mapping, not {_describe(item)}",
                                    f"fields: {', '.join(spec)}"))
            continue
        record, ok = {}, True
        for field_name, field_value in item.items():
            fl, fc = item.key_pos[field_name]
            if field_name not in spec:
                problems.append(Problem(path, fl, fc, "unknown-field", f"unknown field '{field_name}' in {key}", did_you_mean_hint(did_you_mean(field_name, spec))))
                continue
            if field_name == "authors" and isinstance(field_value, YList) and all(isinstance(a, str) for a in field_value):
                record[field_name] = list(field_value)
            elif isinstance(field_value, str):
                record[field_name] = field_value
            else:
                problems.append(Problem(path, *item.value_pos[field_name], "wrong-type", f"'{field_name}' in {key} must be text, not {_describe(field_value)}"))
                ok = False
        for required, needed in spec.items():
            if needed and not record.get(required, "").strip() and ok:
                problems.append(Problem(path, il, ic, "missing-field", f"an entry of '{key}' has no '{required}'"))
                ok = False
        if ok and extra_check is not None:
            ok = extra_check(record, item, path, problems)
        if ok:
            records.append(record)
    return records


def _check_ref(record: dict, item: YMap, path: str, problems: list[Problem]) -> bool:
    ok = True
    if "year" in record:
        if not _DIGITS.match(record["year"]) or not 1600 <= int(record["year"]) <= 2100:
            problems.append(Problem(path, *item.value_pos["year"], "bad-value", f"year {record['year']!r} is not a year"))
            ok = False
        else:
            record["year"] = int(record["year"])
    if "url" in record and not _URL_OK.match(record["url"]):
        problems.append(Problem(path, *item.value_pos["url"], "bad-value", f"url {record['url']!r} is not an http(s) address",
                                "only http:// and https:// links are allowed"))
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
        problems.append(Problem(path, line, col, "wrong-type", f"'{edge_type}' must be a list of ids or {{to, why}} mappings"))
        return []
    if len(value_list) > MAX_EDGES_PER_LIST:
        # A complete DAG of 1,000 concepts is 3 MB and half a million edges: stop at a documented cap, located.
        problems.append(Problem(path, line, col, "limit-exceeded",
                                f"'{edge_type}' lists {len(value_list):,} edges; the limit is {MAX_EDGES_PER_LIST} per concept and type, "
                                "the rest are ignored", "a real concept has a handful; split it into narrower concepts"))
        value_list, positions = value_list[:MAX_EDGES_PER_LIST], positions[:MAX_EDGES_PER_LIST]
    edges = []
    for item, (il, ic) in zip(value_list, positions):
        target, why, why_zh = None, "", ""
        if isinstance(item, str):
            target = item
        elif isinstance(item, YMap):
            for key in item:
                if key not in EDGE_FIELDS:
                    problems.append(Problem(path, *item.key_pos[key], "unknown-field", f"unknown field '{key}' in a '{edge_type}' edge",
                                            did_you_mean_hint(did_you_mean(key, EDGE_FIELDS)) or "an edge has 'to', 'why' and 'why_zh'"))
            target, why, why_zh = item.get("to"), item.get("why", ""), item.get("why_zh", "")
            if not isinstance(why, str):
                problems.append(Problem(path, *item.value_pos["why"], "wrong-type", "'why' must be one line of text"))
                why = ""
            if not isinstance(why_zh, str):
                problems.append(Problem(path, *item.value_pos["why_zh"], "wrong-type", "'why_zh' must be one line of text"))
                why_zh = ""
            if target is None:
                problems.append(Problem(path, il, ic, "missing-field", f"a '{edge_type}' edge has no 'to'", "write 'to: <id>'"))
                continue
            if not isinstance(target, str):
                problems.append(Problem(path, *item.value_pos["to"], "wrong-type", f"'to' must be an id, not {_describe(target)}"))
                continue
        else:
            problems.append(Problem(path, il, ic, "wrong-type", f"a '{edge_type}' entry must be an id or {{to, why}}, not {_describe(item)}"))
            continue
        if not ID_PATTERN.match(target) or len(target) > ID_MAX_LENGTH:
            suggestion = _kebab(target)
            problems.append(Problem(path, il, ic, "bad-id", f"edge target {target!r} is not a valid id",
                                    f"try '{suggestion}'" if suggestion else "ids are lowercase kebab-case"))
            continue
        edges.append(RawEdge("", edge_type, target, " ".join(why.split()), il, ic, " ".join(why_zh.split())))
    return edges


def _contrasts(value, line: int, col: int, path: str, problems: list[Problem]) -> list[RawContrast]:
    """``contrasts: [{to: id, how: ..., how_zh: ...}]``; unlike an edge, the text is required."""
    if not isinstance(value, YList):
        problems.append(Problem(path, line, col, "wrong-type", "'contrasts' must be a list of {to, how, how_zh} mappings"))
        return []
    found = []
    for item, (il, ic) in zip(value, value.item_pos):
        if not isinstance(item, YMap):
            problems.append(Problem(path, il, ic, "wrong-type", f"a 'contrasts' entry must be a mapping {{to, how, how_zh}}, not {_describe(item)}"))
            continue
        ok = True
        for key in item:
            if key not in CONTRAST_FIELDS:
                problems.append(Problem(path, *item.key_pos[key], "unknown-field", f"unknown field '{key}' in a 'contrasts' entry",
                                        did_you_mean_hint(did_you_mean(key, CONTRAST_FIELDS)) or "a contrast has 'to', 'how' and 'how_zh'"))
            elif not isinstance(item[key], str):
                problems.append(Problem(path, *item.value_pos[key], "wrong-type", f"'{key}' in a 'contrasts' entry must be text, not {_describe(item[key])}"))
                ok = False
        for key, required in CONTRAST_FIELDS.items():
            if required and ok and not (item.get(key) or "").strip():
                problems.append(Problem(path, il, ic, "missing-field", f"a 'contrasts' entry has no '{key}'",
                                        "write 'to: <id>'" if key == "to" else "say in one or two sentences how the two differ"))
                ok = False
        if not ok:
            continue
        target = item["to"]
        if not ID_PATTERN.match(target) or len(target) > ID_MAX_LENGTH:
            suggestion = _kebab(target)
            problems.append(Problem(path, *item.value_pos["to"], "bad-id", f"contrast target {target!r} is not a valid id",
                                    f"try '{suggestion}'" if suggestion else "ids are lowercase kebab-case"))
            continue
        found.append(RawContrast("", target, " ".join(item["how"].split()), " ".join(item.get("how_zh", "").split()), il, ic))
    return found


def _kebab(text: str) -> str:
    """A plausible id for a bad one: 'Batch Norm' -> 'batch-norm'."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    candidate = "-".join(words)[:ID_MAX_LENGTH].strip("-")
    return candidate if candidate and candidate != text else ""


def _describe(value) -> str:
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YList):
        return "a list"
    return "text"
