"""The query page's editor and results, as a Yasgui user expects them, in headless Chromium: SPARQL
highlighting and completion (the vendored CodeMirror), sortable columns, a permalink in the address
bar, a question banner that does not outlive an edit, and ASK answers within the page's CSP.

Uses the server of test_server.py and the page fixture of conftest.py (a real `sckg serve` on 127.0.0.1, port 0).
Screenshots are written to each test's temporary folder.
"""

from __future__ import annotations

import pytest
from test_server import Server, project  # noqa: F401  (project is a fixture)
from test_web_page import editor_text, table_rows

pytestmark = pytest.mark.browser

FOAF = "http://xmlns.com/foaf/0.1/"  # as src/sckg/namespaces.py declares it


@pytest.fixture(scope="module")
def server(project):  # noqa: F811  (the server's default row limit, so completion sees every term)
    srv = Server(project, "--workers", "2")
    yield srv
    srv.stop()


def type_at_end(page, text):
    page.click("#query")
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def replace_query(page, text):
    page.click("#query")
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def completion_labels(page, expected: str) -> list[str]:
    """The options the completion list shows, once it shows `expected` (terms arrive asynchronously)."""
    script = ("() => [...document.getElementById('editor-host').shadowRoot"
              ".querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel')].map(l => l.textContent)")
    page.wait_for_function(f"expected => ({script})().includes(expected)", arg=expected, timeout=10_000)
    page.wait_for_timeout(300)  # CodeMirror ignores Enter for 75 ms after its list opens (interactionDelay)
    return page.evaluate(script)


def test_the_editor_highlights_sparql_keywords_and_variables(page, tmp_path):
    keyword = page.locator("#query span:text-is('SELECT')").first
    variable = page.locator("#query span:text-is('?holder')").first
    colour = "e => getComputedStyle(e).color"
    plain = page.eval_on_selector("#query .cm-line", colour)
    assert keyword.evaluate(colour) != plain
    assert variable.evaluate(colour) not in (plain, keyword.evaluate(colour))
    page.screenshot(path=str(tmp_path / "editor.png"))
    assert page.errors == [], "the editor must run within the page's CSP"
    assert page.outside_requests == []


def test_typing_sckg_colon_offers_the_ontologys_terms(page, tmp_path):
    # ontology/sckg.ttl declares sckg:Stance an owl:Class.
    replace_query(page, "SELECT * WHERE { ?s a sckg:Stanc")
    assert "Stance" in completion_labels(page, "Stance")
    page.screenshot(path=str(tmp_path / "completion.png"))
    page.keyboard.press("Enter")
    assert editor_text(page) == "SELECT * WHERE { ?s a sckg:Stance}"  # the brace was closed on typing


def test_a_prefix_declaration_is_completed_from_the_projects_prefixes(page):
    replace_query(page, "PREFIX foa")
    assert f"foaf: <{FOAF}>" in completion_labels(page, f"foaf: <{FOAF}>")
    page.keyboard.press("Enter")
    assert editor_text(page) == f"PREFIX foaf: <{FOAF}>"


def test_a_bare_prefix_name_is_completed_and_then_offers_its_terms(page):
    replace_query(page, "SELECT * WHERE { ?s a sck")
    assert "sckg:" in completion_labels(page, "sckg:")
    page.keyboard.press("Enter")
    assert editor_text(page).endswith("?s a sckg:}")
    # choosing the prefix goes on to the namespace's terms (sckg:Actor)
    assert "Actor" in completion_labels(page, "Actor")


def test_clicking_a_header_sorts_ascending_then_descending_numbers_by_value(page, tmp_path):
    replace_query(page, 'SELECT ?n ?word WHERE { VALUES (?n ?word) { (10 "b") (9 "c") (100 "a") } }')
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert table_rows(page) == [["10", "b"], ["9", "c"], ["100", "a"]]  # the query's own order first
    page.click("#results-table th:text-is('?n')")
    assert [r[0] for r in table_rows(page)] == ["9", "10", "100"]  # by value, not "10" < "100" < "9"
    assert page.get_attribute("#results-table th >> nth=0", "aria-sort") == "ascending"
    page.click("#results-table th:text-is('?n')")
    assert [r[0] for r in table_rows(page)] == ["100", "10", "9"]
    assert page.get_attribute("#results-table th >> nth=0", "aria-sort") == "descending"
    page.click("#results-table th:text-is('?word')")
    assert table_rows(page) == [["100", "a"], ["10", "b"], ["9", "c"]]
    assert page.get_attribute("#results-table th >> nth=0", "aria-sort") is None
    page.screenshot(path=str(tmp_path / "sorted.png"))


def test_the_address_bar_gets_a_permalink_that_reproduces_query_and_result(page, server, browser):
    query = 'SELECT ?x WHERE { VALUES ?x { "a" "b" } } ORDER BY DESC(?x)'
    replace_query(page, query)
    page.keyboard.press("Escape")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    rows = table_rows(page)
    assert rows == [["b"], ["a"]]
    link = page.url
    assert link.startswith(server.url + "/?query=")
    assert page.get_attribute("#permalink", "href") == link[len(server.url):]
    other = browser.new_context().new_page()
    try:
        other.goto(link)
        other.wait_for_selector("#results-table tbody tr")
        assert editor_text(other) == query
        assert table_rows(other) == rows
    finally:
        other.context.close()


def test_a_permalink_to_a_library_question_shows_its_question(page):
    page.click("button.example[data-name=stances-by-holder]")
    page.wait_for_selector("#results-table tbody tr")
    link = page.url
    page.goto("about:blank")
    page.goto(link)
    page.wait_for_selector("#results-table tbody tr")
    assert "How many stances of each polarity" in page.text_content("#question")
    assert page.is_visible("#question .text")


def test_an_edit_stops_the_banner_describing_the_example(page, tmp_path):
    page.click("button.example[data-name=stances-by-holder]")
    page.wait_for_selector("#results-table tbody tr")
    question = page.text_content("#question .text")
    type_at_end(page, " LIMIT 2")
    assert page.is_hidden("#question .text"), "the example's question no longer describes the query"
    assert "Edited from:" in page.text_content("#question .title")
    assert page.is_visible("#question .stale")
    page.screenshot(path=str(tmp_path / "edited.png"))
    replace_query(page, "ASK { ?s ?p ?o }")
    assert page.is_hidden("#question"), "a query typed over the example is not the example"
    assert page.query_selector(".example.active") is None
    assert question  # the banner had shown the question before the edit


def test_the_about_banner_goes_when_the_query_is_replaced(page):
    page.click("button.example[data-name=stances-by-holder]")
    page.wait_for_selector("#results-table tbody tr")
    page.click("#results-table a.iri:text-is('kg:cap')")
    page.wait_for_selector("#results-table th:text-is('?subject')")
    assert "About kg:cap" in page.text_content("#question")
    replace_query(page, "SELECT ?s WHERE { ?s a sckg:Stance }")
    assert page.is_hidden("#question")


def test_an_ask_answer_is_shown_without_breaking_the_csp(page, tmp_path):
    replace_query(page, "ASK { ?s a sckg:Stance }")
    page.keyboard.press("Escape")
    page.click("#run")
    page.wait_for_selector("#results .boolean")
    assert page.text_content("#results .boolean") == "ASK: true"
    page.screenshot(path=str(tmp_path / "ask.png"))
    assert page.errors == [], "no CSP violation (an inline style attribute) or other error in the console"


def test_without_the_editor_bundle_the_text_area_still_runs_queries(browser, server):
    context = browser.new_context()
    context.route("**/static/codemirror.min.js", lambda route: route.abort())
    plain = context.new_page()
    try:
        plain.goto(server.url + "/")
        plain.fill("#query", "SELECT ?x WHERE { BIND(1 AS ?x) }")
        plain.click("#run")
        plain.wait_for_selector("#results-table tbody tr")
        assert table_rows(plain) == [["1"]]
        assert plain.evaluate("document.querySelector('#query').tagName") == "TEXTAREA"
    finally:
        context.close()


def test_result_cells_show_iris_in_a_form_that_pastes_back_into_sparql(page, server, tmp_path):
    from sckg.namespaces import DATA, pasteable

    # A local part with a slash has no valid prefixed name: the cell must show the full <IRI>.
    iris = [DATA + "some-statement/some-claim", DATA + "plain-name"]
    replace_query(page, 'SELECT ?x WHERE { VALUES ?x { kg:some-statement\\/some-claim kg:plain-name } }')
    page.keyboard.press("Escape")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    cells = [row[0] for row in table_rows(page)]
    assert cells == [pasteable(iri) for iri in iris]
    assert cells[0] == f"<{iris[0]}>" and cells[1] == "kg:plain-name"
    page.screenshot(path=str(tmp_path / "pasteable-cells.png"))
    for cell in cells:  # each cell, pasted into a query, is that IRI again
        answer = server.client.get("/sparql", params={"query": f"SELECT ?x WHERE {{ VALUES ?x {{ {cell} }} }}"},
                                   headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"]["bindings"][0]["x"]["value"] in iris


def test_the_ontology_reference_link_opens_pylodes_page(page, server, project):  # noqa: F811
    import shutil

    from _support import ROOT

    for name in ("ontology.html", "pylode.css"):  # what `sckg docs` writes; the scratch copy has no docs/
        (project / "docs").mkdir(exist_ok=True)
        shutil.copy(ROOT / "docs" / name, project / "docs" / name)
    with page.expect_navigation():
        page.click("#ontology-docs-link")
    assert page.url == server.url + "/ontology"
    assert page.title().startswith("sckg:")  # pyLODE's page titles the ontology by its dcterms:title
    assert page.locator("#pylode").count() == 1  # pyLODE's own footer: this is its HTML, not Markdown
