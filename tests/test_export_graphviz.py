"""DOT accepted by Graphviz; SVG well-formed; PNG a real image. Skipped when Graphviz is absent."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

import sckg
from sckg.errors import UsageError
from sckg.export import dot, formats
from sckg.export.views import VIEWS, build_view

pytestmark = [
    pytest.mark.graphviz,
    pytest.mark.skipif(shutil.which("dot") is None,
                       reason="Graphviz's dot command is not installed (apt-get install graphviz)"),
]


@pytest.fixture(scope="module")
def kg():
    return sckg.load()


@pytest.mark.parametrize("view", VIEWS)
def test_dot_is_accepted_by_graphviz(kg, view):
    source = formats.dot_source(build_view(kg, view))
    done = subprocess.run(["dot", "-Tcanon"], input=source, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert not done.stderr.strip(), done.stderr.decode()  # no warnings either


@pytest.mark.parametrize("view", ["arguments", "actors", "program"])
def test_svg_is_well_formed_xml_with_one_shape_per_node_and_a_legend(kg, view):
    g = build_view(kg, view)
    root = ET.fromstring(formats.svg(g))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    svg = "{http://www.w3.org/2000/svg}"
    titles = [e.find(svg + "title").text for e in root.iter(svg + "g") if e.get("class") == "node"]
    assert "legend" in titles  # the colour key is a node of its own
    assert len([t for t in titles if t != "legend"]) == g.number_of_nodes()


def test_png_is_a_png(kg):
    data = formats.png(build_view(kg, "actors"))
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_labels_with_quotes_and_backslashes_are_escaped():
    assert dot.quote('say "no" \\ now\nthen') == '"say \\"no\\" \\\\ now\\nthen"'


def test_graphviz_failure_is_reported_as_a_usage_error():
    with pytest.raises(UsageError, match="Graphviz failed to render SVG"):
        dot.render("digraph { this is not dot", "svg")
