"""The benchmark: how fast kg loads, checks and answers, on real and synthetic packs of every size.

    python -m kg.bench [--sizes 1000,10000,100000] [--runs 5] [--json bench.json]
    python -m kg.bench --hostile [LABEL] [--json hostile.json]   (issue 15's table of hostile packs)
    python -m kg.bench --app-upload [LABEL] [--json upload.json]   (the app server's memory on near-limit zip uploads)

Datasets: the shipped graph, the Metacademy pack (imported into a temporary
folder from ``shared/datasets/metacademy``), and synthetic packs from
:mod:`kg.synth`. Each dataset is measured in its own fresh Python process, so
that peak memory (``ru_maxrss``) is that dataset's alone. Every number is the
median of several runs (heavy steps of packs over 50k concepts: at most 3).

Measured per dataset
    bare parse    ``yaml.load(text, CSafeLoader)`` of the same files, in the same process, garbage collector as
                  the caller leaves it (on): the machine-independent yardstick; also with the collector paused
    cold load     :func:`kg.load_pack`: read, parse, validate, build the graph, run every check
    warm load     :func:`kg.cache.load_pack_cached` on an unchanged pack (fingerprint, read, unpickle)
    check         the graph checks alone (:func:`kg.checks.graph_problems`, study graph included, gc paused
                  as in the load)
    order         :func:`kg.queries.study_order` for the deepest concept (end of the longest study chain)
    related d2    :func:`kg.queries.related` at depth 2 around that concept
    search        a substring query and a misspelt one (typo -> fuzzy scan of every label), index built;
                  also the first query of a process, which builds the index
    path          :func:`kg.queries.connect` from the deep concept to one far away
    render        the focus view: :func:`kg.layout.neighbourhood` + :func:`kg.render.render_html` (when present)
    peak memory   max resident set size of the process after one cold load

Also, for the shipped graph: the wall time of ``kg order transformer`` (warm cache, and ``--no-cache``)
against ``python -c "import networkx, yaml"``; ``--process`` also times it for a learner with a saved progress
database (:func:`progress_home`).

Timings are never asserted by tests; this module only reports them.
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = 50_000


def shared_dir() -> Path:
    """``$KG_SHARED``, else the ``shared/`` folder beside the checkout."""
    return Path(os.environ.get("KG_SHARED") or Path(__file__).resolve().parents[2] / "shared")


def _median_time(function, runs: int, setup=None) -> tuple[float, object]:
    times, result = [], None
    for _ in range(max(1, runs)):
        result = None  # free the previous run's result before timing, not inside the timed span
        argument = setup() if setup else None
        gc.collect()
        start = time.perf_counter()
        result = function(argument) if setup else function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _peak_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


# --------------------------------------------------------------------------- worker (one dataset, fresh process)

def measure(path: Path, runs: int) -> dict:
    """Every measurement on one pack, in this process. Call in a fresh process for a meaningful peak memory."""
    import networkx as nx
    import yaml

    from .cache import load_pack_cached
    from .checks import graph_problems
    from .pack import find_pack_files, load_pack
    from .queries import connect, related, study_order
    from .search import SearchIndex

    result: dict = {}
    start = time.perf_counter()
    pack = load_pack(path)
    result["first_cold_load_s"] = time.perf_counter() - start
    result["peak_mb"] = _peak_mb()
    files, _ = find_pack_files(path)
    concepts = pack.graph.number_of_nodes()
    heavy_runs = min(runs, 3) if concepts > HEAVY else runs
    result.update(concepts=concepts, edges=pack.graph.number_of_edges(), files=len(files),
                  bytes=sum(f.stat().st_size for f in files), problems=len(pack.problems),
                  errors=len(pack.errors))
    study = pack.study
    deep = nx.dag_longest_path(study)[-1] if nx.is_directed_acyclic_graph(study) else min(study)
    ranked = sorted(pack.graph)
    far = next((n for n in ranked[len(ranked) // 2:] + ranked if n != deep and not nx.has_path(study, n, deep)), ranked[0])
    result.update(deep_target=deep, far_concept=far)
    del pack
    gc.collect()

    def bare(pause_gc: bool):
        enabled = gc.isenabled()
        if pause_gc:
            gc.disable()
        try:
            for file in files:
                yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # noqa: S506 - the yardstick
        finally:
            if enabled:
                gc.enable()

    result["bare_parse_s"], _ = _median_time(lambda: bare(False), heavy_runs)
    result["bare_parse_gc_off_s"], _ = _median_time(lambda: bare(True), heavy_runs)
    result["cold_load_s"], pack = _median_time(lambda: load_pack(path), heavy_runs)
    result["cold_over_bare"] = result["cold_load_s"] / result["bare_parse_s"]
    result["cold_over_bare_gc_off"] = result["cold_load_s"] / result["bare_parse_gc_off_s"]

    with tempfile.TemporaryDirectory(prefix="kg-bench-cache-") as store:
        os.environ["KG_CACHE_DIR"] = store
        start = time.perf_counter()
        load_pack_cached(path)  # parse and store
        result["cache_write_load_s"] = time.perf_counter() - start
        result["warm_load_s"], warm = _median_time(lambda: load_pack_cached(path), runs)
        result["cache_mb"] = sum(f.stat().st_size for f in Path(store).iterdir()) / 1e6
        result["warm_matches_cold"] = sorted(warm.graph.edges(keys=True)) == sorted(pack.graph.edges(keys=True)) and warm.problems == pack.problems
        del warm
    result["warm_over_cold"] = result["warm_load_s"] / result["cold_load_s"]

    def fresh_study():
        pack.clear_derived()  # the checks build the study graph: time that too
        return None

    def check(_):  # as inside load_pack: garbage collector paused
        gc.disable()
        try:
            return graph_problems(pack)
        finally:
            gc.enable()

    result["check_s"], _ = _median_time(check, runs, setup=fresh_study)
    runs_q = max(runs, 5)
    result["order_s"], plan = _median_time(lambda: study_order(pack, [deep]), runs_q)
    result["order_steps"] = len(plan.steps)
    result["related_d2_s"], relations = _median_time(lambda: related(pack, deep, depth=2), runs_q)
    result["related_d2_count"] = len(relations)
    name = pack.graph.nodes[deep].get("name", deep)
    typo = name[:1] + name[2:3] + name[1:2] + name[3:] if len(name) > 3 else name + "x"
    word = max(name.split(), key=len)[:5]
    start = time.perf_counter()
    index = SearchIndex(pack)
    index.search(word)
    result["search_first_s"] = time.perf_counter() - start
    result["search_substring_s"], _ = _median_time(lambda: index.search(word), runs_q)
    result["search_typo_s"], hits = _median_time(lambda: index.search(typo), runs_q)
    result["search_queries"] = [word, typo]
    result["search_typo_found"] = bool(hits) and hits[0].id == deep
    result["path_s"], paths = _median_time(lambda: connect(pack, deep, far), runs_q)
    result["path_edges"] = len(paths[0]) if paths else None
    from .layout import neighbourhood
    from .render import render_html

    def focus_view():
        return render_html(pack, neighbourhood(pack, deep, 1), focus=deep)

    result["render_s"], page = _median_time(focus_view, runs_q)
    result["render_bytes"] = len(page)
    result["final_peak_mb"] = _peak_mb()
    return result


# --------------------------------------------------------------------------- driver

def _run_worker(label: str, path: Path, runs: int) -> dict:
    print(f"  measuring {label} ...", file=sys.stderr, flush=True)
    command = [sys.executable, "-m", "kg.bench", "--worker", str(path), "--runs", str(runs)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _wall(command: list[str], runs: int, env: dict) -> tuple[float, int]:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # bytecode, load cache
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def _no_profile_env(cache: str) -> dict:
    """The environment of a timed process: the load cache in ``cache``, no progress database (an empty
    ``$KG_HOME`` beside it, whatever this user has saved), and compiled bytecode kept in a folder beside it
    for every module, kg's and the yardstick's alike (an installed kg has its ``.pyc`` files; without this,
    ``PYTHONDONTWRITEBYTECODE`` would have kg's modules compiled anew in every timed run)."""
    home = Path(cache).parent / "home-without-progress"
    home.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in ("KG_DB", "KG_PROFILE", "PYTHONDONTWRITEBYTECODE")}
    return {**env, "KG_CACHE_DIR": cache, "KG_HOME": str(home), "PYTHONPYCACHEPREFIX": str(Path(cache).parent / "bytecode")}


def progress_home(folder: Path) -> Path:
    """A ``$KG_HOME`` whose progress database holds a learner midway to Transformer: the first half of its
    plan known (the last of those skipped), the next step being learnt, Transformer and LSTM as targets."""
    from .pack import load_pack
    from .queries import study_order
    from .store import Store

    pack = load_pack()
    steps = [step.id for step in study_order(pack, ["transformer"], []).steps]
    half = len(steps) // 2
    store = Store(str(folder / "progress.db"))
    store.mark("default", steps[:half - 1], "known")
    store.mark("default", steps[half - 1:half], "skipped")
    store.mark("default", steps[half:half + 1], "learning")
    store.add_targets("default", [c for c in ("transformer", "lstm") if c in pack.graph])
    store.close()
    return folder


def cli_timing(runs: int, store: str) -> dict:
    env = _no_profile_env(store)
    baseline, _ = _wall([sys.executable, "-c", "import networkx, yaml"], runs, env)
    subprocess.run([sys.executable, "-m", "kg", "order", "transformer"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    warm, code = _wall([sys.executable, "-m", "kg", "order", "transformer"], runs, env)
    cold, _ = _wall([sys.executable, "-m", "kg", "order", "transformer", "--no-cache"], runs, env)
    return {"import_networkx_yaml_s": baseline, "kg_order_transformer_s": warm, "kg_order_transformer_no_cache_s": cold,
            "ratio": warm / baseline, "ratio_no_cache": cold / baseline, "exit_code": code}


#: The yardstick process of ``kg check --no-cache``: import networkx and yaml and parse the same files with CSafeLoader.
BARE_PARSE = ("import sys, pathlib, networkx, yaml\n"
              "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
              "    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)")


def _alternating(runs: int, *commands: tuple[list[str], dict]) -> tuple[list[float], int]:
    """Medians of (command, environment) pairs run in turns (a load spike on a shared machine then hits all
    alike), and the last non-zero exit code."""
    for command, env in commands:  # not timed: writes the bytecode (and kg's load cache)
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    times: list[list[float]] = [[] for _ in commands]
    code = 0
    for _ in range(runs):
        for (command, env), taken in zip(commands, times):
            start = time.perf_counter()
            code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode or code
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) for taken in times], code


def process_timing(path: Path, runs: int, store: str) -> dict:
    """Whole processes: ``kg check --no-cache`` on ``path`` against a process that only imports networkx
    and yaml and parses the same files with CSafeLoader; ``kg order transformer`` (shipped graph, warm
    cache), without a progress database and with one (:func:`progress_home`), against ``python -c "import
    networkx, yaml"``."""
    env = _no_profile_env(store)
    (bare, check), check_code = _alternating(runs, ([sys.executable, "-c", BARE_PARSE, str(path)], env),
                                             ([sys.executable, "-m", "kg", "check", "--no-cache", "--graph", str(path)], env))
    with_progress = {**env, "KG_HOME": str(progress_home(Path(store).parent / "home-with-progress"))}
    order = [sys.executable, "-m", "kg", "order", "transformer"]
    (imports, alone, saved), order_code = _alternating(runs, ([sys.executable, "-c", "import networkx, yaml"], env),
                                                       (order, env), (order, with_progress))
    return {"pack": str(path), "bare_parse_process_s": bare, "kg_check_no_cache_s": check, "check_ratio": check / bare,
            "import_networkx_yaml_s": imports, "kg_order_transformer_s": alone, "order_ratio": alone / imports,
            "kg_order_transformer_with_progress_s": saved, "order_with_progress_ratio": saved / imports,
            "exit_codes": [check_code, order_code]}


def machine() -> dict:
    import networkx
    import yaml

    cpu = platform.processor()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "pyyaml": yaml.__version__, "libyaml": bool(getattr(yaml, "__with_libyaml__", False)), "networkx": networkx.__version__}


ROWS = [
    ("concepts", "concepts", "{:,}"), ("edges", "edges", "{:,}"), ("files", "files", "{:,}"), ("MB of YAML", "bytes", "mb"),
    ("bare CSafeLoader parse", "bare_parse_s", "s"), ("  same, gc paused", "bare_parse_gc_off_s", "s"),
    ("cold load (parse+validate+build+check)", "cold_load_s", "s"), ("  cold / bare parse", "cold_over_bare", "x"),
    ("warm load (cache)", "warm_load_s", "s"), ("  warm / cold", "warm_over_cold", "%"),
    ("check (graph checks)", "check_s", "s"), ("order (deepest concept)", "order_s", "s"), ("  steps", "order_steps", "{:,}"),
    ("related, depth 2", "related_d2_s", "s"), ("search, substring", "search_substring_s", "s"),
    ("search, typo (fuzzy)", "search_typo_s", "s"), ("search, first (builds index)", "search_first_s", "s"),
    ("path", "path_s", "s"), ("focus view HTML", "render_s", "s"), ("peak memory (MB)", "peak_mb", "{:,.0f}"),
]


def _cell(value, style: str) -> str:
    if value is None:
        return "n/a"
    if style == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if style == "x":
        return f"{value:.2f}x"
    if style == "%":
        return f"{value * 100:.1f} %"
    if style == "mb":
        return f"{value / 1e6:.1f}"
    return style.format(value)


def table(results: dict) -> str:
    labels = list(results)
    lines = ["| measure | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    for title, key, style in ROWS:
        lines.append(f"| {title} | " + " | ".join(_cell(results[label].get(key), style) for label in labels) + " |")
    return "\n".join(lines)


def goals(results: dict, cli: dict | None) -> list[str]:
    notes = []
    ten = next((r for label, r in results.items() if r.get("concepts") == 10_000), None)
    hundred = next((r for label, r in results.items() if r.get("concepts") == 100_000), None)
    if ten and "cold_over_bare" in ten:
        notes.append(f"10k cold load+check / bare CSafeLoader parse: {ten['cold_over_bare']:.2f}x (goal <= 1.5x; "
                     f"{ten['cold_over_bare_gc_off']:.2f}x of the parse with gc paused)")
    for label, r in (("10k", ten), ("100k", hundred)):
        if r and "warm_over_cold" in r:
            notes.append(f"{label} warm / cold: {r['warm_over_cold'] * 100:.1f} % (goal <= 10 %)")
    if hundred and "order_s" in hundred:
        notes.append(f"100k order {hundred['order_s'] * 1000:.0f} ms (< 500), related d2 {hundred['related_d2_s'] * 1000:.1f} ms (< 50), "
                     f"search {max(hundred['search_substring_s'], hundred['search_typo_s']) * 1000:.0f} ms (< 100), "
                     f"path {hundred['path_s'] * 1000:.0f} ms (< 200), peak {hundred['peak_mb']:.0f} MB (< 1536)")
    process = results.get("process")
    if process:
        notes.append(f"whole process, kg check --no-cache on the 10k pack {process['kg_check_no_cache_s']:.2f} s vs import + CSafeLoader "
                     f"parse {process['bare_parse_process_s']:.2f} s: {process['check_ratio']:.2f}x (goal <= 1.5x); kg order transformer "
                     f"{process['kg_order_transformer_s'] * 1000:.0f} ms vs import networkx, yaml {process['import_networkx_yaml_s'] * 1000:.0f} ms: "
                     f"{process['order_ratio']:.2f}x (goal <= 1.5x); with a saved progress database "
                     f"{process['kg_order_transformer_with_progress_s'] * 1000:.0f} ms: {process['order_with_progress_ratio']:.2f}x "
                     "(goal <= 1.5x)")
    if cli:
        notes.append(f"kg order transformer {cli['kg_order_transformer_s'] * 1000:.0f} ms vs import networkx, yaml "
                     f"{cli['import_networkx_yaml_s'] * 1000:.0f} ms: {cli['ratio']:.2f}x (goal <= 1.5x; --no-cache {cli['ratio_no_cache']:.2f}x)"
                     + ("" if cli["exit_code"] == 0 else f" [exit code {cli['exit_code']}]"))
    return notes


# --------------------------------------------------------------------------- hostile packs (issue 15)

#: (label, issue's figure before the fix, files to write, kg arguments). Packs come from :mod:`kg.hostile`;
#: "{pack}" is replaced by the pack folder. Each row is one whole ``kg`` process under ``/usr/bin/time -v``.
HOSTILE_ROWS = [
    ("19,000 concepts requiring one root, required by one hub", "kg check: 3 min 45 s",
     lambda h: h.hub_and_root(19_000), ["check", "--graph", "{pack}"]),
    ("20,000 edges to unknown targets", "quadratic",
     lambda h: h.unknown_targets(20_000), ["check", "--graph", "{pack}"]),
    ("10,000-concept chain", "over 60 s, 283 MB of text",
     lambda h: h.chain(10_000), ["order", "c9999", "--graph", "{pack}"]),
    ("10,000-concept chain, --json", "2.7 GB of JSON",
     lambda h: h.chain(10_000), ["order", "c9999", "--json", "--graph", "{pack}"]),
    ("1,000-concept chain", "RecursionError traceback",
     lambda h: h.chain(1_000), ["path", "c0", "c999", "--graph", "{pack}"]),
    ("30x30 grid of requires", "over 120 s",
     lambda h: h.grid(30, 30), ["path", "g-0-0", "g-29-29", "--max", "1000", "--graph", "{pack}"]),
    ("chain of 900, 20,000 in the middle, chain of 900", "2 min, 5.4 GB",
     lambda h: h.bottleneck(900, 20_000), ["path", "a0", "b899", "--graph", "{pack}"]),
    ("complete DAG of 1,000: check", "20 to 35 s, 1 GB",
     lambda h: h.complete_dag(1_000), ["check", "--graph", "{pack}"]),
    ("complete DAG of 1,000: related", "20 to 35 s, 1 GB",
     lambda h: h.complete_dag(1_000), ["related", "d500", "--depth", "2", "--graph", "{pack}"]),
    ("complete DAG of 1,000: path", "20 to 35 s, 1 GB",
     lambda h: h.complete_dag(1_000), ["path", "d0", "d999", "--graph", "{pack}"]),
    ("complete DAG of 1,000: focused export", "20 to 35 s, 1 GB",
     lambda h: h.complete_dag(1_000), ["export", "--format", "json", "--focus", "d500", "--graph", "{pack}"]),
    ("star of 5,000 without distractors", "70 s before 'no questions'",
     lambda h: h.star(5_000), ["quiz", "--count", "10", "--answers", "1", "--graph", "{pack}"]),
    ("10,000 files of one concept each", "over 120 s",
     lambda h: h.many_files(10_000), ["order", "c9999", "--graph", "{pack}"]),
    ("very long aliases (4 MB)", "13 s",
     lambda h: h.long_aliases(40, 100_000), ["search", "alias 7 xxxx", "--graph", "{pack}"]),
    ("1,999 files of bare numbers (2 million problems)", "51 s, 3.6 GB (app)",
     lambda h: {f"n{i:04d}.yaml": h.bare_numbers(1_000) for i in range(1_999)}, ["check", "--graph", "{pack}"]),
    ("1,999 files of 1,000 empty concepts (8 million problems, 10 MB)", "20 s CPU (found in round two)",
     lambda h: {f"n{i:04d}.yaml": h.empty_concepts(1_000) for i in range(1_999)}, ["check", "--graph", "{pack}"]),
    ("19,900 concepts each requiring 100 others (2 million edges, 15 MB)", "42 s CPU, 2.6 GB (found in round two)",
     lambda h: h.dense_requires(19_900, 100), ["check", "--graph", "{pack}"]),
    ("one 5 MB file of 748,000 empty concepts (3 million problems)", "8.1 s CPU, 1.2 GB (found in round two)",
     lambda h: {"big.yaml": h.empty_concepts(748_000)}, ["check", "--graph", "{pack}"]),
]


def _time_v(command: list[str], env: dict) -> dict:
    """One whole process under ``/usr/bin/time -v``: wall seconds, peak MB, exit code, bytes printed."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        code = subprocess.call(["/usr/bin/time", "-v", *command], stdout=out, stderr=err, env=env)
        wall = time.perf_counter() - start
        out.seek(0, 2)
        printed = out.tell()
        err.seek(0)
        report = err.read().decode("utf-8", "replace")
    peak = next((int(line.rsplit(":", 1)[1]) for line in report.splitlines() if "Maximum resident set size" in line), 0)
    cpu = sum(float(line.rsplit(":", 1)[1]) for line in report.splitlines() if line.strip().startswith(("User time", "System time")))
    last = [line for line in report.splitlines() if line.startswith("kg:")][:1]
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "peak_mb": round(peak / 1024), "exit": code, "output_kb": round(printed / 1024),
            "message": last[0] if last else ""}


def hostile_benchmark(only: str = "") -> list[dict]:
    """Every row of :data:`HOSTILE_ROWS` (or those whose label contains ``only``), measured once each."""
    from . import hostile

    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-hostile-") as work:
        env = {**os.environ, "KG_NO_CACHE": "1"}
        for number, (label, before, build, argv) in enumerate(HOSTILE_ROWS):
            if only and only not in label:
                continue
            folder = hostile.write(Path(work) / f"pack-{number}", build(hostile))
            command = [sys.executable, "-m", "kg", *(str(folder) if arg == "{pack}" else arg for arg in argv)]
            result = _time_v(command, env)
            rows.append({"input": label, "command": "kg " + " ".join("PACK" if a == "{pack}" else a for a in argv),
                         "before": before, **result})
            print(f"  {label}: {result['seconds']} s ({result['cpu_seconds']} s CPU), {result['peak_mb']} MB, exit {result['exit']}",
                  file=sys.stderr)
    return rows


def hostile_table(rows: list[dict]) -> str:
    lines = ["| input | command | before | after: wall | CPU | peak RSS | exit | printed |", "|---|---|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['input']} | `{row['command']}` | {row['before']} | {row['seconds']:.1f} s | {row['cpu_seconds']:.1f} s | {row['peak_mb']} MB | "
                     f"{row['exit']} | {row['output_kb']:,} KB |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the app server's memory on an upload (issue 15)

#: (label, how to build the upload's files). Both are just inside the app's upload bounds (kg.unpack.UploadLimits:
#: 16 MB unpacked, about 20,000 concepts; 2,000 members; a 10 MB archive).
def _near_limit_uploads():
    from . import hostile
    from .synth import generate

    def valid():  # the largest ordinary pack the app takes: 17,000 synthetic concepts, about 15 MB
        return dict(generate(17_000, 200, 0))

    def dense():  # 19,900 concepts each requiring 100 earlier ones: 2 million edges in 15 MB
        return hostile.dense_requires(19_900, 100)

    return [("17,000 synthetic concepts (15 MB unpacked)", valid),
            ("19,900 concepts each requiring 100 others (2 million edges, 15 MB unpacked)", dense)]


def _process_tree_kb(pid: int, field: str) -> int:
    """``field`` (VmHWM: peak, VmRSS: now) of a process plus its descendants, in kB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split(field + ":", 1)[1].split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def app_upload_memory(only: str = "") -> list[dict]:
    """Upload each near-limit zip through the app's real page and read the server's peak memory.

    One fresh ``streamlit run app.py`` per upload (so each peak is that upload's); Debian's Chromium through
    Playwright opens the Checks tab, sets the sidebar's file input, waits for the page to say the pack is
    shown (or why it is refused), opens Explore, then reads ``VmHWM`` of the server and its children.
    """
    import io
    import zipfile

    from playwright.sync_api import sync_playwright

    from kg.app.serve import APP, CHROMIUM, CHROMIUM_ARGS, streamlit_process

    rows = []
    for label, build in _near_limit_uploads():
        if only and only not in label:
            continue
        with tempfile.TemporaryDirectory(prefix="kg-upload-bench-") as work:
            buffer = io.BytesIO()
            files = build()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, text in files.items():
                    archive.writestr(f"pack/{name}", text)
            upload = Path(work) / "near-limit.zip"
            upload.write_bytes(buffer.getvalue())
            unpacked = sum(len(text.encode("utf-8")) for text in files.values())
            with streamlit_process(APP, log=Path(work) / "server.log", timeout=120) as (url, server):
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    page = browser.new_page()
                    page.goto(f"{url}/?tab=checks&lang=en", timeout=120_000)
                    page.locator('[data-testid="stTabs"]').first.wait_for(timeout=120_000)
                    page.wait_for_timeout(1000)
                    before_kb = _process_tree_kb(server.pid, "VmHWM")
                    start = time.perf_counter()
                    page.locator('[data-testid="stSidebar"] [data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
                    shown = page.get_by_text(re.compile("Showing the uploaded pack|could not be opened")).first
                    shown.wait_for(timeout=600_000)
                    seconds = time.perf_counter() - start
                    outcome = shown.inner_text().strip()
                    page.get_by_role("tab", name="Explore").click()
                    page.wait_for_timeout(5000)
                    browser.close()
                peak_kb = _process_tree_kb(server.pid, "VmHWM")
                now_kb = _process_tree_kb(server.pid, "VmRSS")
        row = {"upload": label, "zip_mb": round(len(buffer.getvalue()) / 2**20, 1), "unpacked_mb": round(unpacked / 2**20, 1),
               "files": len(files), "seconds_to_shown": round(seconds, 1), "server_before_mb": round(before_kb / 1024),
               "server_peak_mb": round(peak_kb / 1024), "server_after_mb": round(now_kb / 1024), "outcome": outcome[:160]}
        print(f"  {label}: peak {row['server_peak_mb']} MB (before the upload {row['server_before_mb']} MB), "
              f"{row['seconds_to_shown']} s; {row['outcome']}", file=sys.stderr)
        rows.append(row)
    return rows


def app_upload_table(rows: list[dict]) -> str:
    lines = ["| upload (zip) | zip | unpacked | server before | server peak (VmHWM) | after | shown in | the page says |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        lines.append(f"| {row['upload']} | {row['zip_mb']} MB | {row['unpacked_mb']} MB | {row['server_before_mb']} MB | "
                     f"{row['server_peak_mb']} MB | {row['server_after_mb']} MB | {row['seconds_to_shown']} s | {row['outcome']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="synthetic pack sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median is reported)")
    parser.add_argument("--json", metavar="OUT", help="write all results here")
    parser.add_argument("--skip", default="", help="datasets to leave out: shipped, metacademy")
    parser.add_argument("--process", action="store_true",
                        help="only the whole-process goals (kg check --no-cache on 10k concepts; kg order transformer, "
                             "without and with a saved progress database)")
    parser.add_argument("--worker", metavar="PACK", help=argparse.SUPPRESS)
    parser.add_argument("--hostile", nargs="?", const="", metavar="LABEL",
                        help="instead: the hostile-pack table of issue 15 (whole kg processes under /usr/bin/time -v); "
                             "LABEL picks the rows whose input contains it")
    parser.add_argument("--app-upload", nargs="?", const="", metavar="LABEL",
                        help="instead: the app server's peak memory on near-limit zip uploads through the real page "
                             "(streamlit, Playwright, /usr/bin/chromium); LABEL picks the uploads whose label contains it")
    args = parser.parse_args(argv)
    for chosen, measure_rows, table in ((args.app_upload, app_upload_memory, app_upload_table),
                                        (args.hostile, hostile_benchmark, hostile_table)):
        if chosen is not None:
            rows = measure_rows(chosen)
            print(table(rows))
            if args.json:
                Path(args.json).write_text(json.dumps({"date": datetime.date.today().isoformat(), "machine": machine(), "rows": rows},
                                                      indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            return 0
    if args.worker:
        print(json.dumps(measure(Path(args.worker), args.runs)))
        return 0
    from .pack import default_pack_path
    from .synth import write_pack

    if args.process:
        with tempfile.TemporaryDirectory(prefix="kg-bench-") as work:
            write_pack(10_000, Path(work) / "synth-10k", seed=0)
            result = process_timing(Path(work) / "synth-10k", args.runs, str(Path(work) / "cache"))
        result["machine"] = machine()
        result["load_average"] = os.getloadavg() if hasattr(os, "getloadavg") else None
        for note in goals({"process": result}, None):
            print("- " + note)
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    skip = set(args.skip.split(","))
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as work:
        work_dir = Path(work)
        if "shipped" not in skip:
            results["shipped"] = _run_worker("shipped", default_pack_path(), args.runs)
        data = shared_dir() / "datasets" / "metacademy"
        if "metacademy" not in skip and (data / "concepts.jsonl").is_file():
            from .importers import import_metacademy

            import_metacademy(data, work_dir / "metacademy")
            results["metacademy"] = _run_worker("metacademy", work_dir / "metacademy", args.runs)
        for size in sizes:
            label = f"synth {size // 1000}k" if size % 1000 == 0 else f"synth {size}"
            write_pack(size, work_dir / label.replace(" ", "-"), seed=0)
            results[label] = _run_worker(label, work_dir / label.replace(" ", "-"), args.runs)
        cli = cli_timing(max(args.runs, 5), str(work_dir / "cli-cache")) if "shipped" not in skip else None
    report = {"date": datetime.date.today().isoformat(), "machine": machine(), "runs": args.runs,
              "results": results, "cli": cli}
    report["goals"] = goals(results, cli)
    info = report["machine"]
    print(f"kg benchmark, {report['date']}, {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
          f"PyYAML {info['pyyaml']} (libyaml {'yes' if info['libyaml'] else 'no'}), NetworkX {info['networkx']}; median of {args.runs} runs\n")
    print(table(results))
    print()
    for note in report["goals"]:
        print("- " + note)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
