"""Reading links into *Dive into Deep Learning* (d2l.ai and its Chinese edition zh.d2l.ai).

A concept's ``d2l:`` field lists page keys such as ``chapter_convolutional-modern/resnet.html``.
The table of pages ships with kg as ``kg/data/d2l_pages.json`` (page -> title in each edition that
has it), so links are built without reading ``../shared`` or the network at run time. It is built
from the book's table of sections (``sections.jsonl``: one JSON object per page with ``page``,
``title_en`` where the English edition has the page, ``title_zh`` where the Chinese one has it) by::

    python -m kg.d2l ../shared/datasets/d2l/sections.jsonl

Examples
--------
>>> links("chapter_convolutional-modern/resnet.html")["en"]
'https://d2l.ai/chapter_convolutional-modern/resnet.html'
>>> sorted(links("chapter_convolutional-modern/resnet.html"))
['en', 'zh']
>>> title("chapter_convolutional-modern/resnet.html", "zh")
'残差网络（ResNet）'
>>> links("chapter_no-such/page.html")
{}
"""
from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

from .schema import D2L_BASE

TABLE_PATH = Path(__file__).resolve().parent / "data" / "d2l_pages.json"


@lru_cache(maxsize=1)
def pages() -> dict[str, dict[str, str]]:
    """page key -> {edition: title} for every page of the book, editions ``en`` and ``zh`` where they exist."""
    with open(TABLE_PATH, encoding="utf-8") as stream:
        return json.load(stream)["pages"]


def links(page: str) -> dict[str, str]:
    """``{"en": url, "zh": url}`` for the editions that have ``page``; empty for a page not in the book."""
    editions = pages().get(page, {})
    return {lang: D2L_BASE[lang] + page for lang in ("en", "zh") if lang in editions}


def title(page: str, lang: str = "en") -> str:
    """The page's title in ``lang``, else in the other edition, else the page key."""
    editions = pages().get(page, {})
    return editions.get(lang) or next(iter(editions.values()), page)


def concept_links(data: dict) -> list[dict]:
    """The reading links of one concept (its node data): per page, the URL and title of each edition that has it.

    >>> concept_links({"d2l": ["chapter_convolutional-modern/resnet.html"]})[0]["zh"]
    'https://zh.d2l.ai/chapter_convolutional-modern/resnet.html'
    """
    result = []
    for page in data.get("d2l", ()):
        urls = links(page)
        if urls:
            result.append({"page": page, **urls, **{f"title_{lang}": pages()[page][lang] for lang in urls}})
    return result


def table_from_sections(path: str | Path) -> dict:
    """The shipped table built from ``sections.jsonl``: titles only (facts), no text of the book."""
    table: dict[str, dict[str, str]] = {}
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            row = json.loads(line)
            table[row["page"]] = {lang: row[f"title_{lang}"] for lang in ("en", "zh") if row.get(f"url_{lang}") and row.get(f"title_{lang}")}
    return {
        "about": "Pages of Dive into Deep Learning (d2l.ai, zh.d2l.ai) with their titles per edition; "
                 "built by 'python -m kg.d2l sections.jsonl'. The book is CC BY-SA 4.0 by Aston Zhang, "
                 "Zachary C. Lipton, Mu Li and Alexander J. Smola; only page addresses and titles are listed here.",
        "pages": dict(sorted(table.items())),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m kg.d2l SECTIONS.jsonl", file=sys.stderr)
        return 2
    TABLE_PATH.parent.mkdir(exist_ok=True)
    TABLE_PATH.write_text(json.dumps(table_from_sections(argv[0]), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    pages.cache_clear()
    print(f"{len(pages())} pages written to {TABLE_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
