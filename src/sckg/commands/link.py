"""``sckg link``: reconcile entities with a Wikidata-shaped SPARQL endpoint into a review file, and
``sckg link --accept FILE [IDS]``: the separate, explicit step that turns accepted rows into links."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    from ..links import WIKIDATA_ENDPOINT

    p = sub.add_parser(
        "link", help="find link candidates at Wikidata (or another endpoint) and write a review file",
        description="For entities with no link, look up candidates by label and type at a SPARQL endpoint "
                    "and rank them; for linked entities, check that the target still exists and its label "
                    "still matches. Writes a review file (never data/links/*.ttl). "
                    "With --accept, turn the accepted rows of a review file into links with provenance.")
    p.add_argument("--endpoint", default=WIKIDATA_ENDPOINT, help=f"SPARQL endpoint (default {WIKIDATA_ENDPOINT})")
    p.add_argument("--review", type=Path, default=None,
                   help="review file to write (default data/links/review/DATE-HOST.tsv)")
    p.add_argument("--force", action="store_true", help="overwrite an existing review file")
    p.add_argument("--top", type=int, default=5, help="candidates kept per entity (default 5)")
    p.add_argument("--pause", type=float, default=1.0, help="seconds between requests (default 1)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an answer (default 30)")
    p.add_argument("--cache-dir", type=Path, default=None, help="response cache (default ~/.cache/sckg/sparql)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the response cache")
    p.add_argument("--accept", type=Path, metavar="REVIEW", default=None,
                   help="accept rows of this review file (marked 'accept', or the ids given) as links")
    p.add_argument("ids", nargs="*", help="with --accept: ids of the rows to accept (default: rows marked 'accept')")
    p.add_argument("--into", type=Path, default=None,
                   help="with --accept: Turtle file to add the links to (default data/links/reconciled.ttl)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import UsageError

    if args.accept is None and args.ids:
        raise UsageError("row ids are only meaningful with --accept REVIEW")
    if args.top < 1 or args.pause < 0 or args.timeout <= 0:
        raise UsageError("--top must be at least 1, --pause at least 0 and --timeout above 0")
    return _accept(args) if args.accept is not None else _reconcile(args)


def _reconcile(args) -> int:
    from datetime import date
    from urllib.parse import urlparse

    from ..atomic import write_file_atomically
    from ..errors import UsageError
    from ..links import inventory, review
    from ..links.cache import ResponseCache, default_cache_dir
    from ..links.client import SparqlClient
    from ..links.reconcile import WD, reconcile
    from ..loader import load
    from ..project import display

    kg = load(args.root)
    today = date.today().isoformat()
    host = (urlparse(args.endpoint).netloc or "endpoint").replace(":", "-")
    out = args.review or kg.root / "data" / "links" / "review" / f"{today}-{host}.tsv"
    if out.suffix == ".ttl" and out.parent.resolve() == (kg.root / "data" / "links").resolve():
        raise UsageError(f"{display(out)}: the review file must not be a data file the graph loads")
    if out.exists() and not args.force:
        raise UsageError(f"{display(out)} exists and may hold a reviewer's decisions; accept or move it, "
                         "name another file with --review, or pass --force")
    cache = ResponseCache(None if args.no_cache else (args.cache_dir or default_cache_dir()))
    client = SparqlClient(args.endpoint, cache=cache, pause=args.pause, timeout=args.timeout)
    result = reconcile(client, kg, inventory.unlinked_entities(kg, WD), inventory.links(kg), top=args.top)
    write_file_atomically(out, review.render(result, args.endpoint, today))

    entities = len({c.entity.iri for c in result.candidates})
    statuses: dict[str, int] = {}
    for k in result.checks:
        statuses[k.status] = statuses.get(k.status, 0) + 1
    print(f"candidates: {len(result.candidates)} for {entities} unlinked entit{'y' if entities == 1 else 'ies'}"
          + (f"; none found for {len(result.no_candidates)}" if result.no_candidates else ""))
    print("checked links: " + (", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "none"))
    for k in result.checks:
        if k.status != "ok":
            print(f"  {k.status}: {k.link.entity_label} -> {k.link.target}: {k.note}")
    print(f"requests: {client.requests_sent} sent, {client.cache_hits} answered from the cache")
    print(f"review file: {display(out)}")
    print(f"next: mark rows 'accept' (or note their ids), then run: sckg link --accept {display(out)} [IDS]")
    return 0


def _accept(args) -> int:
    from ..links.review import accept
    from ..loader import load
    from ..project import display

    kg = load(args.root)
    into = args.into or kg.root / "data" / "links" / "reconciled.ttl"
    written = accept(kg, args.accept, args.ids, into)
    if not written:
        print("nothing new: every accepted row is already a link")
        return 0
    print(f"accepted {len(written)} link(s) into {display(into)}: " + ", ".join(r["id"] for r in written))
    print("run `sckg build` to validate them with the rest of the graph")
    return 0
