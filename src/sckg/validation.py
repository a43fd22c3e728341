"""The validation gate: SHACL shapes, quality-check queries and sentence coverage.

SHACL runs in pySHACL once per statement, on that statement's graph together with the shared graphs
(the ontology, the entities, the context, the links, any extension): shapes follow links into the
shared entities, but never into another statement, so validation grows linearly with the number of
statements. A run reports the nodes its statement describes (subjects of its graph) and the nodes no
statement describes; a node several statements describe is checked with each. A statement whose
run's inputs are unchanged since the last successful build is not run again (sckg.validation_cache).
Quality checks are SPARQL files named ``queries/qc/*-violation.rq`` that must return no rows (the OBO
ontology kit's convention); every row is a violation. Results are reported against the report graph,
not text, so tests can assert on sh:sourceShape and sh:focusNode.

A misspelt sckg term (``sckg:Organisation``) makes one violation that suggests the nearest declared
term ("did you mean sckg:Organization?"), listed first; the violations it causes (a holder that is no
longer an actor, a missing property) are folded under it instead of burying it.
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import namespaces as ns
from .errors import DataError, UsageError
from .graph import KnowledgeGraph
from .oxigraph_bytes import as_bytes
from .parsing import parse_file, read_text
from .project import display, qc_query_files, shapes_file
from .validation_cache import RESULT_FIELDS, ShaclCache

if TYPE_CHECKING:
    import rdflib

ENGINES = ("pyshacl", "rust")
DEFAULT_ENGINE = "pyshacl"


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
    value: str | None = None  # the offending value (sh:value), when SHACL names one
    folded: list[Violation] = field(default_factory=list)  # violations this one causes

    def describe(self) -> str:
        where = f" [{display(self.file)}]" if self.file else ""
        path = f" {self.path}" if self.path else ""
        text = f"{self.severity}: {ns.curie(self.focus)}{path}: {self.message}{where} ({self.check})"
        if self.folded:
            text += (f"\n      {len(self.folded)} further violation(s) follow from it and should go when it is fixed:"
                     + "".join(f"\n        - {ns.curie(v.focus)}{' ' + v.path if v.path else ''}: {v.message}"
                               for v in self.folded[:10])
                     + (f"\n        - ... and {len(self.folded) - 10} more" if len(self.folded) > 10 else ""))
        return text


@dataclass
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)
    shacl_conforms: bool = True
    report_graph: rdflib.Graph | None = None
    qc_checks: int = 0
    seconds: float = 0.0
    engine: str = DEFAULT_ENGINE  # the SHACL engine that ran (see ENGINES)
    # Statements whose SHACL ran, and those whose result came from the cache; None when no cache was given.
    shacl_validated: int | None = None
    shacl_reused: int | None = None
    shacl_seconds: float = 0.0  # of ``seconds``, the SHACL part (keys, runs and reused results)

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


def load_shapes(path: Path) -> rdflib.Graph:
    """The shapes graph; syntax errors are reported with file, line and column like any data file."""
    import rdflib

    quads = parse_file(path, ns.GRAPH + "shapes")
    store = ox.Store()
    store.extend(quads)
    g = rdflib.Graph()
    g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(ns.GRAPH + "shapes")),
            format="nt")
    return g


def run_shacl(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, rdflib.Graph]:
    """pySHACL without inference: the data graph already holds the ontology's subclass axioms,
    which is all SHACL needs to find instances of subclasses."""
    from pyshacl import validate

    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                   allow_warnings=True)
    return bool(conforms), report


# SHACL engines: pySHACL is the reference; "rust" is the PyPI package ``shacl`` (an optional extra),
# which tests/test_shacl_engines.py holds to pySHACL's results (focus node, path, constraint component,
# severity) on every shape fixture and on the project's data. Where a constraint has no sh:message the
# two word their own default messages differently; every constraint in ontology/shapes.ttl has one.


def engine_name(engine: str) -> str:
    """The engine and its version, as reports name it."""
    from importlib.metadata import version

    return f"pySHACL {version('pyshacl')}" if engine == "pyshacl" else f"shacl (Rust) {version('shacl')}"


def rust_shapes(path: Path):
    """The shapes compiled by the Rust engine; a clear error when the optional package is missing."""
    try:
        import shacl
    except ImportError:
        raise UsageError("--shacl-engine rust needs the Rust SHACL package: pip install shacl "
                         "(or pip install -e '.[rust]')") from None
    load_shapes(path)  # the same syntax errors, with file, line and column, as for the pySHACL engine
    return shacl.Shapes.from_text(read_text(path), format="turtle", base=path.resolve().as_uri())


def _nt_term(text: str | None) -> str | None:
    """An N-Triples IRI (<...>) as the IRI; blank nodes by label; literals as None."""
    if not text:
        return None
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    return text[2:] if text.startswith("_:") else None


def rust_violations(report, kg: KnowledgeGraph | None = None) -> list[Violation]:
    """The Rust engine's results as the gate's violations, shaped as ``shacl_violations`` makes pySHACL's."""
    out = []
    for r in report.results:
        focus = _nt_term(r.focus_node) or r.focus_node
        path = _nt_term(r.path) if r.path and r.path.startswith("<") and r.path.endswith(">") else None
        shape = r.source_shape if isinstance(r.source_shape, str) else None
        shape_iri = shape[1:-1] if shape and shape.startswith("<") else None
        value = r.value if isinstance(r.value, str) else None
        out.append(Violation(
            check="shacl",
            focus=focus,
            message="; ".join(sorted(r.messages or [])) or "violates a shape",
            path=ns.curie(path) if path else None,
            shape=shape_iri,
            severity=r.severity or "Violation",
            file=kg.origin_of(focus) if kg is not None else None,
            component=r.component_iri,
            value=_nt_term(value) if value and (value.startswith("<") or value.startswith("_:")) else None,
        ))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))


def shacl_violations(report: rdflib.Graph, kg: KnowledgeGraph | None = None) -> list[Violation]:
    import rdflib
    from rdflib.namespace import SH

    out = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        fields = shacl_result_fields(report, result)
        # not `if kg`: len() counts every quad
        out.append(Violation(check="shacl", file=kg.origin_of(fields["focus"]) if kg is not None else None,
                             **fields))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))


def result_identity(fields: dict) -> tuple:
    """What tells two SHACL results apart for the gate: two runs that meet the same node give the same
    result, which is reported once. ``fields`` is a Violation's (``vars``) or ``shacl_result_fields``'."""
    return tuple(fields[f] for f in ("focus", "path", "message", "shape", "severity"))


def shacl_result_fields(report: rdflib.Graph, result) -> dict[str, Any]:
    """One sh:ValidationResult of a report graph as the gate's Violation fields (RESULT_FIELDS)."""
    import rdflib
    from rdflib.namespace import SH

    path = report.value(result, SH.resultPath)
    severity = report.value(result, SH.resultSeverity)
    shape = report.value(result, SH.sourceShape)
    component = report.value(result, SH.sourceConstraintComponent)
    value = report.value(result, SH.value)
    return {
        "focus": str(report.value(result, SH.focusNode)),
        "message": "; ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage))) or "violates a shape",
        "path": ns.curie(str(path)) if isinstance(path, rdflib.URIRef) else None,
        "shape": str(shape) if isinstance(shape, rdflib.URIRef) else None,
        "severity": str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        "component": str(component) if isinstance(component, rdflib.URIRef) else None,
        "value": str(value) if isinstance(value, (rdflib.URIRef, rdflib.BNode)) else None,
    }


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


def _run_one(text: bytes, engine: str, checker, kg: KnowledgeGraph) -> tuple[bool, str, list[Violation]]:
    """One SHACL run on N-Triples ``text``: whether it conformed, its report graph as Turtle (empty when
    it has no result) and its violations."""
    if engine == "rust":
        report = checker.validate_text(text.decode("utf-8"), format="ntriples", allow_warnings=True)
        return bool(report.conforms), report.serialize("turtle") if len(report.results) else "", \
            rust_violations(report, kg)
    import rdflib

    data = rdflib.Graph()
    data.parse(data=text, format="nt")
    conforms, graph = run_shacl(data, checker)
    found = shacl_violations(graph, kg)
    return conforms, graph.serialize(format="turtle") if found else "", found


def shacl_per_statement(kg: KnowledgeGraph, shapes_path: Path, engine: str = DEFAULT_ENGINE,
                        cache: ShaclCache | None = None, progress: bool = False
                        ) -> tuple[bool, rdflib.Graph, list[Violation]]:
    """SHACL once per statement graph, each with the shared graphs only (see the module's docstring).
    Returns whether every run conformed, the runs' reports merged, and the violations kept.
    The data goes to each engine as N-Triples dumped by Oxigraph: no rdflib copy of the whole graph.

    With a ``cache`` (sckg.validation_cache), a statement whose key is in it is not run again: its
    cached results are used as the run's; each run that conformed is kept in ``cache.current``, and
    ``cache.validated`` and ``cache.reused`` count the statements. ``progress`` draws a bar on a terminal."""
    import rdflib

    from .progress import Progress
    from .validation_cache import Entry, shared_key, statement_key

    # The graphs as written: the engines follow rdfs:subClassOf themselves, so the inferred closure only adds work.
    names = kg.written_graph_names()
    statements = [g for g in names if g.startswith(ns.GRAPH_STATEMENT_PREFIX)]
    shared_names = [g for g in names if g not in statements]
    dump = {g: as_bytes(kg.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)))
            for g in statements + shared_names}
    shared = b"".join(dump[g] for g in shared_names)
    subjects = {g: {str(q.subject.value)  # type: ignore[union-attr]  # no quoted triples here
                    for q in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(g))}
                for g in statements}
    described = set().union(*subjects.values()) if subjects else set()
    checker = None  # compiled at the first run: when every statement is reused, the shapes are not needed
    common = shared_key(shapes_path, engine, {g: dump[g] for g in shared_names}) if cache is not None else ""
    merged = rdflib.Graph()
    conforms_all, kept, seen = True, [], set()
    names_or_none: list[str | None] = [*statements] or [None]  # None: validate the shared graphs alone
    bar = Progress(len(statements), "statements", title="SHACL", enabled=progress)
    try:
        for name in names_or_none:
            bar.show(name.removeprefix(ns.GRAPH_STATEMENT_PREFIX) if name else "")
            mine = subjects.get(name, set()) if name is not None else set()

            def reported(v: Violation, mine: set[str] = mine) -> bool:
                return v.focus in mine or v.focus not in described

            key = statement_key(common, dump[name]) if cache is not None and name is not None else None
            entry = cache.lookup(name, key) if cache is not None and name is not None and key is not None else None
            found = [Violation(check="shacl", file=kg.origin_of(r["focus"]), **r) for r in entry.results] \
                if entry is not None else []
            if any(v.severity == "Violation" and reported(v) for v in found):
                entry = None  # the others' subjects changed so that it would report a violation: run it afresh
            if cache is not None and entry is not None:
                conforms, report_text = entry.conforms, entry.report
                cache.reused += 1
            else:
                if checker is None:
                    checker = rust_shapes(shapes_path) if engine == "rust" else load_shapes(shapes_path)
                conforms, report_text, found = _run_one(shared + (dump[name] if name is not None else b""),
                                                        engine, checker, kg)
                if cache is not None and name is not None:
                    cache.validated += 1
            # Kept only when the gate reports no violation of this run, so a failing statement always runs.
            if cache is not None and name is not None and key is not None \
                    and not any(v.severity == "Violation" and reported(v) for v in found):
                cache.keep(name, entry or Entry(key, conforms, [{f: getattr(v, f) for f in RESULT_FIELDS}
                                                               for v in found], report_text))
            if report_text:
                merged.parse(data=report_text, format="turtle")
            bar.advance()
            conforms_all = conforms_all and conforms
            for v in found:
                dedupe = result_identity(vars(v))
                if dedupe not in seen and reported(v):
                    seen.add(dedupe)
                    kept.append(v)
    finally:  # an engine error must not leave a half-drawn line before its message
        bar.close()
    return conforms_all, merged, sorted(kept, key=lambda v: (v.focus, v.path or "", v.message))


def declared_terms(kg: KnowledgeGraph) -> list[str]:
    rows = kg.sparql(f"SELECT DISTINCT ?t WHERE {{ GRAPH <{ns.GRAPH_ONTOLOGY}> {{ ?t a ?kind }} "
                     "FILTER(isIRI(?t) && STRSTARTS(STR(?t), STR(sckg:))) }")
    return sorted(r["t"].value for r in rows)


def nearest_term(term: str, declared: list[str]) -> str | None:
    """The declared sckg term closest in spelling to ``term`` (case-insensitive), if any is close."""
    local = term.removeprefix(ns.SCKG)
    by_lower = {d.removeprefix(ns.SCKG).lower(): d for d in declared}
    close = difflib.get_close_matches(local.lower(), list(by_lower), n=1, cutoff=0.7)
    return by_lower[close[0]] if close else None


def fold_unknown_terms(kg: KnowledgeGraph, violations: list[Violation]) -> list[Violation]:
    """One violation per undeclared sckg term, with "did you mean" and the violations it causes
    folded under it, placed first; the others follow unchanged."""
    unknown: dict[str, list[Violation]] = {}
    for v in violations:
        if v.check == "qc:undeclared-term":
            unknown.setdefault(v.focus, []).append(v)
    if not unknown:
        return violations
    declared = declared_terms(kg)
    heads: list[Violation] = []
    rest = [v for v in violations if v.check != "qc:undeclared-term"]
    for term, rows in sorted(unknown.items()):
        near = nearest_term(term, declared)
        # The nodes that use the term (typed with it, or with it as a predicate): what SHACL and the
        # other checks then say about them, or about what points at them, follows from the typo.
        users = {r["s"].value for r in kg.sparql(
            f"SELECT DISTINCT ?s WHERE {{ {{ ?s a <{term}> }} UNION {{ ?s <{term}> ?o }} }}")}
        folded = [v for v in rest if v.focus in users or v.value in users]
        rest = [v for v in rest if v not in folded]
        places = "; ".join(sorted({r.message.split(" but not declared")[0] for r in rows}))
        hint = (f"did you mean {ns.curie(near)}? " if near else "") + \
            "Fix the spelling, or declare the term (with rdfs:label and skos:definition) in ontology/sckg.ttl"
        heads.append(Violation(check="qc:undeclared-term", focus=term, file=rows[0].file, folded=folded,
                               message=f"not declared in the ontology ({places}): {hint}"))
    return heads + rest


def validate(kg: KnowledgeGraph, shapes: Path | None = None, qc_files: list[Path] | None = None,
             engine: str = DEFAULT_ENGINE, cache: ShaclCache | None = None, progress: bool = False
             ) -> ValidationReport:
    """The whole gate. ``cache`` (sckg.validation_cache) spares the SHACL runs of unchanged statements
    and counts them; the quality checks and coverage always run. ``progress`` draws a bar on a terminal."""
    started = time.perf_counter()
    shapes_path = shapes or shapes_file(kg.root)
    conforms, report_graph, shacl = shacl_per_statement(kg, shapes_path, engine, cache=cache, progress=progress)
    shacl_seconds = time.perf_counter() - started
    files = qc_files if qc_files is not None else qc_query_files(kg.root)
    violations = fold_unknown_terms(kg, shacl + run_qc(kg, files) + coverage_violations(kg))
    from .stubs import fold  # a scaffold's stubs: one line each, their cascade folded in (sckg new-statement)

    violations = fold(kg, violations)
    return ValidationReport(violations=violations, shacl_conforms=conforms, report_graph=report_graph,
                            qc_checks=len(files), seconds=time.perf_counter() - started, engine=engine,
                            shacl_validated=cache.validated if cache is not None else None,
                            shacl_reused=cache.reused if cache is not None else None, shacl_seconds=shacl_seconds)
