"""``sckg validate [--with PATH ...]``: check the project's data, or a user's extension with it."""

from __future__ import annotations

from ..errors import EXIT_INVALID_DATA

REPORT_FORMATS = ("text", "turtle", "json")  # sckg.validation_report writes the last two
ENGINES = ("pyshacl", "rust")  # sckg.validation.ENGINES, named here so the parser imports no rdflib


def add_cache_argument(p) -> None:
    p.add_argument("--no-cache", action="store_true",
                   help="validate every statement with SHACL, even those whose inputs are unchanged since the "
                        "last build (dist/validation-cache.json)")


def add_engine_argument(p) -> None:
    p.add_argument("--shacl-engine", choices=ENGINES, default="pyshacl",
                   help="the SHACL engine: pyshacl (default, the reference) or rust (the optional `shacl` "
                        "package, pip install shacl: the same results, many times faster on large data)")


def register(sub) -> None:
    from . import with_data

    p = sub.add_parser("validate", help="validate the data (and optional extension files) without writing",
                       description="Validate the project's data with SHACL, the quality checks and sentence "
                                   "coverage. --with PATHs are a user's extension: Turtle files, or statement folders "
                                   "(a source.txt with .ttl files), validated together with the ontology and data. "
                                   "Exits 1 on any violation.")
    with_data.add(p, "also validate PATH, a user's extension: a Turtle file or a statement folder; repeatable")
    with_data.add_positional(p)
    p.add_argument("--shapes", help="a shapes file to use instead of ontology/shapes.ttl")
    p.add_argument("--format", choices=REPORT_FORMATS, default="text",
                   help="text for people (default); turtle: the SHACL validation report graph; json: every "
                        "result of the gate as an object (for tools, as pySHACL's CLI writes them)")
    add_engine_argument(p)
    add_cache_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from .. import summary, validation_cache
    from ..loader import load
    from ..project import display
    from ..validation import validate

    kg = load(args.root, extra=args.extra, progress=True)
    # Read only: dist/ is the build's, and a validation run never writes into it. With --with, the
    # extension is a shared graph (or a statement of its own), so the keys show whether it changes a run.
    dist = kg.root / "dist"
    cache = (validation_cache.ShaclCache() if args.no_cache
             else validation_cache.read(dist, f"{display(dist)}/{validation_cache.CACHE_FILE}"))
    report = validate(kg, shapes=Path(args.shapes) if args.shapes else None, engine=args.shacl_engine,
                      cache=cache, progress=True)
    if args.format != "text":
        import sys

        from .. import validation_report
        from ..validation import engine_name

        engine = engine_name(report.engine)
        write = validation_report.to_json if args.format == "json" else validation_report.to_turtle
        sys.stdout.write(write(report, engine))
        return 0 if report.ok else EXIT_INVALID_DATA
    print("sentence coverage")
    print("\n".join(summary.coverage_lines(kg)))
    print("validation")
    print("\n".join(summary.validation_lines(report, limit=500)))
    return 0 if report.ok else EXIT_INVALID_DATA
