"""``sckg docs``: write the ontology reference generated from the ontology itself: Markdown
(docs/ontology.md) and pyLODE's HTML page (docs/ontology.html with its stylesheet docs/pylode.css); and
the formats table of docs/exports.md, from the export table, and the core-class diagram of
docs/modelling.md, docs/images/core-classes.svg, from the ontology."""

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
    _refresh_export_formats(kg.root / "docs" / "exports.md")
    if (kg.root / "docs" / "modelling.md").is_file():  # the picture that page shows
        from ..class_diagram import render_svg

        diagram = kg.root / "docs" / "images" / "core-classes.svg"
        write_file_atomically(diagram, render_svg(kg))
        print(f"wrote {display(diagram)} (Graphviz, from the ontology)")
    return 0


def _refresh_export_formats(path) -> None:
    """docs/exports.md's formats table, rewritten from the export table so it cannot drift."""
    from ..atomic import write_file_atomically
    from ..export import registry
    from ..project import display

    if not path.is_file():  # a project made by `sckg init` need not carry the docs
        return
    text = path.read_text(encoding="utf-8")
    try:
        fresh = registry.refresh_docs(text)
    except ValueError as exc:
        from ..errors import UsageError

        raise UsageError(f"{display(path)}: {exc}; put back the two marker lines around the formats table: "
                         f"{registry.DOCS_BEGIN} ... {registry.DOCS_END}") from None
    if fresh != text:
        write_file_atomically(path, fresh.encode("utf-8"))
        print(f"wrote {display(path)} (formats table)")
