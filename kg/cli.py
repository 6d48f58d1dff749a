"""The ``kg`` command: parses arguments, calls the library, prints. No logic of its own."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import KgError, PackError, UnknownConcept
from .problems import CODES, count_by_severity
from .schema import EDGE_TYPES
from .terminal import SafeStream

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _minutes(total: int) -> str:
    hours, minutes = divmod(total, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _names(pack, node, lang):
    from .queries import names

    first, second = names(pack, node, lang)
    return first + (f" ({second})" if second else "")


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (``--count -5`` is a usage error, not 137 questions)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def _split(values):
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _load(args):
    from .pack import Limits, load_pack

    limits = Limits(max_file_bytes=args.max_file_mb * 1024 * 1024) if getattr(args, "max_file_mb", None) else Limits()
    if not args.no_cache:
        from .cache import load_pack_cached

        pack = load_pack_cached(args.graph, limits=limits)
    else:
        pack = load_pack(args.graph, limits=limits)
    if not pack.files and any(p.code == "io-error" for p in pack.problems):
        if args.command == "check":
            return pack  # cmd_check prints the problem and exits 2
        raise PackError(f"cannot read the pack: {pack.problems[0].path}: {pack.problems[0].message}")
    if args.command != "check" and pack.errors:
        print(f"kg: the pack has {len(pack.errors)} error(s); answers use what could be loaded (run 'kg check')", file=sys.stderr)
    return pack


def cmd_check(args) -> int:
    pack = _load(args)
    counts = count_by_severity(pack.problems)
    if args.format == "json" or args.json:
        print(json.dumps({"problems": [p.to_dict() for p in pack.problems], "counts": counts,
                          "concepts": pack.graph.number_of_nodes(), "edges": pack.graph.number_of_edges()}, ensure_ascii=False, indent=2))
    else:
        for problem in pack.problems:
            print(problem.format())
        print(f"{pack.graph.number_of_nodes()} concepts, {pack.graph.number_of_edges()} edges in {len(pack.files)} files: "
              f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info")
    if not pack.files and any(p.code == "io-error" for p in pack.problems):
        return EXIT_USAGE
    failing = counts["error"] + (counts["warning"] if args.strict else 0)
    return EXIT_PROBLEMS if failing else EXIT_OK


def cmd_order(args) -> int:
    from .queries import locality, sentence, study_order, why_chain

    pack = _load(args)
    plan = study_order(pack, args.targets, _split(args.known))
    if args.json:
        print(json.dumps({"targets": plan.targets, "known": plan.known, "total_minutes": plan.total_minutes,
                          "locality": round(locality(pack, plan), 3),
                          "steps": [{"id": s.id, "name": pack.graph.nodes[s.id].get("name"), "name_zh": pack.graph.nodes[s.id].get("name_zh"),
                                     "minutes": s.minutes, "target": s.is_target, "reason": [list(e) for e in (why_chain(plan, s.id, full=True) if args.why == "full" else s.reason)],
                                     "reason_length": s.reason_length, "pulled_by": list(plan.pulled_by[s.id]) if s.id in plan.pulled_by else None}
                                    for s in plan.steps]},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    names = ", ".join(_names(pack, t, args.lang) for t in plan.targets)
    print(f"Study plan for {names}: {len(plan.steps)} step{'s' if len(plan.steps) != 1 else ''}, {_minutes(plan.total_minutes)}")
    for number, step in enumerate(plan.steps, 1):
        print(f"{number:3d}. {_names(pack, step.id, args.lang)}  [{_minutes(step.minutes)}]")
        if step.is_target:
            print("       target")
        else:
            shown = why_chain(plan, step.id, full=True) if args.why == "full" else step.reason[:2]  # direct reason + one link
            more = " → …" if len(shown) < step.reason_length else ""
            print("       because " + " → ".join(sentence(pack, edge, args.lang) for edge in shown) + more)
    return EXIT_OK


def cmd_next(args) -> int:
    from .queries import fringe

    pack = _load(args)
    ready = fringe(pack, _split(args.known))
    if args.json:
        print(json.dumps(ready, ensure_ascii=False))
        return EXIT_OK
    print(f"{len(ready)} concept(s) ready to learn:")
    for node in ready[: args.limit]:
        print(f"  {node:32s} {_names(pack, node, args.lang)}")
    if len(ready) > args.limit:
        print(f"  ... and {len(ready) - args.limit} more (--limit)")
    return EXIT_OK


def cmd_related(args) -> int:
    from .queries import group_relations, related, sentence, why

    pack = _load(args)
    focus = pack.resolve(args.concept)
    relations = related(pack, focus, types=_split(args.type) or None, depth=args.depth)
    if args.json:
        print(json.dumps([{"neighbour": r.neighbour, "source": r.edge[0], "type": r.edge[1], "target": r.edge[2],
                           "direction": r.direction, "distance": r.distance, "why": r.why, "why_zh": why(pack, r.edge, "zh")}
                          for r in relations] + [
                             {"neighbour": c["to"], "source": focus, "type": "contrasts", "target": c["to"], "direction": "both",
                              "distance": 1, "how": c["how"], "how_zh": c["how_zh"]}
                             for c in pack.contrasts(focus) if not args.type or "contrasts" in _split(args.type)],
                         ensure_ascii=False, indent=2))
        if relations.more:
            print(f"kg: {relations.more} more relation(s) not listed", file=sys.stderr)
        return EXIT_OK
    print(_names(pack, focus, args.lang))
    for title, members in group_relations(relations, args.lang):
        print(f"  {title}:")
        for relation in members:
            reason = why(pack, relation.edge, args.lang)
            print(f"    {_names(pack, relation.neighbour, args.lang)}" + (f" — {reason}" if reason else ""))
    farther = [r for r in relations if r.distance > 1]
    if farther:
        print(f"  farther ({len(farther)}):")
        for relation in farther:
            print(f"    [{relation.distance}] {sentence(pack, relation.edge, args.lang)}")
    if relations.more:
        print(f"  ... and {relations.more} more relation(s) not listed (at most {len(relations)}; narrow with --type or --depth)")
    if not args.type or "contrasts" in _split(args.type):
        _print_contrasts(pack, focus, args.lang)
    return EXIT_OK


def cmd_path(args) -> int:
    from .queries import MAX_PATHS, connect, sentence, why

    pack = _load(args)
    paths = connect(pack, args.a, args.b, max_paths=args.max)
    capped = (f"kg: more shortest connections exist; {len(paths)} listed"
              + (f" (--max is at most {MAX_PATHS})" if args.max > MAX_PATHS else " (--max)")) if paths.capped else ""
    if args.json:
        print(json.dumps([[{"source": e[0], "type": e[1], "target": e[2], "why": why(pack, e), "why_zh": why(pack, e, "zh")} for e in p] for p in paths], ensure_ascii=False, indent=2))
        if capped:
            print(capped, file=sys.stderr)
        return EXIT_OK
    if not paths:
        print(f"{_names(pack, pack.resolve(args.a), args.lang)} and {_names(pack, pack.resolve(args.b), args.lang)} are not connected")
        return EXIT_OK
    for number, path in enumerate(paths, 1):
        print(f"Connection {number} ({len(path)} step{'s' if len(path) != 1 else ''}):")
        for edge in path:
            reason = why(pack, edge, args.lang)
            print(f"  {sentence(pack, edge, args.lang)}." + (f" ({reason})" if reason else ""))
    if capped:
        print(capped[len("kg: "):])
    return EXIT_OK


def _print_contrasts(pack, node, lang) -> None:
    from .schema import CONTRAST_TEXT

    for contrast in pack.contrasts(node):
        how = (contrast["how_zh"] if lang == "zh" else "") or contrast["how"]
        print(f"\n{CONTRAST_TEXT[lang]} {_names(pack, contrast['to'], lang)}: {how}")


def cmd_show(args) -> int:
    from .d2l import concept_links
    from .queries import group_relations, related

    pack = _load(args)
    concept = pack.concept(args.concept)
    reading = concept_links(concept)
    if args.json:
        print(json.dumps({**concept, "d2l_links": reading}, ensure_ascii=False, indent=2))
        return EXIT_OK
    node = concept["id"]
    print(f"{concept.get('name')}  {concept.get('name_zh', '')}  [{node}]")
    print(f"kind: {concept.get('kind')}   section: {concept.get('section', '-')}   minutes: {concept.get('minutes', '-')}")
    if concept.get("aliases"):
        print("aliases: " + ", ".join(concept["aliases"]))
    print()
    print(concept.get("summary", ""))
    if concept.get("summary_zh"):
        print(concept["summary_zh"])
    for title, members in group_relations(related(pack, node), args.lang):
        print(f"\n{title}: " + ", ".join(_names(pack, r.neighbour, args.lang) for r in members))
    _print_contrasts(pack, node, args.lang)
    if reading:
        print("\nDive into Deep Learning:" if args.lang != "zh" else "\n动手学深度学习:")
        for link in reading:
            for lang in ("zh", "en") if args.lang == "zh" else ("en", "zh"):
                if lang in link:
                    print(f"  {link[f'title_{lang}']}  {link[lang]}")
    for question in concept.get("questions", []):
        print(f"\nQ: {question['q']}\nA: {question['a']}")
    for ref in concept.get("refs", []):
        authors = ", ".join(ref.get("authors", []))
        print(f"\nref: {ref['title']}" + (f" — {authors}" if authors else "") + (f" ({ref['year']})" if ref.get("year") else "") + (f" {ref['url']}" if ref.get("url") else ""))
    return EXIT_OK


def cmd_search(args) -> int:
    from .search import search

    pack = _load(args)
    hits = search(pack, " ".join(args.query), limit=args.limit)
    if args.json:
        print(json.dumps([{"id": h.id, "score": round(h.score, 1), "matched": h.matched} for h in hits], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not hits:
        print("no match")
        return EXIT_PROBLEMS
    for hit in hits:
        print(f"{hit.score:5.1f}  {hit.id:32s} {_names(pack, hit.id, args.lang)}")
    return EXIT_OK


def cmd_stats(args) -> int:
    from .queries import stats

    pack = _load(args)
    result = stats(pack)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{result['concepts']} concepts, {result['edges']} edges, {_minutes(result['total_minutes'])} of study")
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
    from .queries import sentence

    pack = _load(args)
    report = audit(pack, top=args.top)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    if not report.plan_sizes:
        print("the pack has no concepts")
        return EXIT_OK
    top_id, top_steps = report.largest[0]
    print(f"Plans from zero for {len(report.plan_sizes)} concepts: median {report.median:g} steps, "
          f"90th percentile {report.p90}, largest {_names(pack, top_id, args.lang)} ({top_steps} steps)")
    print("Largest plans: " + ", ".join(f"{node} {steps}" for node, steps in report.largest))
    if report.heaviest_edges is not None:
        print(f"Heaviest edges (removing the edge would shrink N plans by M steps in total):")
        for number, edge in enumerate(report.heaviest_edges, 1):
            written = "; ".join(sentence(pack, e, args.lang) for e in edge.written)
            print(f"{number:3d}. {written}: {edge.plans} plans, {edge.steps} steps")
    for note in report.notes:
        print(f"note: {note}")
    return EXIT_OK


def cmd_compare(args) -> int:
    from .compare import SIDE_RELATIONS, compare
    from .queries import sentence
    from .render import kind_name

    pack = _load(args)
    result = compare(pack, args.concepts)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    zh = args.lang == "zh"
    words = _COMPARE_WORDS["zh" if zh else "en"]
    print(f"  {words['vs']}  ".join(_names(pack, side.id, args.lang) for side in result.sides))
    for side in result.sides:
        print(f"\n{_names(pack, side.id, args.lang)} [{kind_name(side.kind, args.lang)}]")
        summary = (side.summary_zh if zh else "") or side.summary
        print(f"  {summary}")
        for edge_type in SIDE_RELATIONS:
            targets = side.relations[edge_type]
            if targets:
                title = EDGE_TYPES[edge_type]["forward_zh" if zh else "forward_en"]
                print(f"  {title}: " + ", ".join(_names(pack, t, args.lang) for t in targets))
    print(f"\n{words['shared']}")
    if result.common_parents:
        print(f"  {words['parents']}: " + ", ".join(_names(pack, p, args.lang) for p in result.common_parents))
    if result.closest_common_prerequisites:
        print(f"  {words['prerequisites'].format(count=result.common_prerequisite_count)}: "
              + ", ".join(_names(pack, p, args.lang) for p in result.closest_common_prerequisites))
    if not result.common_parents and not result.common_prerequisite_count:
        print(f"  {words['nothing']}")
    if result.contrasts:
        print(f"\n{words['differ']}")
        for contrast in result.contrasts:
            how = (contrast.how_zh if zh else "") or contrast.how
            print(f"  {_names(pack, contrast.a, args.lang)} / {_names(pack, contrast.b, args.lang)}: {how}")
    print(f"\n{words['connect']}")
    for connection in result.connections:
        if connection.path:
            print("  " + "; ".join(sentence(pack, edge, args.lang) for edge in connection.path))
        else:
            print(f"  {words['unconnected'].format(a=_names(pack, connection.a, args.lang), b=_names(pack, connection.b, args.lang))}")
    return EXIT_OK


_COMPARE_WORDS = {
    "en": {"vs": "vs", "shared": "What they share", "parents": "both are variants of",
           "prerequisites": "closest shared prerequisites ({count} shared in all)", "nothing": "nothing in the graph",
           "differ": "How they differ", "connect": "How they connect", "unconnected": "{a} and {b} are not connected"},
    "zh": {"vs": "对比", "shared": "共同点", "parents": "都是以下概念的变体",
           "prerequisites": "最接近的共同前置知识(共 {count} 个)", "nothing": "图中没有共同点",
           "differ": "区别", "connect": "关联", "unconnected": "{a} 与 {b} 之间没有关联"},
}


def cmd_export(args) -> int:
    from .export import EXPORTERS, select_nodes
    from .fsutil import write_output

    pack = _load(args)
    function, binary, suffix = EXPORTERS[args.format]
    nodes = select_nodes(pack, focus=args.focus, depth=args.depth, plan=_split(args.plan), known=_split(args.known))
    options = {"lang": args.lang, "plan": _split(args.plan), "known": _split(args.known), "nodes_table": args.nodes, "focus": args.focus}
    output = function(pack, nodes, **options)  # every exporter ignores the options it has no use for
    if args.output and args.output != "-":
        target = Path(args.output).resolve()
        if any(target == Path(f).resolve() for f in pack.files):
            print(f"kg: refusing to overwrite the pack's own file {args.output}", file=sys.stderr)
            return EXIT_USAGE
        if write_output(args.output, output) != "stdout":
            print(f"wrote {args.output} ({args.format}, {len(nodes)} concepts)", file=sys.stderr)
    elif binary:
        print("kg: this format is binary: give -o FILE", file=sys.stderr)
        return EXIT_USAGE
    else:
        write_output("-", output)  # data, not terminal text: exact, not filtered
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from .export import EXPORTERS

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--graph", metavar="PATH", help="pack folder or YAML file (default: the shipped graph)")
    common.add_argument("--lang", choices=["en", "zh"], default="en", help="language of names and sentences")
    common.add_argument("--json", action="store_true", help="print machine-readable JSON")
    common.add_argument("--no-cache", action="store_true", help="always parse the pack instead of using the load cache")
    parser = argparse.ArgumentParser(prog="kg", description="Explore and check a bilingual knowledge graph of deep-learning concepts.")
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name, function, help_text):
        command = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        command.set_defaults(function=function)
        return command

    check = add("check", cmd_check, "Check a pack and print every problem with file:line:col, code and hint.")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    check.add_argument("--max-file-mb", type=int, help="largest file to read, in MB (default 5)")

    order = add("order", cmd_order, "Print what to study, in order, to reach the targets, with why each step is there.")
    order.add_argument("targets", nargs="+", metavar="TARGET", help="concept id, name, Chinese name or alias")
    order.add_argument("--known", action="append", metavar="A,B", help="concepts you already know (comma-separated, repeatable)")
    order.add_argument("--why", choices=["short", "full"], default="short",
                       help="'short': each step's direct reason and one further link; 'full': the whole chain up to the target")

    nxt = add("next", cmd_next, "List the concepts you can learn next: all their prerequisites are known.")
    nxt.add_argument("--known", action="append", metavar="A,B", help="concepts you already know")
    nxt.add_argument("--limit", type=positive, default=50, help="how many to print")

    rel = add("related", cmd_related, "Show a concept's neighbours grouped by relation, with each edge's why.")
    rel.add_argument("concept", help="concept id, name, Chinese name or alias")
    rel.add_argument("--type", action="append", metavar="T", help="only these edge types (" + ", ".join(EDGE_TYPES) + ")")
    rel.add_argument("--depth", type=int, default=1, choices=[1, 2, 3], help="how many hops")

    path = add("path", cmd_path, "Show how two concepts are connected, one sentence per edge.")
    path.add_argument("a", help="first concept")
    path.add_argument("b", help="second concept")
    path.add_argument("--max", type=positive, default=3, help="most connections to show")

    show = add("show", cmd_show, "Show one concept: names, summaries, relations, questions, references.")
    show.add_argument("concept", help="concept id, name, Chinese name or alias")

    find = add("search", cmd_search, "Search concepts by id, English or Chinese name or alias (typo-tolerant).")
    find.add_argument("query", nargs="+", help="words to look for")
    find.add_argument("--limit", type=positive, default=10, help="most results")

    add("stats", cmd_stats, "Print counts by kind and edge type, roots, leaves, the longest chain, central concepts.")

    audit = add("audit", cmd_audit, "Audit every study plan: sizes (median, 90th percentile, largest) and the heaviest edges.")
    audit.add_argument("--top", type=int, default=15, help="how many largest plans and heaviest edges to list")

    comp = add("compare", cmd_compare, "Compare two or three concepts: side by side, what they share, how they differ and connect.")
    comp.add_argument("concepts", nargs="+", metavar="CONCEPT", help="two or three concept ids, names, Chinese names or aliases")

    export = add("export", cmd_export, "Export the pack, a focus neighbourhood or a study plan to a file format.")
    export.add_argument("--format", required=True, choices=sorted(EXPORTERS), help="output format")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    export.add_argument("--focus", metavar="X", help="only the neighbourhood of this concept")
    export.add_argument("--depth", type=int, default=1, help="neighbourhood depth with --focus")
    export.add_argument("--plan", action="append", metavar="TARGET", help="only the study plan for these targets")
    export.add_argument("--known", action="append", metavar="A,B", help="known concepts, with --plan")
    export.add_argument("--nodes", action="store_true", help="csv: the concept table instead of the edge list")
    for name, (function, help_text, arguments) in EXTRA_COMMANDS.items():
        command = add(name, function, help_text)
        arguments(command)
    return parser


#: Commands contributed by other modules: name -> (function, help, add_arguments).
EXTRA_COMMANDS: dict = {}


def _register_extra_commands() -> None:
    """The command modules that live beside the core (import, synth, quiz) add their subcommands here."""
    import importlib

    for module in ("kg.importers", "kg.synth", "kg.quiz"):
        EXTRA_COMMANDS.update(importlib.import_module(module).COMMANDS)


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
    try:
        _register_extra_commands()
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:
            return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
        if not (getattr(args, "json", False) or getattr(args, "format", None) == "json"):
            sys.stdout = SafeStream(sys.stdout)  # human-readable text: pack strings cannot steer the terminal
        return args.function(args)
    except UnknownConcept as err:
        print(f"kg: {err}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KgError as err:
        print(f"kg: {err}", file=sys.stderr)
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


__all__ = ["main", "build_parser", "CODES"]
