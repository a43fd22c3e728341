"""The validation report for tools, as pySHACL's CLI writes it: SHACL's own report graph (Turtle), or
JSON. The gate's other checks, quality queries and sentence coverage, are written as results of the
same shape, so a tool reads one list: every result names its check, focus node, path, shape or query,
severity, message and the file the focus node is described in."""

from __future__ import annotations

import json

from . import namespaces as ns
from .project import display
from .validation import ValidationReport, Violation, result_identity, shacl_result_fields


def _result(v: Violation) -> dict:
    return {
        "check": v.check,
        "severity": v.severity,
        "focus": v.focus,
        "path": v.path,
        "shape": v.shape,
        "component": v.component,
        "value": v.value,
        "message": v.message,
        "file": display(v.file) if v.file else None,
        # the violations this one causes (a misspelt term's cascade), folded under it as in the text report
        "folded": [_result(f) for f in v.folded],
    }


def to_json(report: ValidationReport, engine: str) -> str:
    results = [_result(v) for v in report.violations]
    doc = {"conforms": report.ok, "shaclConforms": report.shacl_conforms, "engine": engine,
           "qualityChecks": report.qc_checks, "violations": len(report.errors),
           "warnings": len(report.warnings), "results": results}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _add_reported_shacl_results(g, node, report: ValidationReport, runs_graph) -> None:
    """The SHACL results the gate reports, once each, under ``node``. A statement's run also meets the
    nodes other statements describe, and the gate sets those results aside (each is that statement's
    own run's to report): written here, they would put a Violation under sh:conforms true."""
    from rdflib import BNode
    from rdflib.namespace import RDF, SH

    wanted = {result_identity(vars(v)) for v in report.violations if v.check == "shacl"}
    written: set[tuple] = set()
    for run in runs_graph.subjects(RDF.type, SH.ValidationReport):
        for result in runs_graph.objects(run, SH.result):
            # A blank-node focus is always reported (no statement's subjects can name it: each engine
            # labels blank nodes its own way), and its label here is not the one the gate saw.
            if not isinstance(runs_graph.value(result, SH.focusNode), BNode):
                key = result_identity(shacl_result_fields(runs_graph, result))
                if key not in wanted or key in written:
                    continue
                written.add(key)
            g.add((node, SH.result, result))
            # The result node's own triples, and the blank nodes they lead to (paths, values).
            todo = [result]
            while todo:
                subject = todo.pop()
                for _, p, o in runs_graph.triples((subject, None, None)):
                    g.add((subject, p, o))
                    if isinstance(o, BNode) and (o, None, None) not in g:
                        todo.append(o)


def to_turtle(report: ValidationReport, engine: str) -> str:
    """pySHACL's report graph (the results the gate reports from its runs, under one
    sh:ValidationReport whose sh:conforms covers the whole gate), plus one sh:ValidationResult
    per quality-check or coverage result (sh:sourceConstraintComponent sh:SPARQLConstraintComponent for
    the SPARQL quality checks; the check's name in dcterms:source)."""
    import rdflib
    from rdflib.namespace import DCTERMS, RDF, SH

    g = rdflib.Graph()
    for prefix, iri in ns.PREFIXES.items():
        g.bind(prefix, iri, override=True, replace=True)
    # SHACL runs once per statement, so the report graph may hold several sh:ValidationReports: their
    # results are gathered under one report, which speaks for the whole gate.
    node = rdflib.BNode()
    g.add((node, RDF.type, SH.ValidationReport))
    if report.report_graph is not None:
        _add_reported_shacl_results(g, node, report, report.report_graph)
    g.add((node, SH.conforms, rdflib.Literal(report.ok)))
    g.add((node, DCTERMS.creator, rdflib.Literal(engine)))
    for v in report.violations:
        if v.check == "shacl":
            continue
        result = rdflib.BNode()
        g.add((node, SH.result, result))
        g.add((result, RDF.type, SH.ValidationResult))
        focus = rdflib.URIRef(v.focus) if "://" in v.focus else rdflib.Literal(v.focus)
        g.add((result, SH.focusNode, focus))
        g.add((result, SH.resultMessage, rdflib.Literal(v.message)))
        g.add((result, SH.resultSeverity, SH[v.severity]))
        g.add((result, DCTERMS.source, rdflib.Literal(v.check)))
        if v.check.startswith("qc:"):
            g.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    return g.serialize(format="turtle")
