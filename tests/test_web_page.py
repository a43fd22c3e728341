"""The query page at / in headless Chromium: load it, click an example, see the expected rows; the
row-cap notice, download links, error display, and that result values are shown as text, never run.

Skips when Chromium or Playwright is absent (CI installs both). The browser is Debian's Chromium;
Playwright never downloads one. Screenshots are written to the test's temporary folder.
"""

from __future__ import annotations

import pytest
from _support import expected_rows, statement_folders
from test_server import KG, Server, project  # noqa: F401  (project is a fixture)

pytestmark = pytest.mark.browser  # the `browser` fixture (conftest.py) skips without Chromium/Playwright
ROW_LIMIT = 50


@pytest.fixture(scope="module")
def server(project):  # noqa: F811
    srv = Server(project, "--row-limit", str(ROW_LIMIT), "--workers", "2")
    yield srv
    srv.stop()


def editor_text(page) -> str:
    """The query in the editor (CodeMirror keeps the page's hidden text area in step with it)."""
    return page.input_value("textarea[name=query]")


def table_rows(page) -> list[list[str]]:
    return page.eval_on_selector_all("#results-table tbody tr",
                                     "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")


def test_an_example_runs_and_shows_the_expected_rows(page, server, tmp_path):
    # The statement names three changes CAP welcomes: "new training protocols, a transparency
    # initiative, and a strong reaffirmation of prosecutorial discretion". The opting-out
    # jurisdictions oppose the program.
    page.click("button.example[data-name=stances-by-holder]")
    page.wait_for_selector("#results-table tbody tr")
    rows = table_rows(page)
    assert ["kg:cap-2011-06-17", "kg:cap", "kg:cap", "sckg:polarityWelcomes", "3"] in rows
    assert ["kg:cap-2011-06-17", "kg:cap", "kg:opt-out-jurisdictions", "sckg:polarityOpposes", "1"] in rows
    assert "How many stances of each polarity" in page.text_content("#question")
    assert f"{len(rows)} rows" in page.text_content("#status")  # the count says what the table shows
    assert page.is_hidden("#notice")
    page.screenshot(path=str(tmp_path / "example.png"))
    assert page.errors == []
    assert page.outside_requests == [], "the page must load nothing from outside the server"


def test_a_question_with_a_parameter_offers_a_field_that_binds_it(page, server):
    page.click("button.example[data-name=stances-welcomed-vs-faulted]")
    page.wait_for_selector("#results-table tbody tr")
    assert page.is_visible("#question input.param[data-param=holder]")
    page.fill("#question input.param[data-param=holder]", "kg:opt-out-jurisdictions")
    page.click("#run")
    page.wait_for_selector("#status:has-text('no results'), #status:has-text('0 rows')", timeout=20000)
    page.fill("#question input.param[data-param=holder]", "kg:cap")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert {row[2] for row in table_rows(page)} == {"kg:cap"}
    page.fill("#question input.param[data-param=holder]", 'kg:x> } UNION { ?s ?p ?o')
    page.click("#run")
    page.wait_for_selector("#notice:has-text('give a CURIE')")
    assert page.errors == []


def test_download_links_serve_each_format(page, server):
    page.click("button.example[data-name=stances-by-holder]")
    page.wait_for_selector("#downloads a")
    formats = page.eval_on_selector_all("#downloads a", "links => links.map(a => a.dataset.format)")
    assert formats == ["json", "xml", "csv", "tsv"]
    href = page.get_attribute("#downloads a[data-format=csv]", "href")
    response = page.request.get(server.url + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "kg:cap" not in response.text() and f"{KG}cap" in response.text()
    dumps = page.eval_on_selector_all("#dumps a", "links => links.map(a => a.getAttribute('href'))")
    assert "/dist/sckg.ttl" in dumps and "/dist/sckg.nq" in dumps
    assert page.request.get(server.url + "/dist/sckg.ttl").status == 200
    assert page.get_attribute("#ontology-docs-link", "href") == "/ontology"
    assert page.get_attribute("#ontology-link", "href") == "/dist/ontology.ttl"
    assert "Turtle" in page.text_content("#ontology-link")
    turtle = page.request.get(server.url + "/dist/ontology.ttl")
    assert turtle.status == 200 and turtle.headers["content-type"].startswith("text/turtle")
    description = page.request.get(server.url + page.get_attribute("#service-description-link", "href"))
    assert description.status == 200 and description.headers["content-type"].startswith("text/turtle")


def test_the_row_cap_is_shown_on_the_page(page, tmp_path):
    page.fill("#query", "SELECT * WHERE { ?s ?p ?o }")
    page.click("#run")
    page.wait_for_selector("#notice:not([hidden])")
    assert page.is_visible("#notice .truncated")
    assert f"more than {ROW_LIMIT} rows" in page.text_content("#notice")
    assert len(table_rows(page)) == ROW_LIMIT
    # Above the table, where it is seen before the rows are read.
    notice_box, table_box = page.locator("#notice").bounding_box(), page.locator("#results-table").bounding_box()
    assert notice_box["y"] + notice_box["height"] <= table_box["y"]
    page.screenshot(path=str(tmp_path / "capped.png"))


def test_errors_are_shown_as_the_servers_short_message(page):
    page.fill("#query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    page.click("#run")
    page.wait_for_selector("#notice.error:not([hidden])")
    assert "SERVICE is not allowed" in page.text_content("#notice")
    assert "Error 400" in page.text_content("#status")


def test_result_values_are_shown_as_text_never_as_markup(page):
    payload = '<img src=x onerror="window.pwned=1"><b id=injected>bold</b>'
    page.fill("#query", f"SELECT ?x WHERE {{ BIND('{payload}' AS ?x) }}")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert table_rows(page) == [[payload]]
    assert page.query_selector("#results img, #injected") is None
    assert page.evaluate("window.pwned") is None


def test_construct_results_are_shown_with_graph_download_links(page):
    page.fill("#query", "CONSTRUCT { kg:marshall-fitz rdfs:label ?l } WHERE { kg:marshall-fitz rdfs:label ?l }")
    page.click("#run")
    page.wait_for_selector("pre.graph")
    assert '"Marshall Fitz"@en' in page.text_content("pre.graph")
    formats = page.eval_on_selector_all("#downloads a", "links => links.map(a => a.dataset.format)")
    assert formats == ["ttl", "nt", "jsonld", "rdf"]


def test_numbers_and_strings_show_no_datatype_but_name_it_on_hover(page):
    page.fill("#query", "SELECT ?n ?d ?s ?day WHERE { BIND(7 AS ?n) BIND(2.5 AS ?d) BIND('text' AS ?s) "
                        "BIND('2011-06-17'^^xsd:date AS ?day) }")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert table_rows(page) == [["7", "2.5", "text", "2011-06-17 xsd:date"]]  # the rarer datatypes stay shown
    titles = page.eval_on_selector_all("#results-table tbody td", "cells => cells.map(c => c.title)")
    assert titles[:3] == ["xsd:integer", "xsd:decimal", "xsd:string"]


def test_clicking_an_iri_shows_what_the_graph_says_about_it(page, tmp_path):
    page.click("button.example[data-name=stances-by-holder]")
    page.wait_for_selector("#results-table tbody tr")
    page.click("#results-table a.iri:text-is('kg:opt-out-jurisdictions')")
    page.wait_for_selector("#results-table th:text-is('?subject')")  # the new table, not the example's
    assert "About kg:opt-out-jurisdictions" in page.text_content("#question")
    assert "kg:opt-out-jurisdictions" in editor_text(page)
    rows = table_rows(page)
    # actors.ttl: kg:opt-out-jurisdictions a sckg:ActorSet ; rdfs:label "states and local
    # jurisdictions that opted out"@en. Its own triples come first; the stance it holds points to it.
    assert ["kg:opt-out-jurisdictions", "rdf:type", "sckg:ActorSet"] in rows
    assert ["kg:opt-out-jurisdictions", "rdfs:label", "states and local jurisdictions that opted out @en"] in rows
    assert any(r[1] == "sckg:holder" and r[2] == "kg:opt-out-jurisdictions" for r in rows)
    assert rows[0][0] == "kg:opt-out-jurisdictions"
    # Each IRI is also a real link to the page with that query, for opening in a new tab.
    href = page.get_attribute("#results-table a.iri >> nth=0", "href")
    assert href.startswith("/?query=")
    page.screenshot(path=str(tmp_path / "about.png"))
    assert page.errors == []


def test_editing_the_query_marks_the_question_as_edited(page):
    page.click("button.example[data-name=stances-by-holder]")
    page.wait_for_selector("#results-table tbody tr")
    assert page.is_hidden("#question .edited")
    page.click("#query")
    page.keyboard.press("End")
    page.keyboard.type(" LIMIT 2")
    assert page.is_visible("#question .edited")
    assert "(edited)" in page.text_content("#question .title")
    for _ in " LIMIT 2":
        page.keyboard.press("Backspace")
    assert page.is_hidden("#question .edited")  # back to the example's own text


def test_a_browser_sent_from_sparql_gets_the_page_with_the_query_run(page, server):
    query = "SELECT ?holder WHERE { ?s a sckg:Stance ; sckg:holder ?holder } GROUP BY ?holder ORDER BY ?holder"
    from urllib.parse import urlencode

    page.goto(server.url + "/sparql?" + urlencode({"query": query}))
    page.wait_for_selector("#results-table tbody tr")
    assert page.url.startswith(server.url + "/?query=")
    assert editor_text(page) == query
    # every holder of a stance, in IRI order, as each statement's expected/stances-matrix.csv lists them
    holders = sorted({e["holder"] for f in statement_folders() for e in expected_rows(f, "stances-matrix")})
    assert table_rows(page) == [[h] for h in holders]


def test_an_unknown_graph_is_named_on_the_page(page):
    page.fill("#query", "SELECT * FROM <http://example.org/not-a-graph> WHERE { ?s ?p ?o }")
    page.click("#run")
    page.wait_for_selector("#notice .unknown-graphs")
    assert "0 rows" in page.text_content("#status")
    assert "no graph <http://example.org/not-a-graph>" in page.text_content("#notice")
    assert "https://w3id.org/sckg/graph/entities" in page.text_content("#graphs")


def test_a_syntax_error_shows_line_text_and_caret(page):
    page.fill("#query", "SELECT ?s WHERE {\n  ?s ?p ?o\n}\nLIMIT ten")
    page.click("#run")
    page.wait_for_selector("#notice.error:not([hidden])")
    text = page.text_content("#notice")
    assert "line 4, column 7 near 'ten'" in text
    assert "LIMIT ten\n" + " " * 8 + "^" in text


def test_a_wide_answer_scrolls_in_its_box_and_never_widens_the_page(page):
    # An IRI has no place to wrap: one longer than the window must scroll inside the results box.
    long_iri = "https://example.org/" + "x" * 300
    page.fill("#query", f"SELECT ?iri ?n WHERE {{ BIND(<{long_iri}> AS ?iri) BIND(1 AS ?n) }}")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
