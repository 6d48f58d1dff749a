"""One standalone, offline HTML page with the interactive graph: :func:`kg.render.render_html`.

The page follows the app's layout and safety rules (pack text only as escaped JSON data, shown
with ``textContent``; a Content-Security-Policy that allows no requests). An export draws every
chosen concept: the app's on-screen cap is raised to the number of concepts asked for.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from ..pack import Pack


def to_html(pack: "Pack", nodes: Iterable[str] | None = None, lang: str = "en",
            focus: str | None = None, plan: list[str] | None = None, **_options) -> str:
    from ..layout import MAX_NODES
    from ..render import render_html
    from ..text import label, word

    chosen = list(sorted(pack.graph, key=pack.order_key) if nodes is None else nodes)
    focus_id = pack.resolve(focus) if focus else None
    if plan:
        title = word("plan_title", lang, names=", ".join(plan))
    elif focus_id:
        title = word("around", lang, name=label(pack, focus_id, lang))
    else:
        title = str(pack.header.get("name") or "kg")
    return render_html(pack, chosen, focus=focus_id, lang=lang, title=title, cap=max(MAX_NODES, len(chosen)))
