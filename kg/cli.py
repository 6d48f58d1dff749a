"""The ``kg`` command: every subcommand parses its arguments, calls the library and prints the answer.

Nothing under ``kg/`` imports this module (only ``kg/__main__.py``); the library raises
:class:`kg.errors.KgError` and returns values, and this module turns them into text, JSON and exit
codes. Each subcommand accepts only the options it uses (``tests/test_cli_options.py`` checks that
every accepted option changes what the command does).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Callable

from . import __version__
from .errors import KgError, PackError, UnknownConcept
from .problems import count_by_severity
from .schema import EDGE_TYPES
from .terminal import SafeStream
from .store import STATES
from .text import LANGS, duration, field_text, label, name_line, word

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _split(values):
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _load(args):
    from .pack import Limits, load_pack

    limits = Limits(max_file_bytes=args.max_file_mb * 1024 * 1024) if getattr(args, "max_file_mb", None) else Limits()
    if args.no_cache:
        pack = load_pack(args.graph, limits=limits)
    else:
        from .cache import load_pack_cached

        pack = load_pack_cached(args.graph, limits=limits)
    if _unreadable(pack):
        if args.command == "check":
            return pack  # cmd_check prints the problem and exits 2
        first = pack.problems[0]
        raise PackError(key="error_pack_unreadable", path=first.path, message=first.message_in(getattr(args, "lang", None) or "en"))
    if args.command != "check" and pack.errors:
        print(f"kg: the pack has {len(pack.errors)} error(s); answers use what could be loaded (run 'kg check')", file=sys.stderr)
    return pack


def _unreadable(pack) -> bool:
    """No file could be read at all: a usage error (wrong path), not a pack with problems."""
    return not pack.files and any(p.code == "io-error" for p in pack.problems)


# ---------------------------------------------------------------- the commands


def cmd_check(args) -> int:
    pack = _load(args)
    counts = count_by_severity(pack.problems)
    if args.json:
        _json({"problems": [p.to_dict() for p in pack.problems], "counts": counts,
               "concepts": pack.graph.number_of_nodes(), "edges": pack.graph.number_of_edges()})
    else:
        for problem in pack.problems:
            print(problem.format(args.lang))
        print(word("check_summary", args.lang, concepts=pack.graph.number_of_nodes(), edges=pack.graph.number_of_edges(),
                   files=len(pack.files), errors=counts["error"], warnings=counts["warning"], infos=counts["info"]))
    if _unreadable(pack):
        return EXIT_USAGE
    failing = counts["error"] + (counts["warning"] if args.strict else 0)
    return EXIT_PROBLEMS if failing else EXIT_OK


def cmd_order(args) -> int:
    from .queries import locality, study_order, why_chain
    from .text import edge_sentence

    pack = _load(args)
    targets = args.targets or _profile_targets(args, pack)
    if not targets:
        print("kg: " + word("order_no_targets", args.lang), file=sys.stderr)
        return EXIT_USAGE
    plan = study_order(pack, targets, _profile_known(args, pack))
    if args.json:
        _json({"targets": plan.targets, "known": plan.known, "total_minutes": plan.total_minutes,
               "locality": round(locality(pack, plan), 3),
               "steps": [{"id": s.id, "name": pack.graph.nodes[s.id].get("name"), "name_zh": pack.graph.nodes[s.id].get("name_zh"),
                          "minutes": s.minutes, "target": s.is_target,
                          "reason": [list(e) for e in (why_chain(plan, s.id, full=True) if args.why == "full" else s.reason)],
                          "reason_length": s.reason_length, "pulled_by": list(plan.pulled_by[s.id]) if s.id in plan.pulled_by else None}
                         for s in plan.steps]})
        return EXIT_OK
    lang = args.lang
    names = ", ".join(name_line(pack, t, lang) for t in plan.targets)
    print(word("plan_heading", lang, names=names, steps=len(plan.steps), time=duration(plan.total_minutes, lang)))
    for number, step in enumerate(plan.steps, 1):
        print(f"{number:3d}. {name_line(pack, step.id, lang)}  [{duration(step.minutes, lang)}]")
        if step.is_target:
            print("       " + word("target", lang))
        else:
            shown = why_chain(plan, step.id, full=True) if args.why == "full" else step.reason[:2]  # direct reason + one link
            more = " → …" if len(shown) < step.reason_length else ""
            print("       " + word("because", lang) + " → ".join(edge_sentence(pack, edge, lang) for edge in shown) + more)
    return EXIT_OK


def cmd_next(args) -> int:
    from .queries import fringe

    pack = _load(args)
    ready = fringe(pack, _profile_known(args, pack))
    if args.json:
        print(json.dumps(ready[: args.limit], ensure_ascii=False))
        return EXIT_OK
    print(word("ready_heading", args.lang, n=len(ready)))
    for node in ready[: args.limit]:
        print(f"  {node:32s} {name_line(pack, node, args.lang)}")
    if len(ready) > args.limit:
        print("  " + word("and_more", args.lang, n=len(ready) - args.limit))
    return EXIT_OK


def cmd_related(args) -> int:
    from .queries import group_relations, related
    from .text import edge_reason, edge_sentence

    pack = _load(args)
    focus = pack.resolve(args.concept)
    relations = related(pack, focus, types=_split(args.type) or None, depth=args.depth)
    with_contrasts = not args.type or "contrasts" in _split(args.type)
    if args.json:
        _json([{"neighbour": r.neighbour, "source": r.edge[0], "type": r.edge[1], "target": r.edge[2],
                "direction": r.direction, "distance": r.distance, "why": r.why, "why_zh": edge_reason(pack, r.edge, "zh")}
               for r in relations]
              + [{"neighbour": c["to"], "source": focus, "type": "contrasts", "target": c["to"], "direction": "both",
                  "distance": 1, "how": c["how"], "how_zh": c["how_zh"]} for c in pack.contrasts(focus) if with_contrasts])
        if relations.more:
            print(f"kg: {relations.more} more relation(s) not listed", file=sys.stderr)
        return EXIT_OK
    lang = args.lang
    print(name_line(pack, focus, lang))
    for title, members in group_relations(relations, lang):
        print(f"  {title}:")
        for relation in members:
            reason = edge_reason(pack, relation.edge, lang)
            print(f"    {name_line(pack, relation.neighbour, lang)}" + (f" — {reason}" if reason else ""))
    farther = [r for r in relations if r.distance > 1]
    if farther:
        print("  " + word("farther", lang, n=len(farther)))
        for relation in farther:
            print(f"    [{relation.distance}] {edge_sentence(pack, relation.edge, lang)}")
    if relations.more:
        print(f"  ... and {relations.more} more relation(s) not listed (at most {len(relations)}; narrow with --type or --depth)")
    if with_contrasts:
        _print_contrasts(pack, focus, lang)
    return EXIT_OK


def cmd_path(args) -> int:
    from .queries import MAX_PATHS, connect
    from .text import edge_reason, edge_sentence

    pack = _load(args)
    paths = connect(pack, args.a, args.b, max_paths=args.max)
    capped = (f"kg: more shortest connections exist; {len(paths)} listed"
              + (f" (--max is at most {MAX_PATHS})" if args.max > MAX_PATHS else " (--max)")) if paths.capped else ""
    if args.json:
        _json([[{"source": e[0], "type": e[1], "target": e[2], "why": edge_reason(pack, e, "en"), "why_zh": edge_reason(pack, e, "zh")}
                for e in p] for p in paths])
        if capped:
            print(capped, file=sys.stderr)
        return EXIT_OK
    lang = args.lang
    if not paths:
        print(word("not_connected", lang, a=name_line(pack, pack.resolve(args.a), lang), b=name_line(pack, pack.resolve(args.b), lang)))
        return EXIT_OK
    for number, path in enumerate(paths, 1):
        print(word("connection", lang, number=number, steps=len(path)))
        for edge in path:
            reason = edge_reason(pack, edge, lang)
            print(f"  {edge_sentence(pack, edge, lang)}{word('full_stop', lang)}" + (f" ({reason})" if reason else ""))
    if capped:
        print(capped[len("kg: "):])
    return EXIT_OK


def _print_contrasts(pack, node, lang) -> None:
    from .text import field_text

    for contrast in pack.contrasts(node):
        print("\n" + word("contrast", lang, other=name_line(pack, contrast["to"], lang), how=field_text(contrast, "how", lang)))


def cmd_show(args) -> int:
    from .d2l import concept_links
    from .queries import group_relations, related
    from .text import field_text, kind_name, languages_from, names, other_text

    pack = _load(args)
    concept = pack.concept(args.concept)
    reading = concept_links(concept)
    if args.json:
        _json({**concept, "d2l_links": reading})
        return EXIT_OK
    lang = args.lang
    node = concept["id"]
    first, second = names(pack, node, lang)
    print(f"{first}  {second}  [{node}]")
    print(word("show_facts", lang, kind=kind_name(concept.get("kind"), lang), section=concept.get("section", "-"),
               minutes=concept.get("minutes", "-")))
    if concept.get("aliases"):
        print(word("aliases", lang, aliases=", ".join(concept["aliases"])))
    print()
    for text in (field_text(concept, "summary", lang), other_text(concept, "summary", lang)):
        if text:
            print(text)
    for title, members in group_relations(related(pack, node), lang):
        print(f"\n{title}: " + ", ".join(name_line(pack, r.neighbour, lang) for r in members))
    _print_contrasts(pack, node, lang)
    if reading:
        print("\n" + word("d2l_heading", lang))
        for link in reading:
            for edition in languages_from(lang):
                if edition in link:
                    print(f"  {link[f'title_{edition}']}  {link[edition]}")
    for question in concept.get("questions", []):
        print("\n" + word("question", lang, q=field_text(question, "q", lang), a=field_text(question, "a", lang)))
    for ref in concept.get("refs", []):
        authors = ", ".join(ref.get("authors", []))
        text = ref["title"] + (f" — {authors}" if authors else "") + (f" ({ref['year']})" if ref.get("year") else "") + (f" {ref['url']}" if ref.get("url") else "")
        print("\n" + word("reference", lang, ref=text))
    return EXIT_OK


def cmd_search(args) -> int:
    from .search import search

    pack = _load(args)
    hits = search(pack, " ".join(args.query), limit=args.limit)
    if args.json:
        _json([{"id": h.id, "score": round(h.score, 1), "matched": h.matched} for h in hits])
        return EXIT_OK
    if not hits:
        print(word("no_match", args.lang))
        return EXIT_PROBLEMS
    for hit in hits:
        print(f"{hit.score:5.1f}  {hit.id:32s} {name_line(pack, hit.id, args.lang)}")
    return EXIT_OK


def cmd_stats(args) -> int:
    from .queries import stats

    pack = _load(args)
    result = stats(pack)
    if args.json:
        _json(result)
        return EXIT_OK
    print(f"{result['concepts']} concepts, {result['edges']} edges, {duration(result['total_minutes'], 'en')} of study")
    print("kinds: " + ", ".join(f"{k} {v}" for k, v in result["kinds"].items()))
    print("edge types: " + ", ".join(f"{k} {v}" for k, v in result["edge_types"].items()))
    print(f"roots ({len(result['roots'])}): " + ", ".join(result["roots"][:15]) + (" ..." if len(result["roots"]) > 15 else ""))
    print(f"leaves ({len(result['leaves'])}): " + ", ".join(result["leaves"][:15]) + (" ..." if len(result["leaves"]) > 15 else ""))
    chain = result["longest_chain"]
    print(f"longest prerequisite chain ({max(len(chain) - 1, 0)} links): " + " → ".join(chain))
    print("most central: " + ", ".join(f"{n} ({d})" for n, d in result["central"]))
    return EXIT_OK


def cmd_audit(args) -> int:
    from .audit import audit
    from .text import edge_sentence

    pack = _load(args)
    report = audit(pack, top=args.top)
    if args.json:
        _json(report.to_dict())
        return EXIT_OK
    if not report.plan_sizes:
        print("the pack has no concepts")
        return EXIT_OK
    top_id, top_steps = report.largest[0]
    print(f"Plans from zero for {len(report.plan_sizes)} concepts: median {report.median:g} steps, "
          f"90th percentile {report.p90}, largest {name_line(pack, top_id, args.lang)} ({top_steps} steps)")
    print("Largest plans: " + ", ".join(f"{node} {steps}" for node, steps in report.largest))
    if report.heaviest_edges is not None:
        print("Heaviest edges (removing the edge would shrink N plans by M steps in total):")
        for number, edge in enumerate(report.heaviest_edges, 1):
            written = "; ".join(edge_sentence(pack, e, args.lang) for e in edge.written)
            print(f"{number:3d}. {written}: {edge.plans} plans, {edge.steps} steps")
    for note in report.notes:
        print(f"note: {note}")
    return EXIT_OK


def cmd_compare(args) -> int:
    from .compare import SIDE_RELATIONS, compare
    from .text import edge_sentence, field_text, kind_name, relation_title

    pack = _load(args)
    result = compare(pack, args.concepts)
    if args.json:
        _json(result.to_dict())
        return EXIT_OK
    lang = args.lang
    print(f"  {word('compare_vs', lang)}  ".join(name_line(pack, side.id, lang) for side in result.sides))
    for side in result.sides:
        print(f"\n{name_line(pack, side.id, lang)} [{kind_name(side.kind, lang)}]")
        print("  " + field_text({"summary": side.summary, "summary_zh": side.summary_zh}, "summary", lang))
        for edge_type in SIDE_RELATIONS:
            targets = side.relations[edge_type]
            if targets:
                print(f"  {relation_title(edge_type, 'out', lang)}: " + ", ".join(name_line(pack, t, lang) for t in targets))
    print("\n" + word("compare_shared", lang))
    if result.common_parents:
        print(f"  {word('compare_parents', lang)}: " + ", ".join(name_line(pack, p, lang) for p in result.common_parents))
    if result.closest_common_prerequisites:
        print(f"  {word('compare_prerequisites', lang, count=result.common_prerequisite_count)}: "
              + ", ".join(name_line(pack, p, lang) for p in result.closest_common_prerequisites))
    if not result.common_parents and not result.common_prerequisite_count:
        print("  " + word("compare_nothing", lang))
    if result.contrasts:
        print("\n" + word("compare_differ", lang))
        for contrast in result.contrasts:
            how = field_text({"how": contrast.how, "how_zh": contrast.how_zh}, "how", lang)
            print(f"  {name_line(pack, contrast.a, lang)} / {name_line(pack, contrast.b, lang)}: {how}")
    print("\n" + word("compare_connect", lang))
    for connection in result.connections:
        if connection.path:
            print("  " + "; ".join(edge_sentence(pack, edge, lang) for edge in connection.path))
        else:
            print("  " + word("compare_unconnected", lang, a=name_line(pack, connection.a, lang), b=name_line(pack, connection.b, lang)))
    return EXIT_OK


def cmd_export(args) -> int:
    from .errors import UsageError
    from .export import FORMATS, export, format_options, select_nodes
    from .fsutil import write_output

    if args.depth is not None and not args.focus:
        raise UsageError("--depth needs --focus")
    if args.known and not args.plan:
        raise UsageError("--known needs --plan")
    pack = _load(args)
    plan, known = _split(args.plan), _split(args.known)
    nodes = select_nodes(pack, focus=args.focus, depth=args.depth or 1, plan=plan, known=known)
    # --lang and --nodes must be used by the format (export() refuses them otherwise); the selection
    # (--focus, --plan, --known) is always honoured above, and passed on to the formats that show it.
    given = (("lang", args.lang), ("nodes_table", args.nodes or None), ("anki_reverse", args.reverse_cards or None),
             ("anki_zh_names", args.zh_name_cards or None))
    options = {name: value for name, value in given if value is not None}
    shown = {"plan": plan or None, "known": known or None, "focus": args.focus}
    options.update({name: value for name, value in shown.items() if value is not None and name in format_options(args.format)})
    output = export(pack, args.format, nodes, **options)
    if args.output and args.output != "-":
        target = Path(args.output).resolve()
        if any(target == Path(f).resolve() for f in pack.files):
            print(f"kg: refusing to overwrite the pack's own file {args.output}", file=sys.stderr)
            return EXIT_USAGE
        if write_output(args.output, output) != "stdout":
            print(f"wrote {args.output} ({args.format}, {len(nodes)} concepts)", file=sys.stderr)
    elif FORMATS[args.format].binary:
        print("kg: this format is binary: give -o FILE", file=sys.stderr)
        return EXIT_USAGE
    else:
        write_output("-", output)  # data, not terminal text: exact, not filtered
    return EXIT_OK


def cmd_quiz(args) -> int:
    from .quiz import load_review, make_quiz, review_list, save_review, score

    pack = _load(args)
    lang = args.lang
    if args.review:
        load_review(args.review)  # checked before the round: a bad file must not cost the learner's answers
    ids = [item["id"] for item in load_review(args.retry, missing_ok=False)] if args.retry else None
    topic = args.topic or next(iter(_profile_targets(args, pack)), None)  # the profile's first target by default
    questions = make_quiz(pack, topic=topic, count=args.count, seed=args.seed, lang=lang, ids=ids)
    if not questions:
        print("kg: " + word("no_questions", lang), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.flashcards:
        if args.json:
            _json([q.to_dict() for q in questions])
            return EXIT_OK
        for number, question in enumerate(questions, 1):
            print(f"[{number}] {question.prompt}")
            for index, option in enumerate(question.options, 1):
                print(f"  {index}) {option}")
            print(f"  → {question.answer_text}")
            if question.explanation:
                print(f"  {question.explanation}")
            print()
        return EXIT_OK
    if args.answers is not None:
        given = iter(args.answers.split(","))
        read = lambda prompt: next(given, "")  # noqa: E731  (missing answers count as skipped)
        write = print if not args.json else (lambda text: None)
    else:
        def read(prompt):
            try:
                return input(prompt)
            except EOFError:
                return None
        write = print
    results = run_quiz(questions, read, write, pause=args.answers is None)
    summary = score(results)
    if args.review:
        save_review(args.review, results)
    if not args.fresh:
        from .learner import record_quiz

        store, profile = _store(args)
        record_quiz(store, profile, results)  # every answer kept; the review list persists in the profile
    if args.json:
        _json({"score": summary, "results": [r.to_dict() for r in results]})
        return EXIT_OK
    print("\n" + word("quiz_score_line", lang, **summary))
    wrong = review_list(results)
    if wrong:
        print(word("quiz_review_heading", lang))
        for item in wrong:
            print(f"  - {item['prompt']} → {item['correct_answer'] if item['kind'] == 'choice' else item['concept']}")
    if args.review:
        print(word("saved_to", lang, path=args.review), file=sys.stderr)
    return EXIT_OK


def run_quiz(questions, read: Callable[[str], str | None], write: Callable[[str], None], *, pause: bool = False):
    """Ask each question with ``read(prompt)`` (None or "q" stops), print with ``write``; grade.

    With ``pause``, an interview question waits for Enter before showing its answer (one extra
    ``read``), so that the user answers in their head first."""
    from .quiz import grade, parse_response

    results = []
    lang = questions[0].lang if questions else "en"
    for number, question in enumerate(questions, 1):
        write(f"\n[{number}/{len(questions)}] {question.prompt}")
        if question.kind == "choice":
            for index, option in enumerate(question.options, 1):
                write(f"  {index}) {option}")
            ask = word("quiz_your_answer", lang, n=len(question.options))
            text = read(ask)
            while pause and text is not None and text.strip().lower() != "q" and parse_response(question, text) is None:
                text = read(ask)  # at the terminal, a typo asks again instead of counting as wrong
            if text is None or text.strip().lower() == "q":
                break
            result = grade(question, parse_response(question, text))
            write(word("quiz_mark_right" if result.correct else "quiz_mark_wrong", lang, n=question.answer + 1, answer=question.answer_text))
        else:
            write("  " + word("quiz_interview_line", lang, concept=question.concept))
            if pause and read(word("quiz_press_enter", lang)) is None:
                break
            write(word("quiz_model_answer", lang, answer=question.answer_text))
            text = read(word("quiz_did_you_know", lang))
            if text is None or text.strip().lower() == "q":
                break
            result = grade(question, parse_response(question, text))
        if question.explanation:
            write(f"  {question.explanation}")
        results.append(result)
    return results


def cmd_import(args) -> int:
    from .importers import ImportError_, import_metacademy

    try:
        report = import_metacademy(args.dir, args.out)
    except ImportError_ as err:  # a malformed record: the data has a problem (file:line), like a pack with errors
        print(f"kg: {err}", file=sys.stderr)
        return EXIT_PROBLEMS
    for note in report["notes"]:
        print(f"note: {note}", file=sys.stderr)
    print(f"wrote {report['concepts']} concepts and {report['edges']} requires edges in {report['files']} files to {args.out}")
    return EXIT_OK


def cmd_synth(args) -> int:
    from .synth import write_pack

    info = write_pack(args.n, args.out, files=args.files, seed=args.seed)
    print(f"wrote {info['concepts']} concepts in {info['files']} files ({info['bytes']:,} bytes) to {info['path']}")
    return EXIT_OK


# ---------------------------------------------------------------- the parser


# ---------------------------------------------------------------- the learner: profile, progress, placement, review


def _store(args):
    from .learner import open_store, profile_name

    return open_store(args.db), profile_name(args.profile)


def _profile_known(args, pack) -> list[str]:
    """--known when given; else the profile's known set, unless --fresh."""
    given = _split(getattr(args, "known", None))
    if given or getattr(args, "fresh", False):
        return given
    from .learner import known_ids

    store, profile = _store(args)
    return known_ids(pack, store, profile)


def _profile_targets(args, pack) -> list[str]:
    if getattr(args, "fresh", False):
        return []
    from .learner import target_ids

    store, profile = _store(args)
    return target_ids(pack, store, profile)


def _terminal_reader(answers: list[str] | None):
    """Answers from a list (non-interactive; missing ones stop), else from the terminal (end of input stops)."""
    if answers is not None:
        given = iter(answers)
        return lambda prompt: next(given, None)

    def read(prompt):
        try:
            return input(prompt)
        except EOFError:
            return None
    return read


def _asker(read, write):
    """One question through the quiz's terminal loop: True/False, or None when the learner stops."""
    def ask(question):
        results = run_quiz([question], read, write)
        return results[0].correct if results else None
    return ask


def _answers_file(path: str | None) -> list[str] | None:
    """The answers of a non-interactive session: one per line (option number, letter, y/n), at most 64 KB."""
    if path is None:
        return None
    from .store import read_progress_file  # noqa: F401  (same limits module)

    with open(path, "rb") as stream:
        raw = stream.read(65537)
    if len(raw) > 65536:
        raise KgError(f"{path}: larger than 64 KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KgError(f"{path}: not UTF-8 text") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def cmd_mark(args) -> int:
    from .learner import mark

    pack = _load(args)
    store, profile = _store(args)
    ids = mark(pack, store, profile, args.concepts, args.state)
    if args.json:
        _json({"profile": profile, "state": args.state, "concepts": ids})
        return EXIT_OK
    print(word("marked", args.lang, n=len(ids), state=word(f"state_{args.state}", args.lang), profile=profile))
    for node in ids:
        print(f"  {node:32s} {name_line(pack, node, args.lang)}")
    return EXIT_OK


def cmd_targets(args) -> int:
    from .learner import add_targets, remove_targets, target_ids

    pack = _load(args)
    store, profile = _store(args)
    if args.action != "list" and not args.concepts:
        print("kg: " + word("targets_which", args.lang), file=sys.stderr)
        return EXIT_USAGE
    if args.action == "add":
        add_targets(pack, store, profile, args.concepts)
    elif args.action == "remove":
        remove_targets(pack, store, profile, args.concepts)
    elif args.concepts:
        print("kg: " + word("targets_list_takes_none", args.lang), file=sys.stderr)
        return EXIT_USAGE
    targets = target_ids(pack, store, profile)
    if args.json:
        _json({"profile": profile, "targets": targets})
        return EXIT_OK
    print(word("targets_heading", args.lang, n=len(targets), profile=profile))
    for node in targets:
        print(f"  {node:32s} {name_line(pack, node, args.lang)}")
    return EXIT_OK


def cmd_progress(args) -> int:
    from .learner import bar, progress
    from .store import read_progress_file

    pack = _load(args)
    store, profile = _store(args)
    lang = args.lang
    if args.import_file:
        counts = store.import_data(profile, read_progress_file(args.import_file))
        print(word("imported", lang, path=args.import_file, profile=profile, **counts), file=sys.stderr)
    if args.export_file:
        from .fsutil import atomic_write

        atomic_write(args.export_file, json.dumps(store.export(profile), ensure_ascii=False, indent=1) + "\n")
        print(word("saved_to", lang, path=args.export_file), file=sys.stderr)
    report = progress(pack, store, profile, lang)
    if args.json:
        _json(report)
        return EXIT_OK
    overall = report["overall"]
    print(word("progress_heading", lang, profile=profile))
    width = max([len(s["name"] or s["section"] or "-") for s in report["sections"]] + [8])
    for section in report["sections"]:
        title = (f"{section['section']} {section['name']}".strip() if section["section"] else word("no_section", lang))
        learning = " " + word("progress_learning", lang, n=section["learning"]) if section["learning"] else ""
        print(f"  {title[:width + 4]:{width + 4}s} {bar(section['share'])} {section['known']:3d}/{section['total']:<3d}{learning}")
    print(f"  {word('progress_overall', lang):{width + 4}s} {bar(overall['share'])} {overall['known']:3d}/{overall['total']:<3d} "
          f"({round(100 * overall['share'])}%)")
    if report["targets"]:
        print(word("progress_targets", lang, steps=report["steps_to_targets"], targets=", ".join(report["targets"])))
    if report["orphans"]:
        print(word("progress_orphans", lang, n=len(report["orphans"]), ids=", ".join(report["orphans"][:20])), file=sys.stderr)
    return EXIT_OK


def cmd_diagnose(args) -> int:
    pack = _load(args)
    if not 0 <= args.slip < 0.5 or not 0 <= args.guess < 0.5:
        print("kg: " + word("diagnose_rates", args.lang), file=sys.stderr)
        return EXIT_USAGE
    if args.simulate:
        from .diagnose import simulate

        report = simulate(pack, args.target, args.simulate, slip=args.slip, guess=args.guess,
                          max_questions=args.max_questions, seed=args.seed)
        if args.json:
            _json(report)
            return EXIT_OK
        baseline = report["baseline_every_concept_once"]
        print(word("simulate_heading", args.lang, n=report["learners"], target=name_line(pack, report["target"], args.lang),
                   concepts=report["plan_concepts"], slip=args.slip, guess=args.guess))
        print(word("simulate_adaptive", args.lang, accuracy=round(100 * report["accuracy"]["mean"], 1),
                   mean=report["questions"]["mean"], p95=report["questions"]["p95"]))
        print(word("simulate_baseline", args.lang, questions=baseline["questions"],
                   raw=round(100 * baseline["accuracy_raw_answers"]["mean"], 1),
                   model=round(100 * baseline["accuracy_through_model"]["mean"], 1)))
        return EXIT_OK
    from .learner import run_placement, save_placement

    answers = _split([args.answers]) if args.answers is not None else None
    read = _terminal_reader(answers)
    write = print if not args.json else (lambda text: None)
    run = run_placement(pack, args.target, _asker(read, write), lang=args.lang, seed=args.seed, slip=args.slip,
                        guess=args.guess, max_questions=args.max_questions)
    plan = set(run.plan)
    if args.json:
        _json({"target": run.target, "plan": run.plan, "asked": [{"concept": c, "correct": ok} for c, ok in run.asked],
               "estimate": run.estimate, "saved": bool(args.save)})
    else:
        print("\n" + word("diagnose_estimate", args.lang, known=len(run.estimate), total=len(plan), asked=len(run.asked)))
        for node in run.estimate:
            print(f"  ✓ {name_line(pack, node, args.lang)}")
    confirmed = args.save
    if not confirmed and answers is None and not args.json:
        reply = read(word("diagnose_confirm", args.lang, n=len(run.estimate)))
        confirmed = reply is not None and reply.strip().casefold() in {"y", "yes", "是", "对"}
    if confirmed:
        store, profile = _store(args)
        save_placement(store, profile, run)
        print(word("diagnose_saved", args.lang, n=len(run.estimate), profile=profile), file=sys.stderr)
    elif not args.json:
        print(word("diagnose_not_saved", args.lang), file=sys.stderr)
    return EXIT_OK


def cmd_today(args) -> int:
    pack = _load(args)
    lang = args.lang
    if args.simulate:
        from .review import simulate

        report = simulate(pack, concepts=args.concepts, days=args.days, minutes=args.minutes, seed=args.seed)
        if args.json:
            _json(report)
            return EXIT_OK
        print(word("review_sim_heading", lang, days=report["days"], concepts=report["plan_concepts"], minutes=report["minutes_per_day"]))
        for key in ("with_implicit", "without_implicit"):
            run = report[key]
            print("  " + word(f"review_sim_{key}", lang, per_day=run["reviews_per_day"], studied=run["studied"],
                              predicted=round(100 * run["share_above_90_predicted"]), true=round(100 * run["share_above_90_true"])))
        return EXIT_OK
    from .learner import today

    store, profile = _store(args)
    plan = today(pack, store, profile, minutes=args.minutes)
    if args.json:
        _json({"profile": profile, **plan.to_dict()})
        return EXIT_OK
    print(word("today_heading", lang, profile=profile, minutes=plan.minutes, budget=args.minutes))
    if plan.reviews or plan.checks:
        print(word("today_reviews", lang, n=len(plan.reviews) + len(plan.checks)))
        for node, covers in plan.reviews:
            extra = ("  " + word("today_covers", lang, names=", ".join(label(pack, c, lang) for c in covers))) if covers else ""
            print(f"  ↻ {name_line(pack, node, lang)}{extra}")
        for node in plan.checks:
            print(f"  ? {name_line(pack, node, lang)}  " + word("today_check", lang))
    if plan.new:
        print(word("today_new", lang, n=len(plan.new)))
        for node in plan.new:
            print(f"  + {name_line(pack, node, lang)}  [{duration(pack.graph.nodes[node].get('minutes', 30), lang)}]")
    if not (plan.reviews or plan.checks or plan.new):
        print("  " + word("today_nothing", lang))
    return EXIT_OK


def cmd_review(args) -> int:
    from .learner import run_review

    pack = _load(args)
    store, profile = _store(args)
    lang = args.lang
    answers = _answers_file(args.answers)
    read = _terminal_reader(answers)
    write = print if not args.json else (lambda text: None)

    def explain(node):
        if not args.json:
            data = pack.graph.nodes[node]
            print(f"\n{word('review_new_concept', lang)}: {name_line(pack, node, lang)}")
            print("  " + field_text(data, "summary", lang))
            if answers is None:
                read(word("review_ready", lang))

    run = run_review(pack, store, profile, _asker(read, write), minutes=args.minutes, lang=lang, seed=args.seed, explain=explain)
    if args.json:
        _json({"profile": profile, "reviewed": [{"concept": c, "correct": ok} for c, ok in run.reviewed],
               "learnt": [{"concept": c, "correct": ok} for c, ok in run.learnt], "credited": run.credited,
               "suspects": run.suspects, "stopped": run.stopped})
        return EXIT_OK
    right = sum(ok for _, ok in run.reviewed + run.learnt)
    print("\n" + word("review_done", lang, reviewed=len(run.reviewed), learnt=len(run.learnt), right=right,
                      total=len(run.reviewed) + len(run.learnt)))
    if run.credited:
        print(word("review_credited", lang, names=", ".join(label(pack, c, lang) for c in run.credited)))
    if run.suspects:
        print(word("review_suspects", lang, names=", ".join(label(pack, c, lang) for c in run.suspects)))
    return EXIT_OK


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1 (it must be at least 1)")
    return value


def _pack_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--graph", metavar="PATH", help="pack folder or YAML file (default: the shipped graph)")
    command.add_argument("--no-cache", action="store_true", help="always parse the pack instead of using the load cache")


def _json_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--json", action="store_true", help="print machine-readable JSON")


def _lang_option(command: argparse.ArgumentParser, what: str = "names and sentences") -> None:
    command.add_argument("--lang", choices=sorted(LANGS), default="en", help=f"language of {what}")


def build_parser() -> argparse.ArgumentParser:
    from .export import FORMATS

    parser = argparse.ArgumentParser(prog="kg", description="Explore and check a bilingual knowledge graph of deep-learning concepts.")
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name, function, help_text, *, pack=True, json_output=True, lang=True):
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(function=function)
        if pack:
            _pack_options(command)
        if json_output:
            _json_option(command)
        if lang:
            _lang_option(command)
        return command

    def learner_options(command, fresh=False):
        command.add_argument("--profile", metavar="NAME", help="the learner's profile (default: $KG_PROFILE or 'default')")
        command.add_argument("--db", metavar="URL", help="progress database: a file or a URL such as postgresql://user@host/kg "
                                                         "(default: $KG_DB, else progress.db in $KG_HOME or your data folder)")
        if fresh:
            command.add_argument("--fresh", action="store_true", help="ignore the profile's known concepts and targets")

    check = add("check", cmd_check, "Check a pack and print every problem with file:line:col, code and hint.", lang=False)
    _lang_option(check, "messages and hints (--json keeps English messages, with the fields they are made of)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--max-file-mb", type=_positive, help="largest file to read, in MB (default 5)")

    order = add("order", cmd_order, "Print what to study, in order, to reach the targets, with why each step is there.")
    order.add_argument("targets", nargs="*", metavar="TARGET", help="concept id, name, Chinese name or alias (default: the profile's targets)")
    order.add_argument("--known", action="append", metavar="A,B", help="concepts you already know (comma-separated, repeatable)")
    order.add_argument("--why", choices=["short", "full"], default="short",
                       help="'short': each step's direct reason and one further link; 'full': the whole chain up to the target")
    learner_options(order, fresh=True)

    nxt = add("next", cmd_next, "List the concepts you can learn next: all their prerequisites are known.")
    nxt.add_argument("--known", action="append", metavar="A,B", help="concepts you already know")
    nxt.add_argument("--limit", type=_positive, default=50, help="how many to print")
    learner_options(nxt, fresh=True)

    rel = add("related", cmd_related, "Show a concept's neighbours grouped by relation, with each edge's why.")
    rel.add_argument("concept", help="concept id, name, Chinese name or alias")
    rel.add_argument("--type", action="append", metavar="T", help="only these edge types (" + ", ".join([*EDGE_TYPES, "contrasts"]) + ")")
    rel.add_argument("--depth", type=int, default=1, choices=[1, 2, 3], help="how many hops")

    path = add("path", cmd_path, "Show how two concepts are connected, one sentence per edge.")
    path.add_argument("a", help="first concept")
    path.add_argument("b", help="second concept")
    path.add_argument("--max", type=_positive, default=3, help="most connections to show")

    show = add("show", cmd_show, "Show one concept: names, summaries, relations, questions, references.")
    show.add_argument("concept", help="concept id, name, Chinese name or alias")

    find = add("search", cmd_search, "Search concepts by id, English or Chinese name or alias (typo-tolerant).")
    find.add_argument("query", nargs="+", help="words to look for")
    find.add_argument("--limit", type=_positive, default=10, help="most results")

    add("stats", cmd_stats, "Print counts by kind and edge type, roots, leaves, the longest chain, central concepts.", lang=False)

    audit = add("audit", cmd_audit, "Audit every study plan: sizes (median, 90th percentile, largest) and the heaviest edges.")
    audit.add_argument("--top", type=_positive, default=15, help="how many largest plans and heaviest edges to list")

    comp = add("compare", cmd_compare, "Compare two or three concepts: side by side, what they share, how they differ and connect.")
    comp.add_argument("concepts", nargs="+", metavar="CONCEPT", help="two or three concept ids, names, Chinese names or aliases")

    export = add("export", cmd_export, "Export the pack, a focus neighbourhood or a study plan to a file format.", json_output=False, lang=False)
    export.add_argument("--format", required=True, choices=sorted(FORMATS), help="output format")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    export.add_argument("--lang", choices=sorted(LANGS), help="language shown first (anki, dot, html, markdown, mermaid)")
    export.add_argument("--focus", metavar="X", help="only the neighbourhood of this concept")
    export.add_argument("--depth", type=_positive, help="neighbourhood depth with --focus (default 1)")
    export.add_argument("--plan", action="append", metavar="TARGET", help="only the study plan for these targets")
    export.add_argument("--known", action="append", metavar="A,B", help="known concepts, with --plan")
    export.add_argument("--nodes", action="store_true", help="csv: the concept table instead of the edge list")
    export.add_argument("--reverse-cards", action="store_true",
                        help="anki: also a reverse note per concept (its summary asks for its name)")
    export.add_argument("--zh-name-cards", action="store_true",
                        help="anki: also a note per concept from its Chinese name to its English one")

    quiz = add("quiz", cmd_quiz, "Quiz yourself: questions from the graph's edges and interview questions, scored.")
    quiz.add_argument("--topic", metavar="X", help="a concept (its study plan and neighbours), a section like 7 or 7.4, a kind or a tag")
    quiz.add_argument("--count", type=_positive, default=10, help="how many questions (default 10)")
    quiz.add_argument("--seed", type=int, default=0, help="the same seed gives the same quiz")
    quiz.add_argument("--answers", metavar="1,3,y", help="answer non-interactively: option numbers, y/n for interview questions")
    quiz.add_argument("--review", metavar="FILE", help="add wrong answers to this JSON review list (right ones are removed)")
    quiz.add_argument("--retry", metavar="FILE", help="ask the questions of a saved review list")
    quiz.add_argument("--flashcards", action="store_true", help="print the questions with their answers, no grading")
    learner_options(quiz, fresh=True)

    imp = add("import", cmd_import, "Convert another concept graph (metacademy) into a pack folder.", pack=False, json_output=False, lang=False)
    imp.add_argument("source", choices=["metacademy"], help="format of the graph to import")
    imp.add_argument("dir", metavar="DIR", help="folder with concepts.jsonl and dependencies.jsonl")
    imp.add_argument("out", metavar="OUT", help="pack folder to write (must be new or empty)")

    synth = add("synth", cmd_synth, "Write a synthetic, valid, acyclic pack of N concepts (for benchmarks).", pack=False, json_output=False, lang=False)
    synth.add_argument("n", type=_positive, metavar="N", help="number of concepts")
    synth.add_argument("out", metavar="OUT", help="folder to write (must be new or empty)")
    synth.add_argument("--files", type=_positive, help="number of files (default: about one per 100 concepts)")
    synth.add_argument("--seed", type=int, default=0, help="random seed (same seed, same pack)")

    mark = add("mark", cmd_mark, "Record what you know: mark concepts known, skipped, learning or unknown in your profile.")
    mark.add_argument("concepts", nargs="+", metavar="CONCEPT", help="concept id, name, Chinese name or alias")
    mark.add_argument("--as", dest="state", required=True, choices=list(STATES), help="the new state")
    learner_options(mark)

    targets = add("targets", cmd_targets, "List, add or remove your profile's targets (what plans, next, the quiz and today aim at).")
    targets.add_argument("action", nargs="?", choices=["list", "add", "remove"], default="list", help="what to do (default: list)")
    targets.add_argument("concepts", nargs="*", metavar="CONCEPT", help="concepts to add or remove")
    learner_options(targets)

    prog = add("progress", cmd_progress, "Show your progress per guide section and overall, as bars; import or export it.")
    prog.add_argument("--export", dest="export_file", metavar="FILE", help="also write the whole profile to this JSON file")
    prog.add_argument("--import", dest="import_file", metavar="FILE",
                      help="first merge a progress file: a kg progress export, the app's known-concepts file or a quiz review file")
    learner_options(prog)

    diag = add("diagnose", cmd_diagnose, "Placement: a few adaptive questions over a target's plan estimate what you already know.")
    diag.add_argument("target", help="concept id, name, Chinese name or alias")
    diag.add_argument("--answers", metavar="1,y,...", help="answer non-interactively (the estimate is then only saved with --save)")
    diag.add_argument("--save", action="store_true", help="save the estimate as known without asking")
    diag.add_argument("--simulate", type=_positive, metavar="N", help="instead, place N synthetic learners and report accuracy and questions")
    diag.add_argument("--slip", type=float, default=0.1, help="chance that someone who knows a concept answers wrongly (default 0.1)")
    diag.add_argument("--guess", type=float, default=0.25, help="chance that someone who does not answers rightly (default 0.25)")
    diag.add_argument("--max-questions", type=_positive, default=15, help="most questions to ask (default 15)")
    diag.add_argument("--seed", type=int, default=0, help="the same seed gives the same questions and simulation")
    learner_options(diag)

    today_ = add("today", cmd_today, "What to do today: due reviews first, then the next new concepts toward your targets.")
    today_.add_argument("--minutes", type=_positive, default=30, help="time budget (default 30)")
    today_.add_argument("--simulate", action="store_true", help="instead, simulate a learner following 'kg today' with and without implicit repetition")
    today_.add_argument("--days", type=_positive, default=60, help="days to simulate (default 60)")
    today_.add_argument("--concepts", type=_positive, default=100, help="size of the simulated plan (default 100)")
    today_.add_argument("--seed", type=int, default=0, help="random seed of the simulation")
    learner_options(today_)

    review = add("review", cmd_review, "Run today's session: a question per due review, then the new concepts; saved after every answer.")
    review.add_argument("--minutes", type=_positive, default=30, help="time budget (default 30)")
    review.add_argument("--answers", metavar="FILE", help="answers, one per line (option number or y/n), for a non-interactive run")
    review.add_argument("--seed", type=int, default=0, help="the same seed picks the same questions")
    learner_options(review)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; anything unexpected becomes one line and exit code 2 (the traceback with ``--debug``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or bool(os.environ.get("KG_DEBUG"))
    argv = [arg for arg in argv if arg != "--debug"]
    stdout, stderr = sys.stdout, sys.stderr
    sys.stderr = SafeStream(stderr)
    try:
        return _run(argv, debug)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(argv: list[str], debug: bool) -> int:
    args = None
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:
            return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
        if not getattr(args, "json", False):
            sys.stdout = SafeStream(sys.stdout)  # human-readable text: pack strings cannot steer the terminal
        return args.function(args)
    except UnknownConcept as err:
        print(f"kg: {err.message_in(getattr(args, 'lang', None) or 'en')}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KgError as err:  # in the language asked for (--lang), where the error has its text in the word table
        print(f"kg: {err.message_in(getattr(args, 'lang', None) or 'en')}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error worth reporting
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        print("kg: out of memory; the pack or the question is too large for this machine", file=sys.stderr)
        return EXIT_USAGE
    except OSError as err:
        if debug:
            traceback.print_exc()
        print(f"kg: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # noqa: BLE001 - the one top-level guard: a bug is one line, not a traceback
        if debug:
            traceback.print_exc()
        detail = str(err).splitlines()[0][:200] if str(err) else ""
        print(f"kg: internal error ({type(err).__name__}{': ' + detail if detail else ''}); "
              "please report it (--debug shows the traceback)", file=sys.stderr)
        return EXIT_USAGE


__all__ = ["main", "build_parser", "run_quiz"]
