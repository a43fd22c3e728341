"""The export formats are one table (sckg.export.registry): the CLI's choices, the -o file names, the
DCAT distributions of the VoID description, the server's /exports/VIEW and docs/exports.md all read it.

The endpoint is the real route handler in a Starlette app of its own (served in process by Starlette's
TestClient), over the project's graph from the one loader.
"""

from __future__ import annotations

import argparse

import networkx as nx
import rdflib
from _support import ROOT
from starlette.applications import Starlette
from starlette.testclient import TestClient

from sckg.export import VIEWS, default_path, registry
from sckg.export.filenames import resolve
from sckg.server import exports as server_exports
from sckg.void import describe

BASE = "http://127.0.0.1:9999"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def _cli_choices() -> tuple[list[str], list[str]]:
    """The --format and --aif-form choices of `sckg export`, from the parser the command line uses."""
    from sckg.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    export = sub.choices["export"]
    by_dest = {a.dest: a for a in export._actions}
    return list(by_dest["fmt"].choices), list(by_dest["aif_form"].choices)


def _catalog(kg) -> dict[str, str]:
    """download URL -> media type of every distribution of the VoID description a server gives."""
    g = describe(kg, BASE)
    return {str(g.value(d, DCAT.downloadURL)): str(g.value(d, DCAT.mediaType))
            for d in g.objects(None, DCAT.distribution) if g.value(d, DCAT.downloadURL) is not None}


def _client(kg) -> TestClient:
    return TestClient(Starlette(routes=server_exports.routes(kg)))


def test_every_format_in_the_table_is_a_cli_choice():
    formats, aif_forms = _cli_choices()
    assert formats == registry.names()
    assert aif_forms == registry.forms("aif")
    for row in registry.FORMATS:  # each row's own file name asks for it
        assert resolve(f"out/x{row.extension}", None, None) == row.key
        assert default_path("project", "arguments", *row.key).name == "arguments" + row.extension


def test_every_format_in_the_table_is_a_distribution_of_the_catalog(project_kg):
    catalog = _catalog(project_kg)
    for view in VIEWS:
        for row in registry.offered(view):
            assert catalog[f"{BASE}/exports/{view}{row.extension}"] == row.media_type
    # AIF is made from the arguments view only: no other view offers it.
    assert f"{BASE}/exports/actors.aif.json" not in catalog


def test_every_format_in_the_table_is_served_by_the_endpoint(project_kg):
    client = _client(project_kg)
    for row in registry.offered("arguments"):
        response = client.get(f"/exports/arguments{row.extension}")
        assert response.status_code == 200, (row.key, response.text)
        assert response.headers["content-type"].split(";")[0] == row.media_type
        assert response.content
    for media in server_exports.offered_media_types("arguments"):
        response = client.get("/exports/arguments", headers={"Accept": media})
        assert response.status_code == 200, media
        assert response.headers["content-type"].split(";")[0] == media


def test_the_endpoint_refuses_what_the_table_does_not_offer(project_kg):
    client = _client(project_kg)
    assert client.get("/exports/actors.aif.json").status_code == 404
    assert client.get("/exports/nosuchview.gexf").status_code == 404
    assert client.get("/exports/actors", headers={"Accept": "application/x-unknown"}).status_code == 406


def test_the_served_page_is_a_download_because_it_runs_inline_scripts(project_kg):
    response = _client(project_kg).get("/exports/arguments.html")
    assert response.headers["content-disposition"].startswith("attachment;")


def test_the_aif_rdf_row_takes_its_media_type_and_extension_from_pyoxigraph():
    import pyoxigraph as ox

    row = registry.get("aif", "rdf")
    assert row.media_type == ox.RdfFormat.TURTLE.media_type
    assert row.extension == ".aif." + ox.RdfFormat.TURTLE.file_extension


def test_docs_exports_md_shows_the_table():
    text = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    assert registry.refresh_docs(text) == text, "docs/exports.md's formats table is stale: run `sckg docs`"


def _edge_list(g: nx.MultiDiGraph, kg) -> bytes:
    return "".join(f"{u} {v}\n" for u, v in g.edges()).encode("utf-8")


def test_a_row_added_to_the_table_appears_everywhere(monkeypatch, project_kg, tmp_path):
    row = registry.ExportFormat("edgelist", (".edges",), "text/x-edge-list", "one 'source target' line per edge",
                                "a test's writer", _edge_list)
    monkeypatch.setattr(registry, "FORMATS", [*registry.FORMATS, row])

    formats, _ = _cli_choices()
    assert "edgelist" in formats
    assert resolve("out/map.edges", None, None) == ("edgelist", None)
    assert default_path(tmp_path, "actors", "edgelist").name == "actors.edges"
    assert "edgelist" in registry.format_help()
    assert "| `edgelist` | `.edges` | `text/x-edge-list` |" in registry.markdown_table()
    catalog = _catalog(project_kg)
    assert all(catalog[f"{BASE}/exports/{view}.edges"] == "text/x-edge-list" for view in VIEWS)
    response = _client(project_kg).get("/exports/actors", headers={"Accept": "text/x-edge-list"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-edge-list")
    from sckg.export.views import build_view

    assert response.content == _edge_list(build_view(project_kg, "actors"), project_kg)
