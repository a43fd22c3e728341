"""The validation gate for a user's extra data (`sckg query --with`, `sckg serve --with`).

`sckg build` refuses data that fails the shapes; data added at query or serve time used to be taken
in silence. It is now checked against the project's SHACL shapes, the same run the build makes: a
warning with a summary of the violations by default, so exploring draft data stays possible, and a
refusal (exit 1, nothing answered or served) with ``--strict``. (The quality-check queries are the
project's policy for data/, e.g. which vocabularies a contribution may use; a user's own data may
well use its own vocabulary, so they are left to `sckg validate --with PATH`.)
"""

from __future__ import annotations

import sys
from collections import Counter

from .graph import KnowledgeGraph

SHOWN = 5  # violations listed in the warning; `sckg validate --with PATH` lists them all


def check_extra(kg: KnowledgeGraph, extra: list, strict: bool, command: str, stream=None) -> None:
    """Validate ``kg`` when ``extra`` data was loaded into it. Violations: a warning on ``stream``
    (standard error), or with ``strict`` a DataError (exit 1)."""
    if not extra:
        return
    from .project import shapes_file
    from .validation import ValidationReport, load_shapes, run_shacl, shacl_violations

    conforms, graph = run_shacl(kg.union, load_shapes(shapes_file(kg.root)))
    report = ValidationReport(violations=shacl_violations(graph, kg), shacl_conforms=conforms, report_graph=graph)
    if report.ok:
        return
    paths = " ".join(str(p) for p in extra)
    if strict:
        raise report.failure(f"--strict refuses the extra data ({paths}) that fails the SHACL shapes; "
                             f"sckg validate {paths} lists them all:", show=SHOWN)
    counts = Counter(v.path or "the node itself" for v in report.errors)
    summary = ", ".join(f"{n} on {path}" for path, n in counts.most_common())
    lines = "".join(f"\n  {v.describe()}" for v in report.errors[:SHOWN])
    more = f"\n  ... and {len(report.errors) - SHOWN} more" if len(report.errors) > SHOWN else ""
    print(f"{command}: warning: with the extra data ({paths}) the graph fails the SHACL shapes with "
          f"{len(report.errors)} violation(s) ({summary}); answers may rest on invalid data:{lines}{more}\n"
          f"  (sckg validate {paths} lists them all; --strict refuses such data)",
          file=stream or sys.stderr)
