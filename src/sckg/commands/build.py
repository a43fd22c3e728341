"""``sckg build``: load, ground, validate, and write dist/ atomically, then print a summary."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from ..console import paint
from .validate import add_cache_argument, add_engine_argument


def register(sub) -> None:
    p = sub.add_parser("build", help="build, validate and write the knowledge graph to dist/",
                       description="Load the ontology and data, anchor every quote, validate (SHACL, quality "
                                   "checks, sentence coverage, OWL 2 RL consistency) and write dist/ atomically. A "
                                   "failed build writes nothing and leaves the previous dist/ untouched.")
    p.add_argument("-o", "--out", default=None, help="output folder (default: dist/ in the project)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the result line")
    add_engine_argument(p)
    add_cache_argument(p)
    p.add_argument("--owl-engine", choices=("reasonable", "owlrl"), default="reasonable",
                   help="the OWL 2 RL reasoner of the consistency gate: reasonable (Rust, the default; a graph "
                        "using a construct it does not implement goes to owlrl, and the output says so) or "
                        "owlrl (the pure-Python reference, about 10x slower on a large corpus)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import consistency, summary, validation_cache
    from ..atomic import staged_directory
    from ..loader import load
    from ..outputs import carry_exports, render_outputs, write_outputs
    from ..project import display, project_root
    from ..store import fingerprint, write_store
    from ..validation import validate

    started = time.perf_counter()
    inputs = fingerprint(project_root(args.root))  # before loading: an edit during the build shows as stale
    kg = load(args.root, progress=True)
    out = Path(args.out) if args.out else kg.root / "dist"
    # The last successful build's cache; this build's goes into the staging below, so none survives a failure.
    cache = (validation_cache.ShaclCache() if args.no_cache
             else validation_cache.read(out, f"{display(out)}/{validation_cache.CACHE_FILE}"))
    # The OWL 2 RL closure runs in a child process from here on, beside SHACL and the rendering.
    with consistency.PendingCheck(kg, engine=args.owl_engine) as owl_check:
        report = validate(kg, engine=args.shacl_engine, cache=cache, progress=True)
        if not args.quiet:
            print(paint("sckg build", "bold"))
            print(f"  loaded {len(kg.files)} files into {len(kg.graph_names())} named graphs "
                  f"in {kg.load_seconds:.2f} s")
            print(summary.graph_table(kg))
            print()
            print(summary.class_table(kg))
            print()
            print("sentence coverage")
            print("\n".join(summary.coverage_lines(kg)))
            print("validation")
            print("\n".join(summary.validation_lines(report)))
        if not report.ok:
            if args.quiet:
                print("\n".join(summary.validation_lines(report)))
            raise report.failure("nothing was written")
        files = render_outputs(kg)
        waited = time.perf_counter()
        # Disjointness, functional properties...: raises, and nothing is written, on an inconsistency.
        ran = owl_check.finish("nothing was written")
    if not args.quiet:
        beside = "in a second process, " if ran == "reasonable" else ""
        print(f"  OWL 2 RL consistency: no inconsistency (closure by {ran} {beside}"
              f"the build waited {time.perf_counter() - waited:.2f} s for it)")

    # Exports drawn from this same graph survive the build; those of another graph would be stale.
    dropped: list[str] = []
    with staged_directory(out, carry=carry_exports(hashlib.sha256(files["sckg.nq"]).hexdigest(), dropped)) as staging:
        write_outputs(files, staging)
        cache.write(staging)  # the SHACL results of this successful build, for the next (sckg.validation_cache)
        write_store(kg, staging, inputs)  # dist/store/: what sckg query, describe and serve open read-only
    elapsed = time.perf_counter() - started
    if dropped:
        print(f"note: removed {len(dropped)} export(s) drawn from an earlier graph ({', '.join(dropped)}); "
              "run sckg export again for current ones")
    print(paint("OK", "green") + f": wrote {len(files)} files to {display(out)}/ "
          f"({len(kg)} triples, {sum(len(g.sentences) for g in kg.groundings)} sentences, "
          f"{100 * min((g.coverage for g in kg.groundings), default=1):.0f}% covered) in {elapsed:.2f} s")
    return 0
