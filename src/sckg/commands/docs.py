"""``sckg docs``: write the ontology reference (Markdown) generated from the ontology itself."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("docs", help="write the ontology reference docs/ontology.md",
                       description="Generate a Markdown reference of every class, property and SKOS concept "
                                   "of the sckg ontology from the ontology files, so the docs cannot drift.")
    p.add_argument("-o", "--out", default=None, help="output file (default: docs/ontology.md; '-' for stdout)")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys
    from pathlib import Path

    from ..atomic import write_file_atomically
    from ..loader import load
    from ..ontology_docs import render
    from ..project import display

    kg = load(args.root)
    text = render(kg)
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.out) if args.out else kg.root / "docs" / "ontology.md"
    write_file_atomically(out, text.encode("utf-8"))
    print(f"wrote {display(out)}")
    return 0
