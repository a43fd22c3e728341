"""``sckg query``: run a library question, a .rq file, standard input or an expression."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..errors import UsageError

DESCRIPTION = """Run SPARQL on the knowledge graph (the default graph is the union of all named graphs).

  sckg query stances-matrix            a question of the library (sckg queries lists them)
  sckg query my-question.rq            a file
  sckg query - < my-question.rq        standard input
  sckg query -e 'SELECT ?s WHERE { ?s a sckg:Stance }'

The project's prefixes (sckg:, kg:, schema:, dcterms:, prov:, oa:, ... see 'sckg queries --prefixes')
are predeclared; a PREFIX line of your own overrides ours.

Output: SELECT and ASK as table, csv, tsv, json or xml (the SPARQL results formats); CONSTRUCT and
DESCRIBE as turtle, nt or jsonld. Without --format: a table on a terminal, csv when piped or written
to a file (or the format its extension names: .csv .tsv .json .xml), turtle for graphs (.ttl .nt
.jsonld). -o writes the file at once (a temporary file renamed), never half.

An empty answer prints "no results" on standard error and exits 0.
"""

EPILOG = """exit codes:
  0  success, including an empty answer
  1  the project's data does not load (invalid data)
  2  usage error: unknown query name, missing file, malformed SPARQL (line and column are given),
     a format that does not fit the query form
"""

_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml",
               ".ttl": "turtle", ".nt": "nt", ".jsonld": "jsonld", ".txt": "table"}


def register(sub) -> None:
    p = sub.add_parser("query", help="run a SPARQL query: a library NAME, a FILE.rq, - (stdin) or -e TEXT",
                       description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", nargs="?", metavar="NAME|FILE.rq|-",
                   help="a library question, a query file, or - for standard input")
    p.add_argument("-e", "--expression", metavar="SPARQL", help="the query text itself")
    p.add_argument("-f", "--format", choices=("table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"),
                   help="output format (default: table on a terminal, csv otherwise; turtle for graphs)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="SPARQL engine (default: oxigraph; rdflib is slower, for cross-checking)")
    p.add_argument("--with", dest="extra", action="append", default=[], metavar="FILE",
                   help="also load FILE (Turtle, N-Triples...) or a statement folder with the project's data, "
                        "e.g. a table imported with `sckg import-table`; repeatable")
    p.set_defaults(func=run)


def choose_format(requested: str | None, output: str | None, is_graph: bool, tty: bool) -> str:
    if requested:
        return requested
    if output:
        guessed = _EXTENSIONS.get(Path(output).suffix.lower())
        if guessed and (guessed in ("turtle", "nt", "jsonld")) == is_graph:
            return guessed
        return "turtle" if is_graph else "csv"
    if is_graph:
        return "turtle"
    return "table" if tty else "csv"


def run(args) -> int:
    from ..atomic import write_file_atomically
    from ..loader import load
    from ..querying import resolve
    from ..querying import run as run_query
    from ..querying_table import render
    from ..sparql_nesting import nesting_problem

    source = resolve(args.query, args.expression, args.root)
    if not source.text.strip():
        raise UsageError(f"{source.origin}: the query is empty")
    if problem := nesting_problem(source.text):  # before a parser can overflow its stack on it
        raise UsageError(f"{source.origin}: {problem}")
    kg = load(args.root, extra=args.extra)
    answer = run_query(kg, source.text, args.engine, source.origin)
    fmt = choose_format(args.format, args.output, answer.is_graph, sys.stdout.isatty())
    if fmt == "table":
        if answer.is_graph:
            raise UsageError(f"a {answer.form} query gives a graph: choose --format turtle, nt or jsonld")
        width = None if args.output else shutil.get_terminal_size((100, 24)).columns
        data = b"" if answer.empty else (render(answer, width) + "\n").encode("utf-8")
    else:
        data = answer.serialize(fmt)
    if args.output:
        write_file_atomically(Path(args.output), data)
    elif data:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if answer.empty:
        print("no results", file=sys.stderr)
    return 0
