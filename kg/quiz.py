"""Quiz: multiple-choice questions from the typed edges, plus the written interview questions.

Library API (used by ``kg quiz`` and the app's Quiz tab)::

    questions = make_quiz(pack, topic="lstm", count=10, seed=0, lang="en")
    result = grade(questions[0], 2)          # choice: 0-based option index; recall: True/False (self-graded)
    summary = score(results)                 # {"correct", "total", "percent"}
    save_review("review.json", results)     # wrong answers added, right ones removed (atomic write)

Each choice question comes from one written edge, asked forwards or backwards ("Which of these
solves Overfitting?" / "Which problem does Dropout solve?"). Distractors have the same kind as
the right answer and are checked against the graph: never the right answer, never the concept
asked about, never a concept with any edge to it, and for "what must you know before X" never
anything that comes before X in the study order. Everything random comes from one
``random.Random(seed)``, and candidates are built in sorted order, so a seed gives the same quiz.

>>> from kg import load_pack
>>> pack = load_pack()
>>> quiz = make_quiz(pack, count=5, seed=1)
>>> [q.id for q in quiz] == [q.id for q in make_quiz(pack, count=5, seed=1)]
True
>>> all(grade(q, q.answer).correct for q in quiz if q.kind == "choice")
True
"""
from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .text import CONTRAST_PROMPTS, QUIZ_PROMPTS, edge_reason, edge_sentence, field_text, label
from .schema import KINDS, SECTION_PATTERN

if TYPE_CHECKING:
    from .pack import Pack

Edge = tuple[str, str, str]

#: (edge type, direction) -> prompt templates, in the text layer with every other word.
PROMPTS = QUIZ_PROMPTS
#: The prompt of a question built from a ``contrasts`` entry; options name the two concepts A and B.
CONTRAST_PROMPT = CONTRAST_PROMPTS
RECALL_SHARE = 4  # about one question in four is a written interview question
#: Candidates tried per question asked before giving up: each try scans the pack for distractors, and on
#: a star of 5,000 concepts of one kind none has any, so trying all 10,000 edges took over a minute.
ATTEMPTS_PER_QUESTION = 5
MIN_ATTEMPTS = 50


@dataclass
class Question:
    """One quiz question. ``kind`` is "choice" (graded) or "recall" (an interview question, self-graded)."""

    id: str
    kind: str
    prompt: str
    options: list[str] = field(default_factory=list)
    option_ids: list[str] = field(default_factory=list)
    answer: int | None = None
    answer_text: str = ""
    explanation: str = ""
    concept: str = ""
    edge: Edge | None = None
    lang: str = "en"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["edge"] = list(self.edge) if self.edge else None
        return data


@dataclass
class Result:
    question: Question
    response: int | bool | None
    correct: bool

    @property
    def skipped(self) -> bool:
        return self.response is None

    def to_dict(self) -> dict:
        q = self.question
        given = q.options[self.response] if q.kind == "choice" and isinstance(self.response, int) and 0 <= self.response < len(q.options) else self.response
        return {"id": q.id, "concept": q.concept, "kind": q.kind, "prompt": q.prompt, "your_answer": given,
                "correct_answer": q.answer_text, "explanation": q.explanation, "correct": self.correct, "lang": q.lang}


# ---------------------------------------------------------------- building questions


def topic_nodes(pack: "Pack", topic: str | None) -> set[str]:
    """The concepts a topic covers: a guide section ("7" or "7.4"), a kind, a tag, or a concept
    (its study plan and its direct neighbours). None means the whole pack."""
    from .queries import related, study_order

    graph = pack.graph
    if not topic:
        return set(graph)
    text = topic.strip()
    if SECTION_PATTERN.match(text):
        found = {n for n, s in graph.nodes(data="section") if s and (s == text or s.startswith(text + "."))}
        if found:
            return found
    if text.lower() in KINDS:
        return {n for n, k in graph.nodes(data="kind") if k == text.lower()}
    tagged = {n for n, tags in graph.nodes(data="tags") if tags and text.casefold() in {t.casefold() for t in tags}}
    if tagged:
        return tagged
    focus = pack.resolve(text)  # raises UnknownConcept with suggestions
    return {focus, *(s.id for s in study_order(pack, [focus]).steps), *(r.neighbour for r in related(pack, focus))}


def topic_focus(pack: "Pack", topic: str | None) -> str | None:
    """The concept a topic names, or None when it is a section, a kind, a tag or nothing (see :func:`topic_nodes`)."""
    if not topic:
        return None
    text = topic.strip()
    graph = pack.graph
    if SECTION_PATTERN.match(text) and any(s and (s == text or s.startswith(text + ".")) for _, s in graph.nodes(data="section")):
        return None
    if text.lower() in KINDS:
        return None
    if any(tags and text.casefold() in {t.casefold() for t in tags} for _, tags in graph.nodes(data="tags")):
        return None
    return pack.resolve(text)


def _neighbours(pack: "Pack", node: str) -> set[str]:
    graph = pack.graph
    return set(graph.succ[node]) | set(graph.pred[node])


def variant_family(pack: "Pack", node: str) -> set[str]:
    """``node``, everything it is a variant of and every variant of it, through chains of ``variant-of``.

    Whatever is true of a concept is often true of its parent or its variants (Leaky ReLU, like ReLU, eases
    vanishing gradients), so truth is judged between families, not single concepts.
    """
    return _chain(pack, node, "variant-of", "out") | _chain(pack, node, "variant-of", "in")


def _chain(pack: "Pack", node: str, edge_type: str, direction: str) -> set[str]:
    """``node`` and everything reached from it over ``edge_type`` edges only, along ("out") or against ("in") them.

    A plain walk over the adjacency: a filtered networkx view would re-filter every neighbour dict it touches.
    """
    adjacency = pack.graph.succ if direction == "out" else pack.graph.pred
    seen, stack = {node}, [node]
    while stack:
        current = stack.pop()
        for other, keyed in adjacency[current].items():
            if edge_type in keyed and other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def _correct_set(pack: "Pack", edge_type: str, direction: str, anchor: str) -> set[str]:
    """Every concept that could be a right answer to the question about ``anchor``, erring on the side of more.

    * every concept in the variant family of a concept linked to the anchor's family by an edge of any
      type, in either direction (not only the type asked about: "Which of these is used in X?" must not
      offer something X requires);
    * for ``requires``, everything before the anchor in study order (inverse) or after it (forward);
    * for ``variant-of`` and ``used-in``, the whole chain (a variant of a variant is a variant).
    """
    import networkx as nx

    family = variant_family(pack, anchor)
    linked = set()
    for member in family:
        linked |= _neighbours(pack, member)
    answers = set(family)
    for node in linked:
        answers |= variant_family(pack, node)
    if edge_type == "requires":
        answers |= nx.ancestors(pack.study, anchor) if direction == "inverse" else nx.descendants(pack.study, anchor)
    if edge_type in ("variant-of", "used-in"):  # forward: what reaches the anchor; inverse: what it reaches
        answers |= _chain(pack, anchor, edge_type, "in" if direction == "forward" else "out")
    return answers


#: Words too common in concept names to give an answer away ("Neural Network" and "Graph Neural Network").
_COMMON_WORDS = frozenset({"the", "and", "for", "of", "a", "an", "in", "to", "with", "network", "networks", "model", "models",
                           "learning", "function", "layer", "problem", "method", "algorithm", "based", "deep"})


def name_words(pack: "Pack", node: str) -> set[str]:
    """The telling words of a concept's English name (lowercase, at least three letters, not too common)."""
    import re

    name = pack.graph.nodes[node].get("name") or node
    return {w for w in re.findall(r"[a-z0-9]+", name.lower()) if len(w) >= 3 and w not in _COMMON_WORDS}


def distractors(pack: "Pack", edge_type: str, direction: str, anchor: str, answer: str, wanted: int = 3) -> list[str]:
    """Candidates that are certainly wrong, of the same kind as ``answer``, sorted.

    Wrong means outside :func:`_correct_set`. Concepts two steps from the one asked about are left out too
    when enough remain, since a neighbour's neighbour is often a defensible answer that the graph merely
    does not state. When the answer's name gives it away (it shares a telling word with the concept asked
    about, "CycleGAN is a variant of GAN"), only distractors sharing such a word are kept, so that none can
    be ruled out by its name alone; and no distractor has the same displayed name as the answer.
    """
    graph = pack.graph
    kind = graph.nodes[answer].get("kind")
    excluded = _correct_set(pack, edge_type, direction, anchor) | {anchor, answer}
    answer_name = (graph.nodes[answer].get("name") or answer).casefold()
    pool = [n for n, k in graph.nodes(data="kind") if k == kind and n not in excluded
            and (graph.nodes[n].get("name") or n).casefold() != answer_name]
    giveaway = name_words(pack, answer) & name_words(pack, anchor)
    if giveaway:
        pool = [n for n in pool if name_words(pack, n) & giveaway]
    near = _neighbours(pack, anchor)
    two_steps = set().union(*(_neighbours(pack, n) for n in near)) if near else set()
    far = [n for n in pool if n not in two_steps]
    return sorted(far if len(far) >= wanted else pool, key=pack.order_key)


def _choice_candidates(pack: "Pack", nodes: set[str]) -> list[tuple[str, str, Edge, str, str]]:
    """(question id, direction, edge, anchor, answer) for every edge touching the topic, sorted."""
    found = []
    for source, target, edge_type in sorted(pack.graph.edges(keys=True)):
        if source not in nodes and target not in nodes:
            continue
        for direction in ("forward", "inverse"):
            if (edge_type, direction) not in PROMPTS:
                continue
            anchor, answer = (target, source) if direction == "forward" else (source, target)
            found.append((f"{edge_type}:{direction}:{source}>{target}", direction, (source, edge_type, target), anchor, answer))
    return found


def _contrast_candidates(pack: "Pack", nodes: set[str]) -> list[tuple[str, str, Edge, str, str]]:
    """One "how do A and B differ" candidate per written contrast touching the topic, sorted."""
    return [(f"contrasts:{a}>{b}", "contrast", (a, "contrasts", b), a, b)
            for a, b in sorted(getattr(pack, "contrast_where", {})) if a in nodes or b in nodes]


def _mask(pack: "Pack", text: str, letters: dict[str, str]) -> str:
    """``text`` with every name, Chinese name, alias and id of each concept in ``letters`` replaced by its letter."""
    import re

    spellings = []
    for node, letter in letters.items():
        data = pack.graph.nodes[node]
        for name in {data.get("name"), data.get("name_zh"), node.replace("-", " "), *data.get("aliases", ())} - {None, ""}:
            for form in {name, name.replace("ization", "isation"), name.replace("isation", "ization"),
                         name.replace("ize", "ise"), name.replace("ise", "ize")}:
                spellings.append((form, letter))
    for form, letter in sorted(spellings, key=lambda item: -len(item[0])):
        edge = r"(?<![A-Za-z0-9])" if form[:1].isascii() else ""
        tail = r"(?:s|es)?(?![A-Za-z0-9])" if form[-1:].isascii() else ""
        text = re.sub(edge + re.escape(form) + tail, letter, text, flags=re.IGNORECASE)
    return text


def _mentions(pack: "Pack", text: str, node: str) -> bool:
    """Whether ``text`` still names ``node`` (after masking, a name left over would give the option away)."""
    return _mask(pack, text, {node: "\x00"}) != text


def contrast_distractor_pairs(pack: "Pack", a: str, b: str) -> list[tuple[str, str]]:
    """Written contrasts whose texts cannot be true of the pair: no concept of theirs is in the variant family
    of a or b, or linked by any edge to one of those families."""
    near: set[str] = set()
    for node in (a, b):
        for member in variant_family(pack, node):
            near |= {member} | _neighbours(pack, member)
    return [(c, d) for c, d in sorted(pack.contrast_where) if c not in near and d not in near]


def _build_contrast(pack: "Pack", rng: random.Random, candidate, lang: str, options: int) -> Question | None:
    qid, _, edge, a, b = candidate
    letters = {a: "A", b: "B"}

    def text_of(c: str, d: str) -> str:
        contrast = next(x for x in pack.contrasts(c) if x["to"] == d)
        return field_text(contrast, "how", lang)

    right = _mask(pack, text_of(a, b), letters)
    wrong: list[tuple[str, str, str]] = []
    seen = {right}
    pairs = contrast_distractor_pairs(pack, a, b)
    rng.shuffle(pairs)
    for c, d in pairs:
        masked = _mask(pack, text_of(c, d), {c: "A", d: "B"})
        if masked in seen or any(_mentions(pack, masked, n) for n in (a, b, c, d)):
            continue  # a duplicate, or a name the masking missed would make it easy to rule out
        seen.add(masked)
        wrong.append((c, d, masked))
        if len(wrong) == options - 1:
            break
    if len(wrong) < options - 1:
        return None
    entries = [(f"{c}>{d}", masked) for c, d, masked in wrong] + [(f"{a}>{b}", right)]
    rng.shuffle(entries)
    option_ids = [entry[0] for entry in entries]
    return Question(id=qid, kind="choice", prompt=CONTRAST_PROMPT[lang].format(a=label(pack, a, lang), b=label(pack, b, lang)),
                    options=[entry[1] for entry in entries], option_ids=option_ids, answer=option_ids.index(f"{a}>{b}"),
                    answer_text=right, explanation=text_of(a, b), concept=a, edge=edge, lang=lang)


def _build_choice(pack: "Pack", rng: random.Random, candidate, lang: str, options: int) -> Question | None:
    qid, direction, edge, anchor, answer = candidate
    if direction == "contrast":
        return _build_contrast(pack, rng, candidate, lang, options)
    pool = distractors(pack, edge[1], direction, anchor, answer, options - 1)
    rng.shuffle(pool)
    wrong, shown = [], {label(pack, answer, lang).casefold()}
    for node in pool:  # two options must never read the same
        if label(pack, node, lang).casefold() not in shown:
            shown.add(label(pack, node, lang).casefold())
            wrong.append(node)
            if len(wrong) == options - 1:
                break
    if len(wrong) < options - 1:
        return None  # always the full number of options, or no question
    option_ids = wrong + [answer]
    rng.shuffle(option_ids)
    reason = edge_reason(pack, edge, lang)
    explanation = edge_sentence(pack, edge, lang) + (f" — {reason}" if reason else "")
    return Question(id=qid, kind="choice", prompt=PROMPTS[(edge[1], direction)][lang].format(x=label(pack, anchor, lang)),
                    options=[label(pack, n, lang) for n in option_ids], option_ids=option_ids,
                    answer=option_ids.index(answer), answer_text=label(pack, answer, lang),
                    explanation=explanation, concept=anchor, edge=edge, lang=lang)


def _recall_questions(pack: "Pack", nodes: set[str], lang: str) -> list[Question]:
    result = []
    for node in sorted(nodes, key=pack.order_key):
        data = pack.graph.nodes[node]
        for number, item in enumerate(data.get("questions") or [], 1):
            result.append(Question(id=f"question:{node}:{number}", kind="recall", prompt=field_text(item, "q", lang),
                                   answer_text=field_text(item, "a", lang), explanation=field_text(data, "summary", lang),
                                   concept=node, lang=lang))
    return result


def make_quiz(pack: "Pack", topic: str | None = None, count: int = 10, seed: int = 0, lang: str = "en",
              *, options: int = 4, recall: bool = True, ids: Iterable[str] | None = None) -> list[Question]:
    """``count`` questions on ``topic`` (see :func:`topic_nodes`), the same for the same seed.

    About one in four is a written interview question when ``recall`` is true. ``ids`` asks for
    exactly those questions (e.g. a saved review list), in that order, whatever the topic.
    """
    rng = random.Random(seed)
    wanted = list(dict.fromkeys(ids)) if ids is not None else None
    nodes = set(pack.graph) if wanted is not None else topic_nodes(pack, topic)
    candidates = _choice_candidates(pack, nodes) + _contrast_candidates(pack, nodes)
    recalls = _recall_questions(pack, nodes, lang) if recall or wanted is not None else []
    if wanted is not None:
        by_id = {c[0]: c for c in candidates}
        recall_by_id = {q.id: q for q in recalls}
        chosen = []
        for qid in wanted:
            if qid in by_id:
                built = _build_choice(pack, rng, by_id[qid], lang, options)
                if built:
                    chosen.append(built)
            elif qid in recall_by_id:
                chosen.append(recall_by_id[qid])
        return chosen[:count] if count else chosen
    rng.shuffle(candidates)
    rng.shuffle(recalls)
    n_recall = min(len(recalls), count // RECALL_SHARE)
    choice: list[Question] = []
    used_edges: set[Edge] = set()
    attempts = max(MIN_ATTEMPTS, ATTEMPTS_PER_QUESTION * count)
    for candidate in candidates:
        if len(choice) >= count - n_recall or attempts <= 0:
            break
        if candidate[2] in used_edges:
            continue
        attempts -= 1
        built = _build_choice(pack, rng, candidate, lang, options)
        if built:
            choice.append(built)
            used_edges.add(candidate[2])
    n_recall = min(len(recalls), count - len(choice))
    quiz = choice + recalls[:n_recall]
    rng.shuffle(quiz)
    focus = topic_focus(pack, topic)
    if focus is not None:
        # A quiz on a concept asks about that concept first: its written interview questions, then the
        # graph's questions about it, then the rest of its neighbourhood.
        own = [q for q in recalls if q.concept == focus]
        rest = [q for q in quiz if q.id not in {o.id for o in own}]
        rest.sort(key=lambda q: q.concept != focus)  # stable: the shuffled order is kept within each group
        quiz = (own + rest)[:count]
    return quiz


# ---------------------------------------------------------------- grading


def grade(question: Question, response: int | bool | None) -> Result:
    """Grade one answer: an option index (0-based) for a choice question, True/False for a
    self-graded interview question, None for a skipped question (wrong)."""
    if response is None:
        return Result(question, None, False)
    if question.kind == "choice":
        index = int(response)
        return Result(question, index, index == question.answer)
    return Result(question, bool(response), bool(response))


YES = {"y", "yes", "1", "true", "是", "对", "会"}
NO = {"n", "no", "0", "false", "否", "不", "不会"}


def parse_response(question: Question, text: str | None) -> int | bool | None:
    """What a typed answer means: "2" or "b" (or the option's name) for a choice question,
    "y"/"n" for an interview question; None when it means nothing (skip)."""
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    if question.kind == "choice":
        if value.isdigit() and 1 <= int(value) <= len(question.options):
            return int(value) - 1
        if len(value) == 1 and value.isalpha() and "a" <= value.lower() <= "z":
            index = ord(value.lower()) - ord("a")
            return index if index < len(question.options) else None
        names = [option.casefold() for option in question.options]
        return names.index(value.casefold()) if value.casefold() in names else None
    lowered = value.casefold()
    return True if lowered in YES else False if lowered in NO else None


def score(results: Iterable[Result]) -> dict:
    results = list(results)
    correct = sum(r.correct for r in results)
    return {"correct": correct, "total": len(results), "percent": round(100 * correct / len(results)) if results else 0}


def review_list(results: Iterable[Result]) -> list[dict]:
    """The wrong or skipped answers, as plain dicts (what the review file holds)."""
    return [r.to_dict() for r in results if not r.correct]


#: Limits for a review file, checked before a round starts (as for packs: it may come from anywhere).
MAX_REVIEW_BYTES = 5 * 1024 * 1024
MAX_REVIEW_ITEMS = 10_000
_REVIEW_SCALARS = (str, int, float, bool, type(None))


def load_review(path: str | Path, *, missing_ok: bool = True) -> list[dict]:
    """The items of a review file, checked: a missing file is an empty list (unless ``missing_ok`` is false).

    Raises :class:`kg.errors.InputFileError`, naming the file and what is wrong, when it is not a
    regular file, is over :data:`MAX_REVIEW_BYTES`, is not JSON, is nested deeper than a review
    list, or holds fields of the wrong type. ``kg quiz`` calls this before the first question, so a
    bad file never costs a round of answers.

    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "review.json"
    >>> _ = bad.write_text('{"items": [{"id": "q", "times_wrong": "often"}]}')
    >>> load_review(bad)
    Traceback (most recent call last):
    ...
    kg.errors.InputFileError: ...review.json: item 1: 'times_wrong' must be a whole number, not str
    """
    import os
    import stat

    from .errors import InputFileError

    name = str(path)
    try:
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputFileError(f"{name}: not a regular file")
            if info.st_size > MAX_REVIEW_BYTES:
                raise InputFileError(f"{name}: {info.st_size:,} bytes; a review file is at most {MAX_REVIEW_BYTES:,}")
            raw = stream.read(MAX_REVIEW_BYTES + 1)
    except FileNotFoundError:
        if missing_ok:
            return []
        raise InputFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{name}: a folder, not a review file") from None
    except OSError as err:
        raise InputFileError(f"{name}: {err.strerror or err}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise InputFileError(f"{name}: not a JSON review file ({err})") from None
    except RecursionError:
        raise InputFileError(f"{name}: nested too deeply to be a review file") from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputFileError(f"{name}: not a review file (expected an object with an 'items' list)")
    if len(items) > MAX_REVIEW_ITEMS:
        raise InputFileError(f"{name}: {len(items):,} items; a review file holds at most {MAX_REVIEW_ITEMS:,}")
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise InputFileError(f"{name}: item {number}: not an object with a text 'id'")
        times = item.get("times_wrong", 0)
        if not isinstance(times, int) or isinstance(times, bool) or times < 0:
            raise InputFileError(f"{name}: item {number}: 'times_wrong' must be a whole number, not {type(times).__name__}")
        for key, value in item.items():
            if not isinstance(value, _REVIEW_SCALARS):
                raise InputFileError(f"{name}: item {number}: '{str(key)[:40]}' must be text or a number, not {type(value).__name__}")
    return items


def merge_review(items: Iterable[dict], results: Iterable[Result]) -> list[dict]:
    """The review list after one round: wrong and skipped answers join it (``times_wrong`` counts the
    repeats), right ones leave it. Used by :func:`save_review` and by the app's Quiz tab.

    >>> question = Question(id="q1", kind="recall", prompt="P?")
    >>> merge_review([{"id": "q1", "times_wrong": 2}], [Result(question, False, False)])[0]["times_wrong"]
    3
    >>> merge_review([{"id": "q1"}], [Result(question, True, True)])
    []
    """
    merged = {item["id"]: item for item in items}
    for result in results:
        qid = result.question.id
        if result.correct:
            merged.pop(qid, None)
        else:
            entry = result.to_dict()
            entry["times_wrong"] = int(merged.get(qid, {}).get("times_wrong", 0)) + 1
            merged[qid] = entry
    return list(merged.values())


def save_review(path: str | Path, results: Iterable[Result]) -> list[dict]:
    """Merge this round into the review file: wrong answers are added (counting repeats), right
    ones removed. Written with :func:`kg.fsutil.atomic_write`. Returns the new list."""
    from .fsutil import atomic_write

    merged = merge_review(load_review(path), results)
    atomic_write(path, json.dumps({"format": 1, "items": merged}, ensure_ascii=False, indent=2) + "\n")
    return merged
