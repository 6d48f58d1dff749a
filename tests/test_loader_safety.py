"""Hostile and broken YAML: every case ends in a problem record at the right line, with both loaders.

Each test runs with libyaml (``use_c=True``) and the pure-Python parser
(``use_c=False``); see issue 5.
"""
from __future__ import annotations


import pytest
import yaml

from kg.pack import Limits, load_pack
from kg.yamlsafe import C_AVAILABLE, decode, parse

LOADERS = pytest.mark.parametrize("use_c", [True, False], ids=["libyaml", "pure"])

CONCEPT = "- id: a\n  name: A\n  kind: concept\n  summary: S.\n"  # lines 1-4


def concept(node: str) -> str:
    """CONCEPT with another id and a name of its own (two concepts are never meant to share a name here)."""
    return CONCEPT.replace("id: a", f"id: {node}").replace("name: A", f"name: {node.upper()}")


def write(tmp_path, content, name="p.yaml"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def load(tmp_path, content, use_c, limits=Limits(), name="p.yaml"):
    write(tmp_path, content, name)
    return load_pack(tmp_path, limits=limits, use_c=use_c)


def found(pack, severity=None):
    return [(p.code, p.line) for p in pack.problems if severity is None or p.severity == severity]


def errors(pack):
    return found(pack, "error")


def test_libyaml_is_really_used():
    """Without libyaml both parametrisations would test the same parser."""
    assert C_AVAILABLE


# --- tags -----------------------------------------------------------------------------------------

TAGS = [
    "!!python/object/apply:os.mkdir [{marker}]",
    "!!python/object/new:os.mkdir [{marker}]",
    "!!python/object:argparse.Namespace {{a: b}}",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/tuple [a, b]",
    "!unknown-tag text",
    "!<tag:example.com,2024:x> text",
    "!!binary aGVsbG8=",
    "!!set {{x, y}}",
    "!!omap [a: b]",
    "!!timestamp 2024-01-01",
    "!!int 12",
    "!!float 1.5",
    "!!bool yes",
    "!!null ~",
]


@LOADERS
@pytest.mark.parametrize("tag", TAGS, ids=lambda t: t.split()[0])
def test_tag_is_forbidden_at_its_line_without_side_effect(tmp_path, use_c, tag):
    marker = tmp_path / "marker-created-by-yaml"
    text = CONCEPT + "  tags: " + tag.format(marker=str(marker)) + "\n"
    pack = load(tmp_path, text, use_c)
    assert ("forbidden-tag", 5) in errors(pack), pack.problems
    written = tag.split()[0].replace("{", "")
    shown = written[2:-1] if written.startswith("!<") else written  # a verbatim tag is named without its brackets
    assert any(shown in p.message for p in pack.problems if p.code == "forbidden-tag"), pack.problems
    assert not marker.exists()
    assert pack.graph.number_of_nodes() == 0  # a file with a forbidden tag is not used at all


def test_the_tag_fixture_is_really_dangerous(tmp_path):
    """The side-effect check above can fail: an unsafe loader does create the folder."""
    marker = tmp_path / "made"
    yaml.unsafe_load(f"- !!python/object/apply:os.mkdir [{marker}]\n")
    assert marker.exists()


@LOADERS
@pytest.mark.parametrize("text", ["a: !!str 12\n", "a: ! 12\n", "a: !!str\n", "a: !!seq [x]\n", "a: !!map {}\n"])
def test_plain_data_tags_are_allowed(use_c, text):
    doc = parse(text, "f", use_c=use_c)
    assert doc.problems == []
    assert doc.data["a"] in ("12", "", ["x"], {})


# --- anchors and aliases --------------------------------------------------------------------------

def alias_bomb(levels=30):
    lines = ["a0: &a0 [x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@LOADERS
@pytest.mark.parametrize("text, line", [
    (CONCEPT + "  name_zh: &n 名\n", 5),
    (CONCEPT + "  tags: &t [a]\n", 5),
    (CONCEPT + "  refs:\n  - &r {title: T}\n", 6),
    (CONCEPT + "  aliases: [*x]\n", 5),
    ("&top\n" + CONCEPT, 1),
    ("&a [*a]\n", 1),
    ("- &a [*a]\n", 1),
    ("a: &a\n  b: *a\n", 1),
    (alias_bomb(), 1),
])
def test_anchor_or_alias_is_refused(tmp_path, use_c, text, line):
    pack = load(tmp_path, text, use_c)  # PyYAML's composer would build 2**30 references: never returning is loud too
    assert errors(pack) == [("anchor-alias", line)]


def test_alias_bomb_is_a_real_bomb():
    """The bomb fixture is what the issue describes: 30 levels, about 640 bytes."""
    text = alias_bomb()
    assert 500 < len(text) < 800
    data = yaml.safe_load(text)
    assert len(data["a29"]) == 2 and data["a29"][0] is data["a29"][1]


# --- limits ---------------------------------------------------------------------------------------

def test_default_limits():
    limits = Limits()
    assert limits.max_file_bytes == 5 * 1024 * 1024
    assert limits.max_depth <= 64
    assert limits.max_files >= 1000


@LOADERS
def test_file_size_limit_is_configurable(tmp_path, use_c):
    write(tmp_path, CONCEPT + "# " + "x" * 500 + "\n", "big.yaml")
    write(tmp_path, concept("b"), "small.yaml")
    pack = load_pack(tmp_path, limits=Limits(max_file_bytes=300), use_c=use_c)
    assert [(p.path.rsplit("/", 1)[-1], p.code, p.line) for p in pack.errors] == [("big.yaml", "limit-exceeded", 1)]
    assert list(pack.graph) == ["b"]
    assert sorted(load_pack(tmp_path, limits=Limits(max_file_bytes=1000), use_c=use_c).graph) == ["a", "b"]


@LOADERS
def test_default_file_size_limit(tmp_path, use_c):
    write(tmp_path, CONCEPT + ("#" * 1023 + "\n") * (5 * 1024 + 1))
    pack = load_pack(tmp_path, use_c=use_c)
    assert errors(pack) == [("limit-exceeded", 1)]


@LOADERS
def test_total_pack_size_limit(tmp_path, use_c):
    for number in range(5):
        write(tmp_path, concept(f"c{number}"), f"{number}.yaml")
    size = (tmp_path / "0.yaml").stat().st_size
    pack = load_pack(tmp_path, limits=Limits(max_pack_bytes=size * 3 + 1), use_c=use_c)
    assert [code for code, _ in errors(pack)] == ["limit-exceeded"]
    assert sorted(pack.graph) == ["c0", "c1", "c2"]


@LOADERS
def test_number_of_files_limit(tmp_path, use_c):
    for number in range(6):
        write(tmp_path, concept(f"c{number}"), f"{number}.yaml")
    pack = load_pack(tmp_path, limits=Limits(max_files=4), use_c=use_c)
    assert [code for code, _ in errors(pack)] == ["limit-exceeded"]
    assert pack.graph.number_of_nodes() == 4


@LOADERS
@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}"), ("- ", ""), ("? ", "")])
def test_deep_nesting_is_a_problem_not_a_recursion_error(tmp_path, use_c, opening, closing):
    depth = 5000
    pack = load(tmp_path, opening * depth + "x" + closing * depth, use_c)
    assert errors(pack) == [("limit-exceeded", 1)]


@LOADERS
def test_deep_block_nesting_reports_the_line(tmp_path, use_c):
    text = "".join("  " * level + "a:\n" for level in range(2000)) + "  " * 2000 + "b\n"
    pack = load(tmp_path, text, use_c, limits=Limits(max_depth=32))
    assert errors(pack) == [("limit-exceeded", 33)]


@LOADERS
def test_raised_depth_limit_still_never_recurses(tmp_path, use_c):
    """With the depth limit lifted, a 3000-deep file is built and checked without recursion."""
    depth = 3000
    pack = load(tmp_path, "- " + "[" * depth + "]" * depth + "\n", use_c, limits=Limits(max_depth=10 * depth))
    # libyaml 0.2.5 and later (PyYAML 6.0.4 wheels) refuse more than 1000 levels themselves: still our problem record
    allowed = [[("bad-shape", 1)], [("limit-exceeded", 1)]] if use_c else [[("bad-shape", 1)]]
    assert errors(pack) in allowed


@LOADERS
def test_many_duplicate_keys_are_one_capped_flood(tmp_path, use_c):
    text = "{" + "a: b, " * 20_000 + "}"
    pack = load(tmp_path, text, use_c)
    codes = [code for code, _ in errors(pack)]
    assert "duplicate-key" in codes and set(codes) <= {"duplicate-key", "bad-shape", "limit-exceeded"}
    listed = [p for p in pack.problems if not p.summary]
    summaries = [p for p in pack.problems if p.summary]
    assert len(listed) == 1000  # a file lists at most 1000 problems; the rest are counted, one record per code
    assert sorted(p.code for p in summaries) == sorted(set(p.code for p in summaries))
    (duplicates,) = [p for p in summaries if p.code == "duplicate-key"]
    assert duplicates.severity == "error" and "'duplicate-key' problems not listed:" in duplicates.message


def test_warnings_past_a_files_cap_are_counted_as_warnings(tmp_path):
    """A file whose problems past the cap are all warnings gets warning summaries, not an error."""
    from kg.pack import MAX_PROBLEMS_PER_FILE
    from kg.problems import not_listed_by_code, problem
    dropped = [problem("duplicate-edge", ("a.yaml", n, 3), concept="a", edge_type="requires", target="b", first_line=1)
               for n in range(5)] + [problem("empty-file", ("a.yaml", 1, 1))]
    records = not_listed_by_code(dropped)
    assert [(r.code, r.severity, r.line) for r in records] == [("duplicate-edge", "warning", 0), ("empty-file", "warning", 1)]
    assert "'duplicate-edge' problems not listed: 5 more (the first at a.yaml:0)" == records[0].message
    assert MAX_PROBLEMS_PER_FILE == 1000


# --- keys -----------------------------------------------------------------------------------------

@LOADERS
def test_duplicate_key_at_second_line_naming_the_first(tmp_path, use_c):
    pack = load(tmp_path, CONCEPT + "  summary_zh: 一\n  name: B\n", use_c)
    (problem,) = [p for p in pack.problems if p.code == "duplicate-key"]
    assert (problem.line, problem.col) == (6, 3)
    assert "'name'" in problem.message and "line 2" in problem.message
    assert pack.graph.nodes["a"]["name"] == "A"  # the first is kept, the second reported


@LOADERS
def test_duplicate_key_in_a_nested_mapping(tmp_path, use_c):
    text = CONCEPT + "  requires:\n  - to: b\n    why: one\n    to: c\n" + concept("b")
    pack = load(tmp_path, text, use_c)
    (problem,) = [p for p in pack.problems if p.code == "duplicate-key"]
    assert problem.line == 8 and "line 6" in problem.message


@LOADERS
@pytest.mark.parametrize("key", ["1", "yes", "off", "~", "null", "1.5", "0x1F", "2024-01-01", "[a, b]", "{a: b}", "<<", "="])
def test_non_string_key_is_reported_at_its_line(tmp_path, use_c, key):
    pack = load(tmp_path, CONCEPT + f"  {key}: value\n", use_c)
    assert ("non-string-key", 5) in errors(pack), pack.problems


@LOADERS
def test_complex_key_is_reported(tmp_path, use_c):
    pack = load(tmp_path, CONCEPT + "  ? [a]\n  : value\n", use_c)
    assert ("non-string-key", 5) in errors(pack)


@LOADERS
def test_quoted_keys_are_text(tmp_path, use_c):
    pack = load(tmp_path, CONCEPT + '  "yes": value\n', use_c)
    assert errors(pack) == [("unknown-field", 5)]


# --- scalars stay as written ----------------------------------------------------------------------

AS_WRITTEN = ["0123", "yes", "off", "on", "no", "12:30", "1_000", "2024-01-01", "2001-12-14t21:59:43.10-05:00",
              "~", "null", "1e3", ".inf", "-.NaN", "0x1F", "0o17", "0b101", "+12", "190:20:30", "1.0"]


@LOADERS
def test_scalars_stay_exactly_as_written(tmp_path, use_c):
    text = "- id: 0123\n  name: yes\n  kind: concept\n  summary: ~\n  aliases: [" + ", ".join(AS_WRITTEN) + "]\n"
    text += "  tags:\n" + "".join(f"  - {value}\n" for value in AS_WRITTEN)
    pack = load(tmp_path, text, use_c)
    node = pack.graph.nodes["0123"]
    assert node["name"] == "yes" and node["summary"] == "~"
    assert node["aliases"] == AS_WRITTEN
    assert node["tags"] == AS_WRITTEN
    assert all(isinstance(value, str) for value in node["aliases"])


@LOADERS
def test_minutes_and_year_are_the_only_numbers(tmp_path, use_c):
    text = CONCEPT + "  minutes: 045\n  refs:\n  - title: T\n    year: 2017\n"
    node = load(tmp_path, text, use_c).graph.nodes["a"]
    assert node["minutes"] == 45 and node["refs"] == [{"title": "T", "year": 2017}]


# --- encodings ------------------------------------------------------------------------------------

PACK_TEXT = CONCEPT + "  name_zh: 甲\n  summary_zh: 上下文中的概念。\n" + concept("b") + "  requires: [a]\n"


@LOADERS
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_encodings_load_the_same(tmp_path, use_c, encoding):
    reference = load_pack(write(tmp_path / "ref", PACK_TEXT), use_c=use_c)
    pack = load(tmp_path / "enc", PACK_TEXT.encode(encoding), use_c)
    assert [(p.code, p.line, p.col, p.message) for p in pack.problems] == [(p.code, p.line, p.col, p.message) for p in reference.problems]
    assert dict(pack.graph.nodes(data=True)) == dict(reference.graph.nodes(data=True))
    assert list(pack.graph.edges(keys=True, data=True)) == list(reference.graph.edges(keys=True, data=True))


@LOADERS
@pytest.mark.parametrize("content, line, col", [
    (b"\xff- id: a\n", 1, 1),
    (b"- id: a\n  name: A\n  summary: caf\xe9\n", 3, 15),
    (b"- id: a\n  name: \xc3\n", 2, 9),
    (b"- id: a\n  name: \xed\xa0\x80\n", 2, 9),  # an encoded surrogate
    (b"\xef\xbb\xbf- id: a\n  name: A\n\x80\n", 3, 1),  # after a BOM
])
def test_invalid_utf8_is_bad_encoding_at_the_byte_line(tmp_path, use_c, content, line, col):
    pack = load(tmp_path, content, use_c)
    problems = [(p.code, p.line, p.col) for p in pack.errors]
    assert problems == [("bad-encoding", line, col)]


@LOADERS
def test_invalid_utf16_line_counts_characters_not_bytes(tmp_path, use_c):
    """上 is 0A 4E in UTF-16-LE: a line count over raw bytes would see a newline in it."""
    content = "- id: 上上\n  name: 上\n  summary: ".encode("utf-16") + b"\x00\xdc" + "x\n".encode("utf-16-le")
    pack = load(tmp_path, content, use_c)
    assert errors(pack) == [("bad-encoding", 3)]


@LOADERS
@pytest.mark.parametrize("char", ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x9b", "\ufeff", "\ufffe", "\uffff"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_control_character_is_bad_encoding_at_its_line(tmp_path, use_c, char, encoding):
    text = CONCEPT + "  name_zh: 上" + char + "\n"
    pack = load(tmp_path, text.encode(encoding, "surrogatepass"), use_c)
    problems = [(p.code, p.line, p.col) for p in pack.errors]
    assert problems == [("bad-encoding", 5, 13)], pack.problems
    assert f"U+{ord(char):04X}" in pack.errors[0].message


def test_decode_never_raises_on_odd_byte_counts():
    for data in (b"\xff\xfe\x41", b"\x00", b"\x00A\x00", codecs_bom_utf32() + b"\x00"):
        text, problems = decode(data, "f")
        assert (text is None) == bool(problems)


def codecs_bom_utf32():
    import codecs

    return codecs.BOM_UTF32_LE


# --- documents and shapes -------------------------------------------------------------------------

@LOADERS
@pytest.mark.parametrize("text, expected", [
    (CONCEPT + "---\n" + CONCEPT, [("multiple-documents", 5)]),
    ("--- \n" + CONCEPT + "...\n--- \n- x\n", [("multiple-documents", 7)]),
    ("a\n--- b\n", [("multiple-documents", 2)]),
    ("hello\n", [("bad-shape", 1)]),
    ("'quoted text'\n", [("bad-shape", 1)]),
    ("- a\n- b\n", [("bad-shape", 1), ("bad-shape", 2)]),
    ("name: A\nkind: concept\n", [("bad-shape", 1)]),
    ("concepts: hello\n", [("bad-shape", 1)]),
    ("[a: \n", None),
])
def test_wrong_documents_are_clear_problems(tmp_path, use_c, text, expected):
    pack = load(tmp_path, text, use_c)
    if expected is None:
        assert [code for code, _ in errors(pack)] == ["yaml-syntax"]
    else:
        assert errors(pack) == expected


@LOADERS
@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n", "---\n", "--- \n...\n", "\ufeff"])
def test_empty_files_are_reported(tmp_path, use_c, text):
    pack = load(tmp_path, text, use_c)
    assert found(pack) == [("empty-file", 1)]


@LOADERS
def test_one_broken_file_does_not_hide_the_others(tmp_path, use_c):
    write(tmp_path, "- !!python/name:os.system x\n", "a.yaml")
    write(tmp_path, b"\xff", "b.yaml")
    write(tmp_path, concept("good"), "c.yaml")
    write(tmp_path, "&x [*x]", "d.yaml")
    pack = load_pack(tmp_path, use_c=use_c)
    assert [(p.path.rsplit("/", 1)[-1], p.code) for p in pack.errors] == [
        ("a.yaml", "forbidden-tag"), ("b.yaml", "bad-encoding"), ("d.yaml", "anchor-alias")]
    assert list(pack.graph) == ["good"]


# --- special files --------------------------------------------------------------------------------

@LOADERS
@pytest.mark.parametrize("special", ["fifo", "dev-zero"])
def test_special_files_are_refused_without_blocking(tmp_path, use_c, special):
    """A pipe or a link to /dev/zero named like a YAML file must neither hang nor fill memory."""
    import os
    import threading

    write(tmp_path, CONCEPT, "a.yaml")
    if special == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(tmp_path / "z.yaml")
    else:
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        os.symlink("/dev/zero", tmp_path / "z.yaml")
    result = []
    worker = threading.Thread(target=lambda: result.append(load_pack(tmp_path, limits=Limits(max_file_bytes=1000), use_c=use_c)),
                              daemon=True)
    worker.start()
    worker.join(20)
    assert result, "loading blocked on a special file"
    assert [(p.path.rsplit("/", 1)[-1], p.code) for p in result[0].errors] == [("z.yaml", "io-error")]


def test_a_flood_of_problems_is_capped_per_file(tmp_path):
    from kg.pack import MAX_PROBLEMS_PER_FILE

    (tmp_path / "flood.yaml").write_text("{" + ", ".join(["a: b"] * 5000) + "}\n", encoding="utf-8")
    problems = load_pack(tmp_path).problems
    listed = [p for p in problems if not p.summary]
    assert len(listed) == MAX_PROBLEMS_PER_FILE
    assert [p for p in problems if p.summary]  # the rest are counted (one record per code, with its severity)
    assert all("problems not listed:" in p.message for p in problems if p.summary)
