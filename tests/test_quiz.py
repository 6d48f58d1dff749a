"""The quiz: questions from edges with graph-checked distractors, determinism, grading, review list, the command."""
from __future__ import annotations

import json

import networkx as nx
import pytest
import yaml

import kg
from kg.cli import main, run_quiz
from kg.quiz import (CONTRAST_PROMPT, PROMPTS, Question, distractors, grade, load_review, make_quiz, parse_response, save_review,
                     score, topic_nodes)


@pytest.fixture(scope="module")
def pack(shipped_pack):
    return shipped_pack


def _is_right(pack, question: Question, candidate: str) -> bool:
    """Independent check against the graph: would ``candidate`` be a defensible answer?"""
    source, edge_type, target = question.edge
    direction = question.id.split(":")[1]
    anchor = question.concept
    graph = pack.graph
    if direction == "forward":
        if graph.has_edge(candidate, anchor, edge_type):
            return True
    elif graph.has_edge(anchor, candidate, edge_type):
        return True
    if edge_type == "requires":
        before = nx.ancestors(pack.study, anchor) if direction == "inverse" else nx.descendants(pack.study, anchor)
        return candidate in before
    return False


def test_choice_questions_have_one_right_answer_and_same_kind_distractors(pack):
    quiz = [q for q in make_quiz(pack, count=60, seed=7, recall=False) if q.edge[1] != "contrasts"]  # see test_quiz_truth
    assert len(quiz) >= 30
    for question in quiz:
        assert question.kind == "choice" and len(question.options) == len(question.option_ids) >= 3
        assert len(set(question.option_ids)) == len(question.option_ids)
        right = question.option_ids[question.answer]
        source, edge_type, target = question.edge
        assert right == (source if question.id.split(":")[1] == "forward" else target)
        assert pack.graph.has_edge(source, target, edge_type)
        kind = pack.graph.nodes[right]["kind"]
        for index, option in enumerate(question.option_ids):
            if index != question.answer:
                assert pack.graph.nodes[option]["kind"] == kind, (question.id, option)
                assert not _is_right(pack, question, option), (question.id, option)
                assert option != question.concept
        assert question.answer_text == pack.graph.nodes[right]["name"]
        why = pack.graph.edges[source, target, edge_type].get("why", "")
        assert why in question.explanation


def test_each_edge_type_is_asked(pack):
    quiz = make_quiz(pack, count=200, seed=1, recall=False)
    asked = {q.edge[1] for q in quiz}
    present = {k for *_, k in pack.graph.edges(keys=True)} | ({"contrasts"} if pack.contrast_where else set())
    assert asked == present
    prompts = {q.prompt for q in quiz}
    assert any(p.startswith("What must you know before") for p in prompts)
    assert any(p.startswith("Which of these solves") for p in prompts)


def test_distractors_exclude_every_right_answer(pack):
    # Overfitting (or whatever problem has the most remedies): no remedy may appear as a distractor.
    problem = max((n for n, k in pack.graph.nodes(data="kind") if k == "problem"),
                  key=lambda n: sum("solves" in keyed for keyed in pack.graph._pred[n].values()))
    remedies = {u for u, keyed in pack.graph._pred[problem].items() if "solves" in keyed}
    for remedy in remedies:
        assert not remedies & set(distractors(pack, "solves", "forward", problem, remedy))


def test_same_seed_same_quiz_and_different_seed_different_quiz(pack):
    first = [q.to_dict() for q in make_quiz(pack, count=12, seed=42)]
    again = [q.to_dict() for q in make_quiz(pack, count=12, seed=42)]
    other = [q.to_dict() for q in make_quiz(pack, count=12, seed=43)]
    assert first == again
    assert first != other


def test_interview_questions_are_mixed_in(pack):
    quiz = make_quiz(pack, count=20, seed=0)
    recall = [q for q in quiz if q.kind == "recall"]
    assert len(recall) == 5
    for question in recall:
        written = pack.graph.nodes[question.concept]["questions"]
        assert any(item["q"] == question.prompt and item["a"] == question.answer_text for item in written)


def test_topic_limits_questions(pack):
    nodes = topic_nodes(pack, "lstm")
    assert "lstm" in nodes and "rnn" in nodes
    for question in make_quiz(pack, topic="lstm", count=15, seed=3):
        if question.kind == "choice":
            assert question.edge[0] in nodes or question.edge[2] in nodes
        else:
            assert question.concept in nodes
    section = topic_nodes(pack, "1")
    assert section and all(pack.graph.nodes[n]["section"].split(".")[0] == "1" for n in section)
    assert topic_nodes(pack, "problem") == {n for n, k in pack.graph.nodes(data="kind") if k == "problem"}
    with pytest.raises(kg.UnknownConcept):
        topic_nodes(pack, "no such topic at all xyz")


def test_chinese_quiz(pack):
    quiz = make_quiz(pack, count=8, seed=5, lang="zh", recall=False)
    templates = {v["zh"].split("{x}")[0] for v in PROMPTS.values()} | {CONTRAST_PROMPT["zh"].split("{a}")[0]}
    for question in quiz:
        assert any(question.prompt.startswith(t) for t in templates)
        if question.edge[1] == "contrasts":
            continue  # its options are texts, checked in test_quiz_truth
        right = question.option_ids[question.answer]
        assert question.answer_text == (pack.graph.nodes[right].get("name_zh") or pack.graph.nodes[right]["name"])


def test_grading_and_parsing(pack):
    question = next(q for q in make_quiz(pack, count=10, seed=9) if q.kind == "choice")
    wrong = (question.answer + 1) % len(question.options)
    assert grade(question, question.answer).correct
    assert not grade(question, wrong).correct
    assert not grade(question, None).correct and grade(question, None).skipped
    assert parse_response(question, str(question.answer + 1)) == question.answer
    assert parse_response(question, "abcd"[question.answer]) == question.answer
    assert parse_response(question, question.options[question.answer].upper()) == question.answer
    assert parse_response(question, "9") is None and parse_response(question, "") is None
    recall = Question(id="question:x:1", kind="recall", prompt="Q?", answer_text="A.")
    assert parse_response(recall, "y") is True and parse_response(recall, "否") is False
    assert grade(recall, True).correct and not grade(recall, False).correct
    results = [grade(question, question.answer), grade(question, wrong), grade(recall, True), grade(recall, None)]
    assert score(results) == {"correct": 2, "total": 4, "percent": 50}


def test_review_file_adds_wrong_and_removes_right(pack, tmp_path):
    quiz = [q for q in make_quiz(pack, count=10, seed=4) if q.kind == "choice"][:3]
    path = tmp_path / "review.json"
    wrong = [grade(q, (q.answer + 1) % len(q.options)) for q in quiz]
    save_review(path, wrong)
    items = load_review(path)
    assert [i["id"] for i in items] == [q.id for q in quiz]
    assert all(i["times_wrong"] == 1 and i["correct_answer"] == q.answer_text for i, q in zip(items, quiz))
    save_review(path, [grade(quiz[0], quiz[0].answer), grade(quiz[1], None)])
    items = {i["id"]: i for i in load_review(path)}
    assert quiz[0].id not in items and items[quiz[1].id]["times_wrong"] == 2 and quiz[2].id in items
    # The saved ids regenerate the same questions.
    again = make_quiz(pack, ids=list(items), seed=0)
    assert [q.id for q in again] == list(items)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_run_quiz_reads_answers_and_stops_on_q(pack):
    quiz = make_quiz(pack, count=4, seed=11, recall=False)
    answers = iter([str(quiz[0].answer + 1), "x", "q"])
    shown = []
    results = run_quiz(quiz, lambda prompt: next(answers, None), shown.append)
    assert [r.correct for r in results] == [True, False]
    assert any(line.strip().startswith("[1/4] ") for line in shown)
    assert any(quiz[0].explanation in line for line in shown)


def test_interactive_retries_a_typo_and_ends_at_eof(pack):
    quiz = make_quiz(pack, count=2, seed=11, recall=False)
    answers = iter(["typo", str(quiz[0].answer + 1)])
    results = run_quiz(quiz, lambda prompt: next(answers, None), lambda text: None, pause=True)
    assert [r.correct for r in results] == [True]


def test_quiz_command_non_interactive(pack, tmp_path, capsys):
    quiz = make_quiz(pack, count=5, seed=8)
    answers = ",".join(str(q.answer + 1) if q.kind == "choice" else "y" for q in quiz)
    review = tmp_path / "r.json"
    assert main(["quiz", "--count", "5", "--seed", "8", "--answers", answers, "--review", str(review)]) == 0
    out = capsys.readouterr().out
    assert "score: 5/5 (100%)" in out
    assert load_review(review) == []
    assert main(["quiz", "--count", "5", "--seed", "8", "--answers", "", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["score"] == {"correct": 0, "total": 5, "percent": 0}
    assert main(["quiz", "--count", "5", "--seed", "8", "--answers", "", "--review", str(review)]) == 0
    capsys.readouterr()
    assert len(load_review(review)) == 5
    assert main(["quiz", "--retry", str(review), "--flashcards", "--json"]) == 0
    assert [q["id"] for q in json.loads(capsys.readouterr().out)] == [q.id for q in quiz]


def test_quiz_command_interactive_stdin(monkeypatch, capsys):
    import io

    quiz = make_quiz(kg.load_pack(), topic="relu", count=8, seed=2)
    assert {q.kind for q in quiz} == {"choice", "recall"}
    # A choice question takes its option number; an interview question takes Enter, then y.
    typed = "".join(f"{q.answer + 1}\n" if q.kind == "choice" else "\ny\n" for q in quiz)
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert main(["quiz", "--topic", "relu", "--count", "8", "--seed", "2"]) == 0
    assert "score: 8/8 (100%)" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{quiz[0].answer + 1}\n" if quiz[0].kind == "choice" else "\ny\n"))
    assert main(["quiz", "--topic", "relu", "--count", "8", "--seed", "2"]) == 0  # end of input stops the quiz
    assert "score: 1/1 (100%)" in capsys.readouterr().out


def test_hostile_pack_quiz_text_is_plain(tmp_path):
    hostile = '<script>alert(1)</script> "quote" `tick`'
    concepts = [{"id": f"p{i}", "name": f"{hostile} P{i}", "name_zh": f"问题{i}", "kind": "problem", "summary": "S.", "summary_zh": "摘"}
                for i in range(4)]
    concepts += [{"id": f"t{i}", "name": f"T{i}", "name_zh": f"技{i}", "kind": "technique", "summary": "S.", "summary_zh": "摘",
                  "solves": [{"to": f"p{i}", "why": hostile}]} for i in range(4)]
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(concepts, allow_unicode=True), encoding="utf-8")
    small = kg.load_pack(tmp_path)
    quiz = make_quiz(small, count=8, seed=0)
    assert quiz and all(q.kind == "choice" for q in quiz)
    for question in quiz:
        assert hostile in question.explanation or any(hostile in o for o in question.options) or hostile in question.prompt
        for index, option in enumerate(question.option_ids):
            if index != question.answer:
                assert not small.graph.has_edge(option, question.concept) and not small.graph.has_edge(question.concept, option)
