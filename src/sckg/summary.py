"""What ``sckg build`` and ``sckg validate`` print: counts, coverage, the validation result."""

from __future__ import annotations

from . import namespaces as ns
from .console import paint, table
from .graph import KnowledgeGraph
from .validation import ValidationReport

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x a ?class .
  FILTER(STRSTARTS(STR(?class), STR(sckg:)))
  FILTER NOT EXISTS { GRAPH <%s> { ?x ?p ?o } }
} GROUP BY ?class ORDER BY DESC(?n) ?class
""" % ns.GRAPH_ONTOLOGY  # noqa: UP031  (%s keeps SPARQL's braces unescaped)


def graph_table(kg: KnowledgeGraph) -> str:
    counts = kg.triples_per_graph()
    rows = [[ns.curie(g).replace("https://w3id.org/sckg/graph/", "graph/"), str(n)] for g, n in counts.items()]
    rows.append(["(all graphs)", str(sum(counts.values()))])
    return table(rows, ["named graph", "triples"])


def class_table(kg: KnowledgeGraph, columns: int = 2) -> str:
    """Instances per class, laid out in side-by-side column pairs so the summary stays short."""
    counts = [[ns.curie(r["class"].value), r["n"].value] for r in kg.sparql(CLASS_COUNTS)]
    height = -(-len(counts) // columns) if counts else 0
    rows = []
    for i in range(height):
        row: list[str] = []
        for c in range(columns):
            cell = counts[i + c * height] if i + c * height < len(counts) else ["", ""]
            row += cell
        rows.append(row)
    return table(rows, ["class", "instances"] * columns)


def coverage_lines(kg: KnowledgeGraph) -> list[str]:
    lines = []
    for g in kg.groundings:
        covered = len(g.sentences) - len(g.uncovered)
        pct = f"{100 * g.coverage:.0f}%"
        colour = "green" if not g.uncovered else "red"
        found = sum(1 for a in g.anchors if a.status.value == "FOUND")
        # A scaffold's stubs anchor their sentences, so coverage alone would read as done (sckg new-statement).
        graph = ns.GRAPH_STATEMENT_PREFIX + g.statement_id
        stubs = sum(1 for _ in kg.sparql(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s a sckg:Stub }} }}"))
        left = f", {paint(str(stubs), 'red')} stub(s) left to fill in" if stubs else ""
        lines.append(f"  {g.statement_id}: {paint(pct, colour)} of sentences covered ({covered}/{len(g.sentences)}), "
                     f"{found} quotes anchored, source sha256 {'matches' if g.checksum_ok else 'MISMATCH'}{left}")
        for s in g.uncovered:
            lines.append(f"    uncovered sentence {s.number}: {s.text[:90]!r}")
    return lines


def validation_lines(report: ValidationReport, limit: int = 50) -> list[str]:
    if report.ok:
        head = paint("valid", "green") + f": SHACL conforms, {report.qc_checks} quality checks return no rows"
        if report.warnings:
            head += f", {len(report.warnings)} warning(s)"
    else:
        head = paint("INVALID", "red") + f": {len(report.errors)} violation(s)"
    from .validation import engine_name

    lines = [f"  {head} ({report.seconds:.2f} s; SHACL by {engine_name(report.engine)})"]
    if report.shacl_validated is not None:
        lines.append(f"  SHACL: {report.shacl_validated} statement(s) validated, "
                     f"{report.shacl_reused} reused from the cache ({report.shacl_seconds:.2f} s)")
    for v in (report.errors + report.warnings)[:limit]:
        lines.append("    " + v.describe())
    if len(report.violations) > limit:
        lines.append(f"    ... and {len(report.violations) - limit} more")
    return lines
