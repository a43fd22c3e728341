"""The OWL 2 RL gate in a second process (consistency.PendingCheck): the same verdict as in-process, a
clear error when the child dies or cannot run, and nothing left behind."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pyoxigraph as ox
import pytest

from sckg import consistency
from sckg.errors import DataError, UsageError
from sckg.graph import KnowledgeGraph

pytestmark = pytest.mark.timeout(120)

CLASH = """@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix : <http://example.org/fixture#> .
:A owl:disjointWith :B . :x a :A , :B ."""


def _graph(text: str) -> KnowledgeGraph:
    store = ox.Store()
    store.load(text.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://example.org/fixture"))
    return KnowledgeGraph(root=None, store=store, files=[], groundings=[])


def test_the_child_finds_the_clash_the_in_process_check_finds():
    kg = _graph(CLASH)
    with consistency.PendingCheck(kg) as pending:
        assert pending.process is not None  # reasonable runs in a child
        with pytest.raises(DataError, match=r"cax-dw: http://example.org/fixture#x is a .*#A and a .*#B"):
            pending.finish("nothing was written")
    assert consistency.owl_rl_errors(kg) != []


def test_a_consistent_graph_passes_and_its_temporary_folder_is_removed():
    with consistency.PendingCheck(_graph(CLASH.replace(", :B", ""))) as pending:
        folder = pending.path
        assert os.path.isdir(folder)
        assert pending.finish("nothing was written") == "reasonable"
    assert not os.path.exists(folder)


def test_a_child_that_dies_is_a_runtime_error_naming_its_exit_code():
    with consistency.PendingCheck(_graph(CLASH)) as pending:
        os.kill(pending.process.pid, signal.SIGKILL)
        with pytest.raises(UsageError, match=r"worker process ended without an answer \(exit code -9\)"):
            pending.finish("nothing was written")


def test_a_child_that_cannot_read_its_input_says_why():
    parent, child = multiprocessing.Pipe(duplex=False)
    consistency._child("/nonexistent-folder-for-sckg-test", child)
    status, message = parent.recv()
    assert status == "error" and "OSError" in message


def test_closing_early_stops_the_child_and_removes_the_folder():
    pending = consistency.PendingCheck(_graph(CLASH))
    process, folder = pending.process, pending.path
    pending.close()  # as a build does when SHACL fails first
    assert not process.is_alive() and not os.path.exists(folder)


def test_owlrl_runs_in_the_parent_and_needs_no_child():
    with consistency.PendingCheck(_graph(CLASH), engine="owlrl") as pending:
        assert pending.process is None
        with pytest.raises(DataError, match=r"\(by owlrl\)"):
            pending.finish("nothing was written")
