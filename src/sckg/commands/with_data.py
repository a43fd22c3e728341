"""``--with PATH``: the one spelling, in every command, for data to load beside the project's.

``sckg query`` said ``--with FILE``, ``sckg serve`` said ``--extra PATH`` and ``sckg validate`` took
positional FILEs, for the same thing: an RDF file or a statement folder loaded with the project's data
(``sckg.load(root, extra=...)``). ``--with`` is kept because it reads as what it does
("query ... with my-table.ttl") and it was already the documented spelling in most of the docs;
``--extra`` is vague (extra what?) and clashes with pip's "extras"; a positional argument cannot be
the same in ``query``, whose positional is the query. The old spellings still work, each printing one
line that gives the new one, so that scripts keep running while they are updated.
"""

from __future__ import annotations

import argparse
import sys

METAVAR = "PATH"


class _Deprecated(argparse.Action):
    """Appends to the same list as --with, and says once per run which spelling to use."""

    def __call__(self, parser, namespace, values, option_string=None):
        items = values if isinstance(values, list) else [values]
        if not items:  # argparse calls a nargs="*" positional's action with nothing too
            return
        # A new list: the default one belongs to the parser and must not grow between parses.
        namespace.extra = [*(getattr(namespace, "extra", None) or []), *items]
        if not getattr(namespace, "_with_note_given", False):
            old = option_string or "a FILE argument"
            print(f"note: {old} is deprecated; spell it --with {METAVAR} (repeatable)", file=sys.stderr)
            namespace._with_note_given = True


def add(parser, help_text: str, old_option: str | None = None) -> None:
    """Add ``--with PATH`` (into ``args.extra``), and ``old_option`` as its deprecated alias."""
    parser.add_argument("--with", dest="extra", action="append", default=[], metavar=METAVAR, help=help_text)
    if old_option:
        parser.add_argument(old_option, dest="extra", action=_Deprecated, metavar=METAVAR,
                            help="deprecated spelling of --with")


def add_positional(parser) -> None:
    """The deprecated positional form (``sckg validate FILE ...``), read into ``args.extra`` too."""
    parser.add_argument("files", nargs="*", metavar="FILE", action=_Deprecated, default=[],
                        help="deprecated: give each as --with PATH")
