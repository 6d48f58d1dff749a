"""Generated quiz questions can be trusted: no distractor is a true answer, four options, no give-away by name.

The oracle here is written independently of kg.quiz: its own breadth-first walks over the pack's edges.
Thousands of questions are sampled on the shipped graph and on synthetic packs with variant chains,
problems and contrasts.
"""
from __future__ import annotations

import random
import re
from collections import deque

import pytest

from kg import load_pack
from kg.quiz import make_quiz, name_words

OPTIONS = 4


def walk(start: str, step) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        for other in step(node):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return seen


class Oracle:
    def __init__(self, pack):
        self.pack = pack
        graph = pack.graph
        self.out: dict[str, list[tuple[str, str]]] = {n: [] for n in graph}
        self.into: dict[str, list[tuple[str, str]]] = {n: [] for n in graph}
        for u, v, t in graph.edges(keys=True):
            self.out[u].append((t, v))
            self.into[v].append((t, u))
        self.before = {n: [] for n in graph}  # study order: what must come before n
        for u, v, t in graph.edges(keys=True):
            first, then = (v, u) if t in ("requires", "variant-of", "solves") else (u, v)
            self.before[then].append(first)

    def family(self, node: str) -> set[str]:
        up = walk(node, lambda n: [v for t, v in self.out[n] if t == "variant-of"])
        down = walk(node, lambda n: [u for t, u in self.into[n] if t == "variant-of"])
        return up | down

    def linked(self, node: str) -> set[str]:
        return {other for _, other in self.out[node]} | {other for _, other in self.into[node]}

    def true_answers(self, edge_type: str, direction: str, anchor: str) -> set[str]:
        anchor_family = self.family(anchor)
        near = set(anchor_family)
        for member in anchor_family:
            near |= self.linked(member)
        truth = set()
        for node in near:
            truth |= self.family(node)
        if edge_type == "requires":
            if direction == "inverse":
                truth |= walk(anchor, lambda n: self.before[n])
            else:
                after = {n: [] for n in self.before}
                for n, firsts in self.before.items():
                    for f in firsts:
                        after[f].append(n)
                truth |= walk(anchor, lambda n: after[n])
        if edge_type in ("variant-of", "used-in"):
            step = (lambda n: [u for t, u in self.into[n] if t == edge_type]) if direction == "forward" else \
                   (lambda n: [v for t, v in self.out[n] if t == edge_type])
            truth |= walk(anchor, step)
        return truth


def check_question(pack, oracle: Oracle, question) -> None:
    graph = pack.graph
    assert len(question.options) == OPTIONS == len(set(o.casefold() for o in question.options)), question.id
    assert question.kind == "choice" and 0 <= question.answer < OPTIONS
    source, edge_type, target = question.edge
    if edge_type == "contrasts":
        a, b = source, target
        assert question.option_ids[question.answer] == f"{a}>{b}"
        near = set()
        for node in (a, b):
            for member in oracle.family(node):
                near |= {member} | oracle.linked(member)
        for index, pair in enumerate(question.option_ids):
            if index == question.answer:
                continue
            c, d = pair.split(">")
            assert c not in near and d not in near, (question.id, pair)
            for node in (a, b, c, d):  # masked: no option names a concept of either pair
                name = graph.nodes[node]["name"]
                assert not re.search(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", question.options[index], re.I), (question.id, name)
        return
    direction = question.id.split(":")[1]
    anchor = question.concept
    answer = question.option_ids[question.answer]
    assert answer == (source if direction == "forward" else target) and graph.has_edge(source, target, edge_type)
    truth = oracle.true_answers(edge_type, direction, anchor)
    kind = graph.nodes[answer]["kind"]
    giveaway = name_words(pack, answer) & name_words(pack, anchor)
    for index, option in enumerate(question.option_ids):
        if index == question.answer:
            continue
        assert option not in truth, f"{question.id}: distractor {option} is a true answer"
        assert graph.nodes[option]["kind"] == kind
        if giveaway:
            assert name_words(pack, option) & giveaway, f"{question.id}: {option} is ruled out by its name alone"


def synthetic_pack(tmp_path, seed: int, n: int = 160):
    rng = random.Random(seed)
    kinds = ["concept", "technique", "problem", "optimizer", "architecture"]
    words = ["gradient", "kernel", "attention", "pooling", "residual", "sparse", "token", "noise", "margin", "policy"]
    nodes = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        name = f"{rng.choice(words).title()} {rng.choice(words).title()} {i}"
        nodes.append((f"c{i}", name, kind))
    lines = []
    contrasts = set()
    for i, (node, name, kind) in enumerate(nodes):
        entry = [f"- id: {node}", f"  name: {name}", f"  name_zh: 概念{i}", f"  kind: {kind}", "  summary: S.", "  summary_zh: 摘要。"]
        earlier = list(range(i))
        edges = {}
        if earlier:
            same_kind = [j for j in earlier if nodes[j][2] == kind]
            if same_kind and rng.random() < 0.3:
                edges["variant-of"] = [rng.choice(same_kind)]
            edges["requires"] = rng.sample(earlier, min(len(earlier), rng.choice((0, 1, 2))))
            problems = [j for j in earlier if nodes[j][2] == "problem"]
            if kind != "problem" and problems and rng.random() < 0.4:
                edges["solves"] = [rng.choice(problems)]
        later_problems = [j for j in range(i + 1, n) if nodes[j][2] == "problem"]
        if kind != "problem" and later_problems and rng.random() < 0.2:
            edges["causes"] = [rng.choice(later_problems)]
        later = list(range(i + 1, n))
        if later and rng.random() < 0.2:
            edges["used-in"] = [rng.choice(later)]
        for edge_type, targets in edges.items():
            targets = sorted(set(targets) - set().union(*(set(v) for k, v in edges.items() if k != edge_type and k < edge_type)))
            if targets:
                entry.append(f"  {edge_type}: [{', '.join(f'c{j}' for j in targets)}]")
        if earlier and rng.random() < 0.5:
            other = rng.choice(earlier)
            if (other, i) not in contrasts:
                contrasts.add((other, i))
                entry += ["  contrasts:", f"    - to: c{other}",
                          f"      how: {name} keeps the {rng.choice(words)} while {nodes[other][1]} drops the {rng.choice(words)} number {i}.",
                          f"      how_zh: 前者保留{i}号，后者丢弃。"]
        lines += entry
    folder = tmp_path / f"synthetic{seed}"
    folder.mkdir()
    (folder / "a.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pack = load_pack(folder)
    assert not pack.errors, pack.errors[:3]
    return pack


def sample(pack, seeds, count):
    questions = []
    for seed in seeds:
        for lang in ("en", "zh"):
            questions += make_quiz(pack, count=count, seed=seed, lang=lang, recall=False)
    return questions


def test_thousands_of_questions_on_the_shipped_graph(shipped_pack):
    oracle = Oracle(shipped_pack)
    questions = sample(shipped_pack, range(3), 400)
    assert len(questions) >= 2000
    assert {q.edge[1] for q in questions} >= {"requires", "variant-of", "used-in", "solves", "contrasts"}
    for question in questions:
        check_question(shipped_pack, oracle, question)


@pytest.mark.parametrize("seed", range(4))
def test_questions_on_synthetic_packs(tmp_path, seed):
    pack = synthetic_pack(tmp_path, seed)
    oracle = Oracle(pack)
    questions = sample(pack, range(2), 200)
    assert len(questions) >= 300
    assert "contrasts" in {q.edge[1] for q in questions}
    for question in questions:
        check_question(pack, oracle, question)


def test_quiz_on_a_concept_asks_its_own_written_questions_first(shipped_pack):
    focus = max(shipped_pack.graph, key=lambda n: (len(shipped_pack.graph.nodes[n].get("questions") or []), n))
    written = len(shipped_pack.graph.nodes[focus]["questions"])
    quiz = make_quiz(shipped_pack, topic=focus, count=written + 3, seed=4)
    assert [q.kind for q in quiz[:written]] == ["recall"] * written and {q.concept for q in quiz[:written]} == {focus}
    assert quiz[written].concept == focus or all(q.concept != focus for q in quiz[written:])


def test_a_contrast_question_reads_right(shipped_pack):
    questions = [q for q in make_quiz(shipped_pack, count=400, seed=9, recall=False) if q.edge[1] == "contrasts"]
    question = questions[0]
    a, _, b = question.edge
    assert question.prompt.startswith("How do A (") and question.explanation.startswith(
        next(c["how"] for c in shipped_pack.contrasts(a) if c["to"] == b)[:20])
