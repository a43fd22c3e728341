"""Fixtures shared by the tests: the project graph, the ontology and the shapes, each built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_kg():
    """The project's knowledge graph, through the one loader. Tests must not modify it."""
    import sckg

    return sckg.load(ROOT)


@pytest.fixture(scope="session")
def ontology_graph(project_kg):
    """The ontology and its SKOS schemes as one rdflib graph (what SHACL needs to follow subclasses),
    taken from the loader like everything else."""
    from sckg.namespaces import GRAPH_ONTOLOGY

    return project_kg.named_graph(GRAPH_ONTOLOGY)


@pytest.fixture(scope="session")
def shapes_graph():
    from sckg.project import shapes_file
    from sckg.validation import load_shapes

    return load_shapes(shapes_file(ROOT))


# ---- headless Chromium (Debian's; Playwright never downloads a browser) -------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# These flags keep Chromium off the network on its own account (this machine has no network anyway).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the page tests; skips the test when Chromium or Playwright is absent."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    """A Chromium tab on the `server` fixture of the requesting test module, collecting the page's errors
    and any request that leaves the server."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.set_default_timeout(120_000)  # Playwright's 30 s default is short for a loaded CI machine
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


# ---- the fixture corpus (tests/fixtures/corpus/): built once per session ----------------------------------

@pytest.fixture(scope="session")
def corpus_root(tmp_path_factory):
    """A scratch project: the real statements of tests/fixtures/corpus/real-statements.txt plus the two
    fictional ones. Tests must not modify it."""
    from _support import build_corpus_project

    return build_corpus_project(tmp_path_factory.mktemp("corpus") / "project")


@pytest.fixture(scope="session")
def corpus_kg(corpus_root):
    import sckg

    return sckg.load(corpus_root)
