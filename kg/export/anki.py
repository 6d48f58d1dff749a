"""Anki ``.apkg`` deck via genanki: one note per concept, in study order, and one note per written
interview question (front the question, back the answer, both languages, tagged by concept and
section). Options add a reverse note per concept (summary -> name) and a Chinese-to-English name
note per concept.

Front: both names. Back: both summaries, the key relations (with why) and the interview
questions. ``lang`` decides which language comes first on a concept's card, and the language of
the kind, the relation headings, the names in relations and the reasons: the Chinese deck uses its
own note type, deck and note guids, so it can sit beside the English one in one collection. Re-importing a newer export updates the cards instead of duplicating
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

from ..text import edge_reason, kind_name, languages_from, name_line

if TYPE_CHECKING:
    from ..pack import Pack

#: Never change these: Anki matches a re-imported note type and deck by them.
MODEL_ID = 1742016101
DECK_ID_BASE = 1 << 30
MODEL_NAME = "kg concept (bilingual)"
MODEL_ID_ZH = 1742016105
MODEL_NAME_ZH = "kg 概念(中文优先)"
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
FRONT_ZH = """<div class="kind">{{Kind}}{{#Section}} · §{{Section}}{{/Section}}</div>
{{#NameZh}}<div class="name">{{NameZh}}</div>{{/NameZh}}
<div class="name other">{{Name}}</div>"""
BACK_ZH = """{{FrontSide}}
<hr id="answer">
{{#SummaryZh}}<div class="summary">{{SummaryZh}}</div>{{/SummaryZh}}
<div class="summary other">{{Summary}}</div>
{{#Relations}}<h4>关系</h4>{{Relations}}{{/Relations}}
{{#Questions}}<h4>面试题</h4>{{Questions}}{{/Questions}}
{{#Reading}}<h4>动手学深度学习 · Dive into Deep Learning</h4>{{Reading}}{{/Reading}}"""
#: lang -> (note type id, note type name, front, back, guid namespace, deck name suffix)
NOTE_TYPES = {"en": (MODEL_ID, MODEL_NAME, FRONT, BACK, "kg-concept", ""),
              "zh": (MODEL_ID_ZH, MODEL_NAME_ZH, FRONT_ZH, BACK_ZH, "kg-concept-zh", " (中文)")}
CSS = """.card { font-family: -apple-system, "Segoe UI", "Noto Sans CJK SC", sans-serif; font-size: 18px; text-align: left; }
.name { font-size: 26px; font-weight: bold; text-align: center; }
.zh, .other { color: #555; }
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
    from ..queries import group_relations, related

    items = []
    for title, members in group_relations(related(pack, node), lang):
        for relation in members:
            text = f"<b>{html.escape(title)}</b> {html.escape(name_line(pack, relation.neighbour, lang))}"
            reason = edge_reason(pack, relation.edge, lang)
            if reason:
                text += f" — {html.escape(reason)}"
            items.append(text)
    if not items:
        return ""
    shown = items[:MAX_RELATIONS]
    more = f"<li>… {len(items) - MAX_RELATIONS} more</li>" if len(items) > MAX_RELATIONS else ""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in shown) + more + "</ul>"


def _questions(questions: list[dict], lang: str) -> str:
    if not questions:
        return ""
    marks = {"en": ("Q:", "A:"), "zh": ("问:", "答:")}
    items = []
    for question in questions:
        parts = []
        for part, field in enumerate(("q", "a")):  # the question in both languages, then the answer in both
            for language in languages_from(lang):
                text = question.get(field if language == "en" else f"{field}_{language}")
                if text or language == "en":
                    parts.append(f"<b>{marks[language][part]}</b> {html.escape(str(text or ''))}")
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

    model_id, model_name, front, back, guid_space, deck_suffix = NOTE_TYPES[lang]
    model = genanki.Model(model_id, model_name, fields=[{"name": f} for f in FIELDS],
                          templates=[{"name": "Concept", "qfmt": front, "afmt": back}], css=CSS,
                          sort_field_index=FIELDS.index("Order"))
    question_model = _model(genanki, QUESTION_MODEL_ID, "kg interview question (bilingual)", QUESTION_FIELDS, QUESTION_FRONT, QUESTION_BACK)
    reverse_model = _model(genanki, REVERSE_MODEL_ID, "kg concept reverse (summary to name)", REVERSE_FIELDS, REVERSE_FRONT, REVERSE_BACK)
    zh_model = _model(genanki, ZH_NAME_MODEL_ID, "kg Chinese name to English", ZH_NAME_FIELDS, ZH_NAME_FRONT, ZH_NAME_BACK)
    title = deck_name or "kg::" + str(pack.header.get("name") or "Deep learning concepts") + deck_suffix
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
            html.escape(kind_name(data.get("kind"), lang) if data.get("kind") else ""), html.escape(section),
            html.escape(data.get("summary") or ""), html.escape(data.get("summary_zh") or ""),
            _relations(pack, node, lang), _questions(data.get("questions") or [], lang), _reading(data),
        ]
        tags = list(dict.fromkeys(tags))
        deck.add_note(genanki.Note(model=model, fields=fields, tags=tags,
                                   guid=genanki.guid_for(guid_space, node), due=position))
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
