"""``sckg docs``: write the ontology reference generated from the ontology itself: Markdown
(docs/ontology.md) and pyLODE's HTML page (docs/ontology.html with its stylesheet docs/pylode.css)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("docs", help="write the ontology reference docs/ontology.md and docs/ontology.html",
                       description="Generate a Markdown reference of every class, property and SKOS concept "
                                   "of the sckg ontology, and pyLODE's HTML page of its classes and properties, "
                                   "from the ontology files, so the docs cannot drift.")
    p.add_argument("-o", "--out", default=None,
                   help="Markdown output file (default: docs/ontology.md; '-' for stdout, then no HTML is written)")
    p.add_argument("--html-dir", default=None,
                   help="folder for ontology.html and pylode.css (default: docs/)")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys
    from pathlib import Path

    from ..atomic import write_file_atomically
    from ..loader import load
    from ..ontology_docs import HTML_FILE, render, render_html
    from ..project import display

    kg = load(args.root)
    text = render(kg)
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.out) if args.out else kg.root / "docs" / "ontology.md"
    write_file_atomically(out, text.encode("utf-8"))
    print(f"wrote {display(out)}")
    html_dir = Path(args.html_dir) if args.html_dir else kg.root / "docs"
    for name, data in render_html(kg).items():
        write_file_atomically(html_dir / name, data)
    print(f"wrote {display(html_dir / HTML_FILE)} (pyLODE)")
    return 0
