"""Bad input gets a clear answer: file, line, column, what to fix; exit code 1 for bad data,
2 for usage; never a traceback."""

from __future__ import annotations

import pytest
from _support import copy_project, replace_in, run_cli

import sckg
from sckg.errors import DataError, UsageError

STATEMENT = "data/statements/cap-2011-06-17/statement.ttl"
SOURCE = "data/statements/cap-2011-06-17/source.txt"


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def test_malformed_turtle_names_file_line_and_column(project):
    path = project / "data" / "entities" / "actors.ttl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line_no = next(i for i, line in enumerate(lines) if line.startswith("kg:ice a sckg:GovernmentAgency")) + 1
    lines[line_no - 1] = lines[line_no - 1].replace("kg:ice a", "kg:ice a a")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        sckg.load(project)
    message = str(err.value)
    assert "actors.ttl:" in message
    assert f":{line_no}:" in message
    assert "syntax error" in message


def test_malformed_turtle_from_the_cli_exits_1_without_traceback(project):
    replace_in(project / "data" / "entities" / "actors.ttl",
               'rdfs:label "Marshall Fitz"@en .', 'rdfs:label "Marshall Fitz"@en')
    result = run_cli("--root", str(project), "build")
    assert result.returncode == 1
    assert "actors.ttl" in result.stderr and "syntax error" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_source_text_is_named(project):
    (project / SOURCE).unlink()
    with pytest.raises(UsageError) as err:
        sckg.load(project)
    assert "source.txt: file not found" in str(err.value)


def test_missing_extension_file_is_named(project):
    result = run_cli("--root", str(project), "validate", "no-such-file.ttl")
    assert result.returncode == 2
    assert "no-such-file.ttl: file not found" in result.stderr


def test_non_utf8_turtle_is_named_with_its_line(project):
    path = project / "data" / "entities" / "announcement.ttl"
    raw = path.read_bytes().replace(b"new training protocols", b"new tr\xe4ining protocols", 1)
    path.write_bytes(raw)
    expected_line = raw[: raw.index(b"\xe4")].count(b"\n") + 1
    with pytest.raises(DataError) as err:
        sckg.load(project)
    assert f"announcement.ttl:{expected_line}:" in str(err.value)
    assert "not UTF-8" in str(err.value)


def test_non_utf8_source_text_is_named(project):
    path = project / SOURCE
    path.write_bytes(path.read_bytes().replace("Today’s".encode(), b"Today\x92s", 1))
    with pytest.raises(DataError) as err:
        sckg.load(project)
    assert "source.txt" in str(err.value) and "not UTF-8" in str(err.value)


def test_edited_source_names_the_quotes_that_no_longer_resolve(project):
    # Fixing the source's typo "Securire" breaks the quotes that copy it (the claim of sentence 5 and the
    # press office's locution that frames it, statement.ttl), and changes the checksum.
    replace_in(project / SOURCE, "Securire", "Secure")
    with pytest.raises(DataError) as err:
        sckg.load(project)
    message = str(err.value)
    assert "the source text has changed" in message
    assert "2 quote(s) no longer resolve" in message
    assert "announced-by-ice" in message and "frame" in message
    assert "ORPHANED" in message


def test_edited_source_whose_quotes_all_resolve_still_fails_on_checksum(project):
    replace_in(project / SOURCE, "please contact", "please  contact")
    with pytest.raises(DataError) as err:
        sckg.load(project)
    message = str(err.value)
    assert "the source text has changed" in message
    # The contact sentence's quote contains "please contact", so it no longer resolves either.
    assert "press-contact-fact" in message


def test_orphaned_quote_names_the_claim_and_the_nearest_text(project):
    replace_in(project / STATEMENT, 'sckg:quote "All law enforcement agencies must prioritize" ;',
               'sckg:quote "All law-enforcement agencies must prioritize" ;')
    with pytest.raises(DataError) as err:
        sckg.load(project)
    message = str(err.value)
    assert "must-prioritize" in message and "ORPHANED" in message
    assert "nearest sentence is 10" in message
    lines = (project / STATEMENT).read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "All law-enforcement agencies" in text)
    assert f"statement.ttl:{line}: " in message  # where to fix it


def test_ambiguous_quote_without_prefix_is_an_error(project):
    # The repeated title (sentence 4) is told from the title (sentence 2) only by its prefix.
    replace_in(project / STATEMENT, '    sckg:quotePrefix "Press Statement\\n\\n" .\n', "    .\n")
    with pytest.raises(DataError) as err:
        sckg.load(project)
    message = str(err.value)
    assert "repeated-title" in message and "AMBIGUOUS" in message
    assert "sentence 2" in message and "sentence 4" in message


def test_statement_folder_needs_exactly_one_policy_statement(project):
    replace_in(project / STATEMENT, "kg:cap-2011-06-17 a sckg:PolicyStatement ;", "kg:cap-2011-06-17 a sckg:Source ;")
    with pytest.raises(DataError) as err:
        sckg.load(project)
    assert "exactly one sckg:PolicyStatement" in str(err.value)


def test_unknown_rdf_file_type_is_a_usage_error(project, tmp_path):
    odd = tmp_path / "extension.xyz"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        sckg.load(project, extra=[odd])
    assert "unknown RDF file type" in str(err.value)


def test_no_project_found_is_a_usage_error(tmp_path):
    result = run_cli("build", cwd=tmp_path, env={"SCKG_ROOT": str(tmp_path)})
    assert result.returncode == 2
    assert "does not hold ontology/sckg.ttl" in result.stderr
