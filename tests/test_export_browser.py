"""The interactive page opened in headless Chromium from file://: it draws every node, logs no error,
is not blank, and its search box and side panel work. Skipped when Chromium or Playwright is absent."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

import sckg
from sckg.export.html import page
from sckg.export.views import build_view

pytestmark = pytest.mark.browser  # the `browser` fixture (conftest.py) skips without Chromium/Playwright

# Counts the distinct colours of a sample of the screenshot's pixels, in the page itself (no image
# library needed in Python).
COUNT_COLOURS = """async (src) => {
  const img = new Image(); img.src = src; await img.decode();
  const c = document.createElement("canvas"); c.width = img.width; c.height = img.height;
  const ctx = c.getContext("2d"); ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, c.width, c.height).data;
  const seen = new Set(); let ink = 0;
  for (let i = 0; i < px.length; i += 4 * 7) {
    seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    if (px[i] + px[i + 1] + px[i + 2] < 600) ink++;
  }
  return {colours: seen.size, ink: ink};
}"""


@pytest.fixture(scope="module")
def kg():
    return sckg.load()


def open_page(browser, kg, view, tmp_path: Path):
    g = build_view(kg, view)
    file = tmp_path / f"{view}.html"
    file.write_bytes(page(g))
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(file.as_uri())
    tab.wait_for_function("window.sckgGraph !== undefined && document.body.dataset.nodeCount !== undefined")
    return g, tab, errors, requests


@pytest.mark.parametrize("view", ["arguments", "actors", "program"])
def test_page_draws_every_node_without_errors_and_is_not_blank(browser, kg, view, tmp_path):
    g, tab, errors, requests = open_page(browser, kg, view, tmp_path)
    assert tab.evaluate("window.sckgGraph.nodes().length") == g.number_of_nodes()
    assert tab.evaluate("window.sckgGraph.edges().length") == g.number_of_edges()
    assert tab.get_attribute("body", "data-node-count") == str(g.number_of_nodes())
    # every node was laid out inside the drawing, not left at the origin
    assert tab.evaluate("window.sckgGraph.nodes().filter(n => n.position('x') === 0 && n.position('y') === 0).length") <= 1
    shot = tab.locator("#cy").screenshot()
    stats = tab.evaluate(COUNT_COLOURS, "data:image/png;base64," + base64.b64encode(shot).decode())
    assert stats["colours"] > 20 and stats["ink"] > 500, stats
    assert errors == []
    assert all(url.startswith(("file:", "data:", "blob:", "about:")) for url in requests), requests
    tab.close()


def test_legend_lists_the_groups_of_the_view(browser, kg, tmp_path):
    g, tab, errors, _ = open_page(browser, kg, "actors", tmp_path)
    legend = tab.inner_text("#legend")
    for group in {d["group"] for _, d in g.nodes(data=True)}:
        assert group in legend
    tab.close()


def test_search_highlights_the_matching_nodes(browser, kg, tmp_path):
    g, tab, errors, _ = open_page(browser, kg, "actors", tmp_path)
    tab.fill("#search", "illinois")
    assert tab.inner_text("#search-status") == "1 match"
    assert tab.evaluate("window.sckgGraph.nodes('.match').map(n => n.data('label'))") == ["Illinois"]
    tab.fill("#search", "")
    assert tab.evaluate("window.sckgGraph.nodes('.match').length") == 0
    assert errors == []
    tab.close()


def test_clicking_a_node_shows_its_label_type_and_quote(browser, kg, tmp_path):
    g, tab, errors, _ = open_page(browser, kg, "arguments", tmp_path)
    iri = "https://w3id.org/sckg/id/cap-2011-06-17/traffic-offense-evidence"
    # The function returns nothing: handing a Cytoscape collection back to Python is very slow.
    tab.evaluate("(iri) => { window.sckgGraph.getElementById(iri).emit('tap'); }", iri)
    panel = tab.inner_text("#details")
    assert "sckg:Evidence" in panel
    assert "a majority of individuals identified through the program have only been charged with " \
           "traffic-related offenses" in panel
    assert "sentence" in panel and "12" in panel
    tab.close()


def test_clicking_an_edge_shows_its_polarity_and_quote(browser, kg, tmp_path):
    g, tab, errors, _ = open_page(browser, kg, "program", tmp_path)
    edge_id = tab.evaluate("""() => window.sckgGraph.edges().filter(e =>
        e.data('polarity') === 'criticises' && e.target().data('label').startsWith('important decisions'))[0].id()""")
    tab.evaluate("(id) => { window.sckgGraph.getElementById(id).emit('tap'); }", edge_id)
    panel = tab.inner_text("#details")
    assert "criticises" in panel and "sckg:Stance" in panel
    assert "some of the most important decisions were delayed pending review by an advisory committee" in panel
    assert errors == []
    tab.close()
