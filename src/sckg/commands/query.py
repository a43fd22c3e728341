"""``sckg query``: run a library question, a .rq file, standard input or an expression."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError

DESCRIPTION = """Run SPARQL on the knowledge graph (the default graph is the union of all named graphs).

  sckg query stances-matrix            a question of the library (sckg queries lists them)
  sckg query my-question.rq            a file
  sckg query - < my-question.rq        standard input
  sckg query -e 'SELECT ?s WHERE { ?s a sckg:Stance }'
  sckg query stances-welcomed-vs-faulted --param holder=kg:cap    a parameter, bound by the engine

The project's prefixes (sckg:, kg:, schema:, dcterms:, prov:, oa:, ... see 'sckg queries --prefixes')
are predeclared; a PREFIX line of your own overrides ours.

Output: SELECT and ASK as table, csv, tsv, json or xml (the SPARQL results formats); CONSTRUCT and
DESCRIBE as turtle, nt or jsonld. Without --format: a table on a terminal, csv when piped or written
to a file (or the format its extension names: .csv .tsv .json .xml), turtle for graphs (.ttl .nt
.jsonld). An extension that contradicts --format or the query form (results into x.ttl) is refused.
-o writes the file at once (a temporary file renamed), never half.

An empty answer prints "no results" on standard error and exits 0.
"""

EPILOG = """exit codes:
  0  success, including an empty answer
  1  the project's data does not load (invalid data), or --strict and the --with data fails
     validation (without --strict that is a warning with a summary of the violations)
  2  usage error: unknown query name, missing file, malformed SPARQL (line and column are given),
     a SPARQL Update (not supported), a format or -o extension that does not fit the query form, an
     unknown or malformed --param
"""

def register(sub) -> None:
    from . import with_data

    p = sub.add_parser("query", help="run a SPARQL query: a library NAME, a FILE.rq, - (stdin) or -e TEXT",
                       description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", nargs="?", metavar="NAME|FILE.rq|-",
                   help="a library question, a query file, or - for standard input")
    p.add_argument("-e", "--expression", metavar="SPARQL", help="the query text itself")
    p.add_argument("-f", "--format", choices=("table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"),
                   help="output format (default: table on a terminal, csv otherwise; turtle for graphs)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    p.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter (a CURIE such as kg:cap, an <IRI>, a number or text); repeatable. "
                        "'sckg queries' lists each question's parameters")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="SPARQL engine (default: oxigraph; rdflib is slower, for cross-checking)")
    with_data.add(p, "also load PATH: an RDF file (Turtle, N-Triples...; TriG and N-Quads keep their graph names) "
                     "or a statement folder, with the project's data, e.g. a table imported with "
                     "`sckg import-table`; validated (a warning, or --strict refuses); repeatable")
    p.add_argument("--keep-formulas", action="store_true",
                   help="in csv/tsv, write text cells that start with = + - @ as they are (by default they "
                        "get a leading apostrophe, so a spreadsheet shows them instead of running them)")
    p.add_argument("--strict", action="store_true",
                   help="refuse --with data that fails validation (exit 1) instead of warning")
    p.set_defaults(func=run)


def choose_format(requested: str | None, output: str | None, is_graph: bool, tty: bool, form: str = "") -> str:
    """The output format: --format, else the -o file's extension, else table/csv (turtle for graphs).
    An extension that contradicts --format or the query form is refused, as `sckg export` refuses
    one: a file named .ttl must never hold CSV. ``.txt`` and unknown extensions name no format.
    pyoxigraph's extension lookup names the format (sckg.media_types): .csv .tsv .json/.srj
    .xml/.srx for results, .ttl .nt .jsonld (and .json) for graphs."""
    from ..media_types import CLI_GRAPHS, format_for_extension

    suffix = Path(output).suffix.lower() if output else ""
    guessed = format_for_extension(suffix, is_graph) if suffix != ".txt" else None
    name = Path(output).name if output else ""
    if requested:
        if guessed and guessed != requested:
            raise UsageError(f"-o {name}: the extension {suffix} means {guessed}, but --format {requested} was "
                             f"asked; name the file to match the format, or leave out one of the two")
        return requested
    if guessed:
        if (guessed in CLI_GRAPHS) != is_graph:
            what = f"a {form} query" if form else "this query"
            gives = "a graph" if is_graph else "results, not a graph"
            fits = ".ttl .nt .jsonld" if is_graph else ".csv .tsv .json .xml"
            raise UsageError(f"-o {name}: {what} gives {gives}, which cannot be written as {guessed} ({suffix}); "
                             f"use one of {fits}, or --format")
        return guessed
    if is_graph:
        return "turtle"
    if suffix == ".txt":
        return "table"
    if output:
        return "csv"
    return "table" if tty else "csv"


def run(args) -> int:
    from ..query_run import run as run_query
    from ..query_source import bind_params, parse_param_args, resolve
    from ..sparql_nesting import nesting_problem
    from ..store import open_graph

    source = resolve(args.query, args.expression, args.root)
    if not source.text.strip():
        raise UsageError(f"{source.origin}: the query is empty")
    if problem := nesting_problem(source.text):  # before a parser can overflow its stack on it
        raise UsageError(f"{source.origin}: {problem}")
    from ..library import query_form

    form = query_form(source.text)  # a file name that contradicts the format fails before loading
    choose_format(args.format, args.output, form in ("CONSTRUCT", "DESCRIBE"), sys.stdout.isatty(), form)
    bindings = bind_params(source, parse_param_args(getattr(args, "param", [])))
    kg = open_graph(args.root, extra=args.extra)  # dist/store when current, else a fresh load
    if args.extra:
        from ..extension_check import check_extra

        check_extra(kg, args.extra, args.strict, "sckg query")  # --with data is validated as a build would
    answer = run_query(kg, source.text, args.engine, source.origin, bindings)
    if answer.unknown_graphs:
        from ..query_dataset import unknown_graphs_warning

        print(f"warning: {unknown_graphs_warning(answer.unknown_graphs)}", file=sys.stderr)
    fmt = choose_format(args.format, args.output, answer.is_graph, sys.stdout.isatty(), answer.form)
    if fmt == "table":
        if answer.is_graph:
            raise UsageError(f"a {answer.form} query gives a graph: choose --format turtle, nt or jsonld")
        import shutil

        from ..querying_table import render

        width = None if args.output else shutil.get_terminal_size((100, 24)).columns
        data = b"" if answer.empty else (render(answer, width) + "\n").encode("utf-8")
    elif fmt in ("csv", "tsv") and not answer.is_graph and not args.keep_formulas:
        # Text cells that a spreadsheet would run as a formula (=, +, -, @) get an apostrophe.
        data = answer.spreadsheet_safe().serialize(fmt)
    else:
        data = answer.serialize(fmt)
    if args.output:
        from ..atomic import write_file_atomically

        write_file_atomically(Path(args.output), data)
    elif data:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if answer.empty:
        print("no results", file=sys.stderr)
    return 0
