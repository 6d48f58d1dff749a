"""Markdown: a study plan as a checklist (with ``plan``), or a concept sheet per concept.

Pack text never becomes markup: ``&``, ``<`` and ``>`` become HTML entities (so no raw HTML,
autolink or entity from the pack gets through) and the inline Markdown characters
(backslash, backtick, ``*``, ``_``, ``[``, ``]``, ``|``, ``~``) are backslash-escaped, so no
link, image, code span, emphasis or table cell can be opened. Line breaks become spaces.
Reference links are written only for ``http``/``https`` URLs, inside ``<...>`` with spaces and
angle brackets percent-encoded.

>>> escape("<script>alert(1)</script> [x](javascript:y) *a*")
'&lt;script&gt;alert(1)&lt;/script&gt; \\\\[x\\\\](javascript:y) \\\\*a\\\\*'
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable
from urllib.parse import quote as url_quote, urlsplit

from ..schema import DEFAULT_MINUTES, EDGE_TYPES, ID_PATTERN

if TYPE_CHECKING:
    from ..pack import Pack

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^([#+\-=>]|\d+[.)])")


def escape(text: object) -> str:
    """Pack text as literal Markdown inline text on one line."""
    value = " ".join(str(text if text is not None else "").split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE.sub(r"\\\1", value)


def paragraph(text: object) -> str:
    """Escaped text that is safe at the start of a line too (no heading, list or quote)."""
    value = escape(text)
    return _LINE_START.sub(lambda m: "\\" + m.group(0) if not m.group(0)[0].isdigit() else m.group(0)[:-1] + "\\" + m.group(0)[-1], value)


def safe_url(url: object) -> str | None:
    """An http(s) URL as a Markdown link destination ``<...>``, or None for anything else."""
    text = str(url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return "<" + url_quote(text, safe="/:?#[]@!$&'()*+,;=%~-._") .replace("<", "%3C").replace(">", "%3E") + ">"


def _minutes(total: int) -> str:
    hours, minutes = divmod(int(total), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _name(pack, node: str, lang: str) -> str:
    from ..queries import names

    first, second = names(pack, node, lang)
    return escape(first) + (f" ({escape(second)})" if second else "")


def _id(node: str) -> str:
    return f"`{node}`" if ID_PATTERN.match(node) else escape(node)


def _sentence(pack, edge, lang: str) -> str:
    source, edge_type, target = edge
    label = lambda n: escape((pack.graph.nodes[n].get("name_zh") if lang == "zh" else None) or pack.graph.nodes[n].get("name") or n)
    return EDGE_TYPES[edge_type][lang].format(a=label(source), b=label(target))


def plan_markdown(pack: "Pack", targets: list[str], known: list[str] | None = None, lang: str = "en") -> str:
    """A study plan as a Markdown checklist: each step with its time and the chain of reasons."""
    from ..queries import study_order, why

    plan = study_order(pack, targets, known or [])
    zh = lang == "zh"
    names = ", ".join(_name(pack, t, lang) for t in plan.targets)
    lines = [f"# {'学习计划' if zh else 'Study plan'}: {names}", ""]
    lines.append(f"{len(plan.steps)} {'步' if zh else 'steps'}, {_minutes(plan.total_minutes)}")
    if plan.known:
        lines.append("")
        lines.append(("已掌握" if zh else "Already known") + ": " + ", ".join(_name(pack, k, lang) for k in plan.known))
    lines.append("")
    # A reason (why) explains the concept its edge is written on: attach it to that concept's step, not
    # to the prerequisite the edge pulled in ("It is one particular activation function" belongs to ReLU).
    explained: dict[str, list[tuple[str, str, str]]] = {}
    for step in plan.steps:
        if step.reason:
            explained.setdefault(step.reason[0][0], []).append(step.reason[0])
    for step in plan.steps:
        lines.append(f"- [ ] **{_name(pack, step.id, lang)}** — {_minutes(step.minutes)}")
        if step.is_target:
            lines.append(f"  - {'目标' if zh else 'target'}")
        else:
            shown = step.reason[:2]  # the direct reason and one further link, as `kg order` prints by default
            chain = " → ".join(_sentence(pack, edge, lang) for edge in shown) + (" → …" if step.reason_length > len(shown) else "")
            lines.append(f"  - {'原因' if zh else 'because'}: {chain}")
        for edge in explained.get(step.id, []):
            reason = why(pack, edge, lang)
            if reason:
                lines.append(f"  - {'说明' if zh else 'why'} ({_sentence(pack, edge, lang)}): {escape(reason)}")
    return "\n".join(lines) + "\n"


def sheet_markdown(pack: "Pack", nodes: Iterable[str], lang: str = "en") -> str:
    """One section per concept: names, kind, summaries, relations with why, questions, references."""
    from ..d2l import concept_links
    from ..queries import group_relations, related, why

    zh = lang == "zh"
    chosen = [n for n in nodes if n in pack.graph]
    lines = [f"# {'概念卡片' if zh else 'Concept sheets'}", "", f"{len(chosen)} {'个概念' if zh else 'concepts'}", ""]
    for node in chosen:
        data = pack.graph.nodes[node]
        lines.append(f"## {_name(pack, node, lang)}")
        lines.append("")
        facts = [_id(node), escape(data.get("kind", ""))]
        if data.get("section"):
            names = dict.fromkeys(n for n in (pack.section_name(data["section"], lang), pack.section_name(data["section"], "en" if zh else "zh")) if n)
            facts.append(("章节 " if zh else "section ") + escape(" ".join([str(data["section"]), *names])))
        facts.append(_minutes(data.get("minutes", DEFAULT_MINUTES)))
        lines.append(" · ".join(facts))
        lines.append("")
        summaries = [data.get("summary_zh"), data.get("summary")] if zh else [data.get("summary"), data.get("summary_zh")]
        for summary in summaries:
            if summary:
                lines.extend([paragraph(summary), ""])
        if data.get("aliases"):
            lines.extend([f"**{'别名' if zh else 'Also called'}:** " + ", ".join(escape(a) for a in data["aliases"]), ""])
        groups = group_relations(related(pack, node), lang)
        if groups:
            lines.extend([f"### {'关系' if zh else 'Relations'}", ""])
            for title, members in groups:
                for relation in members:
                    reason = why(pack, relation.edge, lang)
                    suffix = f" — {escape(reason)}" if reason else ""
                    lines.append(f"- {escape(title)}: {_name(pack, relation.neighbour, lang)}{suffix}")
            lines.append("")
        contrasts = pack.contrasts(node)
        if contrasts:
            lines.extend([f"### {'区别' if zh else 'How it differs'}", ""])
            for contrast in contrasts:
                how = (contrast.get("how_zh") if zh else None) or contrast["how"]
                lines.append(f"- {'对比' if zh else 'vs'} {_name(pack, contrast['to'], lang)}: {escape(how)}")
            lines.append("")
        questions = data.get("questions") or []
        if questions:
            lines.extend([f"### {'面试题' if zh else 'Interview questions'}", ""])
            for question in questions:
                q = (question.get("q_zh") if zh else None) or question.get("q", "")
                a = (question.get("a_zh") if zh else None) or question.get("a", "")
                lines.append(f"- **Q:** {escape(q)}")
                lines.append(f"  **A:** {escape(a)}")
            lines.append("")
        reading = concept_links(data)
        if reading:
            lines.extend([f"### {'动手学深度学习' if zh else 'Dive into Deep Learning'}", ""])
            for link in reading:
                editions = ("zh", "en") if zh else ("en", "zh")
                lines.append("- " + " · ".join(f"[{escape(link[f'title_{e}'])}]({safe_url(link[e])})" for e in editions if e in link))
            lines.append("")
        refs = data.get("refs") or []
        if refs:
            lines.extend([f"### {'参考' if zh else 'References'}", ""])
            for ref in refs:
                title = escape(ref.get("title", ""))
                destination = safe_url(ref.get("url"))
                text = f"[{title}]({destination})" if destination and title else title
                authors = ", ".join(escape(a) for a in ref.get("authors", []))
                year = f" ({escape(ref['year'])})" if ref.get("year") else ""
                lines.append(f"- {text}" + (f" — {authors}" if authors else "") + year)
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_markdown(pack: "Pack", nodes: Iterable[str] | None = None, lang: str = "en",
                plan: list[str] | None = None, known: list[str] | None = None, **_options) -> str:
    """The study plan for ``plan`` targets when given, else concept sheets for ``nodes``."""
    if plan:
        return plan_markdown(pack, plan, known, lang)
    return sheet_markdown(pack, sorted(pack.graph, key=pack.order_key) if nodes is None else nodes, lang)
