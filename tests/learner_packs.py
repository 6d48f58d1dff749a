"""Small packs for the learner tests (placement, review, the learner commands), written on the fly so
they stay fixed while graph/ is edited."""
from __future__ import annotations

from pathlib import Path

import yaml


def write_pack(folder: Path, concepts: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pack.yaml"
    path.write_text(yaml.safe_dump({"pack": {"name": "learner test", "languages": "en"}, "concepts": concepts},
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def concept(node: str, requires=(), section: str = "1", minutes: int = 10, questions: int = 0) -> dict:
    data = {"id": node, "name": node.replace("-", " ").title(), "kind": "concept", "section": section,
            "summary": f"What {node} is.", "minutes": minutes}
    if requires:
        data["requires"] = [{"to": r, "why": "it builds on it"} for r in requires]
    if questions:
        data["questions"] = [{"q": f"Explain {node} ({n}).", "a": f"{node} answer {n}.", "q_zh": f"解释 {node}。",
                              "a_zh": f"{node} 答案。"} for n in range(1, questions + 1)]
    return data


def chain(length: int) -> list[dict]:
    """c00 <- c01 <- ... : each concept requires the previous one."""
    return [concept(f"c{i:02d}", [f"c{i - 1:02d}"] if i else [], section=str(1 + i // 10)) for i in range(length)]


def lattice(width: int, depth: int) -> list[dict]:
    """Layers of ``width`` concepts; each requires two of the layer before: a DAG with many orders."""
    found = []
    for level in range(depth):
        for column in range(width):
            requires = [] if level == 0 else sorted({f"l{level - 1}-{column}", f"l{level - 1}-{(column + 1) % width}"})
            found.append(concept(f"l{level}-{column}", requires, section=str(level + 1)))
    found.append(concept("top", [f"l{depth - 1}-{c}" for c in range(width)], section=str(depth + 1)))
    return found
