"""`sckg build` replaces dist/ atomically even when killed, cleans up what killed builds left, and
keeps dist/exports/ exactly while the exports show the graph dist/ holds (README, docs/exports.md).

Kill tests are bounded by count; every subprocess has a timeout."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _support import copy_project, replace_in, run_cli

DUMPS = {"sckg.ttl", "sckg.nt", "sckg.nq", "sckg.trig", "sckg.jsonld", "context.jsonld", "ontology.ttl", "void.ttl",
         ".sckg-output"}


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def _complete(dist: Path) -> bool:
    return dist.is_dir() and {p.name for p in dist.iterdir()} >= DUMPS


def _leftovers(dist: Path) -> list[str]:
    return sorted(p.name for p in dist.parent.iterdir() if p.name.startswith(f".{dist.name}."))


def _build_in_subprocess(project: Path, dist: Path, patch: str = "") -> subprocess.CompletedProcess:
    """`sckg build` in a child whose Python first runs ``patch`` (to simulate a crash at one moment)."""
    code = (f"import os, shutil, sys\nimport sckg.atomic as atomic\n{patch}\n"
            "from sckg.cli import main\n"
            f"sys.exit(main(['--root', {str(project)!r}, 'build', '-q', '-o', {str(dist)!r}]))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_renameat2_exchange_swaps_two_folders_in_one_step(tmp_path):
    from sckg.atomic import _exchange

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "from-a").touch()
    (b / "from-b").touch()
    if not _exchange(a, b):
        pytest.skip("this system or file system has no RENAME_EXCHANGE; the two-rename fallback is tested below")
    assert [p.name for p in a.iterdir()] == ["from-b"] and [p.name for p in b.iterdir()] == ["from-a"]


def test_a_crash_right_after_the_swap_leaves_the_new_dist_and_the_next_build_cleans_up(project, tmp_path):
    dist = tmp_path / "dist"
    assert run_cli("--root", str(project), "build", "-q", "-o", str(dist)).returncode == 0
    # Die at the first folder removal after the swap: the moment the old build's folder is deleted.
    crash = "shutil.rmtree = lambda *a, **k: os._exit(9)"
    assert _build_in_subprocess(project, dist, crash).returncode == 9
    assert _complete(dist), "dist/ must be complete after the crash"
    assert _leftovers(dist), "the crash left the old folder behind (what this test is about)"
    assert run_cli("--root", str(project), "build", "-q", "-o", str(dist)).returncode == 0
    assert _complete(dist) and _leftovers(dist) == []


def test_without_exchange_a_crash_between_the_two_renames_is_repaired_by_the_next_build(project, tmp_path):
    dist = tmp_path / "dist"
    assert run_cli("--root", str(project), "build", "-q", "-o", str(dist)).returncode == 0
    before = (dist / "sckg.nq").read_bytes()
    # No RENAME_EXCHANGE (macOS, some file systems), and death right after rename(dist, .dist.old-*).
    crash = ("atomic._exchange = lambda a, b: False\n_rename = os.rename\n"
             "def rename(a, b):\n    _rename(a, b)\n    os._exit(9)\nos.rename = rename")
    assert _build_in_subprocess(project, dist, crash).returncode == 9
    assert not dist.exists() and any(n.startswith(".dist.old-") for n in _leftovers(dist))
    from sckg.atomic import recover

    recover(dist)  # what every build does first
    assert _complete(dist) and (dist / "sckg.nq").read_bytes() == before
    assert _leftovers(dist) == []


def test_leftovers_of_dead_builds_are_removed_and_those_of_running_builds_kept(project, tmp_path):
    dist = tmp_path / "dist"
    dead = tmp_path / ".dist.staging-999999999-abc"  # no process has this id (above Linux's pid_max)
    legacy = tmp_path / ".dist.old-x1y2z3"           # written before builds named their pid
    running = tmp_path / f".dist.staging-{os.getpid()}-def"  # this test process is alive
    for folder in (dead, legacy, running):
        folder.mkdir()
    assert run_cli("--root", str(project), "build", "-q", "-o", str(dist)).returncode == 0
    assert _leftovers(dist) == [running.name]


def test_kill_9_at_random_moments_never_leaves_dist_missing_or_partial(project, tmp_path):
    dist = tmp_path / "dist"
    assert run_cli("--root", str(project), "build", "-q", "-o", str(dist)).returncode == 0
    rng = random.Random(12)
    cmd = [sys.executable, "-m", "sckg", "--root", str(project), "build", "-q", "-o", str(dist)]
    for _ in range(8):
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.5))
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        assert _complete(dist), f"after a kill: {sorted(p.name for p in dist.parent.iterdir())}"
    assert run_cli("--root", str(project), "build", "-q", "-o", str(dist)).returncode == 0
    assert _complete(dist) and _leftovers(dist) == []


# ---- dist/exports/ ----------------------------------------------------------------------------------------

def test_export_before_any_build_does_not_block_the_build_and_survives_it(project):
    r = run_cli("--root", str(project), "export", "actors", "--format", "dot")
    assert r.returncode == 0, r.stderr
    assert (project / "dist" / ".sckg-output").is_file()
    built = run_cli("--root", str(project), "build", "-q")
    assert built.returncode == 0, built.stderr
    assert (project / "dist" / "exports" / "actors.dot").is_file(), "drawn from the graph just built: kept"


def test_a_rebuild_of_a_changed_graph_removes_stale_exports_and_says_so(project):
    assert run_cli("--root", str(project), "build", "-q").returncode == 0
    assert run_cli("--root", str(project), "export", "actors", "--format", "dot").returncode == 0
    again = run_cli("--root", str(project), "build", "-q")
    assert again.returncode == 0 and (project / "dist" / "exports" / "actors.dot").is_file()
    replace_in(project / "data" / "entities" / "actors.ttl", "Center for American Progress",
               "Center for American Progress (edited)")
    changed = run_cli("--root", str(project), "build", "-q")
    assert changed.returncode == 0, changed.stderr
    assert not (project / "dist" / "exports" / "actors.dot").exists()
    assert "exports/actors.dot" in changed.stdout and "earlier graph" in changed.stdout
