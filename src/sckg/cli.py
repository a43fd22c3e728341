"""The ``sckg`` command. Each subcommand lives in its own module under ``sckg.commands`` and exposes
``register(subparsers)``; this module only discovers them, parses arguments and maps errors to exit codes.

Exit codes: 0 ok, 1 invalid data, 2 usage or runtime error. Errors a user can fix are printed as one
clear message, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sckg", description="The Secure Communities Knowledge Graph.",
                     epilog=EPILOG, formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"sckg {__version__}")
    parser.add_argument("--root", help=ROOT_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
