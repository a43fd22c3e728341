"""Reconciliation against a Wikidata-shaped SPARQL endpoint.

For an entity with no link, candidates are items whose English label or alias equals one of the
entity's names (or a spelling variant of it, such as "US" / "U.S." / "United States"); exact label
lookups are what Wikidata's service answers fast. Candidates are ranked by how close their label is to
the entity's names and by how well their types (``wdt:P31``, compared by label) agree with the entity's
class. Nothing is decided here: the result goes to a review file.

For an entity that is linked, the target is checked: does it still exist, was it merged into another
item (Wikidata then states ``owl:sameAs``), and does its label still match the label recorded when the
link was verified (``sckg:targetLabel``)?
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .. import namespaces as ns
from ..graph import KnowledgeGraph
from .client import SparqlClient
from .inventory import Entity, Link, linkable_entities

WD = "http://www.wikidata.org/entity/"
# Wikidata's own prefixes; schema: is the http form there, unlike in sckg.
PROLOGUE = ("PREFIX wd: <http://www.wikidata.org/entity/>\nPREFIX wdt: <http://www.wikidata.org/prop/direct/>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX schema: <http://schema.org/>\nPREFIX owl: <http://www.w3.org/2002/07/owl#>\n")
LABEL_WEIGHT, TYPE_WEIGHT = 0.75, 0.25
SAME_LABEL = 0.9  # normalised labels at least this similar count as the same label


@dataclass
class Candidate:
    entity: Entity
    item: str
    label: str
    description: str
    types: list[str]
    label_score: float
    type_score: float

    @property
    def score(self) -> float:
        return round(LABEL_WEIGHT * self.label_score + TYPE_WEIGHT * self.type_score, 3)


@dataclass
class Check:
    link: Link
    status: str  # ok | label-changed | missing | merged
    current_label: str = ""
    note: str = ""


@dataclass
class Report:
    candidates: list[Candidate] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    no_candidates: list[Entity] = field(default_factory=list)


# ---- names -----------------------------------------------------------------------------------------

_US_FORMS = ("United States ", "U.S. ", "US ")


def name_variants(names: list[str]) -> list[str]:
    """Spellings to look up exactly: each name, capitalised, and with "US" written the three usual ways."""
    variants: list[str] = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        forms = [name, name[:1].upper() + name[1:]]
        for form in list(forms):
            for us in _US_FORMS:
                if form.startswith(us):
                    forms += [other + form[len(us):] for other in _US_FORMS]
        for form in forms:
            if form not in variants:
                variants.append(form)
    return variants


def normalise(label: str) -> str:
    """Lower case, no parenthesised qualifier ("New York (state)"), "US" written one way, no punctuation."""
    text = re.sub(r"\s*\([^)]*\)", "", label).casefold()
    text = re.sub(r"^(united states|u\.s\.|us)\s+", "us ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def similarity(a: str, b: str) -> float:
    """Closeness of two labels in [0, 1]: the better of character-sequence and word-set agreement."""
    x, y = normalise(a), normalise(b)
    if not x or not y:
        return 0.0
    words_x, words_y = set(x.split()), set(y.split())
    jaccard = len(words_x & words_y) / len(words_x | words_y)
    return max(SequenceMatcher(None, x, y).ratio(), jaccard)


# ---- queries -----------------------------------------------------------------------------------------

def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def candidate_query(variants: list[str], limit: int = 200) -> str:
    values = " ".join(_literal(v) for v in variants)
    return PROLOGUE + f"""SELECT ?item ?label ?description ?typeLabel WHERE {{
  VALUES ?name {{ {values} }}
  {{ ?item rdfs:label ?name }} UNION {{ ?item skos:altLabel ?name }}
  FILTER(STRSTARTS(STR(?item), "{WD}"))
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
  OPTIONAL {{ ?item schema:description ?description FILTER(LANG(?description) = "en") }}
  OPTIONAL {{ ?item wdt:P31 ?type . ?type rdfs:label ?typeLabel FILTER(LANG(?typeLabel) = "en") }}
}} LIMIT {limit}"""


def check_query(items: list[str]) -> str:
    values = " ".join(f"<{i}>" for i in items)
    return PROLOGUE + f"""SELECT ?item ?label ?mergedInto ?exists WHERE {{
  VALUES ?item {{ {values} }}
  BIND(EXISTS {{ ?item ?p ?o }} AS ?exists)
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
  OPTIONAL {{ ?item owl:sameAs ?mergedInto }}
}}"""


# ---- reconciliation ----------------------------------------------------------------------------------

def class_labels(kg: KnowledgeGraph, cls: str) -> list[tuple[str, float]]:
    """The class's label (weight 1) and its sckg superclasses' labels (weight 0.5): what a candidate's
    types are compared with."""
    rows = kg.sparql(f"""SELECT DISTINCT ?c ?l WHERE {{ <{cls}> rdfs:subClassOf* ?c . ?c rdfs:label ?l
                          FILTER(STRSTARTS(STR(?c), "{ns.SCKG}")) }}""")
    return sorted({(r["l"].value, 1.0 if r["c"].value == cls else 0.5) for r in rows})


def suggest(client: SparqlClient, kg: KnowledgeGraph, entity: Entity, top: int = 5) -> list[Candidate]:
    names = [entity.label, *entity.alt_labels]
    rows = client.select(candidate_query(name_variants(names)))
    by_item: dict[str, dict] = {}
    for row in rows:
        info = by_item.setdefault(row["item"], {"label": "", "description": "", "types": set()})
        info["label"] = info["label"] or row.get("label", "")
        info["description"] = info["description"] or row.get("description", "")
        if row.get("typeLabel"):
            info["types"].add(row["typeLabel"])
    wanted = class_labels(kg, entity.cls)
    found = []
    for item, info in by_item.items():
        label_score = max((similarity(n, info["label"]) for n in names), default=0.0)
        type_score = max((w * similarity(t, c) for t in info["types"] for c, w in wanted), default=0.0)
        found.append(Candidate(entity, item, info["label"], info["description"], sorted(info["types"]),
                               round(label_score, 3), round(type_score, 3)))
    found.sort(key=lambda c: (-c.score, c.item))
    return found[:top]


def check(client: SparqlClient, kg: KnowledgeGraph, links: list[Link]) -> list[Check]:
    """Check every link into Wikidata's entity space (the endpoint is Wikidata-shaped)."""
    wikidata = [link for link in links if link.target_is_iri and link.target.startswith(WD)]
    if not wikidata:
        return []
    rows = client.select(check_query(sorted({link.target for link in wikidata})))
    answers: dict[str, dict] = {}
    for row in rows:
        info = answers.setdefault(row["item"], {"label": "", "merged": "", "exists": False})
        info["label"] = info["label"] or row.get("label", "")
        info["merged"] = info["merged"] or row.get("mergedInto", "")
        info["exists"] = info["exists"] or row.get("exists") in ("true", "1")
    entity_names = {e.iri: [e.label, *e.alt_labels] for e in linkable_entities(kg)}
    checks = []
    for link in wikidata:
        info = answers.get(link.target, {"label": "", "merged": "", "exists": False})
        if info["merged"]:
            checks.append(Check(link, "merged", info["label"], f"now a redirect to {ns.curie(info['merged'])}"))
        elif not info["exists"]:
            checks.append(Check(link, "missing", "", "the endpoint knows nothing about this item"))
        else:
            expected = [link.target_label] if link.target_label else entity_names.get(link.entity, [])
            if any(similarity(e, info["label"]) >= SAME_LABEL for e in expected):
                checks.append(Check(link, "ok", info["label"]))
            else:
                was = link.target_label or " / ".join(expected)
                checks.append(Check(link, "label-changed", info["label"],
                                    f"label was {was!r} when verified, now {info['label']!r}"))
    return checks


def reconcile(client: SparqlClient, kg: KnowledgeGraph, unlinked: list[Entity], links: list[Link],
              top: int = 5) -> Report:
    report = Report()
    for entity in unlinked:
        found = suggest(client, kg, entity, top)
        if found:
            report.candidates += found
        else:
            report.no_candidates.append(entity)
    report.checks = check(client, kg, links)
    return report
