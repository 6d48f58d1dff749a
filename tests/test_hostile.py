"""Issue 15: small hostile packs (chains, stars, grids, complete DAGs) get capped or located answers.

Each test builds the small version of a shape from :mod:`kg.hostile` and asserts the answer,
never a time: the benchmark (``python -m kg.bench --hostile``) measures the full-size ones.
"""
from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from kg import hostile, load_pack
from kg.cli import main
from kg.queries import MAX_PATHS, WHY_SHORT, connect, related, study_order, why_chain


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))


def pack_of(tmp_path, text, name="pack"):
    return load_pack(hostile.write(tmp_path / name, text))


def run(capsys, *argv):
    code = main([str(part) for part in argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- complexity: located, capped answers


def test_redundant_requires_on_hub_and_root_finds_exactly_the_hubs_shortcuts(tmp_path):
    pack = pack_of(tmp_path, hostile.hub_and_root(30))
    assert not pack.errors
    assert [p.code for p in pack.problems] == []  # hub requires each m, each m requires root: nothing implied
    text = hostile.hub_and_root(30).replace("  requires: [m0, ", "  requires: [root, m0, ")
    pack = pack_of(tmp_path, text, "with-shortcut")
    redundant = [p for p in pack.problems if p.code == "redundant-requires"]
    assert [p.message for p in redundant] == ["'hub' requires 'root' is already implied by other edges"]


def test_redundant_requires_on_a_complete_dag_is_every_edge_but_the_chain(tmp_path):
    n = 12
    pack = pack_of(tmp_path, hostile.complete_dag(n))
    redundant = {p.message for p in pack.problems if p.code == "redundant-requires"}
    expected = {f"'d{i}' requires 'd{j}' is already implied by other edges" for i in range(n) for j in range(i - 1)}
    assert redundant == expected


def test_unknown_targets_are_each_located_and_suggestions_stay_bounded(tmp_path):
    from kg.search import MAX_SUGGESTIONS

    text = hostile.unknown_targets(MAX_SUGGESTIONS + 100) + hostile._concept("missing-1x")
    pack = pack_of(tmp_path, text)
    unknown = [p for p in pack.problems if p.code == "unknown-target"]
    assert len(unknown) == MAX_SUGGESTIONS + 100 and all(p.path.endswith("pack.yaml") for p in unknown)
    hinted = [p for p in unknown if p.hint.startswith("did you mean")]
    assert 0 < len(hinted) <= MAX_SUGGESTIONS
    assert next(p.hint for p in unknown if "'missing-1'" in p.message) == "did you mean 'missing-1x'?"


def test_a_long_edge_list_stops_at_the_cap_with_a_located_problem(tmp_path):
    from kg.validate import MAX_EDGES_PER_LIST

    pack = pack_of(tmp_path, hostile.complete_dag(MAX_EDGES_PER_LIST + 5))
    capped = [p for p in pack.problems if p.code == "limit-exceeded"]
    assert len(capped) == 4 and all(p.message == "this edge list has more than 128 edges; the rest are ignored" for p in capped)
    assert pack.graph.out_degree(f"d{MAX_EDGES_PER_LIST + 4}") == MAX_EDGES_PER_LIST


def test_problems_of_one_code_are_capped_per_pack_with_a_summary_of_the_same_severity(tmp_path):
    from kg.checks import MAX_PROBLEMS_PER_CODE

    folder = hostile.write(tmp_path / "numbers", {f"n{i}.yaml": hostile.bare_numbers(600) for i in range(3)})
    pack = load_pack(folder)
    shapes = [p for p in pack.problems if p.code == "bad-shape"]
    assert len(shapes) == MAX_PROBLEMS_PER_CODE + 1
    assert "'bad-shape' problems not listed: 800 more" in shapes[-1].message or any(
        "'bad-shape' problems not listed: 800 more" in p.message for p in shapes)


def test_bad_entries_past_the_pack_budget_are_counted_without_records(tmp_path):
    from kg.checks import MAX_PROBLEMS_PER_CODE

    files = {f"n{i}.yaml": hostile.bare_numbers(MAX_PROBLEMS_PER_CODE) for i in range(4)}
    files["z.yaml"] = hostile.chain(2)  # concepts after the flood still load
    pack = load_pack(hostile.write(tmp_path / "numbers", files))
    shapes = [p for p in pack.problems if p.code == "bad-shape"]
    assert len(shapes) == MAX_PROBLEMS_PER_CODE + 1
    summary = shapes[-1]
    assert f"'bad-shape' problems not listed: {3 * MAX_PROBLEMS_PER_CODE:,} more" in summary.message
    assert (summary.path.rsplit("/", 1)[-1], summary.line) == ("n1.yaml", 5)  # the first one not listed, after the header
    assert sorted(pack.graph) == ["c0", "c1"]


def test_checking_a_file_stops_at_its_error_limit_with_the_place_and_what_is_not_loaded(tmp_path):
    from kg.pack import MAX_PROBLEMS_PER_FILE

    entries = MAX_PROBLEMS_PER_FILE // 4 + 50  # four missing-field errors each
    pack = pack_of(tmp_path, hostile.empty_concepts(entries) + hostile.chain(1))
    (stop,) = [p for p in pack.problems if p.code == "limit-exceeded"]
    assert (stop.line, stop.col) == (4 + MAX_PROBLEMS_PER_FILE // 4 + 1, 5)  # the entry after the limit (header is 4 lines)
    assert "checking stops here" in stop.message and "the 50 after it are not loaded" in stop.message
    assert len([p for p in pack.problems if p.code == "missing-field"]) == MAX_PROBLEMS_PER_FILE
    assert "c0" not in pack.graph  # the concept after the stop is not loaded


def test_warnings_never_stop_checking_a_file(tmp_path):
    from kg.pack import MAX_PROBLEMS_PER_FILE

    text = "".join(f"- {{id: w{i}, name: W{i}, kind: concept, summary: S., d2l: [chapter_x/no-such-page.html]}}\n"
                   for i in range(MAX_PROBLEMS_PER_FILE + 10))
    pack = pack_of(tmp_path, text)
    assert pack.graph.number_of_nodes() == MAX_PROBLEMS_PER_FILE + 10
    assert not any("checking stops" in p.message for p in pack.problems)


def test_reading_stops_at_the_packs_error_limit_naming_the_first_file_not_read(tmp_path, monkeypatch):
    import kg.pack
    from kg.pack import MAX_PROBLEMS_PER_FILE

    monkeypatch.setattr(kg.pack, "MAX_PROBLEMS_PER_PACK", 2 * MAX_PROBLEMS_PER_FILE)
    files = {f"n{i}.yaml": hostile.empty_concepts(MAX_PROBLEMS_PER_FILE // 4) for i in range(5)}
    pack = load_pack(hostile.write(tmp_path / "empty", files))
    (stop,) = [p for p in pack.problems if p.code == "limit-exceeded"]
    assert (stop.path.rsplit("/", 1)[-1], stop.line) == ("n2.yaml", 1)
    assert f"the pack has more than {2 * MAX_PROBLEMS_PER_FILE:,} errors" in stop.message and "the 2 after it are not read" in stop.message


def test_a_pack_past_its_edge_limit_stops_at_the_file_that_crosses_it(tmp_path):
    from kg.pack import Limits

    files = {f"f{i}.yaml": hostile.chain(10, prefix=f"p{i}-") for i in range(4)}  # 9 edges a file
    pack = load_pack(hostile.write(tmp_path / "chains", files), limits=Limits(max_edges=20))
    (stop,) = [p for p in pack.problems if p.code == "limit-exceeded"]
    assert (stop.path.rsplit("/", 1)[-1], stop.line) == ("f2.yaml", 1)
    assert "more than 20 edges" in stop.message
    assert pack.graph.number_of_edges() == 18 and "p2-0" not in pack.graph


def test_path_on_a_long_chain_is_iterative(tmp_path):
    pack = pack_of(tmp_path, hostile.chain(3000))  # the old recursive walk overflowed at ~1000
    paths = connect(pack, "c0", "c2999")
    assert len(paths) == 1 and len(paths[0]) == 2999 and not paths.capped
    assert paths[0][0] == ("c1", "requires", "c0")


def test_path_on_a_grid_lists_at_most_the_cap_and_says_so(tmp_path, capsys):
    folder = hostile.write(tmp_path / "grid", hostile.grid(12, 12))  # C(22, 11) = 705,432 shortest paths
    paths = connect(load_pack(folder), "g-0-0", "g-11-11", max_paths=10_000)
    assert len(paths) == MAX_PATHS and paths.capped
    assert all(len(path) == 22 for path in paths)
    assert paths == sorted(paths, key=lambda p: [e for e in p]) or len({tuple(p) for p in paths}) == MAX_PATHS
    code, out, err = run(capsys, "path", "g-0-0", "g-11-11", "--max", "1000", "--graph", folder)
    assert code == 0 and out.count("Connection ") == MAX_PATHS
    assert f"--max is at most {MAX_PATHS}" in out


def test_path_through_a_wide_bottleneck_stops_at_the_cap(tmp_path):
    pack = pack_of(tmp_path, hostile.bottleneck(50, 2000))
    paths = connect(pack, "a0", "b49", max_paths=3)
    assert len(paths) == 3 and paths.capped
    assert [len(p) for p in paths] == [100] * 3
    assert [p[49][0] for p in paths] == ["m0", "m1", "m10"]  # guide order (here: by name) in the middle


def test_path_on_a_complete_dag_is_the_one_edge(tmp_path):
    pack = pack_of(tmp_path, hostile.complete_dag(40))
    assert connect(pack, "d0", "d39") == [[("d39", "requires", "d0")]]


def test_related_on_a_star_lists_the_cap_and_counts_the_rest(tmp_path, capsys):
    folder = hostile.write(tmp_path / "star", hostile.star(700))
    relations = related(load_pack(folder), "hub")
    assert len(relations) == 500 and relations.total == 700 and relations.more == 200
    code, out, err = run(capsys, "related", "hub", "--graph", folder)
    assert code == 0 and "and 200 more relation(s)" in out


def test_order_on_a_long_chain_keeps_why_chains_short(tmp_path, capsys):
    folder = hostile.write(tmp_path / "chain", hostile.chain(2000))
    plan = study_order(load_pack(folder), ["c1999"])
    assert len(plan.steps) == 2000
    assert len(plan.steps[0].reason) == WHY_SHORT and plan.steps[0].reason_length == 1999
    full = why_chain(plan, "c0", full=True)
    assert len(full) == 1999 and full[0] == ("c1", "requires", "c0") and full[-1] == ("c1999", "requires", "c1998")
    code, out, err = run(capsys, "order", "c1999", "--graph", folder)
    assert code == 0 and len(out) < 2000 * 200  # linear, not 2000 x 2000 edges
    assert "because C1 requires C0 → C2 requires C1 → …" in out  # the direct reason and one further link
    code, out, err = run(capsys, "order", "c1999", "--json", "--graph", folder)
    steps = json.loads(out)["steps"]
    assert max(len(s["reason"]) for s in steps) == WHY_SHORT and steps[0]["reason_length"] == 1999


def test_quiz_on_a_star_without_distractors_stops_early(tmp_path, capsys):
    folder = hostile.write(tmp_path / "star", hostile.star(300))
    code, out, err = run(capsys, "quiz", "--count", "3", "--answers", "1,1,1", "--graph", folder)
    assert code == 1 and "no questions" in err


# ---------------------------------------------------------------- output that cannot lie


SPOOF = '- id: evil\n  name: "Evil\\e[2K\\r0 error(s)\\u202e"\n  kind: concept\n  summary: "S\\x9b31m."\n  requires: [evil]\n'


def test_terminal_output_shows_control_and_bidi_characters_escaped(tmp_path, capsys):
    folder = hostile.write(tmp_path / "spoof", SPOOF)
    for argv in (["show", "evil"], ["check"], ["search", "evil"], ["related", "evil"]):
        code, out, err = run(capsys, *argv, "--graph", folder)
        shown = out + err
        assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown and "\x9b" not in shown, argv
    code, out, err = run(capsys, "show", "evil", "--graph", folder)
    assert "Evil\\x1b[2K\\r0 error(s)\\u202e" in out


def test_json_output_stays_exact(tmp_path, capsys):
    folder = hostile.write(tmp_path / "spoof", SPOOF)
    code, out, err = run(capsys, "show", "evil", "--json", "--graph", folder)
    assert json.loads(out)["name"] == "Evil\x1b[2K\r0 error(s)\u202e"
    assert json.loads(out)["summary"] == "S\x9b31m."


# ---------------------------------------------------------------- nothing lost: special files


GOOD = "- id: a\n  name: A\n  kind: concept\n  summary: S.\n- id: b\n  name: B\n  kind: concept\n  summary: S.\n  requires: [a]\n"


def test_export_keeps_the_mode_of_an_existing_file(tmp_path, capsys):
    folder = hostile.write(tmp_path / "pack", GOOD)
    target = tmp_path / "out.json"
    target.write_text("old")
    target.chmod(0o600)
    code, out, err = run(capsys, "export", "--format", "json", "-o", target, "--graph", folder)
    assert code == 0 and stat.S_IMODE(target.stat().st_mode) == 0o600 and json.loads(target.read_text())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_export_writes_into_a_fifo_instead_of_replacing_it(tmp_path, capsys):
    import threading

    folder = hostile.write(tmp_path / "pack", GOOD)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo, "rb").read()))
    reader.start()
    code, out, err = run(capsys, "export", "--format", "csv", "-o", fifo, "--graph", folder)
    reader.join(10)
    assert code == 0 and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"requires" in received[0]


def test_export_refuses_a_device_and_a_folder_without_naming_a_temporary_file(tmp_path, capsys):
    folder = hostile.write(tmp_path / "pack", GOOD)
    code, out, err = run(capsys, "export", "--format", "json", "-o", "/dev/null", "--graph", folder)
    assert code == 2 and "/dev/null is a device" in err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    code, out, err = run(capsys, "export", "--format", "json", "-o", tmp_path, "--graph", folder)
    assert code == 2 and "is a folder" in err and ".tmp" not in err


def test_export_to_dev_stdout_writes_standard_output(tmp_path, capfd):
    folder = hostile.write(tmp_path / "pack", GOOD)
    code = main(["export", "--format", "csv", "-o", "/dev/stdout", "--graph", str(folder)])
    out, err = capfd.readouterr()
    assert code == 0 and "requires" in out


def test_negative_counts_and_limits_are_usage_errors(tmp_path, capsys):
    folder = hostile.write(tmp_path / "pack", GOOD)
    for argv in (["quiz", "--count", "-5"], ["path", "a", "b", "--max", "0"], ["search", "a", "--limit", "-1"]):
        code, out, err = run(capsys, *argv, "--graph", folder)
        assert code == 2 and "less than 1" in err, argv


# ---------------------------------------------------------------- one top-level guard


def test_an_unexpected_error_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    import kg.queries

    folder = hostile.write(tmp_path / "pack", GOOD)

    def broken(*args, **kwargs):
        raise ValueError("something nobody expected\nsecond line")

    monkeypatch.setattr(kg.queries, "stats", broken)
    code, out, err = run(capsys, "stats", "--graph", folder)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "internal error (ValueError: something nobody expected)" in err
    code, out, err = run(capsys, "--debug", "stats", "--graph", folder)
    assert code == 2 and "Traceback" in err


# ---------------------------------------------------------------- names that lie


def test_an_alias_that_is_another_concepts_name_is_an_error_and_never_takes_it_over(tmp_path):
    text = hostile._concept("relu", name="ReLU", edges={"used-in": ["evil"]}) + hostile._concept("evil", name="Evil", aliases=["relu", "ReLU"])
    pack = pack_of(tmp_path, text)
    collisions = [p for p in pack.problems if p.code == "name-collision"]
    assert len(collisions) == 2 and all(p.line == 10 and p.severity == "error" for p in collisions)  # evil's entry
    assert pack.resolve("ReLU") == "relu" and pack.resolve("relu") == "relu"


def test_nfc_and_nfd_twins_are_one_name_and_an_alias_cannot_be_its_twin(tmp_path):
    import unicodedata

    composed, decomposed = "Caf\u00e9", unicodedata.normalize("NFD", "Caf\u00e9")
    text = hostile._concept("a", name=composed, edges={"requires": ["b"]}) + hostile._concept("b", name=decomposed)
    pack = pack_of(tmp_path, text)
    assert pack.graph.nodes["b"]["name"] == composed  # normalised on load
    assert pack.resolve(decomposed) == "a" and pack.resolve(composed) == "a"
    text = hostile._concept("a", name=composed, edges={"requires": ["b"]}) + hostile._concept("b", name="B", aliases=[decomposed])
    pack = pack_of(tmp_path, text, "alias-twin")
    assert [p.code for p in pack.problems] == ["name-collision"] and pack.resolve(decomposed) == "a"


def test_homoglyphs_and_invisible_characters_are_warnings_but_chinese_and_greek_words_are_not(tmp_path):
    text = (hostile._concept("a", name="Ad\u0430m", edges={"requires": ["b", "c"]}) + hostile._concept("b", name="Ada\u200bm")
            + hostile._concept("c", name="TD(λ) β-VAE 残差ResNet", aliases=["ReLU 激活函数"]))
    pack = pack_of(tmp_path, text)
    # b's "Ada\u200bm" and a's "Ad\u0430m" are also the same name to a reader (test below)
    assert sorted((p.code, p.line) for p in pack.problems) == [("duplicate-name", 10), ("invisible-character", 10), ("mixed-script", 5)]


def test_two_concepts_a_reader_sees_as_one_name_are_an_error_at_the_second_naming_the_first(tmp_path):
    def concept(node, name, name_zh, **edges):
        return hostile._concept(node, name=name, edges=edges).replace("  kind:", f"  name_zh: {json.dumps(name_zh)}\n  kind:")

    text = (concept("a", "Layer Norm", "层归一化", requires=["b", "c", "d", "e", "f", "g"])
            + concept("b", "LAYER  norm", "层归一化二")            # case and spacing: line 11
            + concept("c", "\u0410\u0412C", "字母")                 # Cyrillic А and В: looks like "ABC"
            + concept("d", "ABC", "字母二")                          # line 21, after c
            + concept("e", "B-VAE", "层归一化\u3000")                 # a Chinese name with a trailing ideographic space: line 26
            + concept("f", "\u03b2-VAE", "贝塔")                     # Greek beta is not a B
            + concept("g", "GELU", "GELU"))                           # its own two names agree
    pack = pack_of(tmp_path, text)
    found = sorted((p.line, p.code, p.severity) for p in pack.problems if p.code == "duplicate-name")
    assert found == [(11, "duplicate-name", "error"), (21, "duplicate-name", "error"), (26, "duplicate-name", "error")]
    by_line = {p.line: p.message for p in pack.problems if p.code == "duplicate-name"}
    assert "'b'" in by_line[11] and "of 'a' (" in by_line[11] and "pack.yaml:5:" in by_line[11]
    assert "the name 'ABC' of 'd' looks the same as the name 'АВC' of 'c'" in by_line[21] and "pack.yaml:16:" in by_line[21]
    assert "of 'e' looks the same as the name_zh '层归一化' of 'a'" in by_line[26]


# ---------------------------------------------------------------- nothing lost: the cache


@pytest.mark.parametrize("damage", ["length", "crc", "truncate", "pickle"])
def test_a_damaged_cache_entry_is_quarantined_and_the_pack_parsed_again(tmp_path, damage):
    import struct

    from kg import cache

    folder = hostile.write(tmp_path / "pack", GOOD)
    cache.load_pack_cached(folder)
    entry = cache.entry_path(folder)
    data = bytearray(entry.read_bytes())
    head = len(cache._MAGIC)
    if damage == "length":
        data[head + 36: head + 44] = struct.pack("<Q", 2**63 - 1)
    elif damage == "crc":
        data[-1] ^= 0xFF
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:  # a consistent header around a payload that is not a pickle of a Pack
        payload = b"not a pickle"
        import zlib
        data = data[: head + 32] + struct.pack("<IQ", zlib.crc32(payload), len(payload)) + payload
    entry.write_bytes(bytes(data))
    pack = cache.load_pack_cached(folder)
    assert sorted(pack.graph) == ["a", "b"]
    assert entry.with_suffix(".bad").exists()
    assert cache.read_entry(entry, cache.fingerprint(folder)) is not None  # rebuilt and readable again


# ---------------------------------------------------------------- nothing lost: review files, imports


@pytest.mark.parametrize("content, message", [
    ('{"items": [{"id": "q", "times_wrong": "often"}]}', "'times_wrong' must be a whole number"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"items": [{"id": "q", "prompt": {"a": [1]}}]}', "'prompt' must be text or a number"),
    ('{"items": 5}', "expected an object with an 'items' list"),
    ("\x00\x01", "not a JSON review file"),
])
def test_a_bad_review_file_stops_the_quiz_before_the_first_question(tmp_path, capsys, content, message):
    folder = hostile.write(tmp_path / "pack", GOOD + hostile._concept("c", edges={"requires": ["a"]}) + hostile._concept("d"))
    review = tmp_path / "review.json"
    review.write_text(content, encoding="utf-8")
    for option in ("--review", "--retry"):
        code, out, err = run(capsys, "quiz", option, review, "--answers", "1,1", "--graph", folder)
        assert code == 2 and message in err and "[1/" not in out, (option, err)
    assert review.read_text(encoding="utf-8") == content  # untouched


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_review_file_that_is_a_fifo_is_refused_without_blocking(tmp_path, capsys):
    folder = hostile.write(tmp_path / "pack", GOOD)
    fifo = tmp_path / "review.json"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "quiz", "--retry", fifo, "--graph", folder)
    assert code == 2 and "not a regular file" in err


def metacademy(folder, concepts, dependencies):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "concepts.jsonl").write_text("".join(line + "\n" for line in concepts), encoding="utf-8")
    (folder / "dependencies.jsonl").write_text("".join(line + "\n" for line in dependencies), encoding="utf-8")
    return folder


GOOD_CONCEPT = '{"tag": "a", "title": "A", "summary": "S.", "learn_time_hours": 1, "tags": ["x"]}'


@pytest.mark.parametrize("concepts, dependencies, message", [
    ([GOOD_CONCEPT, "[1, 2]"], [], "concepts.jsonl:2: expected a JSON object, found list"),
    ([GOOD_CONCEPT, '{"title": "no tag"}'], [], "concepts.jsonl:2: the record has no 'tag'"),
    ([GOOD_CONCEPT, '{"tag": 5}'], [], "concepts.jsonl:2: 'tag' must be str, not int"),
    ([GOOD_CONCEPT, '{"tag": "b", "tags": [[1]]}'], [], "concepts.jsonl:2: 'tags' must be a list of text"),
    ([GOOD_CONCEPT], ['{"concept": "a"}'], "dependencies.jsonl:1: the record has no 'requires'"),
    ([GOOD_CONCEPT], ['{"concept": "a", "requires": "a", "reason": {"x": 1}}'], "dependencies.jsonl:1: 'reason' must be str"),
    ([GOOD_CONCEPT, "{" * 50_000], [], "concepts.jsonl:2:"),
])
def test_import_reports_malformed_lines_by_place_and_writes_nothing(tmp_path, capsys, concepts, dependencies, message):
    source = metacademy(tmp_path / "src", concepts, dependencies)
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "import", "metacademy", source, out)
    assert code == 1 and message in err and "Traceback" not in err
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["src"]  # no half-written or hidden folder


def test_import_writes_the_whole_folder_at_once(tmp_path, capsys):
    source = metacademy(tmp_path / "src", [GOOD_CONCEPT, '{"tag": "b", "title": "B"}'], ['{"concept": "b", "requires": "a", "reason": "r"}'])
    code, stdout, err = run(capsys, "import", "metacademy", source, tmp_path / "out")
    assert code == 0 and sorted(p.name for p in (tmp_path / "out").iterdir()) == ["LICENSE.md", "other.yaml", "x.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_graph_on_a_fifo_says_what_it_is(tmp_path, capsys):
    fifo = tmp_path / "pack.yaml"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "order", "a", "--graph", fifo)
    assert code == 2 and "a named pipe (FIFO)" in err


def test_a_linked_yaml_file_must_stay_inside_the_pack(tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(hostile._concept("secret"), encoding="utf-8")
    folder = hostile.write(tmp_path / "pack", GOOD)
    (folder / "inside-link.yaml").symlink_to(folder / "pack.yaml")
    (folder / "z-outside.yaml").symlink_to(outside)
    pack = load_pack(folder)
    assert "secret" not in pack.graph
    assert [(p.code, p.message) for p in pack.errors if "outside" in p.message] == [("io-error", "cannot be read: a link to a file outside the pack")]


def test_zip_errors_never_show_the_server_folder(tmp_path):
    import io
    import zipfile

    from kg.unpack import UnsafeArchive, extract_zip

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.yaml", "- id: a\n")
        archive.writestr("a.yaml", "- id: b\n")  # the same member twice
    with pytest.raises(UnsafeArchive) as caught:
        extract_zip(buffer.getvalue(), tmp_path)
    assert str(tmp_path) not in str(caught.value) and "'a.yaml'" in str(caught.value)


# ---------------------------------------------------------------- the app: Markdown that stays text, bounded uploads


@pytest.mark.parametrize("text", [":material/lock:", ":streamlit:", ":smile:", ":red[alert]", "www.evil.example", "mail me@evil.example",
                                  "**bold** [link](https://x.example) <b>x</b>"])
def test_pack_text_for_streamlit_has_no_directive_link_or_markup_left(text):
    import re

    from kg.markup import markdown_literal

    shown = markdown_literal(text)
    assert not re.search(r"(?<!\\):[\w/+-]+:", shown) and not re.search(r"\\?:[a-z]+\\?\[", shown.replace("\\:\u2060", ""))
    assert "www." not in shown and not re.search(r"@[a-z]", shown) and "](" not in shown and "<b>" not in shown
    assert shown.replace("\u2060", "").replace("\\", "") == text  # the reader sees exactly the pack's text


def test_an_upload_is_bounded_by_bytes_and_concepts_before_parsing(tmp_path):
    from kg.unpack import UploadLimits, upload_problem

    folder = hostile.write(tmp_path / "pack", hostile.chain(50))
    assert upload_problem(folder, UploadLimits(max_concepts=50)) is None
    too_many = upload_problem(folder, UploadLimits(max_concepts=49))
    assert str(too_many).startswith("the pack has about 50 concepts; the app loads at most 49")
    assert too_many.message_in("zh").startswith("概念包约有 50 个概念;应用最多载入 49 个")
    too_big = upload_problem(folder, UploadLimits(max_bytes=1000))
    assert "more than" in str(too_big) and "超过" in too_big.message_in("zh")
    flow = hostile.write(tmp_path / "flow", "[" + ", ".join(f'{{"id": "c{i}"}}' for i in range(100)) + "]\n", english_only=False)
    assert "about 100 concepts" in str(upload_problem(flow, UploadLimits(max_concepts=99)))
