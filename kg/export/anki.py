"""Anki ``.apkg`` deck via genanki: one note per concept, in study order, and one note per written
interview question (front the question, back the answer, both languages, tagged by concept and
section). Options add a reverse note per concept (summary -> name) and a Chinese-to-English name
note per concept.

Front: the English and Chinese names. Back: both summaries, the key relations (with why) and
the interview questions. Re-importing a newer export updates the cards instead of duplicating
them: the model id and deck id are fixed numbers and each note's guid is derived from the
concept id alone. Anki renders fields as HTML, so every piece of pack text is HTML-escaped;
the only markup is the fixed ``<ul>/<li>/<b>/<br>`` this module writes, and ``<a>`` links to d2l.ai /
zh.d2l.ai pages (the Reading field) built from checked page keys. Tags: ``kind::<kind>``,
``section::<section>`` and the concept's own tags (spaces turned into ``_``).
"""
from __future__ import annotations

import hashlib
import html
import io
import re
import time
from typing import TYPE_CHECKING, Iterable


if TYPE_CHECKING:
    from ..pack import Pack

#: Never change these: Anki matches a re-imported note type and deck by them.
MODEL_ID = 1742016101
DECK_ID_BASE = 1 << 30
MODEL_NAME = "kg concept (bilingual)"
#: Fields are only ever appended (Reading came last), so a deck exported before imports into the same note type.
FIELDS = ["Id", "Order", "Name", "NameZh", "Kind", "Section", "Summary", "SummaryZh", "Relations", "Questions", "Reading"]
MAX_RELATIONS = 12
#: The other note types; fixed like MODEL_ID. Each note's guid comes from the concept id (and the
#: question's position for question notes), so re-importing updates instead of duplicating.
QUESTION_MODEL_ID = 1742016102
REVERSE_MODEL_ID = 1742016103
ZH_NAME_MODEL_ID = 1742016104
QUESTION_FIELDS = ["Id", "Order", "Concept", "ConceptZh", "Question", "QuestionZh", "Answer", "AnswerZh"]
QUESTION_FRONT = """<div class="kind">{{Concept}}{{#ConceptZh}} · {{ConceptZh}}{{/ConceptZh}}</div>
<div class="question">{{Question}}</div>
{{#QuestionZh}}<div class="question zh">{{QuestionZh}}</div>{{/QuestionZh}}"""
QUESTION_BACK = """{{FrontSide}}
<hr id="answer">
<div class="summary">{{Answer}}</div>
{{#AnswerZh}}<div class="summary zh">{{AnswerZh}}</div>{{/AnswerZh}}"""
REVERSE_FIELDS = ["Id", "Order", "Summary", "SummaryZh", "Name", "NameZh"]
REVERSE_FRONT = """<div class="summary">{{Summary}}</div>
{{#SummaryZh}}<div class="summary zh">{{SummaryZh}}</div>{{/SummaryZh}}"""
REVERSE_BACK = """{{FrontSide}}
<hr id="answer">
<div class="name">{{Name}}</div>
{{#NameZh}}<div class="name zh">{{NameZh}}</div>{{/NameZh}}"""
ZH_NAME_FIELDS = ["Id", "Order", "NameZh", "Name"]
ZH_NAME_FRONT = """<div class="name zh">{{NameZh}}</div>"""
ZH_NAME_BACK = """{{FrontSide}}
<hr id="answer">
<div class="name">{{Name}}</div>"""

FRONT = """<div class="kind">{{Kind}}{{#Section}} · §{{Section}}{{/Section}}</div>
<div class="name">{{Name}}</div>
{{#NameZh}}<div class="name zh">{{NameZh}}</div>{{/NameZh}}"""
BACK = """{{FrontSide}}
<hr id="answer">
<div class="summary">{{Summary}}</div>
{{#SummaryZh}}<div class="summary zh">{{SummaryZh}}</div>{{/SummaryZh}}
{{#Relations}}<h4>Relations</h4>{{Relations}}{{/Relations}}
{{#Questions}}<h4>Interview questions</h4>{{Questions}}{{/Questions}}
{{#Reading}}<h4>Dive into Deep Learning · 动手学深度学习</h4>{{Reading}}{{/Reading}}"""
CSS = """.card { font-family: -apple-system, "Segoe UI", "Noto Sans CJK SC", sans-serif; font-size: 18px; text-align: left; }
.name { font-size: 26px; font-weight: bold; text-align: center; }
.zh { color: #555; }
.kind { color: #888; font-size: 13px; text-align: center; }
.summary { margin: 0.6em 0; }
h4 { margin: 0.8em 0 0.3em; }
.question { font-size: 20px; margin: 0.4em 0; }"""


def _section(pack: "Pack", section: str | None) -> str:
    """A section with its names in both languages ("7.4 Focal loss 焦点损失"), not a bare number."""
    if not section:
        return ""
    names = dict.fromkeys(n for n in (pack.section_name(section, "en"), pack.section_name(section, "zh")) if n)
    return " ".join([str(section), *names])


def _tag(text: object) -> str:
    return re.sub(r"\s+", "_", str(text).strip())


def deck_id(name: str) -> int:
    """A stable deck id for a deck name (Anki needs a 31-bit positive number)."""
    return DECK_ID_BASE + int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:4], "big") % DECK_ID_BASE


def _relations(pack: "Pack", node: str, lang: str) -> str:
    from ..queries import group_relations, label, related, why

    items = []
    for title, members in group_relations(related(pack, node)):
        for relation in members:
            other = relation.neighbour
            name = html.escape(label(pack, other, "en"))
            zh = pack.graph.nodes[other].get("name_zh")
            text = f"<b>{html.escape(title)}</b> {name}" + (f" ({html.escape(zh)})" if zh and zh != label(pack, other, "en") else "")
            reason = why(pack, relation.edge, lang)
            if reason:
                text += f" — {html.escape(reason)}"
            items.append(text)
    if not items:
        return ""
    shown = items[:MAX_RELATIONS]
    more = f"<li>… {len(items) - MAX_RELATIONS} more</li>" if len(items) > MAX_RELATIONS else ""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in shown) + more + "</ul>"


def _questions(questions: list[dict]) -> str:
    if not questions:
        return ""
    items = []
    for question in questions:
        parts = [f"<b>Q:</b> {html.escape(question.get('q', ''))}"]
        if question.get("q_zh"):
            parts.append(f"<b>问:</b> {html.escape(question['q_zh'])}")
        parts.append(f"<b>A:</b> {html.escape(question.get('a', ''))}")
        if question.get("a_zh"):
            parts.append(f"<b>答:</b> {html.escape(question['a_zh'])}")
        items.append("<li>" + "<br>".join(parts) + "</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _reading(data: dict) -> str:
    """The concept's d2l pages, a link per edition that has the page (URLs built from fixed bases and checked keys)."""
    from ..d2l import concept_links

    items = []
    for link in concept_links(data):
        parts = [f'<a href="{html.escape(link[lang])}">{html.escape(link[f"title_{lang}"])}</a>' for lang in ("en", "zh") if lang in link]
        items.append("<li>" + " · ".join(parts) + "</li>")
    return "<ul>" + "".join(items) + "</ul>" if items else ""


def study_sequence(pack: "Pack", nodes: Iterable[str]) -> list[str]:
    """The chosen concepts in study order (prerequisites first, guide order on ties)."""
    import networkx as nx

    chosen = set(nodes) & set(pack.graph)
    sub = pack.study.subgraph(chosen)
    try:
        return list(nx.lexicographical_topological_sort(sub, key=lambda n: pack.order_key(n)))
    except (nx.NetworkXUnfeasible, nx.NetworkXError):
        return sorted(chosen, key=pack.order_key)  # a cyclic pack (check error): guide order still works


def _model(genanki, model_id: int, name: str, fields: list[str], front: str, back: str):
    return genanki.Model(model_id, name, fields=[{"name": f} for f in fields],
                         templates=[{"name": name, "qfmt": front, "afmt": back}], css=CSS, sort_field_index=1)


def build_deck(pack: "Pack", nodes: Iterable[str] | None = None, lang: str = "en", deck_name: str | None = None,
               *, questions: bool = True, reverse: bool = False, zh_names: bool = False):
    """The genanki ``Deck`` (with its notes) for the chosen concepts: a note per concept, a note per
    written interview question (``questions``), and optionally a reverse note (summary to name) and a
    Chinese-to-English name note per concept."""
    import genanki

    model = genanki.Model(MODEL_ID, MODEL_NAME, fields=[{"name": f} for f in FIELDS],
                          templates=[{"name": "Concept", "qfmt": FRONT, "afmt": BACK}], css=CSS,
                          sort_field_index=FIELDS.index("Order"))
    question_model = _model(genanki, QUESTION_MODEL_ID, "kg interview question (bilingual)", QUESTION_FIELDS, QUESTION_FRONT, QUESTION_BACK)
    reverse_model = _model(genanki, REVERSE_MODEL_ID, "kg concept reverse (summary to name)", REVERSE_FIELDS, REVERSE_FRONT, REVERSE_BACK)
    zh_model = _model(genanki, ZH_NAME_MODEL_ID, "kg Chinese name to English", ZH_NAME_FIELDS, ZH_NAME_FRONT, ZH_NAME_BACK)
    title = deck_name or "kg::" + str(pack.header.get("name") or "Deep learning concepts")
    deck = genanki.Deck(deck_id(title), title, description=html.escape(str(pack.header.get("attribution", ""))))
    order = study_sequence(pack, pack.graph if nodes is None else nodes)
    for position, node in enumerate(order, 1):
        data = pack.graph.nodes[node]
        tags = [f"kind::{_tag(data.get('kind', 'unknown'))}"]
        section = _section(pack, data.get("section"))
        if section:
            tags.append(f"section::{_tag(section)}")
        tags.extend(_tag(tag) for tag in data.get("tags", []) if str(tag).strip())
        fields = [
            html.escape(node), f"{position:05d}",
            html.escape(data.get("name") or node), html.escape(data.get("name_zh") or ""),
            html.escape(data.get("kind") or ""), html.escape(section),
            html.escape(data.get("summary") or ""), html.escape(data.get("summary_zh") or ""),
            _relations(pack, node, lang), _questions(data.get("questions") or []), _reading(data),
        ]
        tags = list(dict.fromkeys(tags))
        deck.add_note(genanki.Note(model=model, fields=fields, tags=tags,
                                   guid=genanki.guid_for("kg-concept", node), due=position))
        name, name_zh = html.escape(data.get("name") or node), html.escape(data.get("name_zh") or "")
        if questions:
            for number, item in enumerate(data.get("questions") or [], 1):
                values = [html.escape(f"{node}#{number}"), f"{position:05d}.{number:02d}", name, name_zh,
                          html.escape(item.get("q") or ""), html.escape(item.get("q_zh") or ""),
                          html.escape(item.get("a") or ""), html.escape(item.get("a_zh") or "")]
                deck.add_note(genanki.Note(model=question_model, fields=values, tags=[*tags, f"concept::{_tag(node)}", "question"],
                                           guid=genanki.guid_for("kg-question", node, number), due=position))
        if reverse and data.get("summary"):
            values = [html.escape(node), f"{position:05d}", html.escape(data.get("summary") or ""),
                      html.escape(data.get("summary_zh") or ""), name, name_zh]
            deck.add_note(genanki.Note(model=reverse_model, fields=values, tags=[*tags, "reverse"],
                                       guid=genanki.guid_for("kg-reverse", node), due=position))
        if zh_names and name_zh and name_zh != name:
            deck.add_note(genanki.Note(model=zh_model, fields=[html.escape(node), f"{position:05d}", name_zh, name],
                                       tags=[*tags, "zh-name"], guid=genanki.guid_for("kg-zh-name", node), due=position))
    return deck


def to_anki(pack: "Pack", nodes: Iterable[str] | None = None, lang: str = "en", timestamp: float | None = None,
            *, anki_questions: bool = True, anki_reverse: bool = False, anki_zh_names: bool = False, **_options) -> bytes:
    """The ``.apkg`` file's bytes. ``timestamp`` (default now) is the notes' modification time:
    Anki updates an existing note on import only when the incoming one is newer. ``anki_questions``,
    ``anki_reverse`` and ``anki_zh_names`` choose the extra notes (see :func:`build_deck`)."""
    import genanki

    buffer = io.BytesIO()
    deck = build_deck(pack, nodes, lang, questions=anki_questions, reverse=anki_reverse, zh_names=anki_zh_names)
    genanki.Package(deck).write_to_file(buffer, timestamp=timestamp if timestamp is not None else time.time())
    return buffer.getvalue()
