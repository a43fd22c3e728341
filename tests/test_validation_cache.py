"""The SHACL cache (dist/validation-cache.json): an unchanged statement is not validated again, any
change to what its run depends on validates it again, and the cache never hides a violation."""

from __future__ import annotations

import json
import re

import pytest
from _support import build_corpus_project, replace_in, run_cli

from sckg.validation_cache import CACHE_FILE

pytestmark = pytest.mark.timeout(600)

COALITION = "data/statements/fx-coalition-2011-06-18/statement.ttl"
UNPOLARISED = ("sckg:target kg:change-transparency-initiative ; sckg:polarity sckg:polarityCriticises ;",
               "sckg:target kg:change-transparency-initiative ;")  # a stance loses its polarity: a violation
COUNTS = re.compile(r"SHACL: (\d+) statement\(s\) validated, (\d+) reused from the cache")


def _statements(root) -> list[str]:
    return sorted(p.name for p in (root / "data" / "statements").iterdir() if (p / "statement.ttl").is_file())


def _counts(output: str) -> tuple[int, int]:
    match = COUNTS.search(output)
    assert match, output
    return int(match[1]), int(match[2])


def _build(root, *args):
    return run_cli("--root", str(root), "build", *args)


def _keys(root) -> dict[str, str]:
    doc = json.loads((root / "dist" / CACHE_FILE).read_text(encoding="utf-8"))
    return {name.rsplit("/", 1)[-1]: entry["key"] for name, entry in doc["statements"].items()}


@pytest.fixture
def built(tmp_path):
    """The fixture corpus (several statements), built once: dist/ holds a cache of every statement."""
    root = build_corpus_project(tmp_path / "project")
    first = _build(root)
    assert first.returncode == 0, first.stdout + first.stderr
    assert _counts(first.stdout) == (len(_statements(root)), 0)  # nothing to reuse on a first build
    return root


def test_a_second_build_of_an_unchanged_project_reuses_every_statement(built):
    result = _build(built)
    assert result.returncode == 0, result.stderr
    assert _counts(result.stdout) == (0, len(_statements(built)))
    assert set(_keys(built)) == set(_statements(built))


def test_a_comment_changes_no_triple_so_the_statement_is_reused(built):
    """The key is the grounded graph's triples, not the file's bytes or its modification time."""
    path = built / COALITION
    path.write_text(path.read_text(encoding="utf-8") + "\n# a note that adds no triple\n", encoding="utf-8")
    result = _build(built)
    assert result.returncode == 0, result.stderr
    assert _counts(result.stdout) == (0, len(_statements(built)))


def test_editing_one_statement_validates_that_statement_only(built):
    before = _keys(built)
    replace_in(built / COALITION, "The coalition wants Secure Communities ended now.",
               "The coalition wants Secure Communities ended at once.")
    result = _build(built)
    assert result.returncode == 0, result.stderr
    assert _counts(result.stdout) == (1, len(_statements(built)) - 1)
    after = _keys(built)
    assert [s for s in after if after[s] != before[s]] == ["fx-coalition-2011-06-18"]


@pytest.mark.parametrize("shared_file, old, new", [
    ("data/entities/actors.ttl", '"US Department of Homeland Security"@en',
     '"US Department of Homeland Security (DHS)"@en'),
    ("ontology/shapes.ttl", "so other statements can mention it.", "so that other statements can mention it."),
], ids=["entities", "shapes"])
def test_editing_a_shared_file_validates_every_statement(built, shared_file, old, new):
    replace_in(built / shared_file, old, new)
    result = _build(built)
    assert result.returncode == 0, result.stderr
    assert _counts(result.stdout) == (len(_statements(built)), 0)


def test_another_engine_validates_every_statement(built):
    pytest.importorskip("shacl")
    result = _build(built, "--shacl-engine", "rust")
    assert result.returncode == 0, result.stderr
    assert _counts(result.stdout) == (len(_statements(built)), 0)


def test_a_statement_made_invalid_after_a_cached_build_is_reported_and_the_cache_kept(built):
    cache_before = (built / "dist" / CACHE_FILE).read_bytes()
    replace_in(built / COALITION, *UNPOLARISED)
    for command in ("build", "validate"):
        result = run_cli("--root", str(built), command)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "faults-transparency sckg:polarity" in result.stdout + result.stderr
        assert _counts(result.stdout) == (1, len(_statements(built)) - 1)
    # The failed build wrote nothing: the cache is still the good build's, byte for byte.
    assert (built / "dist" / CACHE_FILE).read_bytes() == cache_before


def test_a_cached_result_set_aside_for_another_statement_runs_again_once_that_statement_is_gone(built):
    """The coalition's position is typed in the shared entities and given its org:postIn in the
    coalition's statement only. Every other statement's run finds it without a post and, while the
    coalition's statement describes it, the gate sets that aside. With that statement removed, the
    cached runs would now report a violation: they are run again instead, and the violation is shown."""
    import shutil

    shutil.rmtree(built / "data" / "statements" / "fx-coalition-2011-06-18")
    result = _build(built)
    assert result.returncode == 1
    assert "kg:fx-coalition-director org:postIn" in result.stdout
    assert _counts(result.stdout) == (len(_statements(built)), 0)


def test_no_cache_appears_after_a_failed_build(tmp_path):
    root = build_corpus_project(tmp_path / "project")
    replace_in(root / COALITION, *UNPOLARISED)
    result = _build(root)
    assert result.returncode == 1
    assert not (root / "dist").exists()


def _truncated(text: str) -> str:
    return text[: len(text) // 2]


def _foreign_version(text: str) -> str:
    doc = json.loads(text)
    doc["sckg"] = "0.0.0-elsewhere"
    return json.dumps(doc)


def _entry_edited(text: str) -> str:
    """An entry changed without its checksum: a result dropped from the cache's own account."""
    doc = json.loads(text)
    name = sorted(doc["statements"])[0]
    doc["statements"][name]["conforms"] = not doc["statements"][name]["conforms"]
    return json.dumps(doc)


@pytest.mark.parametrize("spoil, reason", [
    (lambda text: "not json {", "Expecting value"),
    (_truncated, ""),
    (_foreign_version, "written by sckg 0.0.0-elsewhere"),
    (_entry_edited, "checksum does not match"),
    (lambda text: "[]", "not a JSON object"),
], ids=["garbage", "truncated", "foreign-version", "edited-entry", "not-an-object"])
def test_a_spoilt_cache_is_ignored_with_one_line_and_every_statement_validated(built, spoil, reason):
    path = built / "dist" / CACHE_FILE
    path.write_text(spoil(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = _build(built)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    [note] = [line for line in result.stderr.splitlines() if CACHE_FILE in line]
    assert note.startswith("note: ignoring") and reason in note and "every statement is validated" in note
    assert _counts(result.stdout) == (len(_statements(built)), 0)
    assert _build(built).returncode == 0  # the build wrote a good cache again
    assert _counts(_build(built).stdout) == (0, len(_statements(built)))


@pytest.mark.parametrize("command", ["build", "validate"])
def test_no_cache_validates_every_statement(built, command):
    result = run_cli("--root", str(built), command, "--no-cache")
    assert result.returncode == 0, result.stderr
    assert _counts(result.stdout) == (len(_statements(built)), 0)


def test_validate_reads_the_cache_and_never_writes_into_dist(built):
    path = built / "dist" / CACHE_FILE
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    replace_in(built / COALITION, "The coalition wants Secure Communities ended now.",
               "The coalition wants Secure Communities ended at once.")
    for _ in range(2):  # a second run would reuse the edited statement only if the first had written
        result = run_cli("--root", str(built), "validate")
        assert result.returncode == 0, result.stderr
        assert _counts(result.stdout) == (1, len(_statements(built)) - 1)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_validate_writes_no_dist_in_a_project_never_built(tmp_path):
    root = build_corpus_project(tmp_path / "project")
    result = run_cli("--root", str(root), "validate")
    assert result.returncode == 0, result.stderr
    assert _counts(result.stdout) == (len(_statements(root)), 0)
    assert not (root / "dist").exists()


def test_an_extension_file_is_a_shared_graph_so_with_it_every_statement_is_validated(built, tmp_path):
    extension = tmp_path / "note.ttl"
    extension.write_text('<https://w3id.org/sckg/id/dhs> <http://www.w3.org/2000/01/rdf-schema#comment> '
                         '"a reader\'s note" .\n', encoding="utf-8")
    result = run_cli("--root", str(built), "validate", "--with", str(extension))
    assert _counts(result.stdout) == (len(_statements(built)), 0), result.stdout + result.stderr


def test_a_statement_folder_given_with_with_is_keyed_by_its_own_graph(built, tmp_path):
    """Moved out of data/statements/ and edited, then given with --with: it alone is validated; the
    project's other statements keep their keys, since the shared graphs are unchanged."""
    import shutil

    moved = tmp_path / "fx-sheriffs-2011-06-21"
    shutil.move(built / "data" / "statements" / moved.name, moved)
    replace_in(moved / "statement.ttl", "published by the Prairie Sheriffs' Association.",
               "published by the Prairie Sheriffs' Association (edited).")
    result = run_cli("--root", str(built), "validate", "--with", str(moved))
    assert result.returncode == 0, result.stdout + result.stderr
    assert _counts(result.stdout) == (1, len(_statements(built)))


@pytest.mark.parametrize("fmt", ["json", "turtle"])
def test_a_reused_result_reports_what_a_fresh_run_reports(built, fmt):
    cached = run_cli("--root", str(built), "validate", "--format", fmt)
    fresh = run_cli("--root", str(built), "validate", "--format", fmt, "--no-cache")
    assert cached.returncode == fresh.returncode == 0, cached.stderr + fresh.stderr
    if fmt == "json":
        assert json.loads(cached.stdout) == json.loads(fresh.stdout)
    else:
        import rdflib
        from rdflib.compare import isomorphic

        graphs = [rdflib.Graph().parse(data=r.stdout, format="turtle") for r in (cached, fresh)]
        assert isomorphic(*graphs)
