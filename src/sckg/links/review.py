"""The review file between reconciliation and the data, and the explicit step that accepts rows.

``sckg link`` writes suggestions and checks to a tab-separated file (readable in any spreadsheet) and
never touches data/links/*.ttl. A reviewer marks rows with ``accept`` in the ``decision`` column (or
names their ids), may change a row's ``predicate`` (candidates are proposed as ``skos:closeMatch``; only
the reviewer can claim ``owl:sameAs``), and runs ``sckg link --accept FILE``. Accepting writes each row
as a link reified by an sckg:ContextFact with its source (the endpoint), how it was found and accepted,
and the date, into one Turtle file (default data/links/reconciled.ttl), replaced atomically.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from urllib.parse import urlparse

from .. import namespaces as ns
from ..atomic import write_file_atomically
from ..errors import DataError, UsageError
from ..graph import KnowledgeGraph
from ..parsing import read_text
from ..project import display
from .inventory import LINK_PREDICATES
from .reconcile import Report

COLUMNS = ["id", "decision", "kind", "entity", "entity_label", "predicate", "target", "target_label",
           "score", "label_score", "type_score", "types", "description", "status", "note"]
ACCEPT_WORDS = {"accept", "yes", "y", "x"}
DEFAULT_PREDICATE = "skos:closeMatch"
ALLOWED_PREDICATES = {ns.curie(p): p for p in LINK_PREDICATES}


@dataclass
class Row:
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "") or ""


def _clean(text: str) -> str:
    from ..safe_text import visible

    # No tabs or newlines inside a cell, and no raw ESC or other control character from an endpoint's
    # labels: the file is opened in terminals and spreadsheets.
    return visible(" ".join(str(text).split()))


def render(report: Report, endpoint: str, day: str) -> bytes:
    out = io.StringIO()
    out.write(f"# sckg link review file: endpoint {endpoint}, {day}\n"
              "# Mark rows to accept with 'accept' in the decision column (or name their ids), change the\n"
              "# predicate if needed (owl:sameAs only for exact identity), then run: sckg link --accept THIS_FILE\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for c in report.candidates:
        n += 1
        writer.writerow([_clean(v) for v in (
            f"r{n}", "", "candidate", ns.curie(c.entity.iri), c.entity.label, DEFAULT_PREDICATE, ns.curie(c.item),
            c.label, f"{c.score:.3f}", f"{c.label_score:.3f}", f"{c.type_score:.3f}", "; ".join(c.types),
            c.description, "suggested", "")])
    for e in report.no_candidates:
        n += 1
        writer.writerow([f"r{n}", "-", "no-candidate", ns.curie(e.iri), _clean(e.label)] + [""] * 8
                        + ["none found", "no item has this label or alias"])
    for k in report.checks:
        n += 1
        writer.writerow([_clean(v) for v in (
            f"r{n}", "-", "check", ns.curie(k.link.entity), k.link.entity_label, ns.curie(k.link.predicate),
            ns.curie(k.link.target), k.current_label, "", "", "", "", "", k.status, k.note)])
    return out.getvalue().encode("utf-8")


def read(path: Path) -> tuple[str, list[Row]]:
    """The endpoint named in the header and the rows, each with its line number."""
    if not path.is_file():
        raise UsageError(f"{display(path)}: review file not found")
    text = read_text(path)  # names the file and line of a non-UTF-8 byte (a spreadsheet's save)
    endpoint = ""
    match = re.search(r"^# sckg link review file: endpoint (\S+),", text, re.M)
    if match:
        endpoint = match.group(1)
    lines = text.splitlines()
    body = [(i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.startswith("#")]
    if not body:
        raise DataError(f"{display(path)}: no header row; was this file written by sckg link?")
    header_line, header = body[0]
    columns = header.split("\t")
    missing = [c for c in ("id", "decision", "kind", "entity", "predicate", "target") if c not in columns]
    if missing:
        raise DataError(f"{display(path)}:{header_line}: the header lacks column(s) {', '.join(missing)}")
    rows = []
    for number, line in body[1:]:
        cells = next(csv.reader([line], delimiter="\t"))
        # Not strict: a spreadsheet drops a row's empty trailing cells, and a missing cell reads as empty.
        rows.append(Row(number, dict(zip(columns, cells, strict=False))))
    return endpoint, rows


def _expand(value: str, path: Path, line: int, what: str) -> str:
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if ":" in value and not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
        prefix, local = value.split(":", 1)
        if prefix not in ns.PREFIXES:
            raise DataError(f"{display(path)}:{line}: unknown prefix {prefix!r} in {what} {value!r}")
        value = ns.PREFIXES[prefix] + local
    if not re.match(r"^https?://\S+$", value):
        raise DataError(f"{display(path)}:{line}: {what} {value!r} is not an IRI")
    return value


def _source_iri(endpoint: str) -> str:
    host = urlparse(endpoint).netloc or "endpoint"
    return ns.DATA + "src-sparql-" + re.sub(r"[^A-Za-z0-9]+", "-", host).strip("-").lower()


def _turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


HEADER = """# Links accepted from `sckg link` review files, written by `sckg link --accept`.
# Each is a reviewer's decision on a candidate found at a SPARQL endpoint; edit with care.

@prefix sckg:    <https://w3id.org/sckg/ontology#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .
"""


def accept(kg: KnowledgeGraph, review: Path, ids: list[str], into: Path, day: str | None = None) -> list[Row]:
    """Write the accepted rows of ``review`` as links into ``into``; returns the rows written."""
    day = day or Date.today().isoformat()
    endpoint, rows = read(review)
    if not endpoint:
        raise DataError(f"{display(review)}:1: the header line naming the endpoint is missing")
    by_id = {r["id"]: r for r in rows}
    if ids:
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise UsageError(f"{display(review)}: no row with id {', '.join(unknown)}")
        chosen = [by_id[i] for i in ids]
    else:
        chosen = [r for r in rows if r["decision"].strip().lower() in ACCEPT_WORDS]
    if not chosen:
        raise UsageError(f"{display(review)}: nothing to accept; write 'accept' in the decision column of the "
                         "rows you accept, or name their ids after the file")
    for r in chosen:
        if r["kind"] != "candidate":
            raise DataError(f"{display(review)}:{r.line}: row {r['id']} is a {r['kind'] or 'blank'} row, not a "
                            "candidate; only candidates can be accepted")

    existing = {(str(s), str(p), str(o)) for s, p, o in
                ((q.subject.value, q.predicate.value, q.object.value) for q in kg.store)}
    entities = {q.subject.value for q in kg.store}
    blocks: list[str] = []
    written: list[Row] = []
    seen: dict[tuple[str, str], str] = {}
    for r in chosen:
        entity = _expand(r["entity"], review, r.line, "entity")
        target = _expand(r["target"], review, r.line, "target")
        predicate_name = r["predicate"].strip()
        if predicate_name not in ALLOWED_PREDICATES:
            raise DataError(f"{display(review)}:{r.line}: predicate {predicate_name!r} of row {r['id']} is not a "
                            f"link predicate; use one of {', '.join(sorted(ALLOWED_PREDICATES))}")
        predicate = ALLOWED_PREDICATES[predicate_name]
        if entity not in entities:
            raise DataError(f"{display(review)}:{r.line}: entity {r['entity']} of row {r['id']} is not in the graph")
        if (entity, predicate) in seen:
            raise DataError(f"{display(review)}:{r.line}: rows {seen[(entity, predicate)]} and {r['id']} both link "
                            f"{r['entity']} with {predicate_name}; accept one of them")
        seen[(entity, predicate)] = r["id"]
        if (entity, predicate, target) in existing:
            continue  # already linked: accepting twice changes nothing
        local = re.sub(r"[^A-Za-z0-9]+", "-", f"{entity.rsplit('/', 1)[-1]}-{target.rsplit('/', 1)[-1]}").strip("-")
        label = f"{r['entity_label'] or ns.curie(entity)} {'is' if predicate_name == 'owl:sameAs' else 'matches'} " \
                f"{ns.curie(target)} ({r['target_label'] or 'no label'})."
        method = (f"Candidate found by sckg link at {endpoint} (score {r['score'] or '?'}: label "
                  f"{r['label_score'] or '?'}, type {r['type_score'] or '?'}); accepted by a reviewer from "
                  f"{review.name} row {r['id']} on {day}.")
        lines = [f"<{entity}> <{predicate}> <{target}> .",
                 f"<{ns.DATA}link/{local}> a sckg:ContextFact ;",
                 f"    rdfs:label {_turtle_string(label)}@en ;",
                 f"    rdf:subject <{entity}> ; rdf:predicate <{predicate}> ; rdf:object <{target}> ;"]
        if r["target_label"]:
            lines.append(f"    sckg:targetLabel {_turtle_string(r['target_label'])}@en ;")
        lines += ["    sckg:voice sckg:voiceOutsideContext ; sckg:verificationStatus sckg:statusVerified ;",
                  f"    sckg:verificationMethod {_turtle_string(method)} ;",
                  f"    dcterms:date \"{day}\"^^xsd:date ; dcterms:source <{_source_iri(endpoint)}> ;",
                  f"    prov:wasDerivedFrom <{_source_iri(endpoint)}> ."]
        blocks.append("\n".join(lines) + "\n")
        written.append(r)
    if not written:
        return []

    text = read_text(into) if into.is_file() else HEADER
    source = _source_iri(endpoint)
    if f"<{source}> a sckg:Source" not in text:
        text += (f"\n<{source}> a sckg:Source ;\n    rdfs:label {_turtle_string('SPARQL endpoint ' + endpoint)}@en ;\n"
                 "    dcterms:bibliographicCitation "
                 f"{_turtle_string('SPARQL endpoint at ' + endpoint + ', queried by sckg link.')} ;\n"
                 f"    schema:url {_turtle_string(endpoint)}^^xsd:anyURI .\n")
    text += "".join("\n" + b for b in blocks)
    _check_parses(text, into)
    write_file_atomically(into, text.encode("utf-8"))
    return written


def _check_parses(text: str, into: Path) -> None:
    import rdflib

    try:
        rdflib.Graph().parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises several types; any of them means we must not write
        raise DataError(f"{display(into)}: the file would not parse after adding the links ({exc}); "
                        "fix the file by hand first (it was not changed)") from None
