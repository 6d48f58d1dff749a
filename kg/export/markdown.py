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

from ..schema import DEFAULT_MINUTES, ID_PATTERN
from ..text import duration, edge_reason, edge_sentence, field_text, kind_name, languages_from, names, other_text, word

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


def _name(pack, node: str, lang: str) -> str:
    first, second = names(pack, node, lang)
    return escape(first) + (f" ({escape(second)})" if second else "")


def _id(node: str) -> str:
    return f"`{node}`" if ID_PATTERN.match(node) else escape(node)


def _sentence(pack, edge, lang: str) -> str:
    return escape(edge_sentence(pack, edge, lang))


def plan_markdown(pack: "Pack", targets: list[str], known: list[str] | None = None, lang: str = "en") -> str:
    """A study plan as a Markdown checklist: each step with its time and the chain of reasons."""
    from ..queries import study_order

    plan = study_order(pack, targets, known or [])
    names = ", ".join(_name(pack, t, lang) for t in plan.targets)
    lines = [f"# {word('study_plan', lang)}: {names}", ""]
    lines.append(word("plan_steps", lang, n=len(plan.steps), time=duration(plan.total_minutes, lang)))
    if plan.known:
        lines.append("")
        lines.append(word("already_known", lang) + ": " + ", ".join(_name(pack, k, lang) for k in plan.known))
    lines.append("")
    # A reason (why) explains the concept its edge is written on: attach it to that concept's step, not
    # to the prerequisite the edge pulled in ("It is one particular activation function" belongs to ReLU).
    explained: dict[str, list[tuple[str, str, str]]] = {}
    for step in plan.steps:
        if step.reason:
            explained.setdefault(step.reason[0][0], []).append(step.reason[0])
    for step in plan.steps:
        lines.append(f"- [ ] **{_name(pack, step.id, lang)}** — {duration(step.minutes, lang)}")
        if step.is_target:
            lines.append(f"  - {word('target', lang)}")
        else:
            shown = step.reason[:2]  # the direct reason and one further link, as `kg order` prints by default
            chain = " → ".join(_sentence(pack, edge, lang) for edge in shown) + (" → …" if step.reason_length > len(shown) else "")
            lines.append(f"  - {word('reason_chain', lang)}: {chain}")
        for edge in explained.get(step.id, []):
            reason = edge_reason(pack, edge, lang)
            if reason:
                lines.append(f"  - {word('reason_why', lang)} ({_sentence(pack, edge, lang)}): {escape(reason)}")
    return "\n".join(lines) + "\n"


def sheet_markdown(pack: "Pack", nodes: Iterable[str], lang: str = "en") -> str:
    """One section per concept: names, kind, summaries, relations with why, questions, references."""
    from ..d2l import concept_links
    from ..queries import group_relations, related

    chosen = [n for n in nodes if n in pack.graph]
    lines = [f"# {word('concept_sheets', lang)}", "", word("export_count", lang, n=len(chosen)), ""]
    for node in chosen:
        data = pack.graph.nodes[node]
        lines.append(f"## {_name(pack, node, lang)}")
        lines.append("")
        facts = [_id(node), escape(kind_name(data.get("kind"), lang) if data.get("kind") else "")]
        if data.get("section"):
            names = dict.fromkeys(n for n in (pack.section_name(data["section"], lang), *(pack.section_name(data["section"], other) for other in languages_from(lang)[1:])) if n)
            facts.append(escape(word("draw_section", lang, section=" ".join([str(data["section"]), *names]))))
        facts.append(duration(data.get("minutes", DEFAULT_MINUTES), lang))
        lines.append(" · ".join(facts))
        lines.append("")
        for summary in (field_text(data, "summary", lang), other_text(data, "summary", lang)):
            if summary:
                lines.extend([paragraph(summary), ""])
        if data.get("aliases"):
            lines.extend([f"**{word('also_called', lang)}:** " + ", ".join(escape(a) for a in data["aliases"]), ""])
        groups = group_relations(related(pack, node), lang)
        if groups:
            lines.extend([f"### {word('relations', lang)}", ""])
            for title, members in groups:
                for relation in members:
                    reason = edge_reason(pack, relation.edge, lang)
                    suffix = f" — {escape(reason)}" if reason else ""
                    lines.append(f"- {escape(title)}: {_name(pack, relation.neighbour, lang)}{suffix}")
            lines.append("")
        contrasts = pack.contrasts(node)
        if contrasts:
            lines.extend([f"### {word('how_it_differs', lang)}", ""])
            for contrast in contrasts:
                how = field_text(contrast, "how", lang)
                lines.append(f"- {word('compare_vs', lang)} {_name(pack, contrast['to'], lang)}: {escape(how)}")
            lines.append("")
        questions = data.get("questions") or []
        if questions:
            lines.extend([f"### {word('questions', lang)}", ""])
            for question in questions:
                q, a = field_text(question, "q", lang), field_text(question, "a", lang)
                lines.append(f"- **Q:** {escape(q)}")
                lines.append(f"  **A:** {escape(a)}")
            lines.append("")
        reading = concept_links(data)
        if reading:
            lines.extend([f"### {word('d2l_heading', lang).rstrip(':：')}", ""])
            for link in reading:
                editions = languages_from(lang)
                lines.append("- " + " · ".join(f"[{escape(link[f'title_{e}'])}]({safe_url(link[e])})" for e in editions if e in link))
            lines.append("")
        refs = data.get("refs") or []
        if refs:
            lines.extend([f"### {word('refs', lang)}", ""])
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
