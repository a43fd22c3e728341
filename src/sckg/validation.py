"""The validation gate: SHACL shapes, quality-check queries and sentence coverage.

SHACL runs in pySHACL on the union of all named graphs (shapes follow links across graphs, so
validating each graph alone would be wrong). Quality checks are SPARQL files named
``queries/qc/*-violation.rq`` that must return no rows (the OBO ontology kit's convention); every row
is a violation. Results are reported against the report graph, not text, so tests can assert on
sh:sourceShape and sh:focusNode.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import namespaces as ns
from .errors import DataError
from .graph import KnowledgeGraph
from .parsing import parse_file, read_text
from .project import display, qc_query_files, shapes_file

if TYPE_CHECKING:
    import rdflib


@dataclass
class Violation:
    check: str  # "shacl", "qc:<name>" or "coverage"
    focus: str
    message: str
    path: str | None = None
    shape: str | None = None
    severity: str = "Violation"
    file: Path | None = None
    component: str | None = None  # SHACL's sh:sourceConstraintComponent, for shape results

    def describe(self) -> str:
        where = f" [{display(self.file)}]" if self.file else ""
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: {ns.curie(self.focus)}{path}: {self.message}{where} ({self.check})"


@dataclass
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)
    shacl_conforms: bool = True
    report_graph: "rdflib.Graph | None" = None
    qc_checks: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "Violation"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def failure(self, consequence: str, show: int = 0) -> DataError:
        """The error a command raises when the gate fails; ``show`` violations are listed in it."""
        lines = "".join(f"\n  {v.describe()}" for v in self.errors[:show])
        more = f"\n  ... and {len(self.errors) - show} more" if show and len(self.errors) > show else ""
        return DataError(f"validation failed with {len(self.errors)} violation(s); {consequence}{lines}{more}")


def load_shapes(path: Path) -> "rdflib.Graph":
    """The shapes graph; syntax errors are reported with file, line and column like any data file."""
    import rdflib

    quads = parse_file(path, ns.GRAPH + "shapes")
    store = ox.Store()
    store.extend(quads)
    g = rdflib.Graph()
    g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(ns.GRAPH + "shapes")),
            format="nt")
    return g


def run_shacl(data: "rdflib.Graph", shapes: "rdflib.Graph") -> tuple[bool, "rdflib.Graph"]:
    """pySHACL without inference: the data graph already holds the ontology's subclass axioms,
    which is all SHACL needs to find instances of subclasses."""
    from pyshacl import validate

    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                   allow_warnings=True)
    return bool(conforms), report


def shacl_violations(report: "rdflib.Graph", kg: KnowledgeGraph | None = None) -> list[Violation]:
    import rdflib
    from rdflib.namespace import SH

    out = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        shape = report.value(result, SH.sourceShape)
        component = report.value(result, SH.sourceConstraintComponent)
        out.append(Violation(
            check="shacl",
            focus=str(focus),
            message="; ".join(messages) or "violates a shape",
            path=ns.curie(str(path)) if isinstance(path, rdflib.URIRef) else None,
            shape=str(shape) if isinstance(shape, rdflib.URIRef) else None,
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            file=kg.origin_of(str(focus)) if kg else None,
            component=str(component) if isinstance(component, rdflib.URIRef) else None,
        ))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))


def run_qc(kg: KnowledgeGraph, files: list[Path]) -> list[Violation]:
    """Each row of a ``*-violation.rq`` query is a violation. A row's ?focus (else its first value)
    names the offending node; its ?message (else the query's title) says what is wrong."""
    out = []
    for path in files:
        name = path.name.removesuffix("-violation.rq")
        query = read_text(path)
        title = next((line.lstrip("# ").removeprefix("title:").strip() for line in query.splitlines()
                      if line.startswith("#") and line.lstrip("# ").lower().startswith("title:")), name)
        try:
            solutions = kg.sparql(query)
        except SyntaxError as exc:  # a quality check is project data: a broken one is invalid data
            raise DataError(f"{display(path)}: the quality check is not valid SPARQL: {exc}") from None
        variables = [v.value for v in solutions.variables]
        for row in solutions:
            focus = row["focus"] if "focus" in variables else row[variables[0]] if variables else None
            message = row["message"].value if "message" in variables and row["message"] is not None else title
            focus_text = focus.value if isinstance(focus, (ox.NamedNode, ox.Literal)) else str(focus)
            out.append(Violation(check=f"qc:{name}", focus=focus_text, message=message,
                                 file=kg.origin_of(focus_text)))
    return out


def coverage_violations(kg: KnowledgeGraph) -> list[Violation]:
    out = []
    for g in kg.groundings:
        for s in g.uncovered:
            out.append(Violation(check="coverage", focus=f"{g.document}/sentence/{s.number:02d}",
                                 message=f"sentence {s.number} is covered by no claim, stance or fact: {s.text[:80]!r}",
                                 file=g.source_path))
    return out


def validate(kg: KnowledgeGraph, shapes: Path | None = None, qc_files: list[Path] | None = None) -> ValidationReport:
    started = time.perf_counter()
    shapes_path = shapes or shapes_file(kg.root)
    conforms, report_graph = run_shacl(kg.union, load_shapes(shapes_path))
    files = qc_files if qc_files is not None else qc_query_files(kg.root)
    violations = shacl_violations(report_graph, kg) + run_qc(kg, files) + coverage_violations(kg)
    from .stubs import fold  # a scaffold's stubs: one line each, their cascade folded in (sckg new-statement)

    violations = fold(kg, violations)
    return ValidationReport(violations=violations, shacl_conforms=conforms, report_graph=report_graph,
                            qc_checks=len(files), seconds=time.perf_counter() - started)
