"""`sckg import-table`: a researcher's CSV mapped onto the graph's states by name, postal code, FIPS or
ISO code; unmatched rows are never dropped silently; the example table joins with the statement.
Expected matches come from reading the CSV files and the research notes' state codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from _support import ROOT, SOURCE_TEXT, run_cli

from sckg.loader import load

EXAMPLE = ROOT / "data" / "examples" / "opt-out-states.csv"
EXAMPLE_TTL = ROOT / "data" / "examples" / "opt-out-states.ttl"
JOIN_QUERY = ROOT / "data" / "examples" / "opt-out-figures.rq"
KG = "https://w3id.org/sckg/id/"
DCT_SPATIAL = rdflib.URIRef("http://purl.org/dc/terms/spatial")


def _spatial(ttl: Path, table: str) -> dict[int, str]:
    g = rdflib.Graph().parse(ttl)
    prefix = f"{KG}table/{table}/record/"
    return {int(str(s)[len(prefix):]): str(o)[len(KG):] for s, o in g.subject_objects(DCT_SPATIAL)}


def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_table_rows_map_to_their_states_by_name(tmp_path):
    out = tmp_path / "o.ttl"
    result = run_cli("import-table", str(EXAMPLE), "--key", "state", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "matched 4 of 4 row(s) to states (4 by name)" in result.stdout
    assert _spatial(out, "opt-out-states") == {1: "illinois", 2: "illinois", 3: "new-york", 4: "massachusetts"}


def test_example_table_maps_the_same_way_by_its_fips_column(tmp_path):
    out = tmp_path / "o.ttl"
    result = run_cli("import-table", str(EXAMPLE), "--key", "fips", "--match", "fips", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert _spatial(out, "opt-out-states") == {1: "illinois", 2: "illinois", 3: "new-york", 4: "massachusetts"}


def test_the_committed_example_rdf_is_what_the_command_writes(tmp_path):
    out = tmp_path / "opt-out-states.ttl"
    assert run_cli("import-table", str(EXAMPLE), "--key", "state", "-o", str(out)).returncode == 0
    assert out.read_bytes() == EXAMPLE_TTL.read_bytes(), \
        "regenerate: sckg import-table data/examples/opt-out-states.csv --key state"


def test_the_join_query_puts_the_figures_beside_the_statements_claim():
    kg = load(ROOT, extra=[EXAMPLE_TTL])
    rows = [[None if v is None else v.value for v in row] for row in kg.sparql(JOIN_QUERY.read_text(encoding="utf-8"))]
    # The claim that reports the decision quotes the clause of sentence 17 that names it.
    quote = "the decision by a number of states and local jurisdictions to \u201copt-out\u201d of the program"
    assert quote in SOURCE_TEXT
    # (state, decided, comparator, percent) read from the CSV and the research notes' dates
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        ("Illinois", "2011-05-04", "less than", "20"),
        ("Illinois", "2011-05-04", "more than", "30"),
        ("New York", "2011-06-01", None, None),
        ("Massachusetts", "2011-06-03", "more than", "50"),
    ]
    assert {r[6] for r in rows} == {quote}


def test_postal_iso_and_fips_keys_are_told_apart_automatically(tmp_path):
    path = _csv(tmp_path, "where,n\nIL,1\nus-ny,2\n025,3\nnew york (state),4\nma,5\n")
    out = tmp_path / "o.ttl"
    result = run_cli("import-table", str(path), "--key", "where", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert _spatial(out, "t") == {1: "illinois", 2: "new-york", 3: "massachusetts", 4: "new-york", 5: "massachusetts"}
    assert "1 by fips, 1 by iso, 1 by name, 2 by postal" in result.stdout


def test_unmatched_rows_are_listed_and_nothing_is_written(tmp_path):
    path = _csv(tmp_path, "state,n\nIllinois,1\nTexas,2\n,3\n")
    out = tmp_path / "o.ttl"
    out.write_text("previous", encoding="utf-8")
    result = run_cli("import-table", str(path), "--key", "state", "-o", str(out))
    assert result.returncode == 1
    assert "2 of 3 row(s) match no state" in result.stderr
    assert "t.csv:3: row 2: 'Texas' is not the name of any state in the graph" in result.stderr
    assert "t.csv:4: row 3: the key cell is empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "previous"


def test_allow_unmatched_keeps_every_row_and_warns(tmp_path):
    path = _csv(tmp_path, "state,n\nIllinois,1\nTexas,2\n")
    out = tmp_path / "o.ttl"
    result = run_cli("import-table", str(path), "--key", "state", "-o", str(out), "--allow-unmatched")
    assert result.returncode == 0, result.stderr
    assert "warning: 1 row(s) match no state" in result.stdout and "'Texas'" in result.stdout
    g = rdflib.Graph().parse(out)
    texas = rdflib.URIRef(f"{KG}table/t/record/2")
    assert (texas, rdflib.URIRef(f"{KG}table/t/column/state"), rdflib.Literal("Texas")) in g
    assert g.value(texas, DCT_SPATIAL) is None
    assert len(list(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/csvw#Row")))) == 2


def test_a_forced_match_mode_reads_only_that_kind_of_key(tmp_path):
    path = _csv(tmp_path, "state\nIllinois\n")
    result = run_cli("import-table", str(path), "--key", "state", "--match", "fips", "-o", str(tmp_path / "o.ttl"))
    assert result.returncode == 1
    assert "'Illinois' is not the FIPS code of any state" in result.stderr


def test_cells_are_typed_but_codes_with_leading_zeros_stay_strings(tmp_path):
    path = _csv(tmp_path, "state,count,share,day,code\nIL,12,0.25,2011-05-04,08\n")
    out = tmp_path / "o.ttl"
    assert run_cli("import-table", str(path), "--key", "state", "-o", str(out)).returncode == 0
    g = rdflib.Graph().parse(out)
    record = rdflib.URIRef(f"{KG}table/t/record/1")
    col = lambda name: rdflib.URIRef(f"{KG}table/t/column/{name}")  # noqa: E731
    XSD = rdflib.XSD
    assert g.value(record, col("count")) == rdflib.Literal(12, datatype=XSD.integer)
    assert g.value(record, col("share")).datatype == XSD.decimal
    assert g.value(record, col("day")).datatype == XSD.date
    assert g.value(record, col("code")) == rdflib.Literal("08")


@pytest.mark.parametrize("content, code, message", [
    ("state,n\nIllinois,1,extra\n", 1, "t.csv:2: 3 field(s), but the header has 2"),
    ("", 1, "the file is empty"),
    ("state,State\nIllinois,x\n", 1, "have the same name once written as an IRI"),
    ("state,\nIllinois,x\n", 1, "a column has no name"),
    ("name,n\nIllinois,1\n", 2, "no column 'state'; the columns are name, n"),
])
def test_malformed_tables_are_reported_with_their_line(tmp_path, content, code, message):
    path = _csv(tmp_path, content)
    result = run_cli("import-table", str(path), "--key", "state", "-o", str(tmp_path / "o.ttl"))
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert not (tmp_path / "o.ttl").exists()


def test_a_table_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("state\nM\xfcnchen\n".encode("latin-1"))
    result = run_cli("import-table", str(path), "--key", "state")
    assert result.returncode == 1
    assert "not UTF-8" in result.stderr


def test_a_missing_file_is_a_usage_error(tmp_path):
    result = run_cli("import-table", str(tmp_path / "nope.csv"), "--key", "state")
    assert result.returncode == 2
    assert "file not found" in result.stderr


def test_a_misspelt_state_name_gets_a_suggestion(tmp_path):
    table = tmp_path / "typo.csv"
    table.write_text("state,n\nNew Yrok,3\n", encoding="utf-8")
    result = run_cli("import-table", str(table), "--key", "state")
    assert result.returncode == 1
    assert "'New Yrok' is not the name of any state in the graph (did you mean 'New York'?)" in result.stderr
