"""A plain install, far from any checkout, as a researcher gets it from `pip install .`: the wheel and
the sdist are built for real; the installed package runs from a folder outside the clone.

Only the package is installed from the built files (--no-deps --target); its dependencies are the test
environment's own. Building (the `build` package) needs setuptools from the package registry, as every
install does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from _support import ROOT

pytestmark = pytest.mark.timeout(900)


def _pip(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=800)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The sdist, and the wheel built from that sdist (as `python -m build` does): a file missing from
    the sdist would make the wheel, or the tests below, fail."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], cwd=out,
                            capture_output=True, text=True, timeout=800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return next(out.glob("sckg-*.whl")), next(out.glob("sckg-*.tar.gz"))


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory) -> dict[str, str]:
    wheel, _ = built
    target = tmp_path_factory.mktemp("site")
    result = _pip("install", "--no-deps", "-q", "--target", str(target), str(wheel), cwd=target)
    assert result.returncode == 0, result.stderr[-3000:]
    return {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1"}


def _sckg(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in env.items() if k != "SCKG_ROOT"}
    return subprocess.run([sys.executable, "-m", "sckg", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_wheel_carries_the_project_files_and_the_licences(built):
    wheel, _ = built
    names = zipfile.ZipFile(wheel).namelist()
    assert "sckg/_project/ontology/sckg.ttl" in names and "sckg/_project/ontology/shapes.ttl" in names
    for statement in (ROOT / "data" / "statements").iterdir():
        assert f"sckg/_project/data/statements/{statement.name}/source.txt" in names
    assert any(n.startswith("sckg/_project/queries/") and n.endswith(".rq") for n in names)
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert any(n.endswith("licenses/LICENSE-DATA") for n in names)


def test_outside_a_checkout_the_installed_package_runs_from_its_own_files(installed, tmp_path):
    result = subprocess.run([sys.executable, "-c", "import sckg; print(sckg.__file__)"], cwd=tmp_path,
                            env=installed, capture_output=True, text=True, timeout=120)
    assert Path(result.stdout.strip()).is_relative_to(Path(installed["PYTHONPATH"])), result.stdout


def test_without_a_project_a_data_command_says_how_to_get_one(installed, tmp_path):
    result = _sckg(installed, tmp_path, "query", "-e", "ASK {}")
    assert result.returncode == 2
    assert "sckg init DIR" in result.stderr and "Traceback" not in result.stderr


def test_init_lays_out_a_working_copy_that_builds_and_answers(installed, tmp_path):
    result = _sckg(installed, tmp_path, "init", "work")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "work" / "ontology" / "sckg.ttl").is_file()
    build = _sckg(installed, tmp_path / "work", "build", "-q")
    assert build.returncode == 0, build.stderr
    query = _sckg(installed, tmp_path, "query", "--root", "work", "--format", "csv", "-e",
                  "SELECT (COUNT(*) AS ?n) WHERE { ?s a sckg:PolicyStatement }")
    assert query.returncode == 0, query.stderr
    statements = [p for p in (ROOT / "data" / "statements").iterdir() if (p / "source.txt").is_file()]
    assert query.stdout.splitlines()[1] == str(len(statements))


def test_init_refuses_a_folder_that_is_not_empty(installed, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    result = _sckg(installed, tmp_path, "init", "busy")
    assert result.returncode == 2 and "not an empty folder" in result.stderr
    assert (tmp_path / "busy" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_sdist_is_a_working_project_whose_tests_run(built, installed, tmp_path):
    _, tarball = built
    with tarfile.open(tarball) as archive:
        archive.extractall(tmp_path, filter="data")
    unpacked = next(tmp_path.glob("sckg-*"))
    for needed in ("ontology/sckg.ttl", "data/statements", "queries", "tests/conftest.py", "README.md",
                   "LICENSE", "LICENSE-DATA", "setup.py"):
        assert (unpacked / needed).exists(), needed
    env = {**installed, "PYTHONPATH": str(unpacked / "src")}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_cli.py", "tests/test_packaging.py"], cwd=unpacked, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
