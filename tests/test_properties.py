"""Property-based tests of the loader and queries (Hypothesis).

* arbitrary bytes and YAML-ish text only ever give problem records;
* a generated valid pack written with ``yaml.safe_dump`` loads back identical;
* reordering concepts or files changes nothing in the graph or in query answers;
* hostile files stay within a time and memory bound.
"""
from __future__ import annotations

import random
import shutil
import unicodedata
import tempfile
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.pack import load_pack
from kg.problems import CODES, Problem
from kg.queries import connect, fringe, related, study_order
from kg.schema import KINDS, TARGET_FIRST
from kg.search import search
from kg.yamlsafe import decode, parse, to_plain

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fresh_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="kg-prop-"))


def check_problems(problems, path_name=None):
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.code in CODES
        assert problem.line >= 1 and problem.col >= 1
        if path_name:
            assert Path(problem.path).name == path_name


# --- anything in, only problem records out --------------------------------------------------------

YAMLISH_TOKENS = list("-:[]{}?&*!|>'\"#%@`,.\n \t\r~abcxyz0129_/\\") + [
    "上", "\x85", "\u2028", "\ufeff", "\x00", "id", "name", "kind", "summary", "requires", "- id: a\n", "  ", "\n- ",
    "---", "...", "!!str", "!!python/name:os.system", "&a", "*a", "<<", "%YAML 1.1\n"]
YAMLISH = st.lists(st.sampled_from(YAMLISH_TOKENS), max_size=120).map("".join)


@FAST
@given(data=st.binary(max_size=3000), use_c=st.booleans())
def test_arbitrary_bytes_only_give_problems(data, use_c):
    folder = fresh_folder()
    try:
        (folder / "p.yaml").write_bytes(data)
        pack = load_pack(folder, use_c=use_c)
        check_problems(pack.problems, "p.yaml")
    finally:
        shutil.rmtree(folder)


@settings(max_examples=300, deadline=None)
@given(text=YAMLISH)
def test_yamlish_text_only_gives_problems_and_both_parsers_agree(text):
    results = []
    for use_c in (True, False):
        decoded, problems = decode(text.encode("utf-8", "surrogatepass"), "f.yaml")
        check_problems(problems)
        if decoded is None:
            return
        document = parse(decoded, "f.yaml", use_c=use_c)
        check_problems(document.problems)
        results.append(document)
    fast, slow = results
    if fast.data is not None and slow.data is not None:
        assert to_plain(fast.data) == to_plain(slow.data)


@settings(max_examples=40, deadline=None)
@given(text=YAMLISH, use_c=st.booleans())
def test_yamlish_pack_files_only_give_problems(text, use_c):
    folder = fresh_folder()
    try:
        (folder / "p.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        check_problems(load_pack(folder, use_c=use_c).problems, "p.yaml")
    finally:
        shutil.rmtree(folder)




# --- generated valid packs ------------------------------------------------------------------------

# YAML folds U+0085, U+2028 and U+2029 into line breaks when they are written raw (safe_dump with
# allow_unicode=True does so), and C0/C1 controls and surrogates cannot appear in a file at all.
TEXT_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
TEXT = st.lists(st.one_of(TEXT_CHARS, st.sampled_from(["上", "é", " ", "\n", ": ", " #", "'", '"', "- ", "yes", "~", "0123", "<script>"])),
                min_size=1, max_size=12).map("".join).filter(lambda s: s.strip())
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40).filter(lambda s: s.strip())
WHY = st.lists(st.text(alphabet=TEXT_CHARS.filter(lambda c: not c.isspace()), min_size=1, max_size=8), max_size=5).map(" ".join)


@st.composite
def packs(draw, text=TEXT, max_concepts=8):
    """A valid, acyclic pack: a list of concept dicts as they would be written."""
    count = draw(st.integers(1, max_concepts))
    ids = draw(st.lists(st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True), min_size=count, max_size=count, unique=True))
    concepts = []
    # Names and aliases start with the concept's id (and a marker no id has), so that they never name another
    # concept: that is a name-collision error, tested in test_hostile.py.
    named = text.map(lambda value: value)
    for rank, node in enumerate(ids):
        concept = {"id": node, "name": f"{node}·" + draw(named), "kind": draw(st.sampled_from(sorted(KINDS))), "summary": draw(text)}
        if draw(st.booleans()):
            concept["name_zh"] = f"{node}·中" + draw(named)
        if draw(st.booleans()):
            concept["summary_zh"] = draw(text)
        if draw(st.booleans()):
            concept["aliases"] = [f"{node}·" + alias for alias in draw(st.lists(named, max_size=3))]
        if draw(st.booleans()):
            concept["tags"] = draw(st.lists(text, max_size=3))
        if draw(st.booleans()):
            concept["section"] = draw(st.from_regex(r"[0-9]{1,2}(\.[0-9]{1,2}){0,2}", fullmatch=True))
        if draw(st.booleans()):
            concept["minutes"] = draw(st.integers(1, 100000))
        if draw(st.booleans()):
            ref = {"title": draw(text)}
            if draw(st.booleans()):
                ref["authors"] = draw(st.lists(text, min_size=1, max_size=3))
            if draw(st.booleans()):
                ref["year"] = draw(st.integers(1600, 2100))
            if draw(st.booleans()):
                ref["url"] = "https://example.org/" + draw(st.from_regex(r"[a-z0-9/._-]{0,20}", fullmatch=True))
            concept["refs"] = [ref]
        if draw(st.booleans()):
            question = {"q": draw(text), "a": draw(text)}
            if draw(st.booleans()):
                question["q_zh"] = draw(text)
            concept["questions"] = [question]
        # Edges keep the study graph acyclic: targets that come first in study order have a lower rank.
        for edge_type, target_first in TARGET_FIRST.items():
            pool = ids[:rank] if target_first else ids[rank + 1:]
            if pool and draw(st.booleans()):
                targets = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
                concept[edge_type] = [target if not draw(st.booleans()) else {"to": target, "why": draw(WHY)} for target in targets]
        concepts.append(concept)
    return concepts


def expected_nodes(concepts):
    """The node data a pack of these concepts loads to: text fields and lists of text come back NFC-normalised."""
    def normal(key, value):
        if key in ("name", "name_zh", "summary", "summary_zh"):
            return unicodedata.normalize("NFC", value)
        if key in ("aliases", "tags"):
            return [unicodedata.normalize("NFC", item) for item in value]
        return value

    nodes = {}
    for concept in concepts:
        nodes[concept["id"]] = {key: normal(key, value) for key, value in concept.items() if key not in TARGET_FIRST}
    return nodes


def expected_edges(concepts):
    edges = set()
    for concept in concepts:
        for edge_type in TARGET_FIRST:
            for entry in concept.get(edge_type, []):
                target, why = (entry, "") if isinstance(entry, str) else (entry["to"], entry["why"])
                edges.add((concept["id"], target, edge_type, why))
    return edges


def write_pack(folder: Path, concepts, files=1, *, allow_unicode=True, order=None):
    folder.mkdir(parents=True, exist_ok=True)
    chunks = [concepts[i::files] for i in range(files)]
    names = [f"{number:02d}.yaml" for number in range(files)]
    if order is not None:
        names = [names[i] for i in order]
    for name, chunk in zip(names, chunks):
        if chunk:
            (folder / name).write_text(yaml.safe_dump(chunk, allow_unicode=allow_unicode, sort_keys=False), encoding="utf-8")
    return folder


def loaded_edges(pack):
    return {(s, t, data["type"], data["why"]) for s, t, data in pack.graph.edges(data=True)}


@FAST
@given(concepts=packs(), use_c=st.booleans(), files=st.integers(1, 3))
def test_generated_pack_round_trips(concepts, use_c, files):
    folder = fresh_folder()
    try:
        pack = load_pack(write_pack(folder, concepts, files), use_c=use_c)
        assert [p for p in pack.problems if p.severity == "error"] == []
        assert dict(pack.graph.nodes(data=True)) == expected_nodes(concepts)
        assert loaded_edges(pack) == expected_edges(concepts)
    finally:
        shutil.rmtree(folder)


@settings(max_examples=40, deadline=None)
@given(concepts=packs(text=ANY_TEXT, max_concepts=3), use_c=st.booleans())
def test_any_text_round_trips_when_written_escaped(concepts, use_c):
    """With allow_unicode=False every character, U+0085 and controls included, is escaped and survives."""
    folder = fresh_folder()
    try:
        pack = load_pack(write_pack(folder, concepts, allow_unicode=False), use_c=use_c)
        assert dict(pack.graph.nodes(data=True)) == expected_nodes(concepts)
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize("use_c", [True, False], ids=["libyaml", "pure"])
def test_nel_written_raw_is_folded_as_yaml_says(tmp_path, use_c):
    """Why the generator above leaves out U+0085: safe_dump(allow_unicode=True) writes it raw, and YAML reads a line break."""
    concept = {"id": "a", "name": "A\x85B", "kind": "concept", "summary": "S."}
    written = yaml.safe_dump([concept], allow_unicode=True)
    assert "\x85" in written
    (tmp_path / "p.yaml").write_text(written, encoding="utf-8")
    assert load_pack(tmp_path, use_c=use_c).graph.nodes["a"]["name"] == yaml.safe_load(written)[0]["name"] != "A\x85B"


def answers(pack, rng_seed):
    """Every query's answer on a pack, as plain data."""
    rng = random.Random(rng_seed)
    nodes = sorted(pack.graph)
    known = rng.sample(nodes, k=len(nodes) // 2)
    result = {"fringe": fringe(pack, known)}
    for node in nodes:
        plan = study_order(pack, [node])
        result[f"order {node}"] = [(s.id, s.minutes, s.reason, s.is_target) for s in plan.steps]
        plan = study_order(pack, [node], known)
        result[f"order {node} known"] = [(s.id, s.reason) for s in plan.steps]
        result[f"related {node}"] = [(r.neighbour, r.edge, r.direction, r.distance, r.why) for r in related(pack, node, depth=2)]
        result[f"search {node}"] = [(h.id, h.score, h.matched) for h in search(pack, pack.graph.nodes[node]["name"])]
        other = rng.choice(nodes)
        result[f"connect {node} {other}"] = connect(pack, node, other)
    return result


@settings(max_examples=40, deadline=None)
@given(concepts=packs(), files=st.integers(1, 3), seed=st.integers(0, 2**16), use_c=st.booleans(), data=st.data())
def test_reordering_concepts_or_files_changes_nothing(concepts, files, seed, use_c, data):
    shuffled = data.draw(st.permutations(concepts))
    file_order = data.draw(st.permutations(range(files)))
    root = fresh_folder()
    try:
        first = load_pack(write_pack(root / "first", concepts, files), use_c=use_c)
        second = load_pack(write_pack(root / "second", shuffled, files, order=file_order), use_c=use_c)
        assert list(first.graph.nodes(data=True)) == list(second.graph.nodes(data=True))
        assert list(first.graph.edges(keys=True, data=True)) == list(second.graph.edges(keys=True, data=True))
        assert sorted((p.code, p.message) for p in first.problems) == sorted((p.code, p.message) for p in second.problems)
        assert answers(first, seed) == answers(second, seed)
    finally:
        shutil.rmtree(root)


# --- time and memory ------------------------------------------------------------------------------

MB = 1024 * 1024


def hostile(kind: str, size: int) -> str:
    if kind == "flow-duplicates":
        return "{" + "a: b, " * (size // 6) + "}"
    if kind == "flow-keys":
        return "{" + ", ".join(f"k{i}: v" for i in range(size // 10)) + "}"
    if kind == "many-items":
        return "- a\n" * (size // 4)
    if kind == "many-concepts":
        one = "- id: c{}\n  name: N\n  kind: concept\n  summary: S.\n  requires: [c0]\n"
        return "".join(one.format(i) for i in range(size // 70))
    if kind == "brackets":
        return "[" * size
    if kind == "long-scalar":
        return "a: " + "x" * size
    if kind == "anchors":
        return "&a " * (size // 3)
    if kind == "newlines":
        return "\n" * size
    raise AssertionError(kind)


HOSTILE = ["flow-duplicates", "flow-keys", "many-items", "many-concepts", "brackets", "long-scalar", "anchors", "newlines"]


@pytest.mark.parametrize("use_c, size", [(True, MB), (False, 100 * 1024)], ids=["libyaml-1MB", "pure-100KB"])
@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_file_loads_with_located_problems(tmp_path, kind, use_c, size):
    """libyaml: a 1 MB hostile file; the pure-Python parser is ten times slower, so 100 KB. (How fast: the benchmark.)"""
    (tmp_path / "p.yaml").write_text(hostile(kind, size), encoding="utf-8")
    pack = load_pack(tmp_path, use_c=use_c)
    check_problems(pack.problems[:100], "p.yaml")


MEMORY_PROBE = """
import resource, sys
from pathlib import Path
from kg.pack import load_pack
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
load_pack(Path(sys.argv[1]), use_c=sys.argv[2] == "c")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


@pytest.mark.parametrize("kind", ["flow-duplicates", "many-items", "many-concepts", "brackets", "long-scalar"])
def test_hostile_file_stays_within_memory(tmp_path, kind):
    """A 1 MB hostile file costs under 200 MB (peak resident size, measured in a fresh process)."""
    resource = pytest.importorskip("resource")
    import subprocess
    import sys

    (tmp_path / "p.yaml").write_text(hostile(kind, MB), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(tmp_path), "c"], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stderr
    grown_kb = int(result.stdout.strip())  # ru_maxrss is in KB on Linux (bytes on macOS: then the bound is only stricter)
    assert grown_kb * 1024 < 200 * MB, f"{kind}: {grown_kb // 1024} MB"


def test_tracemalloc_bound_on_a_typical_pack(tmp_path):
    """Python-level allocations of a 256 KB pack of concepts stay far below 200 MB (tracemalloc)."""
    (tmp_path / "p.yaml").write_text(hostile("many-concepts", 256 * 1024), encoding="utf-8")
    tracemalloc.start()
    try:
        load_pack(tmp_path, use_c=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * MB / 4, f"{peak / MB:.0f} MB"


def test_file_over_the_limit_is_not_read(tmp_path):
    """The size check comes before reading: a 6 MB file costs no memory for its content."""
    (tmp_path / "p.yaml").write_bytes(b"- a\n" * (6 * MB // 4))
    tracemalloc.start()
    try:
        pack = load_pack(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.code for p in pack.problems] == ["limit-exceeded"]
    assert peak < 2 * MB
