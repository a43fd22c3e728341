"""Helpers shared by the tests: a scratch copy of the project, and running the CLI as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# CAP's statement, for the tests that are about CAP's encoding (or that break a real statement on
# purpose in a scratch copy). A generic test takes its statements from statement_folders() instead.
STATEMENT_DIR = ROOT / "data" / "statements" / "cap-2011-06-17"
SOURCE_TEXT = (STATEMENT_DIR / "source.txt").read_text(encoding="utf-8")


def statement_folders(root: Path = ROOT) -> list[Path]:
    """Every statement folder of data/statements/ (those holding a statement.ttl), in id order: what a
    generic test parametrises over, so that adding a statement adds its cases and changes no other's."""
    return sorted(p for p in (root / "data" / "statements").iterdir() if (p / "statement.ttl").is_file())


def statement_params(root: Path = ROOT) -> list:
    """statement_folders() as pytest parameters named by statement id."""
    import pytest

    return [pytest.param(folder, id=folder.name) for folder in statement_folders(root)]


def statement_iri(folder: Path) -> str:
    """The statement's IRI: the folder name is its local part."""
    from sckg import namespaces as ns

    return ns.DATA + folder.name


def expected_rows(folder: Path, name: str) -> list[dict[str, str]]:
    """The statement's own expected answer to library question NAME (expected/NAME.csv), as dicts."""
    import csv

    with open(folder / "expected" / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def copy_project(dest: Path) -> Path:
    """A copy of everything the loader and the gate read, to break on purpose."""
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def built_project(dest: Path) -> Path:
    """A scratch copy of the project, built by `sckg build` as a user would, for tests that read dist/."""
    root = copy_project(dest)
    result = run_cli("--root", str(root), "build", "--quiet")
    assert result.returncode == 0, result.stderr
    return root


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("SCKG_ROOT", None) if env is None or "SCKG_ROOT" not in env else None
    return subprocess.run([sys.executable, "-m", "sckg", *args], cwd=cwd or ROOT, env=full_env,
                          capture_output=True, text=True, timeout=300)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- the fixture corpus: the project with two fictional statements added --------------------------

CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def corpus_statement_ids() -> list[str]:
    """The real statements the fixture corpus keeps (tests/fixtures/corpus/real-statements.txt)."""
    lines = (CORPUS / "real-statements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def build_corpus_project(dest: Path) -> Path:
    """A scratch copy of the project with the fictional statements of tests/fixtures/corpus/ overlaid
    on data/statements/ and their organisations on data/entities/. Real statements other than those
    listed in real-statements.txt are left out, so the corpus's answers stay fixed."""
    copy_project(dest)
    keep = set(corpus_statement_ids())
    for folder in (dest / "data" / "statements").iterdir():
        if folder.is_dir() and folder.name not in keep:
            shutil.rmtree(folder)
    for folder in sorted((CORPUS / "statements").iterdir()):
        if folder.is_dir():
            shutil.copytree(folder, dest / "data" / "statements" / folder.name)
    for entity in sorted((CORPUS / "entities").glob("*.ttl")):
        shutil.copyfile(entity, dest / "data" / "entities" / entity.name)
    return dest


# ---- the project's own shared entities, as against those a new statement brings -------------------

# The entity files the link notes of data/links/ cover. A new statement's publisher and speaker go to
# a new file of data/entities/ (sckg new-statement names it after them) and stay unlinked until
# `sckg link` proposes links and someone accepts them.
SHARED_ENTITY_FILES = ("actors.ttl", "announcement.ttl", "phenomena.ttl")


def shared_entity_iris(root: Path = ROOT) -> set[str]:
    """The IRIs typed in SHARED_ENTITY_FILES."""
    import rdflib

    graph = rdflib.Graph()
    for name in SHARED_ENTITY_FILES:
        graph.parse(root / "data" / "entities" / name, format="turtle")
    return {str(s) for s in graph.subjects(rdflib.RDF.type, None)}
