"""Every piece of text kg shows, in English and Chinese: names, edge sentences, reasons, durations,
kind names, quiz prompts and the interface words of the command line, the app and the drawing.

One module answers "this text in this language"; the command line, the exports, the quiz, the
renderer and the app call it instead of choosing a field or a literal themselves. (The message and
hint of each problem code are written beside the code, in :data:`kg.problems.CODES`.) It imports
neither streamlit nor pyvis. Pack text is
returned as written (never escaped: escaping belongs to each output format). A Chinese field that
is missing falls back to the English one, so a pack without translations still reads.

>>> from kg import load_pack
>>> pack = load_pack()
>>> names(pack, "focal-loss", "zh")
('焦点损失', 'Focal Loss')
>>> edge_sentence(pack, ("relu", "solves", "vanishing-gradient"), "en")
'ReLU solves Vanishing Gradient'
>>> duration(785, "zh"), duration(785, "en")
('13 小时 5 分钟', '13 h 05 min')
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .schema import EDGE_TYPES

if TYPE_CHECKING:
    from .pack import Pack

Edge = tuple[str, str, str]

#: The languages kg speaks, with their own names.
LANGS: dict[str, str] = {"en": "English", "zh": "中文"}
#: The HTML ``lang`` attribute of a page in each language.
HTML_LANG: dict[str, str] = {"en": "en", "zh": "zh-Hans"}

#: The pack's text fields that have a Chinese twin named ``<field>_zh``.
BILINGUAL_FIELDS = ("name", "summary", "why", "q", "a", "how")


# ---------------------------------------------------------------- pack text


def languages_from(lang: str) -> tuple[str, ...]:
    """Every language, ``lang`` first: the order in which to show a text that exists in several.

    >>> languages_from("zh")
    ('zh', 'en')
    """
    return (lang, *(other for other in LANGS if other != lang))


def field_text(data: dict, field: str, lang: str) -> str:
    """``data[field]`` in ``lang``: the ``<field>_zh`` twin in Chinese when it is there, else the field.

    >>> field_text({"q": "Why?", "q_zh": "为什么?"}, "q", "zh"), field_text({"q": "Why?"}, "q", "zh")
    ('为什么?', 'Why?')
    """
    if lang != "en":
        translated = data.get(f"{field}_{lang}")
        if translated:
            return str(translated)
    value = data.get(field)
    return "" if value is None else str(value)


def other_text(data: dict, field: str, lang: str) -> str:
    """The same field in the other language, or "" when it is missing or says the same.

    >>> other_text({"summary": "S.", "summary_zh": "说明。"}, "summary", "zh")
    'S.'
    """
    first = field_text(data, field, lang)
    other = field_text(data, field, "en" if lang != "en" else "zh")
    return other if other != first else ""


def names(pack: "Pack", node: str, lang: str = "en") -> tuple[str, str]:
    """(name in ``lang``, the other name or ""); the id stands in for a missing English name."""
    data = pack.graph.nodes[node]
    en, zh = data.get("name") or node, data.get("name_zh") or ""
    first, second = (zh, en) if lang == "zh" and zh else (en, zh)
    return first, (second if second != first else "")


def label(pack: "Pack", node: str, lang: str = "en") -> str:
    """A concept's name in ``lang``, falling back to the English name, then the id."""
    return names(pack, node, lang)[0]


def name_line(pack: "Pack", node: str, lang: str = "en") -> str:
    """The name in ``lang`` with the other one in brackets: ``Focal Loss (焦点损失)``."""
    first, second = names(pack, node, lang)
    return first + (f" ({second})" if second else "")


def edge_sentence(pack: "Pack", edge: Edge, lang: str = "en") -> str:
    """One readable sentence for a written edge, with the names in ``lang``."""
    source, edge_type, target = edge
    return EDGE_TYPES[edge_type][lang].format(a=label(pack, source, lang), b=label(pack, target, lang))


def edge_reason(pack: "Pack", edge: Edge, lang: str = "en") -> str:
    """Why the edge holds (``why``, or ``why_zh`` in Chinese when written); "" when none is given."""
    source, edge_type, target = edge
    return field_text(pack.graph.edges[source, target, edge_type], "why", lang)


def relation_title(edge_type: str, direction: str, lang: str = "en") -> str:
    """The heading of a group of relations: "solves" (``direction`` "out") or "solved by" ("in")."""
    return EDGE_TYPES[edge_type][f"{'forward' if direction == 'out' else 'inverse'}_{lang}"]


def edge_type_name(edge_type: str, lang: str = "en") -> str:
    """The short name of an edge type for legends: "variant of", "变体"."""
    return EDGE_NAMES[lang].get(edge_type, edge_type)


def kind_name(kind: str | None, lang: str = "en") -> str:
    """The display name of a kind (the kind itself in English)."""
    kind = kind or "?"
    return KIND_NAMES[lang].get(kind, kind)


def duration(minutes: int, lang: str = "en") -> str:
    """Study time, read as the language reads it.

    >>> duration(45, "en"), duration(45, "zh"), duration(120, "en"), duration(120, "zh")
    ('45 min', '45 分钟', '2 h 00 min', '2 小时')
    """
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return word("duration_minutes", lang, m=rest)
    if not rest and lang == "zh":
        return word("duration_hours", lang, h=hours)
    return word("duration_hours_minutes", lang, h=hours, m=rest)


# ---------------------------------------------------------------- fixed words


KIND_NAMES: dict[str, dict[str, str]] = {
    "en": {},
    "zh": {
        "problem": "问题", "concept": "概念", "math": "数学", "technique": "技术", "architecture": "架构",
        "model": "模型", "layer": "层", "activation": "激活函数", "loss": "损失函数", "optimizer": "优化器",
        "metric": "指标", "paradigm": "范式", "framework": "框架", "tool": "工具", "application": "应用",
    },
}

EDGE_NAMES: dict[str, dict[str, str]] = {
    "en": {"requires": "requires", "variant-of": "variant of", "used-in": "used in", "solves": "solves", "causes": "causes"},
    "zh": {"requires": "需要", "variant-of": "变体", "used-in": "用于", "solves": "解决", "causes": "导致"},
}

#: Multiple-choice prompts by (edge type, direction). "forward": the answer is the edge's source;
#: "inverse": the answer is the edge's target. {x} is the concept asked about.
QUIZ_PROMPTS: dict[tuple[str, str], dict[str, str]] = {
    ("solves", "forward"): {"en": "Which of these solves {x}?", "zh": "以下哪一项可以解决“{x}”?"},
    ("solves", "inverse"): {"en": "Which problem does {x} solve?", "zh": "“{x}”解决的是以下哪个问题?"},
    ("variant-of", "forward"): {"en": "Which of these is a variant of {x}?", "zh": "以下哪一项是“{x}”的变体?"},
    ("variant-of", "inverse"): {"en": "{x} is a variant of ...?", "zh": "“{x}”是以下哪一项的变体?"},
    ("used-in", "forward"): {"en": "Which of these is used in {x}?", "zh": "以下哪一项用于“{x}”?"},
    ("used-in", "inverse"): {"en": "{x} is used in ...?", "zh": "“{x}”用于以下哪一项?"},
    ("requires", "inverse"): {"en": "What must you know before {x}?", "zh": "学习“{x}”之前必须先掌握什么?"},
    ("requires", "forward"): {"en": "Which of these needs {x} first?", "zh": "以下哪一项需要先掌握“{x}”?"},
    ("causes", "forward"): {"en": "Which of these causes {x}?", "zh": "以下哪一项会导致“{x}”?"},
    ("causes", "inverse"): {"en": "Which problem can {x} cause?", "zh": "“{x}”可能导致以下哪个问题?"},
}

#: The prompt of a question built from a ``contrasts`` entry; options name the two concepts A and B.
CONTRAST_PROMPTS: dict[str, str] = {"en": "How do A ({a}) and B ({b}) differ?", "zh": "A(“{a}”)与 B(“{b}”)有什么区别?"}

#: lang -> key -> ``str.format`` template: every fixed word kg shows, in one table. Every key exists in
#: both languages with the same placeholders (``tests/test_text.py`` checks it).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        # the app (app.py and kg/app/): its pages, widgets and messages
        "title": "kg · deep-learning concepts",
        "n_concepts_one": "{n} concept", "n_concepts_many": "{n} concepts",
        "n_edges_one": "{n} link", "n_edges_many": "{n} links",
        "n_errors_one": "{n} error", "n_errors_many": "{n} errors",
        "n_warnings_one": "{n} warning", "n_warnings_many": "{n} warnings",
        "n_notes_one": "{n} note", "n_notes_many": "{n} notes",
        "n_steps_one": "{n} step", "n_steps_many": "{n} steps",
        "upload_button": "Choose a file",
        "other_summary": "中文 summary",
        "tab_compare": "Compare",
        "compare_pick": "Concepts to compare (two or three)",
        "compare_need": "Pick two or three concepts to see them side by side: what each is, what they share, how they differ and how they connect.",
        "compare_no_contrast": "The pack has no written contrast for these concepts; compare their summaries and relations above.",
        "compare_all_variants_of": "All of them are variants of",
        "compare_prereqs": "Closest prerequisites they share ({n} shared in all)",
        "compare_none_shared": "No shared parent or prerequisite.",
        "upload_limits": "A .yaml, .yml or .zip file of at most {mb} MB.",
        "too_large": "the file is larger than {mb} MB",
        "shipped_pack": "the deep-learning concepts shipped with kg",
        "search_placeholder": "e.g. ReLU, 注意力, batch norm",
        "plan_for": "Study plan for {name}",
        "orient_title": "**How to use this map**",
        "orient_body": (
            "Each dot is a deep-learning concept; the one in the middle is the **focus**. An arrow is a link with a type: "
            "**requires** (learn the other one first), **variant of** (a special case of the other), **used in**, "
            "**solves** (a problem) and **causes** (a problem). **Depth** is how many links away from the focus the "
            "drawing reaches. Click a dot, a relation or a search result to make it the focus; the browser's Back "
            "button walks your trail back. For a study plan, open **Study plan** and pick what you want to learn: "
            "kg lists everything you need before it, in order."),
        "orient_ok": "Got it",
        "preview_alt": "Picture of the graph; the interactive graph replaces it once loaded",
        "depth_help": "How many links away from the focus the drawing reaches.",
        "whole_help": "Every concept, grouped by section of the guide; click a section to open it.",
        "physics_help": "Let the nodes settle by simulated springs (slow on big graphs).",
        "choose": "Choose…",
        "pick_placeholder": "Type an English or Chinese name or an alias, then Enter",
        "known_files": "Save or load the concepts you know (file)",
        "plan_broken": "This pack has a problem that stops a study plan here: the Checks tab shows where.",
        "open_checks": "Open the Checks tab",
        "open_help": "Show this concept in Explore",
        "advanced": "Advanced",
        "severity_error": "error", "severity_warning": "warning", "severity_info": "note",
        "problems_more": "{n} more problems are not listed here; `kg check` lists them all.",
        "language": "Language / 语言",
        "pack": "Pack",
        "pack_stats": "{concepts}, {edges} · {errors}, {warnings}",
        "upload": "Open another pack (.yaml or .zip)",
        "upload_help": "At most {mb} MB. A zip is unpacked safely: no paths outside its folder, no links, size limits.",
        "upload_bad": "The uploaded pack could not be opened: {error}",
        "using_upload": "Showing the uploaded pack {name}. Remove the file to go back.",
        "search": "Search concepts",
        "search_help": "English or Chinese name, alias or id; typos are fine.",
        "no_hits": "No concept matches.",
        "tab_explore": "Explore",
        "tab_plan": "Study plan",
        "tab_connect": "Connect",
        "tab_checks": "Checks",
        "tab_quiz": "Quiz",
        "quiz_topic": "Topic",
        "quiz_any": "Any concept",
        "quiz_use_focus": "Quiz on the focus: {name}",
        "quiz_count": "Questions",
        "quiz_seed": "Seed",
        "quiz_seed_help": "The same seed gives the same quiz.",
        "quiz_new": "New quiz",
        "quiz_check": "Check answers",
        "quiz_none": "No questions for this topic.",
        "quiz_interview": "Interview question: answer it aloud or on paper, then show the answer and grade yourself.",
        "quiz_reveal": "Show the answer",
        "quiz_self": "Did you know it?",
        "quiz_knew": "I knew it",
        "quiz_missed": "I did not",
        "quiz_score": "Score: {correct}/{total} ({percent}%)",
        "quiz_right": "Right",
        "quiz_wrong": "Wrong: the answer is {answer}",
        "quiz_skipped": "Not answered: the answer is {answer}",
        "quiz_to_review": "To review",
        "quiz_review": "Review ({n})",
        "quiz_review_help": "Wrong and unanswered questions land here; answering one right takes it off.",
        "quiz_review_empty": "Nothing to review yet.",
        "quiz_review_down": "Download the review list (JSON)",
        "quiz_retry": "Retry these questions",
        "quiz_clear": "Clear the review list",
        "quiz_retrying": "Retrying the {n} questions of your review list.",
        "quiz_back": "Back to the quiz",
        "depth": "Depth (hops)",
        "whole": "Whole graph",
        "physics": "Physics",
        "filters": "Filters",
        "edge_types": "Edge types",
        "kinds": "Kinds",
        "chapters": "Guide sections",
        "too_big": "The whole graph has {total} concepts, more than the {cap} drawn at once: showing the focus neighbourhood instead.",
        "kind": "Kind",
        "section": "Section",
        "minutes": "Study time",
        "min": "{m} min",
        "relations": "Relations",
        "no_relations": "No relations.",
        "questions": "Interview questions",
        "refs": "References",
        "reading": "Read in Dive into Deep Learning",
        "edition_en": "English edition",
        "edition_zh": "Chinese edition",
        "no_focus": "This pack has no concepts to show.",
        "targets": "What do you want to learn?",
        "known": "Concepts you already know",
        "plan_empty": "Choose one or more targets to get a study plan.",
        "plan_total": "{steps} · about {time}",
        "plan_done": "You already know everything these targets need.",
        "tick": "Tick a step when you know it: it moves to your known concepts and the plan shrinks.",
        "target": "target",
        "why_step": "needed because",
        "download_plan": "Download the plan (Markdown)",
        "next": "What can I learn next",
        "next_help": "Concepts whose prerequisites you all know.",
        "focus_btn": "Focus",
        "add_btn": "Plan",
        "known_down": "Download known concepts (JSON)",
        "known_up": "Load known concepts (JSON)",
        "known_help": "A JSON file of at most {kb} KB, as saved by the button beside it.",
        "relations_more": "… and {n} more relations not listed.",
        "internal_error": "Something went wrong in kg while answering this; the rest of the page still works. Please report it",
        "known_bad": "That file is not a known-concepts file: {error}",
        "known_loaded": "Loaded {n} known concepts.",
        "from": "From",
        "to": "To",
        "same": "Choose two different concepts.",
        "no_path": "These two concepts are not connected.",
        "path_n": "Connection {n}",
        "checks_clean": "No problems: the pack is clean.",
        "query_error": "This view cannot be computed on this pack: {error}",
        "hours": "{h} h {m:02d} min",
        "export": "Export",
        "export_scope": "What to export",
        "export_focus": "Focus neighbourhood",
        "export_plan": "Study plan",
        "export_pack": "Whole pack",
        "export_count": "{n} concepts",
        "export_about_focus": "depth {depth}; Explore's filters are not applied",
        "format_json": "JSON (node-link)",
        "format_graphml": "GraphML (Gephi, yEd)",
        "format_gexf": "GEXF (Gephi)",
        "format_dot": "DOT (Graphviz)",
        "format_mermaid": "Mermaid flowchart",
        "format_csv": "CSV (edges)",
        "format_markdown": "Markdown",
        "format_anki": "Anki deck (.apkg)",
        "format_html": "HTML page (offline)",
        # the app: the learner's profile, the Today tab and progress (kg.app.profile, kg.app.today)
        "tab_today": "Today",
        "profile": "Profile",
        "profile_new": "New profile",
        "profile_new_hint": "a name, then Enter",
        "profile_error": "Your progress could not be read or saved: {error}",
        "profile_no_user": "This app expects the signed-in user from the web server in front of it, and none was given.",
        "profile_signed_in": "Signed in as {name}; progress is saved to your profile.",
        "know_this": "I know this",
        "skip_this": "Skip",
        "add_to_plan": "Add to my plan",
        "today_minutes": "Minutes today",
        "today_reviews_title": "Reviews due ({n})",
        "today_no_reviews": "No review is due.",
        "today_covers_app": "also refreshes {names}",
        "today_check_app": "quick check: a later concept was missed",
        "today_new_title": "Next new concepts ({n})",
        "today_no_new": "Nothing new fits in the time, or your targets are reached.",
        "today_cli_hint": "Reviews are asked by `kg review` with the same profile; this page shows what is due.",
        "place_title": "Place me",
        "place_help": "A few adaptive questions over a target's study plan (as kg diagnose asks them) estimate what you already know; you confirm the estimate before it is saved.",
        "place_target": "Target to place me for",
        "place_start": "Start",
        "place_progress": "Placement for {target}: {asked} answered, {total} concepts in the plan",
        "place_choose": "Your answer",
        "place_answer": "Answer",
        "place_show_answer": "Show the answer",
        "place_knew": "I knew it",
        "place_did_not": "I did not",
        "place_stop": "Stop here",
        "place_estimate": "Estimated: you know {known} of the {total} concepts of the plan.",
        "place_save": "Save these as known",
        "place_cancel": "Discard",
        "progress_title": "Progress",
        "progress_overall_app": "Overall · {known}/{total}",
        "progress_orphans_app": "{n} concept(s) of your profile are not in this pack; they are kept.",
        # the command line, and durations everywhere
        "compare_vs": "vs",
        "compare_shared": "What they share",
        "compare_parents": "both are variants of",
        "compare_prerequisites": "closest shared prerequisites ({count} shared in all)",
        "compare_nothing": "nothing in the graph",
        "compare_differ": "How they differ",
        "compare_connect": "How they connect",
        "compare_unconnected": "{a} and {b} are not connected",
        "how_it_differs": "How it differs",
        "explain_prompt": "Can you explain what {name} is?",
        "duration_minutes": "{m} min",
        "duration_hours": "{h} h",
        "duration_hours_minutes": "{h} h {m:02d} min",
        "plan_heading": "Study plan for {names}: {steps} step{s}, {time}",
        "because": "because ",
        "ready_heading": "{n} concept(s) ready to learn:",
        "and_more": "... and {n} more (--limit)",
        "farther": "farther ({n}):",
        "not_connected": "{a} and {b} are not connected",
        "connection": "Connection {number} ({steps} step{s}):",
        "full_stop": ".",
        "no_match": "no match",
        "show_facts": "kind: {kind}   section: {section}   minutes: {minutes}",
        "aliases": "aliases: {aliases}",
        "question": "Q: {q}\nA: {a}",
        "reference": "ref: {ref}",
        "contrast": "contrasts with {other}: {how}",
        "d2l_heading": "Dive into Deep Learning:",
        "no_questions": "no questions for this topic",
        "quiz_your_answer": "your answer (1-{n}): ",
        "quiz_mark_right": "✓ right — answer: {n}) {answer}",
        "quiz_mark_wrong": "✗ wrong — answer: {n}) {answer}",
        "quiz_interview_line": "(interview question: {concept})",
        "quiz_press_enter": "press Enter to see the answer ",
        "quiz_model_answer": "answer: {answer}",
        "quiz_did_you_know": "did you know it? [y/n]: ",
        "quiz_score_line": "score: {correct}/{total} ({percent}%)",
        "quiz_review_heading": "review:",
        "saved_to": "saved to {path}",
        # exports (Markdown sheets and plans, the HTML page's title)
        "study_plan": "Study plan",
        "plan_steps": "{n} steps, {time}",
        "already_known": "Already known",
        "reason_chain": "because",
        "reason_why": "why",
        "concept_sheets": "Concept sheets",
        "also_called": "Also called",
        "plan_title": "Study plan: {names}",
        "around": "Around {name}",
        # the drawing (kg.render: the app's graph and the HTML page)
        "draw_capped": "Showing {shown} of {total} concepts (the limit is {cap}): the ones nearest the focus. Narrow the view with the filters or a smaller depth.",
        "draw_empty": "Nothing to draw.",
        "draw_edges": "Edges",
        "draw_section": "section {section}",
        "draw_details_hint": "Click a concept to see its details.",
        "draw_fullscreen": "Full screen",
        "draw_exit_fullscreen": "Exit full screen",
        "draw_group": "{name} · {count} concepts — click to open",
        "draw_no_section": "No section",
        # the learner: profile, progress, placement, today and review (kg.learner)
        "state_known": "known",
        "state_skipped": "skipped",
        "state_learning": "learning",
        "state_unknown": "unknown",
        "marked": "marked {n} concept(s) as {state} in profile {profile}:",
        "targets_which": "name the concepts to add or remove",
        "targets_list_takes_none": "'targets list' takes no concepts (did you mean 'targets add'?)",
        "targets_heading": "{n} target(s) in profile {profile}:",
        "imported": "imported {path} into profile {profile}: {states} states, {targets} targets, {answers} answers, {cards} cards, {review} review items",
        "progress_heading": "Progress of profile {profile}:",
        "no_section": "(no section)",
        "progress_learning": "+{n} learning",
        "progress_overall": "overall",
        "progress_targets": "{steps} step(s) left to your targets: {targets}",
        "progress_orphans": "kg: {n} concept(s) in this profile are not in the pack (kept): {ids}",
        "diagnose_rates": "--slip and --guess are probabilities from 0 to below 0.5",
        "simulate_heading": "{n} synthetic learners on the plan of {target} ({concepts} concepts), slip {slip}, guess {guess}:",
        "simulate_adaptive": "  adaptive placement: {accuracy}% of concepts right, {mean} questions on average (95th percentile {p95})",
        "simulate_baseline": "  every concept asked once ({questions} questions): {raw}% right from the answers alone, {model}% through the same model",
        "diagnose_estimate": "Estimated: you know {known} of the plan's {total} concepts ({asked} questions asked):",
        "diagnose_confirm": "Save these {n} concepts as known in your profile? [y/n] ",
        "diagnose_saved": "saved {n} known concept(s) to profile {profile}",
        "diagnose_not_saved": "not saved (run again, or use 'kg mark ... --as known')",
        "review_sim_heading": "A synthetic learner following 'kg today' for {days} days over a {concepts}-concept plan, {minutes} min a day:",
        "review_sim_with_implicit": "with implicit repetition:    {per_day} reviews a day, {studied} concepts studied, {predicted}% above 90% recall (predicted), {true}% (true)",
        "review_sim_without_implicit": "without implicit repetition: {per_day} reviews a day, {studied} concepts studied, {predicted}% above 90% recall (predicted), {true}% (true)",
        "today_heading": "Today for profile {profile}: {minutes} of {budget} min",
        "today_reviews": "Reviews ({n}):",
        "today_covers": "(also refreshes {names})",
        "today_check": "(quick check: a later concept was missed)",
        "today_new": "New ({n}):",
        "today_nothing": "Nothing due and no new concept: add targets with 'kg targets add X'.",
        "review_new_concept": "New concept",
        "review_ready": "press Enter for its question ",
        "review_done": "done: {reviewed} reviewed, {learnt} new, {right}/{total} right",
        "review_credited": "also refreshed through implicit repetition: {names}",
        "review_suspects": "worth a quick check (prerequisites of what you missed): {names}",
        "order_no_targets": "give a target, or set your profile's with 'kg targets add X'",
        # errors kg raises (a KgError with a key): the app shows them in its language
        "error_unknown_concept": "unknown concept {name}",
        "error_unknown_concept_did_you_mean": "unknown concept {name}; did you mean {suggestions}?",
        "error_cycle_in_plan": "the study order needed here has a cycle, so it has no first step; the pack's checks (kg check) show where",
        "error_cycle_in_study_graph": "the study graph has a cycle, so plans are undefined; the pack's checks (kg check) show where",
        "error_compare_count": "compare two or three different concepts",
        "error_upload_bytes": "the pack unpacks to more than {mb} MB; the app loads at most that",
        "error_upload_concepts": "the pack has about {concepts:,} concepts; the app loads at most {limit:,} (use the kg command for larger packs)",
        "error_pack_unloadable": "{name}: the pack could not be loaded ({reason})",
        "error_pack_unreadable": "cannot read the pack: {path}: {message}",
        "error_profile_name": "a profile name is 1 to {limit} printable characters, not {name}",
        "error_store_foreign": "{path} holds tables but is not a kg progress database; it was left untouched",
        "error_store_version_damaged": "{path}: the schema version record is damaged; the database was left untouched",
        "error_store_newer": "{path} was written by a newer kg (schema {found}, this kg knows {known}); upgrade kg instead",
        "error_store_damaged": "{path} is damaged ({verdict}); it was left untouched",
        "error_store_not_file": "the progress database {path} is not a regular file",
        "error_store_not_sqlite": "{path} is not an SQLite database (corrupt or another file); it was left untouched: move it away or give another --db",
        "error_known_too_large": "larger than {kb} KB",
        "error_known_not_json": "not a JSON file in UTF-8",
        "error_known_shape": "expected {{\"known\": [ids]}}",
        # kg check (the problems' own messages are templates of kg.problems.CODES)
        "problem_line": "{path}:{line}:{col}: {severity} {code}: {message}",
        "problem_hint": "  hint: {hint}",
        "check_error": "error",
        "check_warning": "warning",
        "check_info": "info",
        "check_summary": "{concepts} concepts, {edges} edges in {files} files: {errors} error(s), {warnings} warning(s), {infos} info",
    },
    "zh": {
        # the app (app.py and kg/app/): its pages, widgets and messages
        "title": "kg · 深度学习概念图谱",
        "n_concepts_one": "{n} 个概念", "n_concepts_many": "{n} 个概念",
        "n_edges_one": "{n} 条关系", "n_edges_many": "{n} 条关系",
        "n_errors_one": "{n} 个错误", "n_errors_many": "{n} 个错误",
        "n_warnings_one": "{n} 个警告", "n_warnings_many": "{n} 个警告",
        "n_notes_one": "{n} 条提示", "n_notes_many": "{n} 条提示",
        "n_steps_one": "{n} 步", "n_steps_many": "{n} 步",
        "upload_button": "选择文件",
        "other_summary": "英文简介",
        "tab_compare": "对比",
        "compare_pick": "要对比的概念(两个或三个)",
        "compare_need": "选择两个或三个概念并排查看:各自是什么、有什么共同点、区别在哪里、如何关联。",
        "compare_no_contrast": "概念包中没有写这几个概念的对比;请对照上面的简介和关系。",
        "compare_all_variants_of": "它们都是以下概念的变体",
        "compare_prereqs": "最接近的共同先修概念(共有 {n} 个共同先修)",
        "compare_none_shared": "没有共同的上位概念或先修概念。",
        "upload_limits": ".yaml、.yml 或 .zip 文件,最大 {mb} MB。",
        "too_large": "文件超过 {mb} MB",
        "shipped_pack": "kg 自带的深度学习概念",
        "search_placeholder": "例如 ReLU、注意力、批归一化",
        "plan_for": "{name} 的学习计划",
        "orient_title": "**如何使用这张图谱**",
        "orient_body": (
            "每个圆点是一个深度学习概念,中间那个是**焦点**。箭头是带类型的关系:**需要**(先学另一个)、"
            "**变体**(另一个的特例)、**用于**、**解决**(某个问题)和**导致**(某个问题)。**深度**是图中显示"
            "离焦点最多几步关系的概念。点击圆点、关系或搜索结果即可把它设为焦点;浏览器的后退按钮可沿原路返回。"
            "想要学习计划,打开**学习计划**并选择想学的概念:kg 会按顺序列出之前需要掌握的一切。"),
        "orient_ok": "知道了",
        "preview_alt": "关系图的静态预览,交互式关系图加载后将替换它",
        "depth_help": "图中显示离焦点最多几步关系的概念。",
        "whole_help": "所有概念,按指南章节分组;点击一个章节即可展开。",
        "physics_help": "用模拟弹簧让节点自行排布(大图较慢)。",
        "choose": "请选择…",
        "pick_placeholder": "输入中文名、英文名或别名,按回车",
        "known_files": "保存或载入已掌握的概念(文件)",
        "plan_broken": "这个概念包有问题,无法在此生成学习计划:请在“检查”页查看位置。",
        "open_checks": "打开“检查”页",
        "open_help": "在“探索”页显示这个概念",
        "advanced": "高级选项",
        "severity_error": "错误", "severity_warning": "警告", "severity_info": "提示",
        "problems_more": "另有 {n} 个问题未在此列出;命令 kg check 会全部列出。",
        "language": "Language / 语言",
        "pack": "概念包",
        "pack_stats": "{concepts},{edges} · {errors},{warnings}",
        "upload": "打开其他概念包(.yaml 或 .zip)",
        "upload_help": "最大 {mb} MB。zip 会被安全解压:不允许越出目录的路径、链接,并限制大小。",
        "upload_bad": "无法打开上传的概念包:{error}",
        "using_upload": "正在显示上传的概念包 {name}。移除文件即可返回。",
        "search": "搜索概念",
        "search_help": "英文名、中文名、别名或 id;允许拼写错误。",
        "no_hits": "没有匹配的概念。",
        "tab_explore": "探索",
        "tab_plan": "学习计划",
        "tab_connect": "关联",
        "tab_checks": "检查",
        "tab_quiz": "测验",
        "quiz_topic": "主题",
        "quiz_any": "全部概念",
        "quiz_use_focus": "以焦点为主题:{name}",
        "quiz_count": "题数",
        "quiz_seed": "随机种子",
        "quiz_seed_help": "相同的种子给出相同的测验。",
        "quiz_new": "换一套题",
        "quiz_check": "检查答案",
        "quiz_none": "这个主题没有题目。",
        "quiz_interview": "面试题:先口头或在纸上作答,再查看答案并自评。",
        "quiz_reveal": "查看答案",
        "quiz_self": "你答对了吗?",
        "quiz_knew": "答对了",
        "quiz_missed": "没答对",
        "quiz_score": "得分:{correct}/{total}({percent}%)",
        "quiz_right": "正确",
        "quiz_wrong": "错误:正确答案是 {answer}",
        "quiz_skipped": "未作答:正确答案是 {answer}",
        "quiz_to_review": "需要复习",
        "quiz_review": "复习清单({n})",
        "quiz_review_help": "答错和未作答的题目会加入这里;答对后即移出。",
        "quiz_review_empty": "暂时没有需要复习的题目。",
        "quiz_review_down": "下载复习清单(JSON)",
        "quiz_retry": "重做这些题",
        "quiz_clear": "清空复习清单",
        "quiz_retrying": "正在重做复习清单中的 {n} 道题。",
        "quiz_back": "返回测验",
        "depth": "深度(跳数)",
        "whole": "整个图谱",
        "physics": "物理模拟",
        "filters": "筛选",
        "edge_types": "关系类型",
        "kinds": "类型",
        "chapters": "指南章节",
        "too_big": "整个图谱有 {total} 个概念,超过一次最多显示的 {cap} 个:改为显示焦点邻域。",
        "kind": "类型",
        "section": "章节",
        "minutes": "学习时间",
        "min": "{m} 分钟",
        "relations": "关系",
        "no_relations": "没有关系。",
        "questions": "面试题",
        "refs": "参考文献",
        "reading": "阅读《动手学深度学习》",
        "edition_en": "英文版",
        "edition_zh": "中文版",
        "no_focus": "这个概念包没有可显示的概念。",
        "targets": "你想学什么?",
        "known": "你已经掌握的概念",
        "plan_empty": "选择一个或多个目标以生成学习计划。",
        "plan_total": "{steps} · 约 {time}",
        "plan_done": "这些目标需要的内容你都已掌握。",
        "tick": "掌握一步后勾选它:它会加入已掌握概念,计划随之缩短。",
        "target": "目标",
        "why_step": "原因",
        "download_plan": "下载学习计划(Markdown)",
        "next": "接下来可以学什么",
        "next_help": "先修概念已全部掌握的概念。",
        "focus_btn": "聚焦",
        "add_btn": "计划",
        "known_down": "下载已掌握概念(JSON)",
        "known_up": "载入已掌握概念(JSON)",
        "known_help": "JSON 文件,最大 {kb} KB,即旁边按钮保存的文件。",
        "relations_more": "……另有 {n} 个关系未列出。",
        "internal_error": "kg 在回答这一问题时出错;页面其余部分仍可使用。请报告此问题",
        "known_bad": "这不是已掌握概念文件:{error}",
        "known_loaded": "已载入 {n} 个已掌握概念。",
        "from": "从",
        "to": "到",
        "same": "请选择两个不同的概念。",
        "no_path": "这两个概念之间没有关联。",
        "path_n": "关联 {n}",
        "checks_clean": "没有问题:概念包是干净的。",
        "query_error": "无法在这个概念包上计算该视图:{error}",
        "hours": "{h} 小时 {m} 分钟",
        "export": "导出",
        "export_scope": "导出内容",
        "export_focus": "焦点邻域",
        "export_plan": "学习计划",
        "export_pack": "整个概念包",
        "export_count": "{n} 个概念",
        "export_about_focus": "深度 {depth};不应用探索页的筛选",
        "format_json": "JSON(节点-连边)",
        "format_graphml": "GraphML(Gephi、yEd)",
        "format_gexf": "GEXF(Gephi)",
        "format_dot": "DOT(Graphviz)",
        "format_mermaid": "Mermaid 流程图",
        "format_csv": "CSV(关系表)",
        "format_markdown": "Markdown",
        "format_anki": "Anki 卡组(.apkg)",
        "format_html": "HTML 网页(离线)",
        # the app: the learner's profile, the Today tab and progress (kg.app.profile, kg.app.today)
        "tab_today": "今日",
        "profile": "档案",
        "profile_new": "新建档案",
        "profile_new_hint": "输入名字后按回车",
        "profile_error": "无法读取或保存你的进度:{error}",
        "profile_no_user": "本应用需要前端 Web 服务器提供已登录用户,但没有收到。",
        "profile_signed_in": "已登录为 {name};进度保存在你的档案中。",
        "know_this": "我已掌握",
        "skip_this": "跳过",
        "add_to_plan": "加入我的计划",
        "today_minutes": "今天的分钟数",
        "today_reviews_title": "到期复习({n})",
        "today_no_reviews": "没有到期的复习。",
        "today_covers_app": "同时巩固 {names}",
        "today_check_app": "快速检查:后续概念答错了",
        "today_new_title": "接下来的新概念({n})",
        "today_no_new": "时间内放不下新概念,或目标已经达成。",
        "today_cli_hint": "复习题由使用同一档案的 `kg review` 提问;本页显示到期内容。",
        "place_title": "水平测试",
        "place_help": "针对某个目标的学习计划提出少量自适应问题(与 kg diagnose 相同),估计你已经掌握的概念;保存前由你确认。",
        "place_target": "测试所针对的目标",
        "place_start": "开始",
        "place_progress": "针对「{target}」的水平测试:已回答 {asked} 题,计划共 {total} 个概念",
        "place_choose": "你的答案",
        "place_answer": "作答",
        "place_show_answer": "查看答案",
        "place_knew": "我答对了",
        "place_did_not": "我没答上",
        "place_stop": "到此为止",
        "place_estimate": "估计:计划中的 {total} 个概念里你已掌握 {known} 个。",
        "place_save": "保存为已掌握",
        "place_cancel": "放弃",
        "progress_title": "进度",
        "progress_overall_app": "总计 · {known}/{total}",
        "progress_orphans_app": "你的档案中有 {n} 个概念不在本概念包中,已保留。",
        # the command line, and durations everywhere
        "compare_vs": "对比",
        "compare_shared": "共同点",
        "compare_parents": "都是以下概念的变体",
        "compare_prerequisites": "最接近的共同前置知识(共 {count} 个)",
        "compare_nothing": "图中没有共同点",
        "compare_differ": "区别",
        "compare_connect": "关联",
        "compare_unconnected": "{a} 与 {b} 之间没有关联",
        "how_it_differs": "区别",
        "explain_prompt": "你能说清“{name}”是什么吗?",
        "duration_minutes": "{m} 分钟",
        "duration_hours": "{h} 小时",
        "duration_hours_minutes": "{h} 小时 {m} 分钟",
        "plan_heading": "{names} 的学习计划:{steps} 步,{time}",
        "because": "因为 ",
        "ready_heading": "可以学习的概念:{n} 个",
        "and_more": "…… 还有 {n} 个(--limit)",
        "farther": "更远的关系({n}):",
        "not_connected": "{a} 与 {b} 之间没有联系",
        "connection": "联系 {number}({steps} 步):",
        "full_stop": "。",
        "no_match": "没有匹配的概念",
        "show_facts": "类型:{kind}   章节:{section}   时长(分钟):{minutes}",
        "aliases": "别名:{aliases}",
        "question": "问:{q}\n答:{a}",
        "reference": "参考:{ref}",
        "contrast": "对比 {other}: {how}",
        "d2l_heading": "动手学深度学习:",
        "no_questions": "这个主题没有题目",
        "quiz_your_answer": "你的答案 (1-{n}): ",
        "quiz_mark_right": "✓ 正确 — 答案: {n}) {answer}",
        "quiz_mark_wrong": "✗ 错误 — 答案: {n}) {answer}",
        "quiz_interview_line": "(面试题: {concept})",
        "quiz_press_enter": "按回车查看答案 ",
        "quiz_model_answer": "参考答案: {answer}",
        "quiz_did_you_know": "你答对了吗? [y/n]: ",
        "quiz_score_line": "得分: {correct}/{total} ({percent}%)",
        "quiz_review_heading": "复习清单:",
        "saved_to": "已保存到 {path}",
        # exports (Markdown sheets and plans, the HTML page's title)
        "study_plan": "学习计划",
        "plan_steps": "{n} 步,{time}",
        "already_known": "已掌握",
        "reason_chain": "原因",
        "reason_why": "说明",
        "concept_sheets": "概念卡片",
        "also_called": "别名",
        "plan_title": "学习计划:{names}",
        "around": "邻域:{name}",
        # the drawing (kg.render: the app's graph and the HTML page)
        "draw_capped": "显示 {total} 个概念中的 {shown} 个(上限 {cap}):离焦点最近的那些。请用筛选条件或更小的深度缩小视图。",
        "draw_empty": "没有可显示的内容。",
        "draw_edges": "关系",
        "draw_section": "第 {section} 节",
        "draw_details_hint": "点击一个概念查看详情。",
        "draw_fullscreen": "全屏",
        "draw_exit_fullscreen": "退出全屏",
        "draw_group": "{name} · {count} 个概念,点击展开",
        "draw_no_section": "未分节",
        # the learner: profile, progress, placement, today and review (kg.learner)
        "state_known": "已掌握",
        "state_skipped": "跳过",
        "state_learning": "学习中",
        "state_unknown": "未掌握",
        "marked": "已在档案 {profile} 中把 {n} 个概念标记为{state}:",
        "targets_which": "请给出要添加或删除的概念",
        "targets_list_takes_none": "'targets list' 不接受概念(是否想用 'targets add'?)",
        "targets_heading": "档案 {profile} 的目标:{n} 个",
        "imported": "已把 {path} 导入档案 {profile}:{states} 个状态,{targets} 个目标,{answers} 条作答,{cards} 张卡片,{review} 个复习项",
        "progress_heading": "档案 {profile} 的进度:",
        "no_section": "(无章节)",
        "progress_learning": "另有 {n} 个学习中",
        "progress_overall": "总计",
        "progress_targets": "距离目标还有 {steps} 步:{targets}",
        "progress_orphans": "kg: 档案中有 {n} 个概念不在本概念包中(已保留):{ids}",
        "diagnose_rates": "--slip 和 --guess 是 0 到 0.5(不含)之间的概率",
        "simulate_heading": "{n} 个模拟学习者,目标 {target} 的学习计划({concepts} 个概念),失误率 {slip},猜对率 {guess}:",
        "simulate_adaptive": "  自适应定位:{accuracy}% 的概念判断正确,平均 {mean} 题(95 分位 {p95} 题)",
        "simulate_baseline": "  每个概念各问一次({questions} 题):仅凭作答 {raw}% 正确,经同一模型 {model}% 正确",
        "diagnose_estimate": "估计:计划的 {total} 个概念中你已掌握 {known} 个(共问了 {asked} 题):",
        "diagnose_confirm": "把这 {n} 个概念作为已掌握保存到你的档案吗?[y/n] ",
        "diagnose_saved": "已把 {n} 个已掌握的概念保存到档案 {profile}",
        "diagnose_not_saved": "未保存(可重新运行,或用 'kg mark ... --as known')",
        "review_sim_heading": "一个模拟学习者按 'kg today' 学习 {days} 天,计划共 {concepts} 个概念,每天 {minutes} 分钟:",
        "review_sim_with_implicit": "有隐式复习:每天复习 {per_day} 次,学过 {studied} 个概念,回忆率高于 90% 的占 {predicted}%(预测)、{true}%(真实)",
        "review_sim_without_implicit": "无隐式复习:每天复习 {per_day} 次,学过 {studied} 个概念,回忆率高于 90% 的占 {predicted}%(预测)、{true}%(真实)",
        "today_heading": "档案 {profile} 今天的安排:{minutes} / {budget} 分钟",
        "today_reviews": "复习({n}):",
        "today_covers": "(同时巩固 {names})",
        "today_check": "(快速检查:后续概念答错了)",
        "today_new": "新概念({n}):",
        "today_nothing": "没有到期的复习,也没有新概念:用 'kg targets add X' 添加目标。",
        "review_new_concept": "新概念",
        "review_ready": "按回车查看题目 ",
        "review_done": "完成:复习 {reviewed} 个,新学 {learnt} 个,答对 {right}/{total}",
        "review_credited": "通过隐式复习同时巩固:{names}",
        "review_suspects": "值得快速检查(答错概念的前置知识):{names}",
        "order_no_targets": "请给出目标,或用 'kg targets add X' 设置档案的目标",
        # errors kg raises (a KgError with a key): the app shows them in its language
        "error_unknown_concept": "不存在的概念 {name}",
        "error_unknown_concept_did_you_mean": "不存在的概念 {name};是否应为 {suggestions}?",
        "error_cycle_in_plan": "这里需要的学习顺序成环,因此没有第一步;概念包检查(kg check)会指出位置",
        "error_cycle_in_study_graph": "学习顺序图成环,因此无法确定学习计划;概念包检查(kg check)会指出位置",
        "error_compare_count": "请对比两个或三个不同的概念",
        "error_upload_bytes": "概念包解压后超过 {mb} MB;应用最多载入这么多",
        "error_upload_concepts": "概念包约有 {concepts:,} 个概念;应用最多载入 {limit:,} 个(更大的概念包请用 kg 命令)",
        "error_pack_unloadable": "{name}:无法载入概念包({reason})",
        "error_pack_unreadable": "无法读取概念包:{path}:{message}",
        "error_profile_name": "档案名应为 1 到 {limit} 个可打印字符,而不是 {name}",
        "error_store_foreign": "{path} 含有数据表,但不是 kg 的学习进度数据库;未做任何改动",
        "error_store_version_damaged": "{path}:数据库结构版本记录已损坏;数据库未做任何改动",
        "error_store_newer": "{path} 由更新版本的 kg 写入(结构版本 {found},当前 kg 只支持 {known});请升级 kg",
        "error_store_damaged": "{path} 已损坏({verdict});未做任何改动",
        "error_store_not_file": "学习进度数据库 {path} 不是普通文件",
        "error_store_not_sqlite": "{path} 不是 SQLite 数据库(已损坏或是其他文件);未做任何改动:请将它移走,或用 --db 指定另一个数据库",
        "error_known_too_large": "文件超过 {kb} KB",
        "error_known_not_json": "不是 UTF-8 编码的 JSON 文件",
        "error_known_shape": "应为 {{\"known\": [ids]}} 形式",
        # kg check (the problems' own messages are templates of kg.problems.CODES)
        "problem_line": "{path}:{line}:{col}: {severity} {code}:{message}",
        "problem_hint": "  建议:{hint}",
        "check_error": "错误",
        "check_warning": "警告",
        "check_info": "提示",
        "check_summary": "{files} 个文件,{concepts} 个概念,{edges} 条关系:{errors} 个错误,{warnings} 个警告,{infos} 条提示",
    },
}


def word(key: str, lang: str = "en", **fields) -> str:
    """The interface text ``key`` in ``lang``, with ``fields`` filled in. ``s`` is filled for English
    plurals when a field named ``steps`` or ``n`` is given and ``s`` is not.

    >>> word("connection", "en", number=1, steps=2), word("connection", "zh", number=1, steps=2)
    ('Connection 1 (2 steps):', '联系 1(2 步):')
    """
    template = WORDS.get(lang, WORDS["en"])[key]
    if "s" not in fields:
        count = fields.get("steps", fields.get("n"))
        fields["s"] = "" if count == 1 else "s"
    return template.format(**fields)
