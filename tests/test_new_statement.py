"""`sckg new-statement`: laying out a new statement folder, the scaffold it writes, and every refusal.

Each test runs the command on a scratch copy of the project. The source text is the fictional
statement in tests/fixtures/new-statement/ (10 sentences, counted by reading it).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from _support import copy_project, run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "new-statement"
SOURCE = FIXTURE / "source.txt"
ID = "rsf-2011-06-17"
SCKG = "https://w3id.org/sckg/ontology#"

# The fixture's sentences, read off source.txt by hand (3 heading lines, 3 + 3 body sentences, the contact).
SENTENCES = [
    "Riverside Sheriffs' Forum",
    "FICTIONAL EXAMPLE: not a real statement; written to test sckg new-statement",
    "Sheriffs' Forum Welcomes Secure Communities Changes",
    "The Riverside Sheriffs' Forum, an invented association of county sheriffs, welcomes the changes to "
    "Secure Communities that ICE announced today.",
    "The new training protocols will help deputies use the program as intended.",
    "Sheriff J. Doe, chair of the Forum, said: “We want dangerous criminals off our streets, and this program helps.”",
    "The Forum regrets that a few states have opted out.",
    "Those decisions leave gaps that serious offenders can exploit.",
    "We urge DHS to keep the program in every county of the U.S. and to fund it fully.",
    "For more, contact the Forum at 555.010.0199.",
]


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def _new(project: Path, *args: str, source: Path = SOURCE, statement_id: str = ID):
    return run_cli("new-statement", statement_id, "--source", str(source), *args, cwd=project)


def _quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()))


def _value(quads, subject: str, predicate: str) -> str | None:
    return next((q.object.value for q in quads if q.subject.value == subject and q.predicate.value == predicate), None)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---- what it writes ----------------------------------------------------------------------------------

def test_source_is_copied_byte_for_byte_and_its_sha256_recorded(project):
    result = _new(project, "--publisher", "kg:ice")
    assert result.returncode == 0, result.stderr
    folder = project / "data" / "statements" / ID
    assert (folder / "source.txt").read_bytes() == SOURCE.read_bytes()
    quads = _quads(folder / "statement.ttl")
    assert (_value(quads, f"https://w3id.org/sckg/id/{ID}", SCKG + "sha256")
            == hashlib.sha256(SOURCE.read_bytes()).hexdigest())
    assert f"created data/statements/{ID}/" in result.stdout


def test_scaffold_has_one_stub_per_sentence_each_quoting_it_exactly(project):
    assert _new(project, "--publisher", "kg:ice").returncode == 0
    quads = _quads(project / "data" / "statements" / ID / "statement.ttl")
    stubs = sorted(q.subject.value for q in quads
                   if q.predicate.value.endswith("#type") and q.object.value == SCKG + "Stub")
    assert stubs == [f"https://w3id.org/sckg/id/{ID}/s{n:02d}" for n in range(1, 11)]
    assert [_value(quads, s, SCKG + "quote") for s in stubs] == SENTENCES


def test_the_title_guess_skips_a_first_line_that_is_the_publisher_name(project, tmp_path):
    source = tmp_path / "titled.txt"
    source.write_text("US Immigration and Customs Enforcement\n\nICE Responds to the Critics\n\nWe object.\n",
                      encoding="utf-8")
    assert _new(project, "--publisher", "kg:ice", source=source).returncode == 0
    quads = _quads(project / "data" / "statements" / ID / "statement.ttl")
    assert (_value(quads, f"https://w3id.org/sckg/id/{ID}", "http://purl.org/dc/terms/title")
            == "ICE Responds to the Critics")


def test_scaffold_explains_kinds_voices_and_stances_in_comments(project):
    assert _new(project, "--publisher", "kg:ice").returncode == 0
    text = (project / "data" / "statements" / ID / "statement.ttl").read_text(encoding="utf-8")
    for term in ("sckg:FactualAssertion", "sckg:Evaluation", "sckg:CausalClaim", "sckg:Concern", "sckg:Recommendation",
                 "sckg:Hope", "sckg:voiceAsserted", "sckg:voiceReported", "sckg:polarityWelcomes",
                 "sckg:polarityCriticises"):
        assert re.search(rf"^#.*{term}", text, re.M), term


def test_a_sentence_that_occurs_twice_gets_a_prefix_and_anchors(project, tmp_path):
    source = tmp_path / "twice.txt"
    source.write_text("Coalition Statement\n\nWe object. We object.\n\nCoalition Statement\n", encoding="utf-8")
    assert _new(project, "--publisher", "kg:ice", source=source).returncode == 0
    quads = _quads(project / "data" / "statements" / ID / "statement.ttl")
    base = f"https://w3id.org/sckg/id/{ID}/s"
    # Four sentences: 1 and 4 are both "Coalition Statement", 2 and 3 are both "We object."
    for n in (1, 2, 3, 4):
        assert (_value(quads, base + f"0{n}", SCKG + "quotePrefix")
                or _value(quads, base + f"0{n}", SCKG + "quoteSuffix"))
    result = run_cli("validate", "--with", f"data/statements/{ID}", cwd=project)
    assert "AMBIGUOUS" not in result.stderr + result.stdout
    assert "4 quotes anchored" in result.stdout and "(4/4)" in result.stdout


def test_a_new_publisher_and_speaker_are_added_to_the_shared_entities(project):
    result = _new(project, "--publisher", "Riverside Sheriffs' Forum", "--speaker", "J. Doe")
    assert result.returncode == 0, result.stderr
    added = project / "data" / "entities" / "riverside-sheriffs-forum.ttl"
    quads = _quads(added)
    assert _value(quads, "https://w3id.org/sckg/id/riverside-sheriffs-forum",
                  "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == SCKG + "Organization"
    assert _value(quads, "https://w3id.org/sckg/id/j-doe", "http://www.w3.org/2000/01/rdf-schema#label") == "J. Doe"
    statement = _quads(project / "data" / "statements" / ID / "statement.ttl")
    assert _value(statement, f"https://w3id.org/sckg/id/{ID}", "http://purl.org/dc/terms/publisher") == \
        "https://w3id.org/sckg/id/riverside-sheriffs-forum"


def test_new_entities_are_appended_to_an_entity_file_of_the_same_name_without_losing_it(project):
    existing = project / "data" / "entities" / "riverside-sheriffs-forum.ttl"
    existing.write_text("# Notes kept here by hand.\n@prefix kg: <https://w3id.org/sckg/id/> .\n"
                        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                        "kg:secure-communities rdfs:comment \"kept\" .\n", encoding="utf-8")
    before = existing.read_bytes()
    assert _new(project, "--publisher", "Riverside Sheriffs' Forum").returncode == 0
    after = existing.read_bytes()
    assert after.startswith(before)
    quads = _quads(existing)
    assert _value(quads, "https://w3id.org/sckg/id/secure-communities",
                  "http://www.w3.org/2000/01/rdf-schema#comment") == "kept"
    assert _value(quads, "https://w3id.org/sckg/id/riverside-sheriffs-forum",
                  "http://www.w3.org/2000/01/rdf-schema#label") == "Riverside Sheriffs' Forum"


def _person(project: Path, curie: str, label: str) -> None:
    (project / "data" / "entities" / "test-person.ttl").write_text(
        "@prefix sckg: <https://w3id.org/sckg/ontology#> . @prefix kg: <https://w3id.org/sckg/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"{curie} a sckg:Person ; rdfs:label \"{label}\"@en .\n",
        encoding="utf-8")


def test_a_known_name_reuses_the_entity_instead_of_minting_a_second_one(project):
    _person(project, "kg:pat-example", "Pat Example")
    before = _tree(project / "data" / "entities")
    # "ice" is kg:ice's skos:altLabel ("ICE"), matched in any case; the speaker by its rdfs:label.
    result = _new(project, "--publisher", "ice", "--speaker", "pat example")
    assert result.returncode == 0, result.stderr
    assert _tree(project / "data" / "entities") == before
    statement = _quads(project / "data" / "statements" / ID / "statement.ttl")
    assert _value(statement, f"https://w3id.org/sckg/id/{ID}", "http://purl.org/dc/terms/publisher") == "https://w3id.org/sckg/id/ice"
    assert _value(statement, f"https://w3id.org/sckg/id/{ID}", SCKG + "speaker") == "https://w3id.org/sckg/id/pat-example"


def test_a_hard_wrapped_source_gets_a_warning(project, tmp_path):
    source = tmp_path / "wrapped.txt"
    source.write_text("The coalition welcomes the changes that\nwere announced today.\n", encoding="utf-8")
    result = _new(project, "--publisher", "kg:ice", source=source)
    assert result.returncode == 0
    assert "wrapped.txt:1:" in result.stderr and "hard-wrapped" in result.stderr


# ---- what validate says about it ---------------------------------------------------------------------

def test_validate_names_each_stub_once_with_file_and_line_and_nothing_else(project):
    assert _new(project, "--publisher", "Riverside Sheriffs' Forum").returncode == 0
    result = run_cli("validate", "--with", f"data/statements/{ID}", cwd=project)
    assert result.returncode == 1
    violations = [line for line in result.stdout.splitlines() if line.strip().startswith("Violation:")]
    assert len(violations) == 10, result.stdout
    lines = (project / "data" / "statements" / ID / "statement.ttl").read_text(encoding="utf-8").splitlines()
    for n, v in enumerate(violations, start=1):
        match = re.search(rf"stub for sentence {n}, data/statements/{ID}/statement\.ttl:(\d+): ", v)
        assert match, v
        assert lines[int(match.group(1)) - 1].startswith(f"st:s{n:02d} a sckg:Stub"), v
    assert "has changed" not in result.stdout + result.stderr
    assert (f"{ID}: 100% of sentences covered (10/10), 10 quotes anchored, source sha256 matches, 10 stub(s) left"
            in result.stdout)


def test_a_half_filled_stub_says_its_kind_is_chosen_and_folds_its_findings(project):
    assert _new(project, "--publisher", "kg:ice").returncode == 0
    path = project / "data" / "statements" / ID / "statement.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("st:s01 a sckg:Stub ;",
                                                             "st:s01 a sckg:FactualAssertion, sckg:Stub ;"),
                    encoding="utf-8")
    result = run_cli("validate", "--with", f"data/statements/{ID}", cwd=project)
    first = next(line for line in result.stdout.splitlines() if "/s01" in line)
    assert "its kind is chosen (sckg:FactualAssertion): remove sckg:Stub" in first
    assert "folded here" in first
    assert sum("/s01" in line for line in result.stdout.splitlines()) == 1


def test_the_scaffold_filled_in_passes_validate_and_build(project):
    """The fixture's hand-written encoding replaces the stubs; the scaffold's document block is kept."""
    assert _new(project, "--publisher", "Riverside Sheriffs' Forum", "--speaker", "J. Doe").returncode == 0
    _fill_in(project)
    validate = run_cli("validate", "--with", f"data/statements/{ID}", cwd=project)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert f"{ID}: 100% of sentences covered (10/10)" in validate.stdout
    build = run_cli("build", "-o", str(project / "dist"), cwd=project)
    assert build.returncode == 0, build.stdout + build.stderr


def test_a_statement_without_sha256_is_asked_to_record_it_not_told_its_text_changed(project):
    assert _new(project, "--publisher", "kg:ice").returncode == 0
    path = project / "data" / "statements" / ID / "statement.ttl"
    text = path.read_text(encoding="utf-8")
    sha = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert f'    sckg:sha256 "{sha}" .' in text
    path.write_text(text.replace(f'    sckg:sha256 "{sha}" .', "    ."), encoding="utf-8")  # "; ." is valid Turtle
    result = run_cli("validate", "--with", f"data/statements/{ID}", cwd=project)
    assert result.returncode == 1
    assert "records no sckg:sha256" in result.stderr
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() in result.stderr
    assert "has changed" not in result.stderr


def test_a_folder_named_like_a_project_statement_is_refused_not_merged(project, tmp_path):
    taken = sorted(p.name for p in (project / "data" / "statements").iterdir() if p.is_dir())[0]
    elsewhere = tmp_path / "elsewhere" / taken
    elsewhere.mkdir(parents=True)
    shutil.copy(SOURCE, elsewhere / "source.txt")
    result = run_cli("validate", "--with", str(elsewhere), cwd=project)
    assert result.returncode == 2
    assert f"already has a statement {taken}" in result.stderr and "rename this folder" in result.stderr


# ---- refusals ----------------------------------------------------------------------------------------

def test_an_existing_id_is_refused_and_nothing_is_touched(project):
    assert _new(project, "--publisher", "kg:ice").returncode == 0
    before = _tree(project / "data")
    result = _new(project, "--publisher", "Someone Else Entirely")
    assert result.returncode == 2
    assert f"data/statements/{ID} exists already" in result.stderr and "never merges" in result.stderr
    assert _tree(project / "data") == before


@pytest.mark.parametrize("bad", ["RSF-2011-06-17", "rsf_2011-06-17", "rsf-june-17", "2011-06-17", "rsf-2011-13-01"])
def test_an_id_of_the_wrong_shape_is_refused_with_the_expected_shape(project, bad):
    result = _new(project, "--publisher", "kg:ice", statement_id=bad)
    assert result.returncode == 2
    assert "<organisation>-<YYYY-MM-DD>" in result.stderr
    assert not (project / "data" / "statements" / bad).exists()


@pytest.mark.parametrize("name,content,code,message", [
    ("latin1.txt", "Caf\xe9 statement.\n".encode("latin-1"), 1, "latin1.txt:1: not UTF-8 text (byte 0xe9"),
    ("bom.txt", b"\xef\xbb\xbfThe coalition objects.\n", 1, "byte-order mark (BOM)"),
    ("crlf.txt", b"Heading\r\nThe coalition objects.\r\n", 1, "crlf.txt:1: Windows (CRLF)"),
    ("empty.txt", b"\n  \n", 1, "the file is empty"),
])
def test_a_bad_source_is_refused_with_a_clear_message(project, tmp_path, name, content, code, message):
    source = tmp_path / name
    source.write_bytes(content)
    before = _tree(project / "data")
    result = _new(project, "--publisher", "kg:ice", source=source)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(project / "data") == before


def test_a_missing_or_folder_source_is_a_usage_error(project, tmp_path):
    missing = _new(project, "--publisher", "kg:ice", source=tmp_path / "nope.txt")
    assert missing.returncode == 2 and "nope.txt: file not found" in missing.stderr
    folder = _new(project, "--publisher", "kg:ice", source=tmp_path)
    assert folder.returncode == 2 and "is a folder" in folder.stderr


@pytest.mark.parametrize("publisher,message", [
    ("kg:no-such-org", "no sckg:Organization of that IRI"),
    ("kg:pat-example", "no sckg:Organization of that IRI"),  # a person, not an organisation
    ("foo:bar", "unknown prefix 'foo'"),
    ("Pat Example", "kg:pat-example, is already used"),  # a name whose IRI a person holds
])
def test_a_publisher_that_is_no_organisation_is_refused(project, publisher, message):
    _person(project, "kg:pat-example", "Pat Example")
    result = _new(project, "--publisher", publisher)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (project / "data" / "statements" / ID).exists()


def test_new_statement_is_listed_in_the_help():
    result = run_cli("--help")
    assert "new-statement" in result.stdout


# ---- --date: the publication date, an outside-context fact -------------------------------------------

def _fill_in(project: Path) -> None:
    """Replace the stubs with the fixture's hand-written encoding, keeping the scaffold's document block."""
    path = project / "data" / "statements" / ID / "statement.ttl"
    text = path.read_text(encoding="utf-8")
    rule = "# " + "=" * 92 + "\n"  # the scaffold's banner above its stubs
    head = text[:text.index(rule + "# One stub")]
    head = head.replace("    # sckg:reactsTo kg:ice-announcement-2011-06 ;",
                        "    sckg:reactsTo kg:ice-announcement-2011-06 ;")
    path.write_text(head + (FIXTURE / "encoding.ttl").read_text(encoding="utf-8"), encoding="utf-8")


def test_date_is_written_as_a_context_fact_that_is_a_stub_until_it_names_its_source(project):
    result = _new(project, "--publisher", "Riverside Sheriffs' Forum", "--speaker", "J. Doe", "--date", "2011-06-17")
    assert result.returncode == 0, result.stderr
    context = project / "data" / "context" / f"{ID}.ttl"
    quads = _quads(context)
    assert _value(quads, f"https://w3id.org/sckg/id/{ID}", "https://schema.org/datePublished") == "2011-06-17"
    _fill_in(project)
    pending = run_cli("validate", "--with", f"data/statements/{ID}", cwd=project)
    assert pending.returncode == 1
    violations = [line for line in pending.stdout.splitlines() if line.strip().startswith("Violation:")]
    assert len(violations) == 1, pending.stdout
    assert f"stub for an outside-context fact, data/context/{ID}.ttl:" in violations[0]
    assert "name the source of the date" in violations[0]
    # The researcher names the source and removes the stub marker: the gate passes.
    text = context.read_text(encoding="utf-8")
    text = text.replace("a sckg:ContextFact, sckg:Stub ;", "a sckg:ContextFact ;")
    text = re.sub(r'\n    rdfs:comment "name the source[^\n]*', "", text)
    text = text.replace("# dcterms:source kg:src-TODO ;", "dcterms:source kg:src-rsf-page ;")
    text = text.replace("# prov:wasDerivedFrom kg:src-TODO ;", "prov:wasDerivedFrom kg:src-rsf-page ;")
    text += ('\nkg:src-rsf-page a sckg:Source ; rdfs:label "The Forum\'s press page (fictional)"@en ;\n'
             '    dcterms:bibliographicCitation "Riverside Sheriffs\' Forum, press page (fictional)." .\n')
    context.write_text(text, encoding="utf-8")
    done = run_cli("validate", "--with", f"data/statements/{ID}", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("bad", ["2011-6-17", "17/06/2011", "2011-02-30"])
def test_a_date_not_in_iso_form_is_refused(project, bad):
    result = _new(project, "--publisher", "kg:ice", "--date", bad)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
    assert not (project / "data" / "statements" / ID).exists()


# ---- the remaining refusals ------------------------------------------------------------------------

def test_an_id_whose_iri_the_data_already_uses_is_refused(project):
    (project / "data" / "entities" / "extra.ttl").write_text(
        "<https://w3id.org/sckg/id/ice> <http://www.w3.org/2000/01/rdf-schema#seeAlso> "
        f"<https://w3id.org/sckg/id/{ID}> .\n",
        encoding="utf-8")
    result = _new(project, "--publisher", "kg:ice")
    assert result.returncode == 2 and f"kg:{ID} is already used" in result.stderr
    assert not (project / "data" / "statements" / ID).exists()


def test_a_staging_folder_left_by_an_interrupted_run_is_named_not_reused(project):
    (project / "data" / "statements" / f".{ID}.new").mkdir()
    result = _new(project, "--publisher", "kg:ice")
    assert result.returncode == 2 and "left from an interrupted run" in result.stderr
    assert not (project / "data" / "statements" / ID).exists()


def test_a_name_two_entities_share_must_be_given_by_curie(project):
    (project / "data" / "entities" / "twins.ttl").write_text(
        "@prefix sckg: <https://w3id.org/sckg/ontology#> . @prefix kg: <https://w3id.org/sckg/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'kg:twin-a a sckg:Organization ; rdfs:label "Twin Coalition"@en .\n'
        'kg:twin-b a sckg:Organization ; rdfs:label "Twin Coalition"@en .\n', encoding="utf-8")
    result = _new(project, "--publisher", "Twin Coalition")
    assert result.returncode == 2 and "names several entities (kg:twin-a, kg:twin-b)" in result.stderr


@pytest.mark.parametrize("name,message", [("!!!", "needs at least one letter or digit"), ("  ", "give an IRI")])
def test_a_name_that_gives_no_iri_is_refused(project, name, message):
    result = _new(project, "--publisher", name)
    assert result.returncode == 2 and message in result.stderr


def test_a_date_whose_context_file_exists_is_refused(project):
    (project / "data" / "context" / f"{ID}.ttl").write_text("# someone's notes\n", encoding="utf-8")
    result = _new(project, "--publisher", "kg:ice", "--date", "2011-06-17")
    assert result.returncode == 2 and "never merges into it" in result.stderr
    assert not (project / "data" / "statements" / ID).exists()
