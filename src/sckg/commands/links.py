"""``sckg links``: the graph's links to external datasets, and the entities that have none."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("links", help="list the links to Wikidata, DBpedia and state codes, and unlinked entities",
                       description="Print every curated link (entity, dataset, predicate, target, verification "
                                   "status, source, date) and the organisations, people, jurisdictions and "
                                   "programs that have no link. Exits 1 if a link triple has no sckg:ContextFact "
                                   "giving its provenance.")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import namespaces as ns
    from ..console import paint, table
    from ..errors import DataError
    from ..links import inventory
    from ..loader import load

    kg = load(args.root)
    found = inventory.links(kg)
    rows = [[ns.curie(link.entity), link.dataset, ns.curie(link.predicate),
             ns.curie(link.target) if link.target_is_iri else f"\"{link.target}\"",
             ns.curie(link.status), " ".join(ns.curie(s) for s in link.sources), link.date] for link in found]
    print(paint(f"links ({len(found)})", "bold"))
    print(table(rows, ["entity", "dataset", "predicate", "target", "status", "source", "verified"]))
    print()
    unlinked = inventory.unlinked_entities(kg)
    print(paint(f"entities without a link ({len(unlinked)})", "bold"))
    if unlinked:
        print(table([[ns.curie(e.iri), ns.curie(e.cls), e.label] for e in unlinked], ["entity", "class", "label"]))
        print("  (run `sckg link` to look for candidates; social groups and sets of actors are not listed)")
    else:
        print("  none")
    missing = inventory.unreified_links(kg)
    if missing:
        lines = [f"{ns.curie(s)} {ns.curie(p)} {ns.curie(o)}" for s, p, o in missing]
        raise DataError(f"{len(missing)} link(s) have no sckg:ContextFact giving their source, status and date "
                        "(add one beside each, as in data/links/wikidata.ttl):\n  - " + "\n  - ".join(lines))
    return 0
