"""`sckg build`: the pipeline, its outputs, their stability, and that a failed build writes nothing."""

from __future__ import annotations

import json

import pytest
import rdflib
from _support import copy_project, replace_in, run_cli

STATEMENT = "data/statements/cap-2011-06-17/statement.ttl"
EXPECTED_FILES = {"sckg.ttl", "sckg.nt", "sckg.trig", "sckg.nq", "sckg.jsonld", "context.jsonld", "ontology.ttl"}
GRAPHS = ["ontology", "entities", "context", "links", "statement/cap-2011-06-17"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "dist"
    result = run_cli("build", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


def test_build_prints_a_summary_with_full_coverage_and_a_valid_result(built):
    _, result = built
    out = result.stdout
    assert "100% of sentences covered (26/26)" in out
    assert "valid: SHACL conforms" in out
    for graph in GRAPHS:
        assert f"graph/{graph}" in out
    assert "sckg:Stance" in out and "instances" in out
    assert out.strip().splitlines()[-1].startswith("OK: wrote")
    assert " s" in out.strip().splitlines()[-1]  # the time taken


def test_build_writes_every_output_format(built):
    out, _ = built
    assert {p.name for p in out.iterdir()} >= EXPECTED_FILES


def test_named_graph_dumps_hold_the_four_kinds_of_graph(built):
    out, _ = built
    ds = rdflib.Dataset()
    ds.parse(out / "sckg.trig", format="trig")
    names = {str(g.identifier) for g in ds.graphs()}
    for graph in GRAPHS:
        assert f"https://w3id.org/sckg/graph/{graph}" in names


def test_every_serialisation_holds_the_same_triples(built):
    out, _ = built
    nq = rdflib.Dataset()
    nq.parse(out / "sckg.nq", format="nquads")
    trig = rdflib.Dataset()
    trig.parse(out / "sckg.trig", format="trig")
    assert set(nq.quads()) == set(trig.quads())
    union = {(s, p, o) for s, p, o, _ in nq.quads()}
    for name, fmt in (("sckg.ttl", "turtle"), ("sckg.nt", "nt")):
        g = rdflib.Graph()
        g.parse(out / name, format=fmt)
        assert set(g) == union, name
    jsonld = rdflib.Dataset()
    jsonld.parse(out / "sckg.jsonld", format="json-ld")
    assert {(s, p, o) for s, p, o, _ in jsonld.quads()} == union


def test_jsonld_inlines_the_context_it_also_publishes(built):
    out, _ = built
    doc = json.loads((out / "sckg.jsonld").read_text(encoding="utf-8"))
    context = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == context["@context"]
    assert context["@context"]["sckg"] == "https://w3id.org/sckg/ontology#"


def test_jsonld_loads_in_pyoxigraph_with_the_same_quads_as_the_nquads(built):
    import pyoxigraph as ox

    out, _ = built
    from_jsonld = set(ox.parse(path=out / "sckg.jsonld", format=ox.RdfFormat.JSON_LD))
    from_nquads = set(ox.parse(path=out / "sckg.nq", format=ox.RdfFormat.N_QUADS))
    assert from_jsonld == from_nquads


def test_same_input_gives_byte_identical_files_across_hash_seeds(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_cli("build", "-q", "-o", str(first), env={"PYTHONHASHSEED": "1"}).returncode == 0
    assert run_cli("build", "-q", "-o", str(second), env={"PYTHONHASHSEED": "4242"}).returncode == 0
    for name in EXPECTED_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_source_checksum_is_recorded_in_the_graph(built):
    out, _ = built
    g = rdflib.Graph()
    g.parse(out / "sckg.nt", format="nt")
    sha = g.value(rdflib.URIRef("https://w3id.org/sckg/id/cap-2011-06-17"),
                  rdflib.URIRef("https://w3id.org/sckg/ontology#sha256"))
    assert str(sha) == "34367c4d505cbbd7939e1df5fdd1a600d51c31206a925b9b704b3e09ee6a83f3"


def test_failed_build_leaves_the_previous_dist_untouched(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli("--root", str(project), "build", "-q").returncode == 0
    dist = project / "dist"
    before = {p.relative_to(dist): p.read_bytes() for p in dist.rglob("*") if p.is_file()}  # dist/store/ too
    # Break a claim so that SHACL fails: a claim without a voice.
    replace_in(project / STATEMENT,
               "    sckg:voice sckg:voiceAsserted ; prov:wasAttributedTo kg:cap ;\n    sckg:quote \"All law",
               "    prov:wasAttributedTo kg:cap ;\n    sckg:quote \"All law")
    result = run_cli("--root", str(project), "build")
    assert result.returncode == 1
    assert "must-prioritize" in result.stdout and "sckg:voice" in result.stdout
    assert "nothing was written" in result.stderr
    assert {p.relative_to(dist): p.read_bytes() for p in dist.rglob("*") if p.is_file()} == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".dist")] == []


def test_build_with_a_syntax_error_writes_nothing(tmp_path):
    project = copy_project(tmp_path / "project")
    replace_in(project / STATEMENT, "st:press-contact a sckg:PressContact ;",
               "st:press-contact a sckg:PressContact ; rdfs:label \"unterminated ;")
    result = run_cli("--root", str(project), "build")
    assert result.returncode == 1
    assert not (project / "dist").exists()


def test_outputs_get_ordinary_permissions_not_private_temp_ones(built):
    import os
    import stat

    out, _ = built
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask
    for f in out.rglob("*"):  # dist/store/ (Oxigraph's files) included
        wanted = 0o777 & ~umask if f.is_dir() else 0o666 & ~umask
        assert stat.S_IMODE(f.stat().st_mode) == wanted, f.name


def test_build_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    mine = tmp_path / "mydocs"
    mine.mkdir()
    (mine / "thesis.txt").write_text("precious", encoding="utf-8")
    result = run_cli("build", "-q", "-o", str(mine))
    assert result.returncode == 2
    assert "refusing to replace" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in mine.iterdir()] == ["thesis.txt"]


def test_build_refuses_to_replace_a_file(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("a,b\n", encoding="utf-8")
    result = run_cli("build", "-q", "-o", str(target))
    assert result.returncode == 2
    assert "is not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "a,b\n"


def test_rebuilding_replaces_its_own_output_and_keeps_exports_of_the_same_graph(tmp_path):
    out = tmp_path / "dist"
    assert run_cli("build", "-q", "-o", str(out)).returncode == 0
    assert run_cli("export", "arguments", "-o", str(out / "exports" / "arguments.html")).returncode == 0
    exported = (out / "exports" / "arguments.html").read_bytes()
    (out / "stale.txt").write_text("from an older build", encoding="utf-8")
    (out / "exports" / "by-hand.txt").write_text("not an export sckg made", encoding="utf-8")
    rebuilt = run_cli("build", "-q", "-o", str(out))
    assert rebuilt.returncode == 0
    assert (out / "exports" / "arguments.html").read_bytes() == exported  # drawn from the same graph
    assert not (out / "stale.txt").exists() and not (out / "exports" / "by-hand.txt").exists()
    assert "exports/by-hand.txt" in rebuilt.stdout


def test_an_output_path_that_cannot_be_written_is_named_without_a_traceback(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = run_cli("build", "-q", "-o", str(blocker / "dist"))  # a folder inside a file
    assert result.returncode == 2
    assert f"cannot write {blocker / 'dist'}" in result.stderr
    assert "Traceback" not in result.stderr
    docs = run_cli("docs", "-o", str(blocker / "ontology.md"))
    assert docs.returncode == 2 and "cannot write" in docs.stderr and "Traceback" not in docs.stderr
