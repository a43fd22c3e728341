"""``sckg queries``: the library of researcher questions, by group, with their titles."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("queries", help="list the library of researcher questions (run one with sckg query NAME)",
                       description="List the questions of the query library (queries/*.rq) by group, with "
                                   "their titles. Run one with 'sckg query NAME'.")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("-v", "--verbose", action="store_true", help="show each question and its reading notes")
    shown.add_argument("--markdown", action="store_true",
                       help="print the catalogue as Markdown (this is how queries/README.md is made)")
    shown.add_argument("--prefixes", action="store_true", help="list the prefixes every query may use undeclared")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import namespaces as ns
    from ..console import paint, table
    from ..library import catalogue_markdown, list_queries

    if args.prefixes:
        print(table([[f"{p}:", iri] for p, iri in ns.PREFIXES.items()], ["prefix", "namespace"], indent=""))
        return 0
    queries = list_queries(args.root)
    if args.markdown:
        print(catalogue_markdown(queries), end="")
        return 0
    group = None
    for q in queries:
        if q.group != group:
            group = q.group
            print(("\n" if q is not queries[0] else "") + paint(q.group_title, "bold"))
        print(f"  {q.name:<36} {q.title}")
        if args.verbose:
            print(f"  {'':<36} {paint(q.question, 'dim')}")
    print(f"\n{len(queries)} questions; run one with: sckg query NAME")
    return 0
