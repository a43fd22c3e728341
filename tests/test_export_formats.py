"""Export files read back: GraphML and GEXF with networkx, Cytoscape JSON, the page's embedded data,
and the command's errors and file handling."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from _support import ROOT, STATEMENT_DIR, copy_project, replace_in, run_cli

import sckg
from sckg.export import formats
from sckg.export.html import page, script_safe_json
from sckg.export.views import VIEWS, build_view

# Attributes the GEXF writer turns into GEXF's own fields or adds: the edge id and the multigraph key.
GEXF_EDGE_BOOKKEEPING = {"id", "networkx_key"}


@pytest.fixture(scope="module")
def kg():
    return sckg.load()


@pytest.fixture(scope="module", params=VIEWS)
def view_graph(request, kg):
    return build_view(kg, request.param)


def edge_multiset(g, drop=frozenset()):
    return Counter((u, v, tuple(sorted((k, val) for k, val in d.items() if k not in drop)))
                   for u, v, d in g.edges(data=True))


def test_graphml_reads_back_with_the_same_nodes_edges_and_attributes(view_graph):
    back = nx.read_graphml(io.BytesIO(formats.graphml(view_graph)), force_multigraph=True)
    assert back.number_of_nodes() == view_graph.number_of_nodes()
    assert back.number_of_edges() == view_graph.number_of_edges()
    assert dict(back.nodes(data=True)) == dict(view_graph.nodes(data=True))
    assert edge_multiset(back) == edge_multiset(view_graph)
    assert sorted(back.edges(keys=True)) == sorted(view_graph.edges(keys=True))


def test_graphml_key_ids_are_unique(kg):
    # GraphML requires unique key ids even when a node and an edge attribute share a name ("quote").
    root = ET.fromstring(formats.graphml(build_view(kg, "arguments")))
    ids = [k.get("id") for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")]
    assert len(ids) == len(set(ids)) > 10


def test_gexf_reads_back_with_the_same_nodes_edges_and_attributes(view_graph):
    back = nx.read_gexf(io.BytesIO(formats.gexf(view_graph)))
    assert back.number_of_nodes() == view_graph.number_of_nodes()
    assert back.number_of_edges() == view_graph.number_of_edges()
    viz = {n: d.pop("viz") for n, d in back.nodes(data=True)}
    assert dict(back.nodes(data=True)) == dict(view_graph.nodes(data=True))
    assert edge_multiset(back, GEXF_EDGE_BOOKKEEPING) == edge_multiset(view_graph)
    # Gephi opens it coloured by group: CAP is an organization
    if "https://w3id.org/sckg/id/cap" in viz:
        assert viz["https://w3id.org/sckg/id/cap"]["color"] == {"r": 0x80, "g": 0xb1, "b": 0xd3, "a": 1.0}


def test_gexf_names_the_view_where_the_gexf_schema_allows_it(kg):
    # The GEXF 1.2 XSD has no name attribute on <graph>; <meta><description> is the schema's place.
    root = ET.fromstring(formats.gexf(build_view(kg, "arguments")))
    core = "{http://www.gexf.net/1.2draft}"
    assert "name" not in root.find(core + "graph").attrib
    assert root.find(f"{core}meta/{core}description").text == "sckg: the arguments view"


def test_gexf_has_no_time_intervals(kg):
    # GEXF reads edge attributes named start/end as time: the quote offsets must not be taken for them.
    text = formats.gexf(build_view(kg, "arguments")).decode("utf-8")
    assert 'mode="static"' in text and "start=" not in text


def test_cytoscape_json_has_every_node_and_edge_with_unique_edge_ids(view_graph):
    data = json.loads(formats.cytoscape(view_graph))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert {n["data"]["id"] for n in nodes} == set(view_graph.nodes)
    assert len(edges) == view_graph.number_of_edges()
    assert len({e["data"]["id"] for e in edges}) == len(edges)
    back = nx.cytoscape_graph(data, name="label", ident="id")
    assert back.number_of_edges() == view_graph.number_of_edges()


def test_page_embeds_data_that_cannot_close_its_script_element():
    g = nx.MultiDiGraph(name="arguments")
    hostile = '</script><script>alert("x")</script><!-- & \u2028'
    g.add_node("https://example.org/a", iri="https://example.org/a", label=hostile, type="sckg:Claim",
               group="claim")
    html = page(g).decode("utf-8")
    assert "</script><script>alert" not in html
    embedded = re.search(r'<script type="application/json" id="sckg-data">(.*?)</script>', html, re.S).group(1)
    assert json.loads(embedded)["graph"]["elements"]["nodes"][0]["data"]["label"] == hostile


def test_script_safe_json_round_trips():
    value = {"q": "a</script>b<!--c-->&d\u2028e"}
    text = script_safe_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_page_is_self_contained(kg):
    html = page(build_view(kg, "actors")).decode("utf-8")
    assert not re.search(r'<script[^>]+src=|<link[^>]+href=|https?://[^"\s]*\.(js|css)\b', html)
    assert "cytoscape" in html and "window.sckgGraph" in html


def test_vendored_library_has_no_closing_script_tag():
    library = (ROOT / "src/sckg/export/assets/cytoscape.min.js").read_text(encoding="utf-8")
    assert "</script" not in library.lower()
    assert (ROOT / "src/sckg/export/assets/cytoscape.LICENSE").is_file()


# ---- the command ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("project"))


def test_export_writes_the_default_file_under_dist_exports(project):
    done = run_cli("--root", str(project), "export", "actors", "--format", "graphml")
    assert done.returncode == 0, done.stderr
    out = project / "dist" / "exports" / "actors.graphml"
    assert out.is_file() and "wrote" in done.stdout
    assert nx.read_graphml(out).number_of_nodes() > 10
    # no temporary file left (the record of which graph each export shows is not one: docs/exports.md)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".") and p.name != ".sckg-exports.json"]


def test_export_writes_to_the_named_file(project, tmp_path):
    out = tmp_path / "sub" / "map.cyjs"
    done = run_cli("--root", str(project), "export", "arguments", "--format", "cytoscape", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["elements"]["nodes"]


@pytest.mark.parametrize("args, message", [
    (["export", "everything"], "invalid choice: 'everything' (choose from 'full', 'actors', 'arguments', 'program')"),
    (["export", "actors", "--format", "pdf"], "invalid choice: 'pdf'"),
    (["export", "actors", "--format", "aif"], "AIF is made from the arguments view only"),
    (["export", "arguments", "--format", "html", "--aif-form", "rdf"], "--aif-form only applies to --format aif"),
])
def test_usage_errors_exit_2_with_a_message_naming_the_fix(project, args, message):
    done = run_cli("--root", str(project), *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_output_that_is_a_folder_is_refused(project, tmp_path):
    done = run_cli("--root", str(project), "export", "actors", "-o", str(tmp_path))
    assert done.returncode == 2
    assert "is a folder; give a file name" in done.stderr and "actors.html" in done.stderr


def test_unwritable_output_is_a_usage_error(project, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = run_cli("--root", str(project), "export", "actors", "-o", str(blocker / "x.html"))
    assert done.returncode == 2
    assert "cannot write" in done.stderr and "Traceback" not in done.stderr


def test_missing_graphviz_is_a_clear_error_and_leaves_the_old_file(project, tmp_path):
    out = tmp_path / "map.svg"
    out.write_text("previous drawing")
    done = run_cli("--root", str(project), "export", "arguments", "--format", "svg", "-o", str(out),
                   env={"PATH": str(tmp_path / "empty-bin")})
    assert done.returncode == 2
    assert "apt-get install graphviz" in done.stderr
    assert out.read_text() == "previous drawing"


def test_invalid_data_exits_1_and_writes_nothing(tmp_path):
    project = copy_project(tmp_path / "broken")
    statement = project / "data" / "statements" / "cap-2011-06-17" / "statement.ttl"
    statement.write_text(statement.read_text(encoding="utf-8") + "\nst:oops a sckg:Claim ;\n", encoding="utf-8")
    done = run_cli("--root", str(project), "export", "actors", "--format", "graphml")
    assert done.returncode == 1
    assert not (project / "dist").exists()


def test_data_that_fails_validation_is_not_exported(tmp_path):
    project = copy_project(tmp_path / "invalid")
    # A claim without a voice breaks a SHACL shape (the file still parses and every quote still anchors).
    replace_in(project / STATEMENT_DIR.relative_to(ROOT) / "statement.ttl",
               "    sckg:voice sckg:voiceAsserted ; prov:wasAttributedTo kg:cap ;\n    sckg:quote \"All law",
               "    prov:wasAttributedTo kg:cap ;\n    sckg:quote \"All law")
    out = tmp_path / "actors.graphml"
    done = run_cli("--root", str(project), "export", "actors", "--format", "graphml", "-o", str(out))
    assert done.returncode == 1
    assert "validation failed" in done.stderr and "must-prioritize" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_cytoscape_json_keeps_the_graph_name_as_an_object(view_graph):
    data = json.loads(formats.cytoscape(view_graph))
    assert isinstance(data["data"], dict) and data["data"]["name"] == view_graph.graph["name"]


NODE = shutil.which("node")
CYTOSCAPE_JS = Path(formats.__file__).parent / "assets" / "cytoscape.min.js"
CY_LOADER = """
const cytoscape = require(process.argv[1]);
const doc = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const cy = cytoscape({ headless: true });
cy.json(doc);
console.log(JSON.stringify({name: cy.data('name'), nodes: cy.nodes().length, edges: cy.edges().length}));
"""


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_cytoscape_js_itself_loads_the_json_with_name_nodes_and_edges(view_graph, tmp_path):
    path = tmp_path / "view.cyjs"
    path.write_bytes(formats.cytoscape(view_graph))
    result = subprocess.run([NODE, "-e", CY_LOADER, str(CYTOSCAPE_JS), str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"name": view_graph.graph["name"],
                                         "nodes": view_graph.number_of_nodes(),
                                         "edges": view_graph.number_of_edges()}
