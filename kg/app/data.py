"""Loading (``st.cache_resource``) and the derived data the views draw (``st.cache_data``).

Cached functions take the pack unhashed (``_pack``) with a ``pack_key`` that names it: the path and its
files' fingerprint, or the upload's digest. Nothing here touches session state or draws a widget.
"""
from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import NamedTuple

import streamlit as st

from kg import layout, load_pack, render
from kg.errors import KgError, PackError
from kg.export import EXPORTERS, select_nodes
from kg.learner import open_store
from kg.pack import Limits
from kg.problems import os_reason
from kg.queries import connect, study_order
from kg.quiz import make_quiz
from kg.schema import section_key


MAX_UPLOAD_BYTES = 10 * 1024 * 1024

GRAPH_HEIGHT = 640

#: Most concepts the whole-graph overview draws: closed chapter clusters are cheap, so far above layout.MAX_NODES.
OVERVIEW_MAX = 5000


class Opened(NamedTuple):
    """The pack on screen and where it came from."""

    pack: object  #: the kg Pack, or None when it cannot load
    key: str  #: names the pack in every cache: its path and the files' fingerprint, or the upload's digest
    upload_name: str | None  #: the uploaded file's own name; None for the pack at a path
    error: KgError | None  #: why the pack could not load, said in either language (``md`` shows it in the session's)
    too_large: bool  #: an upload over MAX_UPLOAD_BYTES was set aside (the pack at the path is shown)


def open_pack(path: str, upload) -> Opened:
    """The uploaded pack when there is one (within MAX_UPLOAD_BYTES), else the pack at ``path``; both cached."""
    if upload is not None and upload.size <= MAX_UPLOAD_BYTES:
        blob = upload.getvalue()
        digest = hashlib.sha256(blob).hexdigest()
        pack, error = load_uploaded_pack(upload.name, digest, blob)
        return Opened(pack, f"upload:{digest}", upload.name, error, False)
    fingerprint = pack_fingerprint(path)
    pack, error = load_path_pack(path, fingerprint)
    return Opened(pack, f"path:{fingerprint}", None, error, upload is not None)


def pack_fingerprint(path: str) -> str:
    """Changes when a file of the pack is added, removed or edited, so the cache reloads it (kg.cache's
    fingerprint, the one the command's disk cache uses; a pack that cannot be listed cleanly has none)."""
    from kg.cache import fingerprint

    digest = fingerprint(Path(path))
    return f"{Path(path).resolve()}:{digest.hex() if digest is not None else 'unlisted'}"


def load_failure(shown: str, err: BaseException) -> KgError:
    """Why a pack cannot load, as an error that says it in either language: kg's own errors as they are,
    anything else (the system's, Python's) named after the pack, with the system's reason or its kind.

    >>> print(load_failure("mine.zip", MemoryError()).message_in("zh"))
    mine.zip:无法载入概念包(MemoryError)
    >>> print(load_failure("mine.zip", PermissionError(13, "Permission denied")).message_in("zh"))
    mine.zip:无法载入概念包(没有读取权限)
    """
    if isinstance(err, KgError):
        return err
    reason = os_reason(err) if isinstance(err, OSError) else type(err).__name__
    return PackError(key="error_pack_unloadable", name=shown, reason=reason)


def _safe_load(path: Path, shown: str, shown_as: str | None = None, limits: Limits = Limits()):
    """A pack and None, or None and why not: a pack that cannot load never crashes the app."""
    try:
        return load_pack(path, shown_as=shown_as, limits=limits), None
    except (KgError, OSError, RecursionError, MemoryError) as err:
        return None, load_failure(shown, err)


@st.cache_resource(show_spinner=False, max_entries=4)
def load_path_pack(path: str, fingerprint: str):
    """Through the kg command's own disk cache: a warm start reads the pack back instead of parsing it."""
    from kg.cache import load_pack_cached

    try:
        return load_pack_cached(path), None
    except (KgError, OSError, RecursionError, MemoryError) as err:
        return None, load_failure(path, err)


def upload_file_name(name: str) -> str:
    """The uploaded file's own name, made safe to write in a private folder (no folders, no odd characters).

    >>> upload_file_name("../my pack.yaml"), upload_file_name("x.YML"), upload_file_name("")
    ('my pack.yaml', 'x.YML', 'pack.yaml')
    """
    base = re.sub(r"[^\w .()-]+", "_", Path(str(name).replace("\\", "/")).name).strip(" .")[:100]
    return base if base.lower().endswith((".yaml", ".yml")) else (base + ".yaml" if base else "pack.yaml")


@st.cache_resource(show_spinner=False, max_entries=2)  # a near-limit upload holds about 240 MB (README: two are kept)
def load_uploaded_pack(name: str, digest: str, _data: bytes):
    """Unpack an upload into a temporary folder, load it, and delete the folder (the pack is in memory)."""
    from kg.unpack import UnsafeArchive, UploadLimits, ZipLimits, extract_zip, upload_problem

    limits = UploadLimits()
    with tempfile.TemporaryDirectory(prefix="kg-upload-") as folder:
        root = Path(folder) / "pack"
        root.mkdir()
        if name.lower().endswith(".zip"):
            try:  # a refusal is a problem located at the upload's own name, as `kg check --graph it.zip` reports it
                extract_zip(_data, root, ZipLimits(max_total_bytes=limits.max_bytes), name=Path(name).name)
            except UnsafeArchive as refusal:
                return None, refusal
        else:
            # the file keeps the user's own name, so every problem cites it (never a temporary path)
            (root / upload_file_name(name)).write_bytes(_data)
        too_large = upload_problem(root, limits)  # before parsing: bytes and concepts bound what the cache holds
        if too_large is not None:
            return None, too_large
        # problems name the files under the upload's own name, never the temporary folder; the cached Pack is not touched
        return _safe_load(root, name, shown_as=Path(name).name if name.lower().endswith(".zip") else "", limits=limits.load_limits())


@st.cache_data(show_spinner=False, max_entries=16)
def concept_ids(_pack, pack_key: str) -> list[str]:
    return sorted(_pack.graph, key=_pack.order_key)


@st.cache_data(show_spinner=False, max_entries=16)
def default_focus(_pack, pack_key: str) -> str | None:
    graph = _pack.graph
    return min(graph, key=lambda n: (-graph.degree(n), _pack.order_key(n)), default=None)


@st.cache_data(show_spinner=False, max_entries=16)
def chapters_of(_pack, pack_key: str) -> list[str]:
    found = {layout.chapter(data.get("section")) for _, data in _pack.graph.nodes(data=True)}
    return sorted(found, key=lambda c: section_key(c or None))


@st.cache_data(show_spinner=False, max_entries=64)
def explore_data(_pack, pack_key: str, focus: str, depth: int, types: tuple, kinds: tuple, chapters: tuple,
                 whole: bool, lang: str, physics: bool, hits: tuple = ()) -> tuple[dict, bool]:
    """The Explore drawing; the flag says the whole graph was too big and the neighbourhood is shown.

    The whole graph is an overview: one labelled cluster per chapter (opened by a click), the focus's
    and the search hits' chapters open, the hits marked in place."""
    kind_set = set(kinds)
    chapter_set = set(chapters)
    if whole:
        nodes = [n for n in sorted(_pack.graph, key=_pack.order_key)
                 if _pack.graph.nodes[n].get("kind") in kind_set and layout.chapter(_pack.graph.nodes[n].get("section")) in chapter_set]
        if len(nodes) <= OVERVIEW_MAX:
            data = render.graph_data(_pack, nodes, focus=focus, lang=lang, layout="sections", physics=physics,
                                     types=types, height=GRAPH_HEIGHT, grouped=True, hits=hits, cap=len(nodes))
            return data, False
    nodes = layout.neighbourhood(_pack, focus, depth, types=types, kinds=kind_set, chapters=chapter_set)
    data = render.graph_data(_pack, nodes, focus=focus, lang=lang, layout="radial", physics=physics, types=types,
                             height=GRAPH_HEIGHT, hits=hits)
    return data, whole


@st.cache_data(show_spinner=False, max_entries=64)
def plan_data(_pack, pack_key: str, targets: tuple, known: tuple, lang: str, physics: bool):
    plan = study_order(_pack, list(targets), list(known))
    # Why-chains are kept short (queries.WHY_SHORT links, "…" when longer): a 1,000-concept chain made 10 MB of page text.
    steps = [(s.id, s.minutes, list(s.reason) + ([None] if s.reason_length > len(s.reason) else []), s.is_target) for s in plan.steps]
    drawing = render.graph_data(_pack, [s[0] for s in steps], lang=lang, layout="layered", physics=physics,
                                height=GRAPH_HEIGHT, labels="all", highlight=route_to_targets(_pack, plan))
    # Layers top to bottom instead of left to right: a plan has more layers than concepts per layer, and a
    # row of names side by side needs the page's width, not a column's.
    for node in drawing["nodes"]:
        node["x"], node["y"] = round(node["y"] * 2.4, 1), round(node["x"] * 0.45, 1)
    layers = len({node["y"] for node in drawing["nodes"]})
    drawing["height"] = int(min(1400, max(320, 90 * layers + 80)))
    return steps, plan.total_minutes, drawing


def route_to_targets(pack, plan) -> list[tuple[str, str, str]]:
    """The written edges of the longest chain of the plan that ends at a target: drawn thick, it shows the
    route from the foundations to what the learner wants."""
    import networkx as nx

    steps = [s.id for s in plan.steps]
    sub = pack.study.subgraph(steps)
    targets = {s.id for s in plan.steps if s.is_target}
    if not targets or not nx.is_directed_acyclic_graph(sub):
        return []
    best: dict[str, tuple[int, str | None]] = {}
    for node in nx.topological_sort(sub):
        best[node] = max(((best[p][0] + 1, p) for p in sub.pred[node]), default=(0, None))
    node = max(targets, key=lambda t: best[t][0])
    edges = []
    while best[node][1] is not None:
        before = best[node][1]
        edges.extend(tuple(e) for e in sub.edges[before, node].get("via", ())[:1])
        node = before
    return edges


@st.cache_data(show_spinner=False, max_entries=64)
def connect_data(_pack, pack_key: str, a: str, b: str, lang: str, physics: bool):
    paths = connect(_pack, a, b)
    nodes = list(dict.fromkeys([a] + [n for path in paths for edge in path for n in (edge[0], edge[2])] + [b]))
    drawing = render.graph_data(_pack, nodes, focus=a, lang=lang, layout="radial", physics=physics,
                                highlight=[edge for path in paths for edge in path], height=GRAPH_HEIGHT - 120)
    return paths, drawing


@st.cache_data(show_spinner=False, max_entries=64)
def export_nodes(_pack, pack_key: str, scope: str, focus: str | None, depth: int, targets: tuple, known: tuple) -> list[str]:
    """The concepts an export covers, chosen as ``kg export`` chooses them (--focus/--depth, --plan/--known)."""
    if scope == "plan":
        return select_nodes(_pack, plan=list(targets), known=list(known))
    return select_nodes(_pack, focus=focus if scope == "focus" else None, depth=depth)


@st.cache_data(show_spinner=False, max_entries=32)
def export_bytes(_pack, pack_key: str, fmt: str, scope: str, focus: str | None, depth: int, targets: tuple,
                 known: tuple, lang: str) -> bytes:
    """One export file (kg.export), computed when its download is asked for and cached per pack and view."""
    function, binary, _ = EXPORTERS[fmt]
    nodes = export_nodes(_pack, pack_key, scope, focus, depth, targets, known)
    options = {"lang": lang, "nodes_table": False}
    if scope == "plan":
        options.update(plan=list(targets), known=list(known))
    elif scope == "focus":
        options["focus"] = focus
    result = function(_pack, nodes, **options)  # each exporter takes the options it uses and ignores the rest
    return result if binary else result.encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=32)
def quiz_data(_pack, pack_key: str, topic: str, count: int, seed: int, lang: str, ids: tuple | None) -> list:
    """The questions (kg.quiz.make_quiz): the same topic, count, seed and language give the same quiz."""
    if ids is not None:
        return make_quiz(_pack, count=len(ids), seed=seed, lang=lang, ids=list(ids))
    return make_quiz(_pack, topic=topic or None, count=count, seed=seed, lang=lang)


@st.cache_data(show_spinner=False, max_entries=32)
def compare_data(_pack, pack_key: str, ids: tuple):
    from kg.compare import compare

    return compare(_pack, list(ids))


@st.cache_data(show_spinner=False, max_entries=16)
def unlock_counts(_pack, pack_key: str) -> dict[str, int]:
    """How many concepts come after each one in study order: the foundations unlock the most."""
    import networkx as nx

    study = _pack.study
    if not nx.is_directed_acyclic_graph(study):
        return {}
    after: dict[str, set[str]] = {}
    for node in reversed(list(nx.topological_sort(study))):
        after[node] = set(study.succ[node]).union(*(after[n] for n in study.succ[node]))
    return {node: len(found) for node, found in after.items()}


@st.cache_resource(show_spinner=False, max_entries=8)
def base_placement(_pack, pack_key: str, target: str):
    """Placement over the target's plan before any answer (kg.diagnose): sampled once, copied per rerun."""
    from kg.diagnose import Placement

    return Placement.for_target(_pack, target)


@st.cache_resource(show_spinner=False)
def store_at(url: str):
    """One store (one connection pool) per database and app process."""
    return open_store(url)
