"""The ``sckg`` command. Each subcommand lives in its own module under ``sckg.commands`` and exposes
``register(subparsers)``; this module lists them (COMMANDS), parses arguments and maps errors to exit
codes. Only the chosen command's module is imported: `sckg query` must not pay for the exporters'
networkx or the server's Starlette.

Exit codes: 0 ok, 1 invalid data, 2 usage or runtime error. Errors a user can fix are printed as one
clear message, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__, commands
from .errors import EXIT_USAGE, SckgError

EPILOG = """exit codes:
  0  success
  1  invalid data (syntax errors, unresolvable quotes, SHACL or quality-check violations)
  2  usage or runtime error (bad arguments, missing files, a failure outside the data)
"""


ROOT_HELP = ("the project folder (default: $SCKG_ROOT, else the nearest folder at or above the working "
             "directory that holds ontology/sckg.ttl, else the checkout sckg was installed from)")


class _HelpFormatter(argparse.HelpFormatter):
    """Fill prose paragraphs to the terminal width, but keep paragraphs whose lines are indented (the
    exit-code table, examples) exactly as written."""

    def _fill_text(self, text, width, indent):
        paragraphs = []
        for block in text.strip("\n").split("\n\n"):
            lines = block.splitlines()
            if any(line.startswith("  ") for line in lines[1:]) or block.lstrip().startswith("$"):
                paragraphs.append("\n".join(indent + line for line in lines))
            else:
                paragraphs.append(super()._fill_text(block, width, indent))
        return "\n\n".join(paragraphs)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors, as documented
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


# Every subcommand: name -> (its module under sckg.commands, the one-line help `sckg --help` lists).
# The help is written here too so that listing the commands imports none of them; tests/test_cli.py
# checks that this table and the modules' own register() agree.
COMMANDS = {
    "build": ("build", "build, validate and write the knowledge graph to dist/"),
    "describe": ("describe", "print what the graph says about a node, with its grounding quotes"),
    "docs": ("docs", "write the ontology reference docs/ontology.md and docs/ontology.html"),
    "export": ("export", "export a view of the graph for Gephi, Cytoscape, Graphviz, a browser or AIF tools"),
    "import-table": ("import_table", "map a CSV table's rows to the graph's states and write RDF"),
    "init": ("init", "lay out a working copy of the project in a new folder"),
    "link": ("link", "find link candidates at Wikidata (or another endpoint) and write a review file"),
    "links": ("links", "list the links to Wikidata, DBpedia and state codes, and unlinked entities"),
    "new-statement": ("new_statement", "lay out a new statement: its source text and a scaffold to fill in"),
    "push": ("push", "upload the named graphs to a triple store (SPARQL Graph Store Protocol)"),
    "queries": ("queries", "list the library of researcher questions (run one with sckg query NAME)"),
    "query": ("query", "run a SPARQL query: a library NAME, a FILE.rq, - (stdin) or -e TEXT"),
    "serve": ("serve", "run a read-only SPARQL endpoint with a web page (127.0.0.1 by default)"),
    "validate": ("validate", "validate the data (and optional extension files) without writing"),
}


def build_parser(only: str | None = None, *, lazy: bool = False) -> argparse.ArgumentParser:
    """The parser of every command (each module's register()), or with ``lazy`` of ``only`` that one:
    the others are listed with their help and take no arguments, and their modules are not
    imported (``main`` learns the command from argv first, see ``_command_in``)."""
    parser = _Parser(prog="sckg", description="The Secure Communities Knowledge Graph.",
                     epilog=EPILOG, formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"sckg {__version__}")
    parser.add_argument("--root", help=ROOT_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        if lazy and name != only:
            sub.add_parser(name, help=help_text, add_help=False)
            continue
        importlib.import_module(f"{commands.__name__}.{module_name}").register(sub)
    for command in sub.choices.values():
        # --root is accepted after the subcommand too (`sckg query --root DIR ...`); SUPPRESS keeps a
        # value given before the subcommand when none is given after it.
        command.add_argument("--root", default=argparse.SUPPRESS, help=ROOT_HELP)
        # every --help documents the exit codes
        if "exit codes" not in (command.epilog or ""):
            command.epilog = f"{command.epilog}\n\n{EPILOG}" if command.epilog else EPILOG
            if command.formatter_class is argparse.HelpFormatter:
                command.formatter_class = _HelpFormatter
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The command ``argv`` names: its first word that is not an option or the value of --root (the
    one option before the command that takes a value). Building one parser, not two, is most of
    what argparse costs a short command; ``main`` falls back on argparse's own reading."""
    words = iter(argv)
    for word in words:
        if word.startswith("-"):
            if "=" not in word and len(word) > 2 and "--root".startswith(word):  # argparse takes --ro too
                next(words, None)
            continue
        return word if word in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(_command_in(sys.argv[1:] if argv is None else argv), lazy=True)
    args = parser.parse_args(argv)
    if args.command and not getattr(args, "func", None):  # the scan missed it: argparse found a stub
        parser = build_parser(args.command, lazy=True)
        args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except SckgError as exc:
        print(f"sckg {args.command}: error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
