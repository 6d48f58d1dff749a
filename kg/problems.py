"""Problem records and the one table of problem codes.

Like a compiler, kg collects problems instead of stopping at the first: every
check appends :class:`Problem` records, and the caller decides what to print
and how to exit.
"""
from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Iterable

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}

#: code -> (severity, one-sentence description). The README's table is generated from this.
CODES: dict[str, tuple[str, str]] = {
    "io-error": (ERROR, "A file or folder of the pack cannot be read."),
    "limit-exceeded": (ERROR, "A file, the pack or a structure is larger or deeper than the configured limits."),
    "bad-encoding": (ERROR, "A file is not valid UTF-8 or UTF-16, or contains control characters."),
    "yaml-syntax": (ERROR, "A file is not well-formed YAML."),
    "forbidden-tag": (ERROR, "A YAML tag such as !!python/object, !!binary, !!set or !!timestamp is used; only plain data is allowed."),
    "anchor-alias": (ERROR, "A YAML anchor (&a) or alias (*a) is used; they are rejected because they can expand without bound."),
    "multiple-documents": (ERROR, "A file holds more than one YAML document (---)."),
    "empty-file": (WARNING, "A file holds no concepts (empty or only comments)."),
    "bad-shape": (ERROR, "A file or entry does not have the shape of a concept, a list of concepts or a pack header."),
    "non-string-key": (ERROR, "A mapping key is not text (a number, boolean, null or a collection)."),
    "duplicate-key": (ERROR, "A mapping has the same key twice; the second is ignored."),
    "missing-field": (ERROR, "A required field (id, name, kind, summary) is missing or empty."),
    "unknown-field": (ERROR, "A concept, edge, reference or question has a field the format does not define."),
    "wrong-type": (ERROR, "A field has the wrong type of value, e.g. a list where text is expected."),
    "bad-value": (ERROR, "A field has a value outside its allowed range (minutes, year, url scheme, section)."),
    "bad-id": (ERROR, "An id is not lowercase kebab-case ([a-z0-9]+ joined by single hyphens, at most 80 characters)."),
    "unknown-kind": (ERROR, "A kind is not in the kind vocabulary."),
    "duplicate-id": (ERROR, "Two concepts share an id; the second is ignored."),
    "unknown-edge-type": (ERROR, "A field looks like an edge but is not one of requires, variant-of, used-in, solves, causes."),
    "unknown-target": (ERROR, "An edge points at an id that no concept in the pack has."),
    "self-loop": (ERROR, "A concept has an edge to itself."),
    "duplicate-edge": (WARNING, "The same edge (type and target) is written twice on one concept."),
    "study-cycle": (ERROR, "The study order has a cycle, so no concept on it can be learnt first."),
    "variant-cycle": (ERROR, "Concepts are variants of each other in a circle."),
    "solves-non-problem": (WARNING, "A solves edge points at a concept whose kind is not problem."),
    "causes-non-problem": (WARNING, "A causes edge points at a concept whose kind is not problem."),
    "duplicate-contrast": (WARNING, "The same pair of concepts has its contrast written twice (in either direction)."),
    "unknown-d2l-page": (WARNING, "A d2l entry is not a page of Dive into Deep Learning (either edition)."),
    "missing-why-zh": (WARNING, "An edge has a reason (why) but no Chinese reason (why_zh), in a pack that provides Chinese."),
    "expect-malformed": (ERROR, "A curriculum assertion (expect:) is not a mapping with one of before, not-in-plan, max-steps (two values) and a why."),
    "expect-unknown-concept": (ERROR, "A curriculum assertion names a concept id the pack does not have."),
    "expect-contradiction": (ERROR, "Two curriculum assertions cannot both hold (before [A, B] with not-in-plan [A, B] or before [B, A])."),
    "expect-failed": (ERROR, "A curriculum assertion does not hold for the pack's study plans."),
    "isolated-concept": (WARNING, "A concept has no edges in or out."),
    "missing-name-zh": (WARNING, "A concept has no Chinese name (name_zh)."),
    "missing-summary-zh": (WARNING, "A concept has no Chinese summary (summary_zh)."),
    "redundant-requires": (INFO, "A requires edge is already implied by a chain of other study-order edges."),
    "name-collision": (ERROR, "An alias is another concept's id or name, or a name is another concept's id (compared after Unicode normalisation), so a name would pick the wrong concept."),
    "invisible-character": (WARNING, "A name or alias holds an invisible character (zero-width space, joiner, bidi control), so two different names look the same."),
    "mixed-script": (WARNING, "A word of a name or alias mixes Latin with Cyrillic or Greek letters (e.g. a Cyrillic е in a Latin word): a look-alike of another name."),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a pack: where, what, and how to fix it.

    >>> p = Problem("a.yaml", 3, 5, "unknown-target", "edge to unknown concept 'relux'", "did you mean 'relu'?")
    >>> p.severity
    'error'
    >>> print(p.format())
    a.yaml:3:5: error unknown-target: edge to unknown concept 'relux'
      hint: did you mean 'relu'?
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def to_dict(self) -> dict:
        return {**asdict(self), "severity": self.severity}


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, line, column order; ties by code."""
    return sorted(problems, key=lambda p: (p.path, p.line, p.col, p.code, p.message))


def count_by_severity(problems: Iterable[Problem]) -> dict[str, int]:
    counts = {ERROR: 0, WARNING: 0, INFO: 0}
    for problem in problems:
        counts[problem.severity] += 1
    return counts


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """A hint naming the closest choice, or an empty string.

    >>> did_you_mean("varient-of", ["variant-of", "requires"])
    "did you mean 'variant-of'?"
    """
    # A dict is matched on its keys: rapidfuzz would otherwise compare against the dict's values.
    choices = list(choices) if isinstance(choices, dict) or not isinstance(choices, (list, tuple, set, frozenset)) else choices
    if len(choices) > 200:  # difflib is quadratic-ish; rapidfuzz stays fast on 100k ids
        from rapidfuzz import fuzz, process

        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100)
        return f"did you mean '{best[0]}'?" if best else ""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"did you mean '{matches[0]}'?" if matches else ""
