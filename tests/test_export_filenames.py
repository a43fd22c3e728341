"""The format an export is written in follows the -o file's extension when --format is not given, and a
file name that contradicts --format is refused (a first user got HTML in a file named .png)."""

from __future__ import annotations

import json
import shutil

import networkx as nx
import pytest
from _support import copy_project, run_cli

from sckg.errors import UsageError
from sckg.export.filenames import resolve


@pytest.mark.parametrize("name, expected", [
    ("map.png", ("png", None)),
    ("MAP.PNG", ("png", None)),
    ("map.svg", ("svg", None)),
    ("map.dot", ("dot", None)),
    ("map.gv", ("dot", None)),
    ("net.graphml", ("graphml", None)),
    ("net.gexf", ("gexf", None)),
    ("net.cyjs", ("cytoscape", None)),
    ("net.json", ("cytoscape", None)),
    ("page.html", ("html", None)),
    ("page.htm", ("html", None)),
    ("map.aif.json", ("aif", "json")),
    ("map.aif.ttl", ("aif", "rdf")),
    ("map.xaif.json", ("aif", "xaif")),
])
def test_the_extension_decides_the_format_when_none_is_given(name, expected):
    assert resolve(f"out/{name}", None, None) == expected


def test_without_a_file_or_a_format_the_page_is_written():
    assert resolve(None, None, None) == ("html", None)


@pytest.mark.parametrize("name, fmt, form, expected", [
    ("map.png", "png", None, ("png", None)),          # both given and agreeing
    ("map.json", "aif", None, ("aif", "json")),         # AIF JSON is JSON too
    ("map.aif.ttl", "aif", None, ("aif", "rdf")),       # the form from the name
    ("map.aif.ttl", "aif", "rdf", ("aif", "rdf")),
    ("map.json", "aif", "xaif", ("aif", "xaif")),       # xAIF is JSON too
    ("map.xml", "graphml", None, ("graphml", None)),  # an unknown extension with --format is the user's call
    ("map.ttl", "aif", "rdf", ("aif", "rdf")),
])
def test_an_extension_that_agrees_with_the_options_is_accepted(name, fmt, form, expected):
    assert resolve(name, fmt, form) == expected


@pytest.mark.parametrize("name, fmt, form, message", [
    ("x.png", "html", None, "ends in .png, which is --format png, but you asked for --format html"),
    ("x.html", "png", None, "ends in .html, which is --format html, but you asked for --format png"),
    ("x.json", "aif", "rdf",
     "ends in .json, which is --format cytoscape, but you asked for --format aif --aif-form rdf"),
    ("x.aif.json", "cytoscape", None, "ends in .aif.json, which is --format aif --aif-form json"),
    ("x.aif.json", None, "rdf", "asks for --format aif --aif-form json but --aif-form says rdf"),
    ("x.xaif.json", None, "json", "asks for --format aif --aif-form xaif but --aif-form says json"),
    ("x.aif.ttl", "aif", "json", "ends in .aif.ttl, which is --format aif --aif-form rdf"),
    ("x.png", None, "rdf", "--aif-form only applies to --format aif"),
])
def test_a_contradiction_between_name_and_options_is_refused(name, fmt, form, message):
    with pytest.raises(UsageError) as err:
        resolve(name, fmt, form)
    assert message in str(err.value)


@pytest.mark.parametrize("name", ["x.txt", "x", "x.pdf", ".png"])
def test_an_unknown_extension_without_format_lists_the_formats(name):
    with pytest.raises(UsageError) as err:
        resolve(name, None, None)
    text = str(err.value)
    assert "cannot tell the format" in text and "give --format" in text
    for ext in (".graphml", ".gexf", ".cyjs", ".json", ".dot", ".svg", ".png", ".html", ".aif.json", ".aif.ttl"):
        assert ext in text


# ---- through the command, as the user ran it ---------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed (apt-get install graphviz)")
def test_output_named_png_without_format_is_a_png(project, tmp_path):
    out = tmp_path / "x.png"
    done = run_cli("--root", str(project), "export", "arguments", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "png" in done.stdout


def test_output_named_graphml_without_format_is_graphml(project, tmp_path):
    out = tmp_path / "actors.graphml"
    done = run_cli("--root", str(project), "export", "actors", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert nx.read_graphml(out).number_of_nodes() > 10


def test_output_named_aif_ttl_without_format_is_aif_turtle(project, tmp_path):
    out = tmp_path / "map.aif.ttl"
    done = run_cli("--root", str(project), "export", "arguments", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "aif:I-node" in out.read_text(encoding="utf-8")


def test_output_named_json_with_format_aif_is_aif_json(project, tmp_path):
    out = tmp_path / "map.json"
    done = run_cli("--root", str(project), "export", "arguments", "--format", "aif", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert {"nodes", "edges", "locutions"} <= set(json.loads(out.read_text(encoding="utf-8")))


def test_format_contradicting_the_file_name_exits_2_and_writes_nothing(project, tmp_path):
    out = tmp_path / "x.png"
    done = run_cli("--root", str(project), "export", "arguments", "--format", "html", "-o", str(out))
    assert done.returncode == 2
    assert "ends in .png, which is --format png, but you asked for --format html" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_unknown_extension_without_format_exits_2_listing_the_formats(project, tmp_path):
    out = tmp_path / "x.txt"
    done = run_cli("--root", str(project), "export", "arguments", "-o", str(out))
    assert done.returncode == 2
    assert "cannot tell the format from the file name 'x.txt'" in done.stderr
    assert "graphml: .graphml" in done.stderr and "html: .html" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
