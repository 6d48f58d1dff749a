"""One failing fixture per problem code, asserting the exact code and line."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg import CODES, Limits, load_pack

FIXTURES = Path(__file__).parent / "fixtures" / "codes"
EXPECT = re.compile(rb"# expect: ([a-z0-9-]+) (\d+)")
SPECIAL_LIMITS = {"limit-exceeded": Limits(max_file_bytes=1000)}


#: The codes of a refused .zip pack have a zip as their fixture (its comment says what to expect).
ZIP_CODES = ("unsafe-archive", "archive-too-large", "bad-archive")


def fixture(code: str) -> Path:
    return FIXTURES / f"{code}{'.zip' if code in ZIP_CODES else '.yaml'}"


def expectation(code: str) -> int:
    match = EXPECT.search(fixture(code).read_bytes())
    assert match and match.group(1).decode() == code, f"fixture {fixture(code).name} must hold '# expect: {code} LINE'"
    return int(match.group(2))


def test_every_code_has_a_fixture():
    assert sorted(p.stem for p in [*FIXTURES.glob("*.yaml"), *FIXTURES.glob("*.zip")]) == sorted(CODES)
    assert sorted(p.stem for p in FIXTURES.glob("*.zip")) == sorted(ZIP_CODES)


@pytest.mark.parametrize("use_c", [True, False], ids=["libyaml", "pure"])
@pytest.mark.parametrize("code", sorted(CODES))
def test_fixture_reports_its_code_at_its_line(code, use_c):
    line = expectation(code)
    path = fixture(code)
    if code == "io-error":
        path = FIXTURES / "no-such-pack"
    pack = load_pack(path, limits=SPECIAL_LIMITS.get(code, Limits()), use_c=use_c)
    found = [(p.code, p.line) for p in pack.problems]
    assert (code, line) in found, found
    # Nothing unexpected: a fixture demonstrates one problem (cycles also imply nothing else).
    others = {c for c, _ in found} - {code}
    assert not others, f"{code}.yaml also reports {others}"


def test_unknown_target_suggests_the_closest_id():
    pack = load_pack(FIXTURES / "unknown-target.yaml")
    (problem,) = [p for p in pack.problems if p.code == "unknown-target"]
    assert problem.hint == "did you mean 'batch-normalization'?"
    assert problem.col == 14


def test_unknown_field_suggests_the_field():
    pack = load_pack(FIXTURES / "unknown-field.yaml")
    (problem,) = pack.problems
    assert problem.hint == "did you mean 'summary'?"


def test_duplicate_id_names_both_places():
    pack = load_pack(FIXTURES / "duplicate-id.yaml")
    (problem,) = pack.problems
    assert "duplicate-id.yaml:2" in problem.message


def test_duplicate_key_names_the_first_line():
    (problem,) = load_pack(FIXTURES / "duplicate-key.yaml").problems
    assert "line 3" in problem.message


def test_study_cycle_is_printed_as_a_path_with_file_lines():
    (problem,) = load_pack(FIXTURES / "study-cycle.yaml").problems
    assert problem.message == "cycle: a -[requires]-> c -[requires]-> b <-[used-in]- a"
    for line in (8, 9, 22):
        assert f"study-cycle.yaml:{line}" in problem.hint


def test_variant_cycle_is_not_also_reported_as_a_study_cycle():
    codes = [p.code for p in load_pack(FIXTURES / "variant-cycle.yaml").problems]
    assert codes == ["variant-cycle"]


def test_bad_id_hint_proposes_kebab_case():
    (problem,) = load_pack(FIXTURES / "bad-id.yaml").problems
    assert problem.hint == "did you mean 'batch-norm'?"


def test_problem_format_is_compiler_style():
    (problem,) = load_pack(FIXTURES / "self-loop.yaml").problems
    first_line = problem.format().splitlines()[0]
    assert re.fullmatch(r".+self-loop\.yaml:8:14: error self-loop: 'a' requires itself", first_line), first_line


def test_problems_are_collected_not_thrown(tmp_path):
    text = (FIXTURES / "unknown-field.yaml").read_text().replace("sumary", "sumary: x\n  colour")
    (tmp_path / "a.yaml").write_text(text + "\n- id: c\n  name: C\n  kind: nonsense\n  summary: S.\n")
    codes = sorted(p.code for p in load_pack(tmp_path).problems)
    assert codes.count("unknown-field") == 2 and "unknown-kind" in codes


def test_unknown_target_hint_in_a_large_pack(tmp_path):
    # Above 200 ids the hint comes from rapidfuzz instead of difflib; both paths must work.
    lines = [f"- {{id: c{i}, name: C{i}, name_zh: 甲, kind: concept, summary: S., summary_zh: 摘要。, requires: [c{i + 1}]}}" for i in range(250)]
    lines.append("- {id: c250, name: Last, name_zh: 乙, kind: concept, summary: S., summary_zh: 摘要。, requires: [batch-normalisation]}")
    lines.append("- {id: batch-normalization, name: BN, name_zh: 丙, kind: concept, summary: S., summary_zh: 摘要。}")
    (tmp_path / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = [p for p in load_pack(tmp_path).problems if p.code == "unknown-target"]
    assert problem.hint == "did you mean 'batch-normalization'?" and problem.line == 251
