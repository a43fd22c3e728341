"""The interactive page opened in headless Chromium from file://: it draws every node, logs no error or
warning, is not blank, opens at a size a person can read, and its legend, search box and side panel work.
Skipped when Chromium or Playwright is absent."""

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
    tab.set_default_timeout(120_000)  # Playwright's 30 s default is short for a loaded CI machine
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(file.as_uri())
    tab.wait_for_function("document.body.dataset.ready === 'true'")  # laid out and the first view set
    return g, tab, errors, requests


@pytest.mark.parametrize("view", ["arguments", "actors", "program"])
def test_page_draws_every_node_without_errors_and_is_not_blank(browser, kg, view, tmp_path):
    g, tab, errors, requests = open_page(browser, kg, view, tmp_path)
    assert tab.evaluate("window.sckgGraph.nodes().length") == g.number_of_nodes()
    assert tab.evaluate("window.sckgGraph.edges().length") == g.number_of_edges()
    assert tab.get_attribute("body", "data-node-count") == str(g.number_of_nodes())
    # every node was laid out inside the drawing, not left at the origin
    at_origin = "window.sckgGraph.nodes().filter(n => n.position('x') === 0 && n.position('y') === 0).length"
    assert tab.evaluate(at_origin) <= 1
    shot = tab.locator("#cy").screenshot()
    stats = tab.evaluate(COUNT_COLOURS, "data:image/png;base64," + base64.b64encode(shot).decode())
    assert stats["colours"] > 20 and stats["ink"] > 500, stats
    assert errors == []
    assert all(url.startswith(("file:", "data:", "blob:", "about:")) for url in requests), requests
    tab.close()


def test_legend_lists_the_groups_of_the_view(browser, kg, tmp_path):
    g, tab, _errors, _ = open_page(browser, kg, "actors", tmp_path)
    legend = tab.inner_text("#legend")
    for group in {d["group"] for _, d in g.nodes(data=True)}:
        assert group in legend
    tab.close()


def test_search_highlights_the_matching_nodes(browser, kg, tmp_path):
    _g, tab, errors, _ = open_page(browser, kg, "actors", tmp_path)
    tab.fill("#search", "illinois")
    assert tab.inner_text("#search-status") == "1 match"
    assert tab.evaluate("window.sckgGraph.nodes('.match').map(n => n.data('label'))") == ["Illinois"]
    tab.fill("#search", "")
    assert tab.evaluate("window.sckgGraph.nodes('.match').length") == 0
    assert errors == []
    tab.close()


def test_clicking_a_node_shows_its_label_type_and_quote(browser, kg, tmp_path):
    _g, tab, _errors, _ = open_page(browser, kg, "arguments", tmp_path)
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
    _g, tab, errors, _ = open_page(browser, kg, "program", tmp_path)
    edge_id = tab.evaluate("""() => window.sckgGraph.edges().filter(e =>
        e.data('polarity') === 'criticises' && e.target().data('label').startsWith('referral of decisions'))[0].id()""")
    tab.evaluate("(id) => { window.sckgGraph.getElementById(id).emit('tap'); }", edge_id)
    panel = tab.inner_text("#details")
    assert "criticises" in panel and "sckg:Stance" in panel
    assert "some of the most important decisions were delayed pending review by an advisory committee" in panel
    assert errors == []
    tab.close()


# ---- legibility, legend, edge details, search (from a first user's report) ------------------------------

# The size a label is drawn at on screen, in CSS pixels: its font size times the zoom.
SCREEN_FONT = """(sel) => { const cy = window.sckgGraph; const e = cy.$(sel)[0];
  return parseFloat(e.style('font-size')) * cy.zoom(); }"""


@pytest.mark.parametrize("view", ["arguments", "actors", "program"])
def test_page_opens_with_labels_large_enough_to_read(browser, kg, view, tmp_path):
    _g, tab, errors, _ = open_page(browser, kg, view, tmp_path)
    assert tab.evaluate(SCREEN_FONT, "node") >= 12
    assert tab.evaluate(SCREEN_FONT, "edge") >= 10
    # ... and the view shows nodes, not an empty corner: some node's label box lies wholly on screen.
    on_screen = tab.evaluate("""() => { const cy = window.sckgGraph, w = cy.width(), h = cy.height();
        return cy.nodes().filter(n => { const b = n.renderedBoundingBox();
          return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= w && b.y2 <= h; }).length; }""")
    assert on_screen >= 5
    assert errors == []
    tab.close()


OVERLAPS = """(which) => { const cy = window.sckgGraph;
    const nodes = which === 'unlinked' ? cy.nodes().filter(n => n.degree(false) === 0) : cy.nodes();
    const bbs = nodes.map(n => n.boundingBox({includeLabels: true}));
    let hits = 0;
    for (let i = 0; i < bbs.length; i++) for (let j = i + 1; j < bbs.length; j++) {
      const a = bbs[i], b = bbs[j];
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) hits++; }
    return [bbs.length, hits]; }"""


def test_unlinked_nodes_do_not_overlap(browser, kg, tmp_path):
    # The statement's heading facts and the groups only mentioned are linked to nothing: a grid of them
    # used to overlap its own labels.
    g, tab, _errors, _ = open_page(browser, kg, "arguments", tmp_path)
    # Exactly the view's nodes with no edge (CAP's 9 scene-setting reports, and any a new statement
    # adds), enough of them to form a grid whose labels could collide.
    unlinked = [n for n in g.nodes if g.degree(n) == 0]
    count, hits = tab.evaluate(OVERLAPS, "unlinked")
    assert len(unlinked) > 5 and count == len(unlinked) and hits == 0
    tab.close()


@pytest.mark.parametrize("view", ["arguments", "actors", "program"])
def test_no_label_hides_another(browser, kg, view, tmp_path):
    g, tab, _errors, _ = open_page(browser, kg, view, tmp_path)
    count, hits = tab.evaluate(OVERLAPS, "all")
    assert count == g.number_of_nodes() and hits == 0
    tab.close()


def test_page_logs_no_wheel_sensitivity_warning(browser, kg, tmp_path):
    _g, tab, errors, _ = open_page(browser, kg, "actors", tmp_path)
    assert not [e for e in errors if "wheel sensitivity" in e]
    tab.close()


def test_legend_lists_only_the_edge_kinds_the_view_has(browser, kg, tmp_path):
    # The actors view has no causal link and no argument: the statement's causes and supports are claims.
    _, tab, _, _ = open_page(browser, kg, "actors", tmp_path)
    legend = tab.inner_text("#legend")
    assert "causes" not in legend and "supports / infers" not in legend and "attacks" not in legend
    assert "stance: opposes" in legend  # the opting-out states oppose taking part in the program
    tab.close()
    _, tab, _, _ = open_page(browser, kg, "arguments", tmp_path)
    legend = tab.inner_text("#legend")
    assert "causes" in legend and "attacks" in legend and "supports / infers" in legend
    tab.close()


def test_clicking_an_attack_shows_what_the_relation_says_and_the_premise_quote(browser, kg, tmp_path):
    _g, tab, errors, _ = open_page(browser, kg, "arguments", tmp_path)
    # Sentence 11's "But": the attack whose premise is the failed focus (statement.ttl, failure-attacks-rationale).
    edge_id = tab.evaluate("() => window.sckgGraph.edges(\"[label = 'attacks']\")"
                           ".filter((e) => e.source().id().endsWith('/failed-focus'))[0].id()")
    tab.evaluate("(id) => { window.sckgGraph.getElementById(id).emit('tap'); }", edge_id)
    panel = tab.inner_text("#details")
    # the attack's own rdfs:label
    assert "relation" in panel and "contradicts the claim that it does what its stated rationale says" in panel
    # The attack has no wording of its own; the premise's sentence is the text it rests on.
    assert "premise's quote" in panel
    assert "has failed to train a clear focus on serious criminals" in panel
    assert "no quote of its own" not in panel
    assert errors == []
    tab.close()


def test_search_brings_the_match_into_view(browser, kg, tmp_path):
    # The report that the Obama administration adopted the program supports nothing and is supported by
    # nothing (statement.ttl), so it sits in the grid of unlinked claims, out of the opening view.
    _g, tab, errors, _ = open_page(browser, kg, "arguments", tmp_path)
    tab.fill("#search", "adopted-by-administration")
    assert tab.inner_text("#search-status") == "1 match"
    box = tab.evaluate("""() => { const cy = window.sckgGraph, b = cy.nodes('.match')[0].renderedBoundingBox();
        return {x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, w: cy.width(), h: cy.height()}; }""")
    assert box["x1"] >= 0 and box["x2"] <= box["w"] and box["y1"] >= 0 and box["y2"] <= box["h"], box
    assert tab.evaluate(SCREEN_FONT, ".match") >= 12  # zoomed to it, not only somewhere on screen
    tab.fill("#search", "opt")  # several matches: all of them in view
    outside = tab.evaluate("""() => { const cy = window.sckgGraph, w = cy.width(), h = cy.height();
        return cy.nodes('.match').filter(n => { const p = n.renderedPosition();
          return p.x < 0 || p.y < 0 || p.x > w || p.y > h; }).length; }""")
    assert tab.evaluate("window.sckgGraph.nodes('.match').length") > 1 and outside == 0
    assert errors == []
    tab.close()
