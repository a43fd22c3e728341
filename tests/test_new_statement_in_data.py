"""Copying a valid new statement into data/ breaks no test: CI checks it on every run.

The test below builds a scratch copy of this project whose data/statements/ holds the real statements
plus the fictional statements of tests/fixtures/corpus/ (with their organisations in data/entities/),
exactly as if someone had added them, and runs in it, in a subprocess, the tests that are parametrised
over the statements of data/statements/ (each gets its own cases, checked against its own expected/
answers) and every library question (tests/test_query_library.py). A generic test that still assumes
one statement, or a library question whose answer for one statement changes when another is added,
fails here. To keep CI time modest only these files run in the copy; the whole suite can be run on such
a copy by hand (docs/extending.md, "What a new statement touches")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from _support import CORPUS, ROOT, copy_project

# The tests run in the copy: every library question, and the generic tests parametrised over
# data/statements/ (a -k expression narrows a file to them where the file also holds CAP-only tests).
IN_THE_COPY = [
    # each statement's expected answers, complete, on the project with the fixtures as its own
    # statements (the engine comparison and the corpus questions already run on the fixture corpus)
    ("tests/test_query_library.py", "its_expected_answer or one_for_every_statement_question "
                                    "or shared_question or names_the_statement"),
    ("tests/test_api.py", None),
    ("tests/test_statement_encoding.py", "anchor_slices or prefix_and_suffix"),
    ("tests/test_export_views.py", "every_claim_of_the_statement or slices_the_source_text"),
    ("tests/test_query_cli.py", "expression_gives_csv or tsv_json_and_xml or construct_in_every or table_shows"),
]


def project_with_the_fixtures_in_data(dest):
    """This project (with its tests) plus the fictional statements copied into data/, as a user adds one."""
    copy_project(dest)
    shutil.copytree(ROOT / "tests", dest / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", dest / "pyproject.toml")
    for folder in sorted((CORPUS / "statements").iterdir()):
        # (already there when the whole suite is run on such a copy by hand)
        shutil.copytree(folder, dest / "data" / "statements" / folder.name, dirs_exist_ok=True)
    for entity in sorted((CORPUS / "entities").glob("*.ttl")):
        shutil.copyfile(entity, dest / "data" / "entities" / entity.name)
    return dest


def test_the_copy_holds_every_statement_of_data_and_the_fixtures(tmp_path):
    project = project_with_the_fixtures_in_data(tmp_path / "project")
    ids = {p.name for p in (project / "data" / "statements").iterdir()}
    expected = ({p.name for p in (ROOT / "data" / "statements").iterdir()}
                | {p.name for p in (CORPUS / "statements").iterdir()})
    assert ids == expected


@pytest.mark.timeout(1200)
def test_statement_parametrised_tests_and_every_library_question_pass_with_the_fixtures_in_data(tmp_path):
    project = project_with_the_fixtures_in_data(tmp_path / "project")
    failures = []
    for path, keyword in IN_THE_COPY:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", path]
        if keyword:
            command += ["-k", keyword]
        env = {k: v for k, v in os.environ.items() if k != "SCKG_ROOT"}
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=1100)
        if result.returncode != 0:
            failures.append(f"{path}:\n{result.stdout[-4000:]}")
    assert not failures, "with the fixture statements copied into data/:\n" + "\n".join(failures)
