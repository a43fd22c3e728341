"""The federated queries of queries/federated/, run only against the local stand-in: a real oxigraph
server on 127.0.0.1 loaded with the Wikidata-shaped fixture, put in place of Wikidata's endpoint.
Expected rows come from the research notes (dates, IDs) and the fixture (Wikidata's side)."""

from __future__ import annotations

import re

import pytest
from _support import ROOT
from test_links_support import stand_in

from sckg.links import inventory
from sckg.loader import load

FEDERATED = ROOT / "queries" / "federated"
WIKIDATA = "https://query.wikidata.org/sparql"
WD = "http://www.wikidata.org/entity/"
FILES = sorted(FEDERATED.glob("*.rq"))


@pytest.fixture(scope="module")
def kg():
    return load(ROOT)


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    with stand_in(tmp_path_factory.mktemp("wikidata"), "entities.ttl") as url:
        yield url


def _run(kg, name: str, url: str) -> list[list[str | None]]:
    text = (FEDERATED / name).read_text(encoding="utf-8").replace(f"<{WIKIDATA}>", f"<{url}>")
    return [[None if v is None else v.value for v in row] for row in kg.sparql(text)]


def test_there_are_federated_queries_and_each_calls_wikidata_and_has_a_header():
    assert len(FILES) >= 3
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        assert f"SERVICE <{WIKIDATA}>" in text, path.name
        for field in ("title", "question", "notes"):
            assert re.search(rf"^# {field}: \S", text, re.M), f"{path.name} lacks a {field}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_service_block_lists_exactly_the_wikidata_items_its_links_need(kg, path):
    text = path.read_text(encoding="utf-8")
    listed = set(re.findall(r"wd:(Q\d+)", text.split("SERVICE", 1)[1]))
    links = [link for link in inventory.links(kg) if link.target.startswith(WD)]
    if path.name == "opt-out-states.rq":
        members = {r["s"].value for r in kg.sparql("SELECT ?s WHERE { kg:opt-out-jurisdictions sckg:hasMember ?s }")}
        links = [link for link in links if link.entity in members]
    assert listed == {link.target[len(WD):] for link in links}


def test_opt_out_states_come_back_with_wikidatas_label_and_kind(kg, local):
    rows = _run(kg, "opt-out-states.rq", local)
    # dates from the research notes; labels and kind from the fixture
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows] == [
        ("Illinois", "2011-05-04", WD + "Q1204", "Illinois", "state of the United States"),
        ("New York", "2011-06-01", WD + "Q1384", "New York", "state of the United States"),
        ("Massachusetts", "2011-06-03", WD + "Q771", "Massachusetts", "state of the United States"),
    ]


def test_linked_entities_show_our_label_beside_wikidatas(kg, local):
    rows = {r[0].rsplit("/", 1)[-1]: r for r in _run(kg, "linked-entities.rq", local)}
    assert set(rows) == {"dhs", "ice", "obama-administration", "barack-obama", "illinois", "new-york", "massachusetts"}
    assert rows["ice"][1] == "US Immigration and Customs Enforcement"
    assert rows["ice"][4] == "U.S. Immigration and Customs Enforcement"
    assert rows["ice"][5] == "ICE"
    assert rows["obama-administration"][2].endswith("#closeMatch")


def test_label_drift_is_empty_when_labels_agree_up_to_a_qualifier(kg, local):
    assert _run(kg, "label-drift.rq", local) == []


def test_label_drift_reports_a_changed_label(kg, tmp_path):
    with stand_in(tmp_path, "drift.ttl") as url:
        rows = _run(kg, "label-drift.rq", url)
    assert [(r[0].rsplit("/", 1)[-1], r[2], r[3]) for r in rows] == [
        ("illinois", "Illinois", None),        # merged: the old item has no label of its own
        ("massachusetts", "Massachusetts", "Plymouth Colony"),
        ("new-york", "New York (state)", None),  # gone
    ]
