"""``sckg import-table FILE.csv --key COLUMN``: map a researcher's table onto the graph's jurisdictions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = """Map each row of a CSV table to one of the graph's states by the KEY column (a state name,
a USPS postal code, a FIPS code, or an ISO 3166-2 code such as US-IL), and write the table as Turtle
that can be loaded with the statement (see docs/links.md for the mapping and a query that joins them).

Rows that match no state are listed with their line numbers. By default nothing is written and the
command exits 1 when any row is unmatched; with --allow-unmatched every row is still written (the
unmatched ones without a dcterms:spatial link) and the list is printed as a warning."""

EPILOG = """exit codes:
  0  every row matched (or --allow-unmatched), output written
  1  some rows matched no state, the CSV is malformed, or a cell looks like a number or a date
     (YYYY-MM-DD) but is not a valid one (the line and column are named); nothing written
  2  usage error: file or column not found
"""


def register(sub) -> None:
    p = sub.add_parser("import-table", help="map a CSV table's rows to the graph's states and write RDF",
                       description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path, metavar="FILE.csv", help="the table (UTF-8 CSV with a header row)")
    p.add_argument("--key", required=True, metavar="COLUMN", help="the column naming the state")
    p.add_argument("--match", choices=("auto", "name", "postal", "fips"), default="auto",
                   help="how to read the key: auto (default) tells codes from names by their form")
    p.add_argument("-o", "--output", metavar="OUT.ttl", default=None,
                   help="where to write the Turtle (default: FILE.ttl beside the CSV; - for standard output)")
    p.add_argument("--name", default=None, help="the table's name in its IRIs (default: the file name without .csv)")
    p.add_argument("--allow-unmatched", action="store_true",
                   help="write the table even if some rows match no state (they are still listed)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import namespaces as ns
    from ..atomic import write_file_atomically
    from ..errors import DataError
    from ..links.table import import_table, known_states, to_rdf
    from ..loader import load
    from ..project import display

    kg = load(args.root)
    result = import_table(kg, args.file, args.key, args.match, args.name)
    unmatched = result.unmatched
    lines = [f"{display(args.file)}:{r.line}: row {r.number}: {r.how}" for r in unmatched]
    if unmatched and not args.allow_unmatched:
        raise DataError(f"{len(unmatched)} of {len(result.rows)} row(s) match no state in the graph "
                        f"(it knows {known_states(kg)}); nothing was written. Fix the key cells, choose "
                        "--match, or pass --allow-unmatched to keep them unlinked:\n  " + "\n  ".join(lines))
    turtle = to_rdf(result, args.file).serialize(format="turtle").encode("utf-8")
    out = args.output or str(args.file.with_suffix(".ttl"))
    if out == "-":
        sys.stdout.buffer.write(turtle)
        sys.stdout.flush()
    else:
        write_file_atomically(Path(out), turtle)
    report = sys.stderr if out == "-" else sys.stdout
    counts: dict[str, int] = {}
    for r in result.rows:
        if r.state is not None:
            counts[r.how] = counts.get(r.how, 0) + 1
    how = ", ".join(f"{n} by {k}" for k, n in sorted(counts.items()))
    print(f"matched {len(result.rows) - len(unmatched)} of {len(result.rows)} row(s) to states"
          + (f" ({how})" if how else ""), file=report)
    if unmatched:
        print(f"warning: {len(unmatched)} row(s) match no state and are written without a state link:\n  "
              + "\n  ".join(lines), file=report)
    if out != "-":
        print(f"wrote {display(Path(out))}: table {ns.curie(result.table_iri)}", file=report)
    return 0
