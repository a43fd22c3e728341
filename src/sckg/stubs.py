"""Reporting the stubs of a scaffold (``sckg new-statement``) as work left to do, one line each.

A stub (``sckg:Stub``) is refused by the gate (shape:StubShape). Half-filled, it also breaks shapes
and quality checks written for finished items (no rdfs:label, no voice...); those findings are folded
into the stub's own line, which says what to fill in and where (file:line), so that a newcomer sees
one line per stub and not a cascade.
"""

from __future__ import annotations

import re

from . import namespaces as ns
from .graph import KnowledgeGraph
from .parsing import read_text
from .project import display
from .validation import Violation


def _line_of(kg: KnowledgeGraph, stub: str) -> str:
    path = kg.origin_of(stub)
    if path is None:
        return ""
    local = re.escape(stub.rsplit("/", 1)[-1])
    pattern = re.compile(rf"(?:[:/]){local}>?\s+a\s")
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if pattern.search(line):
            return f"{display(path)}:{number}"
    return display(path)


def fold(kg: KnowledgeGraph, violations: list[Violation]) -> list[Violation]:
    """``violations`` with one "stub" violation per stub first, and the findings about stubs folded into it."""
    others: dict[str, list[str]] = {}
    for r in kg.sparql(  # the types the file gives, not the inferred graph's superclasses of sckg:Stub
            f"SELECT ?s ?type WHERE {{ ?s a sckg:Stub . GRAPH ?g {{ ?s a ?type }} "
            f"FILTER(?type != sckg:Stub && {kg.as_written()}) }}"):
        others.setdefault(r["s"].value, []).append(r["type"].value)
    stubs = sorted({r["s"].value for r in kg.sparql("SELECT DISTINCT ?s WHERE { ?s a sckg:Stub }")})
    if not stubs:
        return violations
    sentences = {a.item: a.sentences for g in kg.groundings for a in g.anchors}
    # A stub may say itself what is left to do (the date's context fact does: name its source).
    comments = {r["s"].value: r["c"].value
                for r in kg.sparql("SELECT ?s ?c WHERE { ?s a sckg:Stub ; rdfs:comment ?c }")}
    folded = {s: 0 for s in stubs}
    rest = []
    for v in violations:
        owner = next((s for s in stubs if v.focus == s or v.focus.startswith(s + "/")), None)
        if owner is None:
            rest.append(v)
        else:
            folded[owner] += 1
    out = []
    for s in stubs:
        numbers = sentences.get(s) or []
        chosen = [ns.curie(t) for t in others.get(s, [])]
        if numbers:
            which = f"sentence {', '.join(map(str, numbers))}"
        elif "sckg:ContextFact" in chosen:
            which = "an outside-context fact"
        else:
            which = "a sentence (its quote is not anchored)"
        if s in comments:
            todo = comments[s]
        elif chosen:
            todo = (f"its kind is chosen ({', '.join(chosen)}): remove sckg:Stub from its types, then validate "
                    "again to see what that kind still needs")
        else:
            todo = ("replace `a sckg:Stub` with the kind of claim or sckg:Stance and fill in the commented lines "
                    "under it (the file's header explains the kinds, voices and stances)")
        hidden = f" [{folded[s] - 1} finding(s) about the unfinished item folded here]" if folded[s] > 1 else ""
        where = _line_of(kg, s)
        out.append(Violation(check="stub", focus=s,
                             message=f"stub for {which}{', ' + where if where else ''}: {todo}{hidden}"))
    return out + rest
