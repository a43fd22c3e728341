"""The ontology's HTML page by pyLODE (written by `sckg docs`) and /ontology in `sckg serve`: the page
names the ontology (not one of the SKOS schemes) and lists every class and property; the endpoint
gives a browser the page, and Turtle, other RDF syntaxes or Markdown by content negotiation.
The Chromium test looks at the page as a user would and saves a screenshot in its temporary folder."""

from __future__ import annotations

import re

import pytest
import rdflib
from _support import ROOT, copy_project, run_cli
from rdflib.namespace import DCTERMS, OWL, RDF
from test_server import Server

import sckg
from sckg.ontology_docs import CSS_FILE, HTML_FILE, render_html

ONTOLOGY_IRI = "https://w3id.org/sckg/ontology"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def _source_ontology() -> rdflib.Graph:
    """The ontology as its file states it, read without sckg: where the expected answers come from."""
    return rdflib.Graph().parse(ROOT / "ontology" / "sckg.ttl", format="turtle")


def _own_terms(kind) -> list[str]:
    return sorted(str(t) for t in _source_ontology().subjects(RDF.type, kind) if str(t).startswith(ONTOLOGY_IRI + "#"))


@pytest.fixture(scope="module")
def html_files() -> dict[str, bytes]:
    return render_html(sckg.load())


def test_page_title_and_iri_are_the_ontologys_not_a_schemes(html_files):
    page = html_files[HTML_FILE].decode("utf-8")
    title = str(_source_ontology().value(rdflib.URIRef(ONTOLOGY_IRI), DCTERMS.title))
    assert re.search(r"<title>(.*?)</title>", page).group(1) == title
    assert re.search(r"<h1>(.*?)</h1>", page).group(1) == title
    metadata = page.split('id="metadata"', 1)[1].split("</dl>", 1)[0]
    assert re.search(r"<strong>IRI</strong>\s*</dt>\s*<dd>\s*<code>(.*?)</code>", metadata).group(1) == ONTOLOGY_IRI
    for scheme_label in ("stance polarity", "statement genre", "voice scheme"):
        assert scheme_label not in title and scheme_label not in metadata


def test_page_lists_every_class_and_property_of_the_ontology(html_files):
    page = html_files[HTML_FILE].decode("utf-8")
    terms = _own_terms(OWL.Class) + _own_terms(OWL.ObjectProperty) + _own_terms(OWL.DatatypeProperty)
    assert len(terms) > 80
    missing = [t for t in terms if f"<code>{t}</code>" not in page]
    assert missing == []


def test_page_links_its_stylesheet_and_runs_no_inline_script_or_style(html_files):
    # The server's Content-Security-Policy (style-src 'self', script-src 'self') would block either.
    page = html_files[HTML_FILE].decode("utf-8")
    assert f'<link href="{CSS_FILE}" rel="stylesheet"' in page and "<style" not in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert all('type="application/ld+json"' in attributes for attributes in scripts)  # data, never run
    assert " style=" not in page and html_files[CSS_FILE].strip()


def test_committed_html_reference_is_current(html_files):
    for name, data in html_files.items():
        assert (ROOT / "docs" / name).read_bytes() == data, f"docs/{name} is stale: run `sckg docs`"


# ---- /ontology in sckg serve ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("project"))
    built = run_cli("--root", str(root), "build", "--quiet")
    assert built.returncode == 0, built.stderr
    srv = Server(root, "--workers", "1")
    yield srv, root
    srv.stop()


def test_ontology_is_a_404_naming_sckg_docs_until_the_page_is_written_then_html_for_a_browser(served):
    server, root = served
    if not (root / "docs" / HTML_FILE).exists():
        missing = server.client.get("/ontology", headers={"Accept": BROWSER_ACCEPT})
        assert missing.status_code == 404 and "sckg docs" in missing.text
        assert run_cli("--root", str(root), "docs").returncode == 0
    page = server.client.get("/ontology", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.content == (root / "docs" / HTML_FILE).read_bytes()
    assert "accept" in page.headers["vary"].lower()
    css = server.client.get("/" + CSS_FILE)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("accept", ["text/turtle", "*/*", None])
def test_ontology_is_turtle_for_rdf_clients_and_for_any_type(served, accept):
    server, root = served
    response = server.client.get("/ontology", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    assert response.content == (root / "dist" / "ontology.ttl").read_bytes()


@pytest.mark.parametrize("accept,rdflib_format", [("application/rdf+xml", "xml"), ("application/n-triples", "nt"),
                                                  ("application/ld+json", "json-ld")])
def test_ontology_in_other_rdf_syntaxes_has_the_same_triples(served, accept, rdflib_format):
    server, root = served
    response = server.client.get("/ontology", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    got = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    expected = rdflib.Graph().parse(root / "dist" / "ontology.ttl", format="turtle")
    assert set(got) == set(expected)  # the ontology has no blank nodes


def test_ontology_is_markdown_when_asked(served):
    server, root = served
    if not (root / "docs" / "ontology.md").exists():
        assert run_cli("--root", str(root), "docs").returncode == 0
    response = server.client.get("/ontology", headers={"Accept": "text/markdown"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/markdown")
    assert response.text == (root / "docs" / "ontology.md").read_text(encoding="utf-8")


def test_ontology_in_an_unoffered_type_is_406_listing_what_is_offered(served):
    server, _ = served
    response = server.client.get("/ontology", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text and "text/html" in response.text and "text/markdown" in response.text


@pytest.mark.browser
def test_ontology_page_in_chromium_is_styled_titled_and_lists_every_class(browser, served, tmp_path):
    server, root = served
    if not (root / "docs" / HTML_FILE).exists():
        assert run_cli("--root", str(root), "docs").returncode == 0
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(server.url + "/ontology")
    title = str(_source_ontology().value(rdflib.URIRef(ONTOLOGY_IRI), DCTERMS.title))
    assert page.title() == title
    assert page.inner_text("#metadata h1") == title
    assert page.inner_text("#metadata dd code") == ONTOLOGY_IRI
    # pyLODE's stylesheet is applied (it fixes the table of contents to the right), so the CSP let it in.
    assert page.evaluate("getComputedStyle(document.getElementById('toc')).position") == "fixed"
    shown = set(page.eval_on_selector_all("#classes code", "els => els.map(e => e.textContent)"))
    assert set(_own_terms(OWL.Class)) <= shown
    page.screenshot(path=str(tmp_path / "ontology.png"), full_page=False)
    assert problems == []
    context.close()
