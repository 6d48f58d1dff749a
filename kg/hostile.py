"""Tiny generators of hostile packs: small files that once made kg spend minutes or gigabytes.

Each generator returns the text of one YAML file (or, for :func:`many_files`, a dict of file
name -> text) so that a test can build the small version and the benchmark (``python -m
kg.bench --hostile``) the full-size one from the same code. Shapes are those of issue 15:

* :func:`chain` ``c0 <- c1 <- ... <- c(n-1)``, each requiring the previous one;
* :func:`hub_and_root` ``n`` concepts each requiring one root, all required by one hub
  (the sum of in-degree squared is what a naive redundancy scan pays);
* :func:`unknown_targets` ``n`` edges to ids that do not exist;
* :func:`grid` a ``w x h`` grid of requires (exponentially many shortest paths);
* :func:`bottleneck` a chain, ``width`` parallel concepts, then a chain again;
* :func:`complete_dag` every concept requiring every earlier one;
* :func:`star` ``n`` leaves of one kind around a hub of the same kind (no quiz distractors);
* :func:`many_files` one concept per file;
* :func:`long_aliases` concepts with very long aliases (search compares them);
* :func:`bare_numbers` a list of numbers: each one a ``bad-shape`` problem;
* :func:`empty_concepts` a list of empty mappings: four ``missing-field`` problems each;
* :func:`dense_requires` many short edge lists (2 million edges in 15 MB).

>>> import yaml
>>> [c["id"] for c in yaml.safe_load(chain(3))]
['c0', 'c1', 'c2']
>>> yaml.safe_load(chain(3))[2]["requires"]
['c1']
>>> len(yaml.safe_load(complete_dag(4))[3]["requires"])
3
"""
from __future__ import annotations

import json


def _concept(node: str, *, name: str | None = None, kind: str = "concept", edges: dict[str, list[str]] | None = None,
             aliases: list[str] | None = None) -> str:
    lines = [f"- id: {node}", f"  name: {json.dumps(name or node.upper(), ensure_ascii=False)}", f"  kind: {kind}",
             "  summary: S."]
    if aliases:
        lines.append("  aliases: [" + ", ".join(json.dumps(a, ensure_ascii=False) for a in aliases) + "]")
    for edge_type, targets in (edges or {}).items():
        if targets:
            lines.append(f"  {edge_type}: [" + ", ".join(targets) + "]")
    return "\n".join(lines) + "\n"


def chain(n: int, prefix: str = "c") -> str:
    """``n`` concepts, each requiring the one before it (the last one's plan has ``n`` steps)."""
    return "".join(_concept(f"{prefix}{i}", edges={"requires": [f"{prefix}{i - 1}"] if i else []}) for i in range(n))


def hub_and_root(n: int) -> str:
    """``n`` concepts each requiring ``root``, all of them required by ``hub``."""
    middle = [f"m{i}" for i in range(n)]
    return (_concept("root") + "".join(_concept(m, edges={"requires": ["root"]}) for m in middle)
            + _concept("hub", edges={"requires": middle}))


def unknown_targets(n: int, per_concept: int = 100) -> str:
    """``n`` requires edges to ids that no concept has, ``per_concept`` on each concept (plus a few real ones)."""
    real = "".join(_concept(f"known-{i}") for i in range(3))
    return real + "".join(_concept(f"lonely-{start}", edges={"requires": [f"missing-{i}" for i in range(start, min(n, start + per_concept))]})
                          for start in range(0, n, per_concept))


def grid(width: int, height: int) -> str:
    """A grid: ``g-x-y`` requires its left and upper neighbours."""
    text = []
    for y in range(height):
        for x in range(width):
            before = ([f"g-{x - 1}-{y}"] if x else []) + ([f"g-{x}-{y - 1}"] if y else [])
            text.append(_concept(f"g-{x}-{y}", edges={"requires": before}))
    return "".join(text)


def bottleneck(length: int, width: int) -> str:
    """A chain ``a0..a(length-1)``, ``width`` concepts each requiring its end, a chain ``b*`` requiring them all."""
    parts = [chain(length, "a")]
    middle = [f"m{i}" for i in range(width)]
    parts.extend(_concept(m, edges={"requires": [f"a{length - 1}"]}) for m in middle)
    parts.append(_concept("b0", edges={"requires": middle}))
    parts.extend(_concept(f"b{i}", edges={"requires": [f"b{i - 1}"]}) for i in range(1, length))
    return "".join(parts)


def complete_dag(n: int) -> str:
    """``n`` concepts, each requiring every earlier one: ``n (n - 1) / 2`` edges."""
    return "".join(_concept(f"d{i}", edges={"requires": [f"d{j}" for j in range(i)]}) for i in range(n))


def star(n: int) -> str:
    """A hub (the only ``concept``) and ``n`` leaves of kind ``technique``, each requiring the hub.

    Every leaf is a right answer to "which of these needs the hub first?" and the hub has no
    concept of its kind to be confused with: no question has distractors.
    """
    leaves = "".join(_concept(f"leaf-{i}", kind="technique", edges={"requires": ["hub"]}) for i in range(n))
    return _concept("hub") + leaves


def many_files(n: int) -> dict[str, str]:
    """``n`` files of one concept each, chained so that the last one's plan has ``n`` steps."""
    return {f"f{i:06d}.yaml": _concept(f"c{i}", edges={"requires": [f"c{i - 1}"] if i else []}) for i in range(n)}


def long_aliases(n: int, length: int) -> str:
    """``n`` concepts, each with one alias ``length`` characters long."""
    return "".join(_concept(f"a{i}", aliases=[f"alias {i} " + "x" * length]) for i in range(n))


def bare_numbers(n: int) -> str:
    """A YAML list of ``n`` numbers: each entry is a bad-shape problem."""
    return "".join(f"- {i}\n" for i in range(n))


def empty_concepts(n: int) -> str:
    """A YAML list of ``n`` empty mappings: each entry is four missing-field errors (5 bytes each)."""
    return "- {}\n" * n


def dense_requires(n: int, per_concept: int, per_file: int = 20, seed: int = 0) -> dict[str, str]:
    """``n`` concepts in files of ``per_file``, each requiring ``per_concept`` earlier ones chosen at random:
    short ids make an edge about 8 bytes, so 15 MB holds 2 million edges."""
    import random

    rng, files = random.Random(seed), {}
    for start in range(0, n, per_file):
        text = []
        for i in range(start, min(n, start + per_file)):
            before = [f"c{t}" for t in sorted(rng.sample(range(i), min(i, per_concept)))]
            text.append(_concept(f"c{i}", edges={"requires": before}))
        files[f"f{start:06d}.yaml"] = "".join(text)
    return files


HEADER = "pack:\n  name: hostile\n  languages: en\nconcepts:\n"


def write(folder, files: dict[str, str] | str, name: str = "pack.yaml", *, english_only: bool = True):
    """Write one text (as ``name``) or a dict of texts into ``folder``; returns the folder as a Path.

    With ``english_only`` each file gets a ``pack:`` header declaring ``languages: en`` (the list goes
    under ``concepts:``), so that the shapes are not buried under missing-translation warnings.
    """
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for file, text in ({name: files} if isinstance(files, str) else files).items():
        if english_only:
            text = HEADER + "".join("  " + line for line in text.splitlines(keepends=True))
        (folder / file).write_text(text, encoding="utf-8")
    return folder
