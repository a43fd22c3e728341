"""OWL consistency: the OWL 2 RL closure of the ontology and data must meet no rule whose head is false.

OWL 2 RL (W3C OWL 2 Profiles, section 4.3) derives new triples with its rules, and a graph is inconsistent
when a rule with the head "false" fires: an individual in two disjoint classes (cax-dw, cax-adc), one
node both the same as and different from another (eq-diff1-3, where a functional property forces
the sameAs), and so on. ``sckg build`` runs the check as part of its gate (``PendingCheck``).

Two engines compute the closure; both leave annotations out (OWL gives them no semantics, so no rule
can derive a contradiction from them, and they are a quarter of the graph):

- ``reasonable`` (the default) is the Rust OWL 2 RL reasoner that Brick's tooling uses. At 1e5
  triples it takes seconds where owlrl takes half a minute (bench/RESULTS.md). It materialises and
  raises no errors of its own, so the rules with a false head are checked here, over its closure, one
  function per rule, named as in the specification. It does not implement every derivation rule
  (property chains, keys, max cardinality, enumerations): a graph that uses one of those constructs
  is checked with owlrl instead, and the report says so.
- ``owlrl`` (the reference) is the pure-Python implementation of the W3C rule set. It records an
  inconsistency as an error triple instead of raising, so its messages are collected from the closure.
  tests/test_consistency_engines.py holds the two engines to the same verdict on a fixture per rule.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from .errors import DataError, UsageError
from .graph import KnowledgeGraph

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

ENGINES = ("reasonable", "owlrl")
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"

# OWL 2's built-in annotation properties; the graph's own are those it declares owl:AnnotationProperty.
_BUILT_IN_ANNOTATIONS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso",
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy",
    OWL + "deprecated",
    OWL + "versionInfo",
    OWL + "priorVersion",
    OWL + "backwardCompatibleWith",
    OWL + "incompatibleWith",
)

# Constructs whose OWL 2 RL rules reasonable does not implement (prp-spo2, prp-key, cls-maxc1/2,
# cls-maxqc1-4, cls-oo): where the graph uses one, its closure would be short of what they derive.
REASONABLE_LACKS = tuple(OWL + t for t in (
    "propertyChainAxiom", "hasKey", "maxCardinality", "maxQualifiedCardinality", "oneOf"))


def _select(kg: KnowledgeGraph, query: str) -> ox.QuerySolutions:
    from .inference import _solutions

    return _solutions(kg.store.query(query, use_default_graph_as_union=True))


def _annotation_properties(kg: KnowledgeGraph) -> list[str]:
    declared = _select(kg, f"SELECT DISTINCT ?p WHERE {{ ?p a <{OWL}AnnotationProperty> }}")
    return sorted(set(_BUILT_IN_ANNOTATIONS) | {row["p"].value for row in declared})


def _uses(kg: KnowledgeGraph, predicates: Iterable[str]) -> list[str]:
    return [p for p in predicates
            if kg.store.query(f"ASK {{ ?s <{p}> ?o }}", use_default_graph_as_union=True)]


def engine_for(kg: KnowledgeGraph, requested: str = "reasonable") -> tuple[str, str]:
    """The engine that will run, and why when it is not the one requested."""
    if requested not in ENGINES:
        raise ValueError(f"unknown OWL 2 RL engine {requested!r}; choose one of {', '.join(ENGINES)}")
    if requested == "reasonable":
        lacking = _uses(kg, REASONABLE_LACKS)
        if lacking:
            names = ", ".join("owl:" + p.removeprefix(OWL) for p in lacking)
            return "owlrl", f"the graph uses {names}, whose OWL 2 RL rules reasonable does not implement"
    return requested, ""


def owl_rl_errors(kg: KnowledgeGraph, engine: str = "reasonable") -> list[str]:
    """Every inconsistency the OWL 2 RL closure of the whole graph finds, sorted."""
    chosen, _ = engine_for(kg, engine)
    return sorted(_owlrl_errors(kg) if chosen == "owlrl" else _reasonable_errors(kg))


# ---- reasonable: its closure, then the rules with a false head ------------------------------------

# reasonable's own check of disjoint classes grows much faster than the graph (at 3e5 triples, 11.5 s
# and 2 GB with the ontology's owl:disjointWith axioms, 3.4 s and 0.76 GB without; bench/RESULTS.md).
# No OWL 2 RL rule derives anything from them (their rules, cax-dw and cax-adc, have the head false),
# so they are kept out of its input and checked here, over its closure.
_CLASH_AXIOMS = f"""
    {{ ?s <{OWL}disjointWith> ?o BIND (<{OWL}disjointWith> AS ?p) }}
    UNION {{ ?s a <{OWL}AllDisjointClasses> BIND (<{RDF}type> AS ?p) BIND (<{OWL}AllDisjointClasses> AS ?o) }}"""
CLOSURE_INPUT, CLASH_AXIOMS = "closure-input.ttl", "clash-axioms.json"


def _term_json(term) -> list[str]:
    # Blank nodes keep their label: reasonable keeps the labels it reads, and rdflib's parsers would not.
    return ["bnode", term.value] if isinstance(term, ox.BlankNode) else ["iri", term.value]


def _write_triples(kg: KnowledgeGraph) -> str:
    """A temporary folder (the caller removes it) with the graph's triples, annotations and the
    disjointness axioms left out, for reasonable, and those axioms beside them for the clash rules.
    reasonable reads files only by the name Turtle or N3; N-Triples is Turtle, and Oxigraph writes it
    far faster than rdflib could hand the triples over one by one (from_graph)."""
    left_out = ", ".join(f"<{p}>" for p in [*_annotation_properties(kg), OWL + "disjointWith"])
    closure_input = kg.store.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER (?p NOT IN ({left_out}) "
        f"&& (?p != <{RDF}type> || ?o != <{OWL}AllDisjointClasses>)) }}", use_default_graph_as_union=True)
    if not isinstance(closure_input, ox.QueryTriples):  # a CONSTRUCT gives triples; this narrows the type
        raise TypeError(f"expected CONSTRUCT triples, got {type(closure_input).__name__}")
    axioms = [[_term_json(row[v]) for v in ("s", "p", "o")]
              for row in _select(kg, f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_CLASH_AXIOMS} }}")]
    folder = tempfile.mkdtemp(prefix="sckg-owl-rl-")
    try:
        with open(os.path.join(folder, CLOSURE_INPUT), "wb") as out:
            closure_input.serialize(out, format=ox.RdfFormat.N_TRIPLES)
        with open(os.path.join(folder, CLASH_AXIOMS), "w", encoding="utf-8") as out:
            json.dump(axioms, out)
    except BaseException:
        _remove(folder)
        raise
    return folder


def _remove(folder: str) -> None:
    """Remove what ``_write_triples`` wrote, and nothing else."""
    for name in (CLOSURE_INPUT, CLASH_AXIOMS):
        try:
            os.remove(os.path.join(folder, name))
        except FileNotFoundError:
            pass
    os.rmdir(folder)


def clashes_in(folder: str) -> list[str]:
    """reasonable's closure of the triples ``_write_triples`` left in ``folder``, and the false-headed
    rules it fires. Module-level and given only a path, so a child process can run it (``PendingCheck``)."""
    import itertools

    import reasonable
    from rdflib import BNode, URIRef

    reasoner = reasonable.PyReasoner()
    reasoner.load_file(os.path.join(folder, CLOSURE_INPUT))
    with open(os.path.join(folder, CLASH_AXIOMS), encoding="utf-8") as f:
        axioms = [tuple(BNode(v) if kind == "bnode" else URIRef(v) for kind, v in triple) for triple in json.load(f)]
    return _Closure(itertools.chain(reasoner.reason(), axioms)).clashes()


def _reasonable_errors(kg: KnowledgeGraph) -> list[str]:
    folder = _write_triples(kg)
    try:
        return clashes_in(folder)
    finally:
        _remove(folder)


class _Closure:
    """A materialised closure, indexed for the OWL 2 RL rules whose head is false (Table 4-9 and the
    false-headed rows of Tables 4-4 to 4-6). Each ``_rule`` method returns that rule's messages."""

    def __init__(self, triples: Iterable[tuple]):
        # Terms stay rdflib's, as reasonable returns them: converting a million of them would cost more
        # than the rules. Keys are plain strings for the IRIs the rules name (an rdflib IRI equals
        # only another rdflib IRI, never a str).
        self.by_predicate: dict[str, set[tuple]] = defaultdict(set)
        self.instances: dict[object, set] = defaultdict(set)
        for s, p, o in triples:
            self.by_predicate[str(p)].add((s, o))
        for x, cls in self.by_predicate.get(RDF + "type", ()):
            self.instances[cls].add(x)
        # A list cell can hold several rdf:first values once owl:sameAs has been substituted (eq-rep-o),
        # so each position of a list is a set: the names of one member.
        self.first: dict[object, set] = defaultdict(set)
        for cell, item in self.by_predicate.get(RDF + "first", ()):
            self.first[cell].add(item)
        self.rest = dict(self.by_predicate.get(RDF + "rest", ()))

    def clashes(self) -> list[str]:
        rules = (self._eq_diff1, self._eq_diff2_3, self._prp_irp, self._prp_asyp, self._prp_pdw, self._prp_adp,
                 self._prp_npa, self._cls_nothing2, self._cls_com, self._cax_dw, self._cax_adc)
        return [message for rule in rules for message in rule()]

    def _pairs(self, local: str) -> set[tuple[str, str]]:
        return self.by_predicate.get(OWL + local, set())

    def _members(self, head) -> list[set]:
        """The positions of the RDF list at ``head``, each as the set of names its member has."""
        positions, seen = [], set()
        while head in self.first and head not in seen:
            seen.add(head)
            positions.append(self.first[head])
            head = self.rest.get(head)
        return positions

    def _pairs_of_positions(self, head):
        positions = self._members(head)
        return [(a, b) for i, one in enumerate(positions) for other in positions[i + 1:] for a in sorted(one)
                for b in sorted(other)]

    def _typed(self, cls: str) -> set:
        from rdflib import URIRef

        return self.instances.get(URIRef(cls), set())

    def _eq_diff1(self):
        # reasonable does not apply eq-ref (x owl:sameAs x for every x), so x owl:differentFrom x is
        # matched here directly.
        different = self._pairs("differentFrom")
        return [f"eq-diff1: {x} is both owl:sameAs and owl:differentFrom {y}"
                for x, y in sorted((self._pairs("sameAs") & different) | {(x, y) for x, y in different if x == y})]

    def _eq_diff2_3(self):
        same = self._pairs("sameAs")
        out = []
        for node in sorted(self._typed(OWL + "AllDifferent")):
            for rule, local in (("eq-diff2", "members"), ("eq-diff3", "distinctMembers")):
                for head in sorted(o for s, o in self._pairs(local) if s == node):
                    # Two positions sharing a name are one individual listed twice (sameAs substituted).
                    clashing = {tuple(sorted((a, b))) for a, b in self._pairs_of_positions(head)
                                if a == b or (a, b) in same}
                    out += [f"{rule}: {a} and {b} are listed in owl:AllDifferent {node} but are owl:sameAs"
                            for a, b in sorted(clashing)]
        return out

    def _holders(self, kind: str) -> list[str]:
        return sorted(self._typed(OWL + kind))

    def _prp_irp(self):
        return [f"prp-irp: {x} {p} {x}, but {p} is an owl:IrreflexiveProperty"
                for p in self._holders("IrreflexiveProperty")
                for x, y in sorted(self.by_predicate.get(str(p), ())) if x == y]

    def _prp_asyp(self):
        out = []
        for p in self._holders("AsymmetricProperty"):
            pairs = self.by_predicate.get(str(p), set())
            out += [f"prp-asyp: {x} {p} {y} and back, but {p} is an owl:AsymmetricProperty"
                    for x, y in sorted(pairs) if (y, x) in pairs]
        return out

    def _disjoint_properties(self, p1: str, p2: str, rule: str):
        both = self.by_predicate.get(str(p1), set()) & self.by_predicate.get(str(p2), set())
        return [f"{rule}: {x} is linked to {y} by both {p1} and {p2}, which are disjoint properties"
                for x, y in sorted(both)]

    def _prp_pdw(self):
        return [m for p1, p2 in sorted(self._pairs("propertyDisjointWith"))
                for m in self._disjoint_properties(p1, p2, "prp-pdw")]

    def _prp_adp(self):
        out = []
        for node in self._holders("AllDisjointProperties"):
            for head in sorted(o for s, o in self._pairs("members") if s == node):
                out += [m for a, b in self._pairs_of_positions(head)
                        for m in self._disjoint_properties(a, b, "prp-adp")]
        return out

    def _prp_npa(self):
        out = []
        source, prop = dict(self._pairs("sourceIndividual")), dict(self._pairs("assertionProperty"))
        targets = {**dict(self._pairs("targetIndividual")), **dict(self._pairs("targetValue"))}
        for node in sorted(self._typed(OWL + "NegativePropertyAssertion")):
            triple = (source.get(node), targets.get(node))
            if prop.get(node) and triple in self.by_predicate.get(str(prop[node]), set()):
                out.append(f"prp-npa: {triple[0]} {prop[node]} {triple[1]} is asserted and negated by {node}")
        return out

    def _cls_nothing2(self):
        return [f"cls-nothing2: {x} is an owl:Nothing" for x in sorted(self._typed(OWL + "Nothing"))]

    def _both(self, c1, c2) -> list:
        return sorted(self.instances.get(c1, set()) & self.instances.get(c2, set()))

    def _cls_com(self):
        return [f"cls-com: {x} is a {c1} and a {c2}, which are complements"
                for c1, c2 in sorted(self._pairs("complementOf")) for x in self._both(c1, c2)]

    def _cax_dw(self):
        return [f"cax-dw: {x} is a {c1} and a {c2}, which are disjoint classes"
                for c1, c2 in sorted(self._pairs("disjointWith")) for x in self._both(c1, c2)]

    def _cax_adc(self):
        out = []
        for node in self._holders("AllDisjointClasses"):
            for head in sorted(o for s, o in self._pairs("members") if s == node):
                out += [f"cax-adc: {x} is a {a} and a {b}, listed in owl:AllDisjointClasses {node}"
                        for a, b in self._pairs_of_positions(head) for x in self._both(a, b)]
        return out


# ---- owlrl: the reference -------------------------------------------------------------------------

def _semantics():
    import owlrl
    from rdflib.namespace import OWL as OWL_NS

    same_as = OWL_NS.sameAs  # looked up once: store_triple runs tens of thousands of times

    class Semantics(owlrl.OWLRL_Semantics):
        def store_triple(self, t):
            # eq-ref (x owl:sameAs x for every node and literal) derives nothing new: replacing x by x
            # copies a triple onto itself. Those triples were half the closure and most of its time; the
            # one inconsistency they can reveal, x owl:differentFrom x, is checked directly below.
            if t[0] == t[2] and t[1] == same_as:
                return
            super().store_triple(t)

    return Semantics


def _owlrl_errors(kg: KnowledgeGraph) -> list[str]:
    import owlrl
    import rdflib
    from rdflib.namespace import OWL as OWL_NS

    annotations = {rdflib.URIRef(p) for p in _annotation_properties(kg)}
    # rdflib's context-free SimpleMemory store: owlrl's many look-ups walk it about twice as fast as the
    # default store, which tracks named graphs the closure does not need.
    closure = rdflib.Graph(store="SimpleMemory")
    for triple in kg.union:
        if triple[1] not in annotations:
            closure.add(triple)
    owlrl.DeductiveClosure(_semantics(), axiomatic_triples=False, datatype_axioms=False).expand(closure)
    errors = [str(m) for m in closure.objects(None, rdflib.URIRef(_ERROR_NS + "error"))]
    errors += [f"'differentFrom' used on one individual: {s}" for s, o in closure.subject_objects(OWL_NS.differentFrom)
               if s == o]
    return errors


def _report(errors: list[str], ran: str, consequence: str, show: int) -> None:
    if not errors:
        return
    errors = sorted(errors)
    lines = "".join(f"\n  {' '.join(e.split())}" for e in errors[:show])
    more = f"\n  ... and {len(errors) - show} more" if len(errors) > show else ""
    raise DataError(f"OWL 2 RL consistency check failed with {len(errors)} inconsistency(ies) (by {ran}); "
                    f"{consequence}{lines}{more}")


def _child(path: str, conn) -> None:
    try:
        conn.send(("ok", clashes_in(path)))
    except Exception as exc:  # sent to the parent, which names it; a child's traceback would reach no one
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class PendingCheck:
    """The gate started in a child process, so that reasonable's closure (a third of a large build's
    time) runs on the second core while the parent validates and renders the outputs. Nothing is
    written before ``finish`` has returned. ``close`` stops the child if the build ends early.
    owlrl (the fallback, and ``--owl-engine owlrl``) runs in the parent at ``finish``: it is pure Python
    and would gain nothing from a second process but the cost of pickling the graph."""

    def __init__(self, kg: KnowledgeGraph, engine: str = "reasonable"):
        import multiprocessing

        self.kg = kg
        self.chosen, why = engine_for(kg, engine)
        self.ran = f"{self.chosen} ({why})" if why else self.chosen
        self.path = self.process = self.conn = None
        if self.chosen == "reasonable":
            self.path = _write_triples(kg)
            # spawn, not fork: the parent holds Oxigraph's threads and open files, which a forked child
            # would inherit half-copied. The child needs nothing but the file's path.
            context = multiprocessing.get_context("spawn")
            self.conn, child_end = context.Pipe(duplex=False)
            self.process = context.Process(target=_child, args=(self.path, child_end), daemon=True)
            self.process.start()
            child_end.close()

    def finish(self, consequence: str, show: int = 5) -> str:
        """Wait for the gate; raise a DataError on an inconsistency. Returns the engine that ran."""
        if self.process is None:
            errors = owl_rl_errors(self.kg, self.chosen)
        else:
            try:
                status, payload = cast("Connection", self.conn).recv()
            except EOFError:
                self.process.join(5)
                raise UsageError(f"the OWL 2 RL check's worker process ended without an answer (exit code "
                                 f"{self.process.exitcode}); it may have run out of memory. Nothing was "
                                 "written") from None
            if status == "error":
                raise UsageError(f"the OWL 2 RL check could not run: {payload}. Nothing was written")
            errors = payload
        _report(errors, self.ran, consequence, show)
        return self.ran

    def close(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            if self.conn is not None:
                self.conn.close()
            self.process = None
        if self.path is not None:
            _remove(self.path)
            self.path = None

    def __enter__(self) -> PendingCheck:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
