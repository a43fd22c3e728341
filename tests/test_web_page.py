"""The query page at / in headless Chromium: load it, click an example, see the expected rows; the
row-cap notice, download links, error display, and that result values are shown as text, never run.

Skips when Chromium or Playwright is absent (CI installs both). The browser is Debian's Chromium;
Playwright never downloads one. Screenshots are written to the test's temporary folder.
"""

from __future__ import annotations

import pytest
from test_server import KG, Server, project  # noqa: F401  (project is a fixture)

pytestmark = pytest.mark.browser  # the `browser` fixture (conftest.py) skips without Chromium/Playwright
ROW_LIMIT = 50


@pytest.fixture(scope="module")
def server(project):  # noqa: F811
    srv = Server(project, "--row-limit", str(ROW_LIMIT), "--workers", "2")
    yield srv
    srv.stop()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(server.url) else None)
    page.outside_requests = outside
    page.goto(server.url + "/")
    yield page
    context.close()


def table_rows(page) -> list[list[str]]:
    return page.eval_on_selector_all("#results-table tbody tr",
                                     "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")


def test_an_example_runs_and_shows_the_expected_rows(page, server, tmp_path):
    # The statement names three changes CAP welcomes: "new training protocols, a transparency
    # initiative, and a strong reaffirmation of prosecutorial discretion". The opting-out
    # jurisdictions oppose the program and support its stated rationale.
    page.click("button.example[data-name=stances-by-holder]")
    page.wait_for_selector("#results-table tbody tr")
    rows = table_rows(page)
    assert ["kg:cap", "sckg:polarityWelcomes", "3 xsd:integer"] in rows
    assert ["kg:opt-out-jurisdictions", "sckg:polarityOpposes", "1 xsd:integer"] in rows
    assert "How many stances of each polarity" in page.text_content("#question")
    assert "7 rows" in page.text_content("#status")
    assert page.is_hidden("#notice")
    page.screenshot(path=str(tmp_path / "example.png"))
    assert page.errors == []
    assert page.outside_requests == [], "the page must load nothing from outside the server"


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
    assert page.get_attribute("#ontology-docs-link", "href") == "/ontology/docs"
    assert page.request.get(server.url + "/ontology").status == 200


def test_the_row_cap_is_shown_on_the_page(page, tmp_path):
    page.fill("#query", "SELECT * WHERE { ?s ?p ?o }")
    page.click("#run")
    page.wait_for_selector("#notice:not([hidden])")
    assert f"more than {ROW_LIMIT} rows" in page.text_content("#notice")
    assert len(table_rows(page)) == ROW_LIMIT
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
