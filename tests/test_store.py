"""dist/store: the on-disk Oxigraph store `sckg build` writes, and the commands that open it read-only
when it is current (and load fresh, saying why, when it is not)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from _support import built_project, copy_project, replace_in, run_cli

from sckg.library import list_queries
from sckg.loader import load
from sckg.querying import QuerySource, bind_params, run as run_query
from sckg.store import RECORD_FILE, STORE_DIR, StoredGraph, open_graph, why_not_current

ENTITIES = "data/entities/actors.ttl"
# A label the source file gives (data/entities/actors.ttl), and the edit the stale tests make to it.
LABEL = '"US Immigration and Customs Enforcement"@en'
EDITED = '"US Immigration and Customs Enforcement (edited)"@en'
LABEL_QUERY = "SELECT ?l WHERE { kg:ice rdfs:label ?l }"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_project(tmp_path_factory.mktemp("store") / "project")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_a_store_and_a_record_of_its_inputs(built):
    dist = built / "dist"
    assert (dist / STORE_DIR).is_dir()
    record = json.loads((dist / RECORD_FILE).read_text(encoding="utf-8"))
    assert ENTITIES in record["files"] and "ontology/sckg.ttl" in record["files"]
    assert why_not_current(built) is None


def test_a_current_store_is_opened_read_only_and_holds_the_built_graph(built):
    kg = open_graph(built)
    assert isinstance(kg, StoredGraph)
    fresh = load(built)
    assert len(kg) == len(fresh)
    assert kg.triples_per_graph() == fresh.triples_per_graph()


def test_query_uses_a_current_store_without_a_note(built):
    result = run_cli("--root", str(built), "query", "-e", LABEL_QUERY)
    assert result.returncode == 0, result.stderr
    assert "not using the built store" not in result.stderr
    assert "US Immigration and Customs Enforcement" in result.stdout


def test_every_library_question_answers_the_same_from_the_store_as_from_a_fresh_load(built):
    stored, fresh = open_graph(built), load(built)
    assert isinstance(stored, StoredGraph)
    questions = list_queries(built)
    assert questions
    for q in questions:
        bindings = bind_params(QuerySource(q.text, f"query {q.name}", q.params), {})
        a = run_query(stored, q.text, "oxigraph", q.name, bindings)
        b = run_query(fresh, q.text, "oxigraph", q.name, bindings)
        assert (a.form, a.variables, a.boolean) == (b.form, b.variables, b.boolean), q.name
        assert Counter(a.rows) == Counter(b.rows) and Counter(a.triples) == Counter(b.triples), q.name


def test_the_loaders_by_products_are_there_on_a_stored_graph_too(built):
    kg = open_graph(built)
    assert isinstance(kg, StoredGraph)
    assert [g.statement_id for g in kg.groundings] == [g.statement_id for g in load(built).groundings]


def test_an_edited_input_makes_the_store_stale_and_the_answer_comes_from_the_files(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli("--root", str(project), "build", "-q").returncode == 0
    replace_in(project / ENTITIES, LABEL, EDITED)
    assert "is older than" in why_not_current(project)
    result = run_cli("--root", str(project), "query", "-e", LABEL_QUERY)
    assert result.returncode == 0, result.stderr
    assert "not using the built store" in result.stderr and "actors.ttl; run sckg build" in result.stderr
    assert len([line for line in result.stderr.splitlines() if "store" in line]) == 1
    assert "(edited)" in result.stdout  # the edit is in the answer: the files were loaded, not the store


def test_a_new_input_file_and_a_removed_one_make_the_store_stale(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli("--root", str(project), "build", "-q").returncode == 0
    extra = project / "data" / "entities" / "more.ttl"
    extra.write_text("", encoding="utf-8")
    assert "(a new file)" in why_not_current(project)
    extra.unlink()
    assert why_not_current(project) is None
    (project / "data" / "context" / "sources.ttl").unlink()
    assert "which is gone" in why_not_current(project)


def test_a_touched_file_with_the_same_bytes_keeps_the_store_current(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli("--root", str(project), "build", "-q").returncode == 0
    path = project / ENTITIES
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert why_not_current(project) is None


def test_a_store_of_another_sckg_version_is_stale(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli("--root", str(project), "build", "-q").returncode == 0
    record_path = project / "dist" / RECORD_FILE
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["sckg"] = "0.0.0-older"
    record_path.write_text(json.dumps(record), encoding="utf-8")
    assert "built by sckg 0.0.0-older" in why_not_current(project)
    with open(os.devnull, "w") as devnull:
        assert not isinstance(open_graph(project, stream=devnull), StoredGraph)


def test_a_project_never_built_loads_fresh_in_silence(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    kg = open_graph(project)
    assert not isinstance(kg, StoredGraph) and len(kg) > 0
    assert capsys.readouterr().err == ""


def test_a_failed_build_leaves_the_old_store_untouched(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli("--root", str(project), "build", "-q").returncode == 0
    before = _tree(project / "dist")
    assert any(name.startswith(f"{STORE_DIR}/") for name in before)
    # A claim without its voice fails the SHACL gate.
    replace_in(project / "data/statements/cap-2011-06-17/statement.ttl",
               "    sckg:voice sckg:voiceAsserted ; prov:wasAttributedTo kg:cap ;\n    sckg:quote \"All law",
               "    prov:wasAttributedTo kg:cap ;\n    sckg:quote \"All law")
    assert run_cli("--root", str(project), "build", "-q").returncode == 1
    assert _tree(project / "dist") == before
    # ... and the old store is now stale: the statement it was built from has changed.
    assert "statement.ttl" in why_not_current(project)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(c) for c in children]
    return found


def _open_tables(pid: int) -> list[str]:
    names = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            names.append(os.readlink(fd))
        except OSError:
            pass
    return [n for n in names if n.endswith(".sst")]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads worker descriptors from /proc")
def test_server_workers_open_one_copy_of_the_built_store_read_only(built):
    from test_server import COUNT_ALL, Server

    srv = Server(built, "--workers", "2")
    try:
        srv.wait_for_workers(idle=2)
        response = srv.client.get("/sparql", params={"query": COUNT_ALL}, headers={"Accept": "text/csv"})
        assert response.status_code == 200
        assert response.text.split()[1] == str(len(load(built)))
        workers = [pid for pid in _children(srv.process.pid) if _open_tables(pid)]
        assert len(workers) == 2
        tables = [set(_open_tables(pid)) for pid in workers]
        assert tables[0] == tables[1]  # both read the same files: one store, not a copy each
        assert all(f"{os.sep}store{os.sep}" in name for name in tables[0])
    finally:
        srv.stop()
