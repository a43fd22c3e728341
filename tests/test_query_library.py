"""The query library: every question's answer matches the answer written by reading the texts, on
Oxigraph and on rdflib's engine, statement by statement; the catalogue matches the query files.

Where the expected answers live depends on the question's ``# scope:`` (see sckg.library):
- statement: data/statements/<id>/expected/<name>.csv holds that statement's rows (the rows whose
  ?statement is the statement). The answer a statement gets is checked on the project and on the
  fixture corpus, so another statement beside it cannot change it. The fictional statements keep
  theirs in tests/fixtures/corpus/statements/<id>/expected/.
- shared: queries/expected/<name>.csv, about the shared entities, context and links.
- corpus: tests/fixtures/corpus/expected/<name>.csv, questions that compare statements, on the
  fixture corpus.
Files: a header of the query's variables, then one line per row; IRIs as CURIEs with the project's
prefixes (a statement's own items read kg:<statement-id>/...), literals by their lexical form,
unbound as an empty cell. Rows are compared as multisets (order ignored).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from _support import CORPUS, ROOT

from sckg import namespaces as ns
from sckg.errors import UsageError
from sckg.library import GROUPS, get_query, list_queries, parse_header, query_form
from sckg.loader import load
from sckg.project import statement_dirs
from sckg.querying import QuerySource, bind_params, run as run_sparql

QUERIES = list_queries(ROOT)
BY_SCOPE = {scope: [q for q in QUERIES if q.scope == scope] for scope in ("statement", "shared", "corpus")}
EXPECTED = ROOT / "queries" / "expected"
CORPUS_EXPECTED = CORPUS / "expected"
REAL_STATEMENTS = [st.path for st in statement_dirs(ROOT)]
FICTIONAL_STATEMENTS = sorted(p for p in (CORPUS / "statements").iterdir() if p.is_dir())

def run(graph, text, engine="oxigraph", name="query"):
    """A library question as `sckg query NAME` runs it: with its declared parameter defaults bound."""
    query = next((q for q in QUERIES if q.name == name), None)
    bindings = bind_params(QuerySource(text, f"query {name}", query.params), {}) if query else None
    return run_sparql(graph, text, engine, name, bindings)


# Queries whose answer legitimately differs between the engines, with the reason. Empty today.
ENGINE_DIFFERENCES: dict[str, str] = {}


@pytest.fixture(scope="module")
def kg():
    return load(ROOT)


def read_expected(path: Path) -> tuple[list[str], Counter]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, Counter(tuple(row) for row in reader)


def as_multiset(answer, header: list[str]) -> Counter:
    return Counter(tuple(cells.get(v, "") for v in header) for cells in answer.cells())


def statement_curie(folder: Path) -> str:
    """The statement's IRI as it appears in answers (the folder name is the IRI's local part)."""
    return ns.curie(ns.DATA + folder.name)


def statement_cases(folders: list[Path]) -> list:
    cases = []
    for folder in folders:
        for q in BY_SCOPE["statement"]:
            if (folder / "expected" / f"{q.name}.csv").is_file():
                cases.append(pytest.param(folder, q, id=f"{folder.name}:{q.name}"))
    return cases


def test_library_has_at_least_25_questions_in_every_group():
    assert len(QUERIES) >= 25
    assert {q.group for q in QUERIES} == set(GROUPS)
    for q in QUERIES:
        assert q.name.startswith(q.group + "-"), f"{q.name} should be named <group>-<topic>"
        assert q.title and q.question and q.notes, f"{q.name}: header needs title, question and notes"


@pytest.mark.parametrize("query", BY_SCOPE["statement"], ids=[q.name for q in BY_SCOPE["statement"]])
def test_a_statement_question_names_the_statement_and_its_publisher_first(kg, query):
    assert run(kg, query.text, "oxigraph", query.name).variables[:2] == ["statement", "publisher"]


def test_no_query_names_a_particular_organisation_or_statement():
    """Nothing is built for one statement: an organisation is a parameter, never a constant."""
    for q in QUERIES:
        body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
        for folder in REAL_STATEMENTS:
            assert folder.name not in body, q.name
        for entity in ("kg:cap", "kg:marshall-fitz", "kg:opt-out-jurisdictions"):
            assert entity not in body.split(), q.name


def missing_expected_file(query, folder: Path = EXPECTED) -> str | None:
    if (folder / f"{query.name}.csv").is_file():
        return None
    return f"write {folder.name}/{query.name}.csv by reading the text"


@pytest.mark.parametrize("folder", REAL_STATEMENTS, ids=[f.name for f in REAL_STATEMENTS])
def test_a_statement_with_expected_answers_has_one_for_every_statement_question(folder):
    """A statement's expected/ folder is complete once begun (a statement without one yet is only
    checked by the engine comparison and the gate)."""
    answers = folder / "expected"
    if not answers.is_dir():
        pytest.skip(f"{folder.name} has no expected/ answers yet")
    missing = [q.name for q in BY_SCOPE["statement"] if missing_expected_file(q, answers)]
    assert missing == [], f"write {folder.name}/expected/NAME.csv for these: {missing}"
    orphans = sorted(p.stem for p in answers.glob("*.csv") if p.stem not in {q.name for q in BY_SCOPE["statement"]})
    assert orphans == []


@pytest.mark.parametrize("query", BY_SCOPE["shared"] + BY_SCOPE["corpus"],
                         ids=[q.name for q in BY_SCOPE["shared"] + BY_SCOPE["corpus"]])
def test_every_shared_and_corpus_query_has_an_expected_answer_file(query):
    problem = missing_expected_file(query, EXPECTED if query.scope == "shared" else CORPUS_EXPECTED)
    assert problem is None, problem


def test_no_expected_file_without_its_query():
    names = {q.name for q in QUERIES}
    orphans = sorted(p.stem for folder in (EXPECTED, CORPUS_EXPECTED) for p in folder.glob("*.csv")
                     if p.stem not in names)
    assert not orphans


def rows_of_statement(answer, folder: Path, header: list[str]) -> Counter:
    mine = statement_curie(folder)
    return Counter(row for row in as_multiset(answer, header).elements() if row[header.index("statement")] == mine)


@pytest.mark.parametrize("folder,query", statement_cases(REAL_STATEMENTS))
def test_a_statement_gets_its_expected_answer(kg, folder, query):
    header, expected = read_expected(folder / "expected" / f"{query.name}.csv")
    answer = run(kg, query.text, "oxigraph", query.name)
    assert answer.variables == header, "the expected file's header must list the query's variables in order"
    assert rows_of_statement(answer, folder, header) == expected


@pytest.mark.parametrize("folder,query", statement_cases(REAL_STATEMENTS) + statement_cases(FICTIONAL_STATEMENTS))
def test_a_statement_gets_the_same_answer_beside_other_statements(corpus_kg, folder, query):
    """On the fixture corpus each statement's rows are still exactly its expected answer."""
    if folder.parent == ROOT / "data" / "statements" and folder.name not in {
            p.name for p in (corpus_kg.root / "data" / "statements").iterdir()}:
        pytest.skip(f"{folder.name} is not part of the fixture corpus")
    header, expected = read_expected(folder / "expected" / f"{query.name}.csv")
    answer = run(corpus_kg, query.text, "oxigraph", query.name)
    assert rows_of_statement(answer, folder, header) == expected


@pytest.mark.parametrize("query", BY_SCOPE["shared"], ids=[q.name for q in BY_SCOPE["shared"]])
def test_a_shared_question_gets_its_expected_answer_with_or_without_the_fixtures(kg, corpus_kg, query):
    header, expected = read_expected(EXPECTED / f"{query.name}.csv")
    for graph in (kg, corpus_kg):
        answer = run(graph, query.text, "oxigraph", query.name)
        if query.form == "SELECT":
            assert answer.variables == header
        assert as_multiset(answer, header) == expected


@pytest.mark.parametrize("query", BY_SCOPE["corpus"], ids=[q.name for q in BY_SCOPE["corpus"]])
def test_a_cross_statement_question_gets_its_expected_answer_on_the_fixture_corpus(corpus_kg, query):
    header, expected = read_expected(CORPUS_EXPECTED / f"{query.name}.csv")
    answer = run(corpus_kg, query.text, "oxigraph", query.name)
    assert answer.variables == header
    assert as_multiset(answer, header) == expected


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_rdflib_gives_the_same_answer_as_oxigraph(kg, corpus_kg, query):
    if query.name in ENGINE_DIFFERENCES:
        pytest.skip(ENGINE_DIFFERENCES[query.name])
    for graph in (kg, corpus_kg):
        ours = run(graph, query.text, "oxigraph", query.name)
        theirs = run(graph, query.text, "rdflib", query.name)
        header = ours.variables or ["ask"]
        assert as_multiset(theirs, header) == as_multiset(ours, header)


def test_a_missing_expected_file_is_reported(tmp_path):
    """The check above fires for a query without an expected file (here in a scratch library)."""
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "sckg.ttl").write_text("")
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "stances-new.rq").write_text("# title: t\n# question: q?\nSELECT * {}\n")
    [query] = list_queries(tmp_path)
    assert missing_expected_file(query, tmp_path / "queries" / "expected") is not None


# ---- the header parser ------------------------------------------------------------------------

def test_header_notes_continue_over_comment_lines():
    text = ("# title: T\n# group: causal\n# question: Q?\n# notes: first line\n#   second line\n"
            "#\n#   new paragraph\nSELECT * {}\n")
    header = parse_header(text, Path("x.rq"))
    assert header["notes"] == "first line second line\n\nnew paragraph"
    assert header["group"] == "causal"


def test_header_without_title_names_the_file_and_the_fix(tmp_path):
    bad = tmp_path / "x.rq"
    with pytest.raises(UsageError, match=r"x\.rq: the header needs '# title: \.\.\.'"):
        parse_header("# question: Q?\nSELECT * {}\n", bad)


def test_repeated_header_field_is_refused():
    with pytest.raises(UsageError, match="repeats '# title:'"):
        parse_header("# title: a\n# title: b\n# question: q\nASK {}", Path("x.rq"))


def test_unknown_name_suggests_close_names():
    with pytest.raises(UsageError, match="did you mean stances-matrix"):
        get_query("stance-matrix", ROOT)


def test_query_form_ignores_keywords_in_comments_strings_and_iris():
    assert query_form("# SELECT in a comment\nASK { ?s ?p 'SELECT' }") == "ASK"
    assert query_form("PREFIX x: <http://e/SELECT/>\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form("describe <http://e/a>") == "DESCRIBE"


def test_form_of_library_queries():
    forms = {q.name: q.form for q in QUERIES}
    assert forms["stances-matrix"] == "SELECT"


# ---- the questions expected to answer "nothing" can answer "something" ------------------------------

BROKEN_EXTENSION = """
@prefix sckg: <https://w3id.org/sckg/ontology#> .
@prefix kg:   <https://w3id.org/sckg/id/> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

# A claim naming a relation nobody asserted, with no author, no voice, and a quote outside any statement.
kg:test-claim a sckg:FactualAssertion ;
    sckg:quote "CAP speaks for DHS" ;
    rdf:subject kg:cap ; rdf:predicate sckg:speaksFor ; rdf:object kg:dhs .

# An outside fact with no source whose triple is not asserted either.
kg:test-fact a sckg:ContextFact ;
    rdf:subject kg:dhs ; rdf:predicate sckg:speaksFor ; rdf:object kg:cap .
"""


def test_the_quality_questions_find_what_they_look_for(tmp_path):
    """The quality queries expect no rows on our data; on data broken on purpose each one answers."""
    extension = tmp_path / "broken.ttl"
    extension.write_text(BROKEN_EXTENSION, encoding="utf-8")
    kg = load(ROOT, extra=[extension])
    claim, fact = "kg:test-claim", "kg:test-fact"

    def cells(name):
        return {tuple(row.values()) for row in run(kg, get_query(name, ROOT).text).cells()}

    assert cells("quality-unasserted-claim-triples") == {(claim, "kg:cap", "sckg:speaksFor", "kg:dhs")}
    assert cells("quality-unattributed-claims") == {(claim, "prov:wasAttributedTo"), (claim, "sckg:voice")}
    assert cells("quality-unanchored-items") == {(claim, "CAP speaks for DHS")}
    assert cells("quality-unbacked-context") == {(fact, "no dcterms:source"), (fact, "triple not asserted")}


def test_uncovered_sentences_are_found(tmp_path):
    """A second statement whose one claim covers only its first sentence."""
    import hashlib

    folder = tmp_path / "toy-statement"
    folder.mkdir()
    text = "The program works. Nobody says why.\n"
    (folder / "source.txt").write_text(text, encoding="utf-8")
    (folder / "statement.ttl").write_text(f"""
@prefix sckg: <https://w3id.org/sckg/ontology#> .
@prefix kg:   <https://w3id.org/sckg/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
kg:toy-statement a sckg:PolicyStatement ; sckg:sha256 "{hashlib.sha256(text.encode('utf-8')).hexdigest()}" .
kg:toy-statement-claim a sckg:Evaluation ; sckg:quote "The program works." ;
    sckg:voice sckg:voiceAsserted ; prov:wasAttributedTo kg:cap .
""", encoding="utf-8")
    kg = load(ROOT, extra=[folder])
    rows = run(kg, get_query("grounding-uncovered-sentences", ROOT).text).cells()
    assert [(r["number"], r["text"]) for r in rows] == [("2", "Nobody says why.")]
