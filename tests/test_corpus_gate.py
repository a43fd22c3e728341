"""The validation gate on a corpus: each statement validated with the shared graphs only, a misspelt
term reported once with the nearest declared term and its cascade folded under it."""

from __future__ import annotations

import rdflib
from _support import build_corpus_project, copy_project, replace_in

import sckg
from sckg import namespaces as ns, validation
from sckg.validation import nearest_term, validate


def test_each_statement_is_validated_with_the_shared_graphs_and_without_the_others(corpus_kg, monkeypatch):
    seen: list[set[str]] = []
    real_run = validation.run_shacl

    def recording_run(data, shapes):
        seen.append({str(s) for s in data.subjects(rdflib.RDF.type, rdflib.URIRef(ns.SCKG + "PolicyStatement"))})
        return real_run(data, shapes)

    monkeypatch.setattr(validation, "run_shacl", recording_run)
    report = validate(corpus_kg)
    assert report.ok, [v.describe() for v in report.errors]
    statements = {g.document for g in corpus_kg.groundings}
    assert len(statements) == 3
    # one SHACL run per statement, each seeing exactly one statement
    assert sorted(map(sorted, seen)) == sorted([[s] for s in statements])


def test_a_broken_statement_is_reported_once_with_its_own_file(tmp_path):
    project = build_corpus_project(tmp_path / "project")
    ttl = project / "data" / "statements" / "fx-coalition-2011-06-18" / "statement.ttl"
    replace_in(ttl, "sckg:target kg:change-transparency-initiative ; sckg:polarity sckg:polarityCriticises ;",
               "sckg:target kg:change-transparency-initiative ;")
    report = validate(sckg.load(project))
    [violation] = report.errors
    assert violation.focus == ns.DATA + "fx-coalition-2011-06-18/faults-transparency"
    assert violation.path == "sckg:polarity" and violation.file == ttl


def test_a_misspelt_class_gives_one_violation_first_with_did_you_mean_and_the_cascade_folded(tmp_path):
    project = copy_project(tmp_path / "project")
    replace_in(project / "data" / "entities" / "actors.ttl", "a sckg:ThinkTank ;", "a sckg:Organisation ;")
    report = validate(sckg.load(project))
    head = report.errors[0]
    assert head.focus == ns.SCKG + "Organisation"
    assert "did you mean sckg:Organization?" in head.message
    # the publisher and the attributions that now point at a non-actor follow from the typo
    assert len(head.folded) >= 20
    assert any(v.path == "dcterms:publisher" for v in head.folded)
    assert len(report.errors) == 1, [v.describe() for v in report.errors]
    assert "further violation(s) follow from it" in head.describe()


def test_a_misspelt_property_folds_the_missing_value_it_causes(tmp_path):
    project = copy_project(tmp_path / "project")
    ttl = project / "data" / "statements" / "cap-2011-06-17" / "statement.ttl"
    replace_in(ttl, "sckg:holder kg:cap ; sckg:target kg:change-training-protocols",
               "sckg:holdr kg:cap ; sckg:target kg:change-training-protocols")
    report = validate(sckg.load(project))
    [head] = report.errors
    assert "did you mean sckg:holder?" in head.message
    assert [v.path for v in head.folded] == ["sckg:holder"]


def test_nearest_term_ignores_case_and_gives_up_on_unrelated_words():
    declared = [ns.SCKG + t for t in ("Organization", "Stance", "holder", "polarityWelcomes")]
    assert nearest_term(ns.SCKG + "organisation", declared) == ns.SCKG + "Organization"
    assert nearest_term(ns.SCKG + "polarityWelcome", declared) == ns.SCKG + "polarityWelcomes"
    assert nearest_term(ns.SCKG + "Zebra", declared) is None
