"""Loading a concept pack from disk into a checked NetworkX graph.

>>> pack = load_pack(default_pack_path())
>>> pack.graph.number_of_nodes() > 100
True
>>> pack.resolve("ReLU")
'relu'
"""
from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import networkx as nx

from .checks import graph_problems
from .errors import PackError, UnknownConcept
from .perf import gc_paused
from .problems import Phrase, Problem, not_listed_by_code, os_reason, problem, sort_problems
from .schema import EDGE_TYPES, TARGET_FIRST, section_key
from .search import SearchIndex

if TYPE_CHECKING:
    from .validate import RawConcept

YAML_SUFFIXES = (".yaml", ".yml")
EDGE_TYPE_NAMES = {name: name for name in EDGE_TYPES}


@dataclass(frozen=True)
class Limits:
    """Resource limits applied before the expensive step of loading a pack."""

    max_file_bytes: int = 5 * 1024 * 1024
    max_pack_bytes: int = 512 * 1024 * 1024
    max_files: int = 10_000
    max_depth: int = 32
    #: Typed edges written in the whole pack (contrasts included). Each one costs about 1 KB once in the
    #: graph: 15 MB of short edge lists (2 million edges) took 42 s and 2.6 GB. The 100,000-concept
    #: synthetic pack has 350,000; the app lowers it for uploads (:class:`kg.unpack.UploadLimits`).
    max_edges: int = 500_000


def default_pack_path() -> Path:
    """The shipped ``graph/``: next to the package in a checkout, inside it in a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "graph", here.parent / "graph"):
        if candidate.is_dir():
            return candidate
    raise PackError(f"the shipped graph was not found next to {here}")


def find_pack_files(root: Path, limits: Limits = Limits()) -> tuple[list[Path], list[Problem]]:
    """The YAML files of a pack in sorted order, skipping hidden folders and symlinked folders."""
    problems: list[Problem] = []
    if root.is_file():
        return [root], problems
    if not root.is_dir():
        return [], [problem("io-error", (str(root), 1, 1), reason=_what_it_is(root))]
    files: list[Path] = []
    real_root = root.resolve()
    for folder, dirs, names in os.walk(root, onerror=lambda err: problems.append(
            problem("io-error", (str(err.filename or root), 1, 1), reason=os_reason(err)))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                file = Path(folder) / name
                if file.is_symlink() and not _inside(file, real_root):
                    # A link is followed only within the pack: a shared pack could otherwise read any file on disk.
                    problems.append(problem("io-error", (str(file), 1, 1), reason=Phrase("link-outside-pack")))
                    continue
                files.append(file)
    files.sort()
    if len(files) > limits.max_files:
        problems.append(problem("limit-exceeded", (str(root), 1, 1), subject=Phrase("the-pack"), limit=limits.max_files,
                                unit=Phrase("unit-files"), consequence=Phrase("later-files-skipped")))
        files = files[: limits.max_files]
    return files, problems


def _inside(file: Path, real_root: Path) -> bool:
    try:
        return file.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # a loop of links
        return False


def _what_it_is(path: Path) -> str:
    """Why a --graph path is not a pack: missing, a pipe, a device, a socket (a phrase), or the system's reason."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return Phrase("no-such-path")
    except OSError as err:
        return os_reason(err)
    if stat.S_ISFIFO(mode):
        return Phrase("fifo")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Phrase("device")
    if stat.S_ISSOCK(mode):
        return Phrase("socket")
    return Phrase("not-file-or-folder")


@dataclass
class Pack:
    """A loaded pack: the concept graph as written, its study order and every problem found."""

    root: Path
    graph: nx.MultiDiGraph
    problems: list[Problem]
    files: list[Path] = field(default_factory=list)
    header: dict = field(default_factory=dict)
    #: concept id -> (path, line, col) where it is defined
    where: dict = field(default_factory=dict)
    #: (source, type, target) -> (path, line, col) where the edge is written
    edge_where: dict = field(default_factory=dict)
    #: curriculum assertions (:class:`kg.expect.Expectation`) from every file's ``expect:``
    expectations: list = field(default_factory=list)
    #: (a, b) with a < b -> (path, line, col) where the ``contrasts`` entry of the pair is written
    contrast_where: dict = field(default_factory=dict)

    # Derived data, computed on first use and kept on the Pack. Pickling (the load cache) keeps the
    # study graph, which every query needs and which costs more to rebuild than to read back, and
    # drops the rest: the search index is large and only `kg search` and suggestions use it.
    _NOT_PICKLED = ("search_index", "_names")
    _DERIVED = ("study", *_NOT_PICKLED)

    @cached_property
    def study(self) -> nx.DiGraph:
        """The study graph: an edge u -> v means learn u before v; ``via`` lists the written edges."""
        return study_graph(self.graph)

    @cached_property
    def search_index(self) -> SearchIndex:
        """The ranked name index behind :func:`kg.search.search` and the suggestions of :meth:`resolve`."""
        return SearchIndex(self)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for name in self._NOT_PICKLED:
            state.pop(name, None)
        return state

    def clear_derived(self) -> None:
        """Forget every derived structure (they are rebuilt on next use), e.g. to time building them."""
        for name in self._DERIVED:
            self.__dict__.pop(name, None)

    @cached_property
    def _names(self) -> dict[str, str]:
        # Names before aliases: an alias that is another concept's name (a name-collision error) never takes it over.
        names: dict[str, str] = {}
        nodes = self.graph.nodes(data=True)
        for node, data in nodes:
            for label in (data.get("name"), data.get("name_zh")):
                if label:
                    names.setdefault(label.casefold(), node)
        for node, data in nodes:
            for label in data.get("aliases", ()):
                if label:
                    names.setdefault(label.casefold(), node)
        return names

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def resolve(self, name: str) -> str:
        """The id of the concept named by id, English or Chinese name, or alias (case-insensitive).

        Raises :class:`UnknownConcept`, with suggestions, when nothing matches.
        """
        if name in self.graph:
            return name
        name = unicodedata.normalize("NFC", name)  # names are NFC in the pack; the query may come decomposed
        found = self._names.get(name.strip().casefold())
        if found is not None:
            return found
        lowered = name.strip().lower()
        if lowered in self.graph:
            return lowered
        suggestions = [hit.id for hit in self.search_index.search(name, 5)]
        raise UnknownConcept(name, suggestions)

    def concept(self, name: str) -> dict:
        """All fields of one concept, with its id."""
        node = self.resolve(name)
        return {"id": node, **self.graph.nodes[node]}

    def section_name(self, section: str | None, lang: str = "en") -> str:
        """The name of a guide section from the header's ``sections:``, in ``lang`` (falling back to English); "" if unnamed.

        >>> pack = load_pack()
        >>> pack.section_name("7", "en"), pack.section_name("16", "zh"), pack.section_name("99")
        ('Loss functions', '经典机器学习', '')
        """
        names = self.header.get("sections", {}).get(section or "", {})
        from .text import field_text

        return field_text(names, "name", lang)

    def contrasts(self, node: str) -> list[dict]:
        """The concept's ``contrasts`` from either side: ``[{"to": other, "how": ..., "how_zh": ...}]``, sorted."""
        return self.graph.nodes[node].get("contrasts", [])

    def order_key(self, node: str) -> tuple:
        """Guide order, then English name: the tie-break of every listing."""
        data = self.graph.nodes[node]
        return (section_key(data.get("section")), data.get("name", node).casefold(), node)


def study_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The study order as a DiGraph (see ``kg.schema.TARGET_FIRST``); ``via`` lists the written edges behind each."""
    with gc_paused():
        study = nx.DiGraph()
        study.add_nodes_from(graph)
        via: dict[tuple[str, str], list] = {}
        for source, target, edge_type in graph.edges(keys=True):
            pair = (target, source) if TARGET_FIRST[edge_type] else (source, target)
            via.setdefault(pair, []).append((source, edge_type, target))
        study.add_edges_from((before, after, {"via": edges}) for (before, after), edges in via.items())
    return study


def load_pack(path: str | os.PathLike | None = None, *, limits: Limits = Limits(), use_c: bool = True,
              shown_as: str | None = None) -> Pack:
    """Load, validate and check a pack. Bad content never raises: it becomes ``pack.problems``.

    Parameters
    ----------
    path : path-like, optional
        A pack folder, one YAML file or a ``.zip`` of a pack (unpacked as the app unpacks an upload,
        :mod:`kg.unpack`); the shipped graph when omitted.
    limits : Limits
        File size, pack size, file count and nesting depth limits.
    use_c : bool
        Parse with libyaml when available (the pure-Python parser gives the same result).
    shown_as : str, optional
        The name problems give the pack's path (a file's own name, or a folder name its files are
        shown under; "" shows them relative to the pack's folder); by default paths are shown
        relative to the working folder when inside it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.yaml").write_text("- id: a\\n  name: A\\n  kind: concept\\n  summary: S.\\n  requires: [b]\\n")
    >>> pack = load_pack(folder)
    >>> [(p.line, p.code) for p in pack.problems if p.severity == "error"]
    [(5, 'unknown-target')]
    """
    root = Path(path) if path is not None else default_pack_path()
    if root.suffix.lower() == ".zip" and root.is_file():
        return _load_zip(root, limits, use_c, shown_as)
    with gc_paused():
        pack, budget, read = _load(root, limits, use_c, shown_as)  # read, parse, validate, build the graph
        problems = [*pack.problems, *graph_problems(pack)]  # then the whole-graph checks
        # The files' problems were budgeted as they were read; the rest are budgeted here, then summarised.
        pack.problems = sort_problems(problems[:read] + budget.keep(problems[read:]) + budget.summaries())
    return pack


def _load_zip(archive: Path, limits: Limits, use_c: bool, shown_as: str | None) -> Pack:
    """A zipped pack, unpacked as the app unpacks an upload (:func:`kg.unpack.extract_zip`: the whole archive is
    refused when unsafe or too large, a problem located at the archive) into a temporary folder, and loaded
    with its files shown under the archive's name (``pack.zip/pack/a.yaml``)."""
    import tempfile

    from .unpack import UnsafeArchive, ZipLimits, extract_zip

    shown = shown_as or _shown_path(archive, archive)
    zip_limits = ZipLimits(max_member_bytes=limits.max_file_bytes)
    try:
        with os.fdopen(os.open(archive, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as stream:
            data = stream.read(zip_limits.max_archive_bytes + 1)  # one byte past the limit is enough to refuse it
    except OSError as err:
        return Pack(archive, nx.MultiDiGraph(), [problem("io-error", (shown, 1, 1), reason=os_reason(err))])
    with tempfile.TemporaryDirectory(prefix="kg-zip-") as folder:
        try:
            extract_zip(data, Path(folder), zip_limits, name=shown)
        except UnsafeArchive as refusal:
            return Pack(archive, nx.MultiDiGraph(), [refusal.problem])
        pack = load_pack(folder, limits=limits, use_c=use_c, shown_as=shown)
    pack.root = archive
    pack.files = [archive / Path(file).relative_to(folder) for file in pack.files]  # the unpacked files are gone
    return pack


#: Problems kept per file; past this one limit-exceeded record stands for the rest (a hostile file can make millions),
#: and once a file has this many errors its remaining entries are not checked (nor loaded).
MAX_PROBLEMS_PER_FILE = 1000
#: Error records made per pack before the remaining files are not read at all (a compiler's error limit): 2,000
#: files of 1,000 problems each are a pack nobody fixes by reading the four-millionth record, and making them cost
#: seconds per million. Problems that are only counted (see :meth:`kg.checks.ProblemBudget.drop`) cost nothing.
MAX_PROBLEMS_PER_PACK = 100_000


def _load(root: Path, limits: Limits, use_c: bool, shown_as: str | None) -> tuple[Pack, "ProblemBudget", int]:
    # Imported here, not at the top: a pack read back from the cache needs none of the parsing machinery,
    # and `kg order` on a warm cache should start as fast as `import networkx, yaml`.
    from .validate import concepts_from_document
    from .yamlsafe import decode, parse

    from .checks import ProblemBudget

    files, problems = find_pack_files(root, limits)
    budget = ProblemBudget()
    concepts: list[tuple[str, RawConcept]] = []
    expectations: list = []
    header: dict = {}
    total = made = edges = 0
    for number, file in enumerate(files):
        shown = _shown_path(file, root, shown_as)
        if made >= MAX_PROBLEMS_PER_PACK:
            problems.append(problem("limit-exceeded", (shown, 1, 1), subject=Phrase("the-pack"), limit=MAX_PROBLEMS_PER_PACK,
                                    unit=Phrase("unit-errors"), consequence=Phrase("files-not-read"), later=len(files) - number - 1))
            break
        found: list[Problem] = []
        stopped: list[tuple[int, int, int]] = []
        data = _read_limited(file, shown, limits, found)
        if data is not None:
            total += len(data)
            if total > limits.max_pack_bytes:
                problems.append(problem("limit-exceeded", (shown, 1, 1), subject=Phrase("the-pack"), limit=limits.max_pack_bytes,
                                        unit=Phrase("unit-bytes"), consequence=Phrase("this-and-later-skipped")))
                break
            text, encoding_problems = decode(data, shown)
            found.extend(encoding_problems)
            if text is not None:
                document = parse(text, shown, max_depth=limits.max_depth, use_c=use_c)
                found.extend(document.problems)
                if document.data is not None:
                    file_concepts, file_header = concepts_from_document(document.data, shown, found, document.position, expectations,
                                                                          budget=budget, stop_after=MAX_PROBLEMS_PER_FILE, stopped=stopped)
                    edges += sum(len(concept.edges) + len(concept.contrasts) for concept in file_concepts)
                    if edges > limits.max_edges:
                        problems.append(problem("limit-exceeded", (shown, 1, 1), subject=Phrase("the-pack"), limit=limits.max_edges,
                                                unit=Phrase("unit-edges"), consequence=Phrase("this-and-later-skipped")))
                        break
                    sections = {**header.get("sections", {}), **file_header.get("sections", {})}
                    header.update(file_header)
                    if sections:
                        header["sections"] = sections
                    concepts.extend((shown, concept) for concept in file_concepts)
                elif not document.problems:
                    found.append(problem("empty-file", (shown, 1, 1)))
        made += sum(1 for found_problem in found if found_problem.severity == "error")
        if len(found) > MAX_PROBLEMS_PER_FILE:
            found = found[:MAX_PROBLEMS_PER_FILE] + not_listed_by_code(found[MAX_PROBLEMS_PER_FILE:])
        for line, col, entries in stopped:
            found.append(problem("limit-exceeded", (shown, line, col), subject=Phrase("the-file"), limit=MAX_PROBLEMS_PER_FILE,
                                 unit=Phrase("unit-errors"), consequence=Phrase("entries-not-loaded"), later=entries - 1))
        problems.extend(budget.keep(found))
    return _assemble(root, files, header, concepts, problems, expectations, budget)


def _read_limited(file: Path, shown: str, limits: Limits, problems: list[Problem]) -> bytes | None:
    """The file's bytes, or None (with a problem) when it is not a regular file or is over the size limit.

    Opened without blocking and checked to be a regular file: a FIFO or a link to /dev/zero must not hang the load.
    """
    try:
        with os.fdopen(os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                problems.append(problem("io-error", (shown, 1, 1), reason=Phrase("not-regular-file")))
                return None
            if info.st_size > limits.max_file_bytes:
                problems.append(problem("limit-exceeded", (shown, 1, 1), subject=Phrase("the-file"), limit=limits.max_file_bytes,
                                        unit=Phrase("unit-bytes"), consequence=Phrase("file-not-read")))
                return None
            data = stream.read(limits.max_file_bytes + 1)  # never more than the limit, even if the file grows meanwhile
    except OSError as err:
        problems.append(problem("io-error", (shown, 1, 1), reason=os_reason(err)))
        return None
    if len(data) > limits.max_file_bytes:
        problems.append(problem("limit-exceeded", (shown, 1, 1), subject=Phrase("the-file"), limit=limits.max_file_bytes,
                                unit=Phrase("unit-bytes"), consequence=Phrase("file-not-read")))
        return None
    return data


def _shown_path(file: Path, root: Path, shown_as: str | None = None) -> str:
    """How problems name ``file`` of the pack at ``root``: under ``shown_as`` when given (the root itself
    is shown as ``shown_as``, a file inside it as ``shown_as/relative/path``), else as a compiler would
    print it, relative to the working folder when inside it.

    >>> _shown_path(Path("/tmp/x/a/b.yaml"), Path("/tmp/x"), "pack.zip"), _shown_path(Path("/tmp/u.yaml"), Path("/tmp/u.yaml"), "mine.yaml")
    ('pack.zip/a/b.yaml', 'mine.yaml')
    """
    if shown_as is not None:  # "" shows the files relative to the root
        if file == root:
            return shown_as or file.name
        try:
            relative = file.relative_to(root).as_posix()
        except ValueError:
            relative = file.name
        return f"{shown_as}/{relative}" if shown_as else relative
    try:
        return str(file.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(file)


def _add_contrasts(graph: nx.MultiDiGraph, defined: dict, problems: list[Problem]) -> dict:
    """Mirror every valid ``contrasts`` entry onto both concepts' ``contrasts`` attribute; where each pair is written.

    A contrast is symmetric and not a study-order edge, so it lives on the nodes rather than among the
    typed edges that every study-order computation walks.
    """
    from .search import Suggester

    contrast_where: dict = {}
    suggest = Suggester(sorted(defined))
    for node in sorted(defined):
        shown, concept = defined[node]
        for contrast in concept.contrasts:
            pair = tuple(sorted((node, contrast.target)))
            if contrast.target == node:
                problems.append(problem("self-loop", (shown, contrast.line, contrast.col), concept=node, field="contrasts"))
            elif contrast.target not in defined:
                problems.append(problem("unknown-target", (shown, contrast.line, contrast.col), field="contrasts", target=contrast.target,
                                        suggestion=suggest.match(contrast.target)))
            elif pair in contrast_where:
                first = contrast_where[pair]
                problems.append(problem("duplicate-contrast", (shown, contrast.line, contrast.col), a=pair[0], b=pair[1], first=f"{first[0]}:{first[1]}"))
            else:
                contrast_where[pair] = (shown, contrast.line, contrast.col)
                other = defined[contrast.target][1].id
                for a, b in ((node, other), (other, node)):
                    graph.nodes[a].setdefault("contrasts", []).append({"to": b, "how": contrast.how, "how_zh": contrast.how_zh})
    for node in graph:
        if "contrasts" in graph.nodes[node]:
            graph.nodes[node]["contrasts"].sort(key=lambda c: c["to"])
    return contrast_where


def _assemble(root, files, header, concepts, problems, expectations=(), budget=None) -> tuple[Pack, "ProblemBudget", int]:
    from .checks import ProblemBudget
    from .search import Suggester

    budget = budget or ProblemBudget()
    read_problems = len(problems)
    defined: dict[str, tuple[str, RawConcept]] = {}
    for shown, concept in concepts:
        first = defined.get(concept.id)
        if first is not None:
            problems.append(problem("duplicate-id", (shown, concept.line, concept.col), id=concept.id, first=f"{first[0]}:{first[1].line}"))
            continue
        defined[concept.id] = (shown, concept)
    graph = nx.MultiDiGraph()
    where, edge_where = {}, {}
    ids = sorted(defined)
    suggest = Suggester(ids)
    graph.add_nodes_from((node, defined[node][1].fields) for node in ids)
    edges = []
    for node in ids:
        shown, concept = defined[node]
        where[node] = (shown, concept.line, concept.col)
        for edge in concept.edges:
            key = (edge.source, edge.type, edge.target)
            if edge.target == edge.source:
                problems.append(problem("self-loop", (shown, edge.line, edge.col), concept=node, field=edge.type))
            elif edge.target not in defined:
                problems.append(problem("unknown-target", (shown, edge.line, edge.col), field=edge.type, target=edge.target,
                                        suggestion=suggest.match(edge.target)))
            elif key in edge_where:
                first_line = edge_where[key][1]
                problems.append(problem("duplicate-edge", (shown, edge.line, edge.col), concept=node, edge_type=edge.type, target=edge.target,
                                        first_line=first_line))
            else:
                # One string object per id and per edge type: the graph's dicts then share them, which
                # saves memory and lets pickle write each once (the warm cache loads ~30% faster).
                source, target, edge_type = node, defined[edge.target][1].id, EDGE_TYPE_NAMES[edge.type]
                edge_where[(source, edge_type, target)] = (shown, edge.line, edge.col)
                data = {"type": edge_type, "why": edge.why}
                if edge.why_zh:
                    data["why_zh"] = edge.why_zh
                edges.append((source, target, edge_type, data))
    edges.sort(key=lambda e: (e[0], e[2], e[1]))
    graph.add_edges_from(edges)
    contrast_where = _add_contrasts(graph, defined, problems)
    return Pack(Path(root), graph, problems, list(files), header, where, edge_where, list(expectations), contrast_where), budget, read_problems


def pack_path_from_args(argv: list[str], environ: Mapping[str, str] = os.environ) -> str | None:
    """The app's pack: ``--graph PATH`` after ``streamlit run app.py --``, else ``$KG_GRAPH``, else None (shipped graph).

    >>> pack_path_from_args(["--graph", "a"], {"KG_GRAPH": "b"}), pack_path_from_args([], {"KG_GRAPH": "b"})
    ('a', 'b')
    >>> pack_path_from_args(["-q", "tests"], {}) is None
    True
    """
    import argparse

    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--graph")
    known, _ = parser.parse_known_args(argv)
    return known.graph or environ.get("KG_GRAPH") or None
