"""Problem records and the one table of problem codes.

Like a compiler, kg collects problems instead of stopping at the first: every
check appends :class:`Problem` records, and the caller decides what to print
and how to exit.
"""
from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Iterable, NamedTuple

ERROR, WARNING, INFO = "error", "warning", "info"


class Code(NamedTuple):
    """What one problem code means: how bad it is, one sentence for the README, and the usual fix."""

    severity: str
    description: str
    hint: str


#: Every problem code, defined once (yamllint's rule table, as data). A :class:`Problem` with a code
#: that is not here cannot be made; the README's table of codes is :func:`codes_table` (a test
#: compares them row by row), and every code has a failing fixture in ``tests/fixtures/codes``.
CODES: dict[str, Code] = {
    "io-error": Code(ERROR, "A file or folder of the pack cannot be read.", "check the path and the file permissions"),
    "limit-exceeded": Code(ERROR, "A file, the pack or a structure is larger or deeper than the configured limits.",
                           "split the file or the pack, or raise the limit (kg check --max-file-mb)"),
    "bad-encoding": Code(ERROR, "A file is not valid UTF-8 or UTF-16, or contains control characters.", "save the file as UTF-8"),
    "yaml-syntax": Code(ERROR, "A file is not well-formed YAML.",
                        "fix the YAML at the position given (a quote, bracket or indentation left open)"),
    "forbidden-tag": Code(ERROR, "A YAML tag such as !!python/object, !!binary, !!set or !!timestamp is used; only plain data is allowed.",
                          "write the value as plain text, a list or a mapping"),
    "anchor-alias": Code(ERROR, "A YAML anchor (&a) or alias (*a) is used; they are rejected because they can expand without bound.",
                         "write the value out in full where it is used"),
    "multiple-documents": Code(ERROR, "A file holds more than one YAML document (---).", "put each document in its own file"),
    "empty-file": Code(WARNING, "A file holds no concepts (empty or only comments).", "add concepts or delete the file"),
    "bad-shape": Code(ERROR, "A file or entry does not have the shape of a concept, a list of concepts or a pack header.",
                      "a file holds a list of concepts, or a mapping with 'pack', 'concepts' and 'expect'"),
    "non-string-key": Code(ERROR, "A mapping key is not text (a number, boolean, null or a collection).", "quote the key"),
    "duplicate-key": Code(ERROR, "A mapping has the same key twice; the second is ignored.", "keep one of the two keys"),
    "missing-field": Code(ERROR, "A required field (id, name, kind, summary) is missing or empty.", "add the field"),
    "unknown-field": Code(ERROR, "A concept, edge, reference or question has a field the format does not define.",
                          "fix the spelling or remove the field (see docs/pack-format.md)"),
    "wrong-type": Code(ERROR, "A field has the wrong type of value, e.g. a list where text is expected.",
                       "see docs/pack-format.md for the type each field takes"),
    "bad-value": Code(ERROR, "A field has a value outside its allowed range (minutes, year, url scheme, section).",
                      "see docs/pack-format.md for the values each field allows"),
    "bad-id": Code(ERROR, "An id is not lowercase kebab-case ([a-z0-9]+ joined by single hyphens, at most 80 characters).",
                   "use lowercase words joined by single hyphens, e.g. batch-normalization"),
    "unknown-kind": Code(ERROR, "A kind is not in the kind vocabulary.", "use one of the kinds in docs/pack-format.md"),
    "duplicate-id": Code(ERROR, "Two concepts share an id; the second is ignored.",
                         "rename one of the two concepts or merge them"),
    "unknown-edge-type": Code(ERROR, "A field looks like an edge but is not one of requires, variant-of, used-in, solves, causes.",
                              "use one of the edge types in docs/pack-format.md"),
    "unknown-target": Code(ERROR, "An edge points at an id that no concept in the pack has.",
                           "define that concept or fix the id"),
    "self-loop": Code(ERROR, "A concept has an edge to itself.", "remove this edge"),
    "duplicate-edge": Code(WARNING, "The same edge (type and target) is written twice on one concept.", "remove one of them"),
    "study-cycle": Code(ERROR, "The study order has a cycle, so no concept on it can be learnt first.",
                        "remove or reverse one edge of the cycle"),
    "variant-cycle": Code(ERROR, "Concepts are variants of each other in a circle.",
                          "decide which concept is the original and remove the other variant-of edge"),
    "solves-non-problem": Code(WARNING, "A solves edge points at a concept whose kind is not problem.",
                               "give the target kind: problem, or use another edge type"),
    "causes-non-problem": Code(WARNING, "A causes edge points at a concept whose kind is not problem.",
                               "give the target kind: problem, or use another edge type"),
    "duplicate-contrast": Code(WARNING, "The same pair of concepts has its contrast written twice (in either direction).",
                               "write each pair once, on either concept"),
    "unknown-d2l-page": Code(WARNING, "A d2l entry is not a page of Dive into Deep Learning (either edition).",
                             "use the page field of a line of the d2l sections list"),
    "missing-why-zh": Code(WARNING, "An edge has a reason (why) but no Chinese reason (why_zh), in a pack that provides Chinese.",
                           "add why_zh beside why"),
    "expect-malformed": Code(ERROR, "A curriculum assertion (expect:) is not a mapping with one of before, not-in-plan, max-steps (two values) and a why.",
                             "write before/not-in-plan/max-steps with two values, and a why"),
    "expect-unknown-concept": Code(ERROR, "A curriculum assertion names a concept id the pack does not have.",
                                   "fix the id or define the concept"),
    "expect-contradiction": Code(ERROR, "Two curriculum assertions cannot both hold (before [A, B] with not-in-plan [A, B] or before [B, A]).",
                                 "remove or correct one of the two assertions"),
    "expect-failed": Code(ERROR, "A curriculum assertion does not hold for the pack's study plans.",
                          "fix the edges that make the plan wrong, or the assertion if it is the one that is wrong"),
    "isolated-concept": Code(WARNING, "A concept has no edges in or out.", "connect it with an edge, or remove it"),
    "missing-name-zh": Code(WARNING, "A concept has no Chinese name (name_zh).", "add name_zh"),
    "missing-summary-zh": Code(WARNING, "A concept has no Chinese summary (summary_zh).", "add summary_zh"),
    "redundant-requires": Code(INFO, "A requires edge is already implied by a chain of other study-order edges.",
                               "you may remove it; the study order stays the same"),
    "name-collision": Code(ERROR, "An alias is another concept's id or name, or a name is another concept's id (compared after Unicode normalisation), so a name would pick the wrong concept.",
                           "rename the alias or the name so that each names one concept"),
    "duplicate-name": Code(ERROR, "Two concepts show the same name, English or Chinese (compared after Unicode normalisation, case folding, without invisible characters and reading look-alike Cyrillic or Greek letters as Latin), so a reader cannot tell them apart and the name finds only one of them.",
                           "rename one of the two, or merge them if they are one concept"),
    "invisible-character": Code(WARNING, "A name or alias holds an invisible character (zero-width space, joiner, bidi control), so two different names look the same.",
                                "delete the invisible character"),
    "mixed-script": Code(WARNING, "A word of a name or alias mixes Latin with Cyrillic or Greek letters (e.g. a Cyrillic е in a Latin word): a look-alike of another name.",
                         "retype the word in one script"),
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
    #: how to fix it; the code's usual fix when the check has nothing more specific to say
    hint: str = ""

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}: add it to kg.problems.CODES")
        if not self.hint:
            object.__setattr__(self, "hint", CODES[self.code].hint)

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

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


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to ``word``, or None when none is close enough.

    >>> did_you_mean("varient-of", ["variant-of", "requires"]), did_you_mean("zzz", ["requires"])
    ('variant-of', None)
    """
    # A dict is matched on its keys: rapidfuzz would otherwise compare against the dict's values.
    choices = list(choices) if isinstance(choices, dict) or not isinstance(choices, (list, tuple, set, frozenset)) else choices
    if len(choices) > 200:  # difflib is quadratic-ish; rapidfuzz stays fast on 100k ids
        from rapidfuzz import fuzz, process

        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100)
        return best[0] if best else None
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean_hint(match: str | None) -> str:
    """The hint for a :func:`did_you_mean` result: "did you mean 'x'?", or "" when there is no match.

    >>> did_you_mean_hint("relu"), did_you_mean_hint(None)
    ("did you mean 'relu'?", '')
    """
    return f"did you mean '{match}'?" if match else ""


def codes_table() -> str:
    """The README's table of problem codes, one row per code of :data:`CODES`, in table order."""
    rows = ["| code | severity | meaning |", "|---|---|---|"]
    rows += [f"| `{code}` | {entry.severity} | {entry.description} |" for code, entry in CODES.items()]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m kg.problems > table.md: the table for README.md
    print(codes_table(), end="")
