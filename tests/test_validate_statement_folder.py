"""`sckg validate --with FOLDER` checks a new statement (its source.txt and encoding) with the project's data."""

from __future__ import annotations

import hashlib

from _support import run_cli

SOURCE = "MALDEF welcomes nothing.\nIt hopes for more.\n"


def _statement(folder, claim_quote: str) -> None:
    folder.mkdir(parents=True)
    (folder / "source.txt").write_text(SOURCE, encoding="utf-8")
    sha = hashlib.sha256(SOURCE.encode("utf-8")).hexdigest()
    (folder / "statement.ttl").write_text(f"""
@prefix sckg: <https://w3id.org/sckg/ontology#> .
@prefix kg: <https://w3id.org/sckg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
kg:demo a sckg:PolicyStatement ; rdfs:label "demo"@en ; dcterms:title "Demo"@en ; dcterms:publisher kg:cap ;
  dcterms:type sckg:genrePressStatement ; sckg:sha256 "{sha}" .
kg:demo-c1 a sckg:Evaluation ; rdfs:label "Nothing is welcome."@en ; sckg:voice sckg:voiceAsserted ;
  prov:wasAttributedTo kg:cap ; schema:about kg:secure-communities ; sckg:quote "{claim_quote}" .
""", encoding="utf-8")


def test_a_new_statement_with_an_uncovered_sentence_is_invalid_and_names_its_source(tmp_path):
    folder = tmp_path / "demo"
    _statement(folder, "MALDEF welcomes nothing.")
    result = run_cli("validate", "--with", str(folder))
    assert result.returncode == 1
    assert "demo: 50% of sentences covered (1/2)" in result.stdout
    assert "sentence 2 is covered by no claim" in result.stdout
    assert str(folder / "source.txt") in result.stdout


def test_a_new_statement_whose_quote_is_not_in_its_source_is_reported(tmp_path):
    folder = tmp_path / "demo"
    _statement(folder, "MALDEF welcomes everything.")
    result = run_cli("validate", "--with", str(folder))
    assert result.returncode == 1
    assert "ORPHANED" in result.stderr and "demo-c1" in result.stderr


def test_naming_a_project_statement_folder_does_not_load_it_twice():
    result = run_cli("validate", "data/statements/cap-2011-06-17")
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("cap-2011-06-17: 100% of sentences covered") == 1
