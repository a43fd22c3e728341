"""Progress bars (sckg.progress): drawn on standard error when it is a terminal, never in a pipe."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading

import pytest
from _support import ROOT, build_corpus_project, run_cli

from sckg.progress import Progress

pytestmark = pytest.mark.timeout(300)


def _run_on_a_terminal(*args: str) -> tuple[int, bytes, bytes]:
    """Run the CLI with standard error on a pseudo-terminal; its exit code, stdout and what the terminal got."""
    import pty

    leader, follower = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "sckg", *args], cwd=ROOT, env={**os.environ, "NO_COLOR": "1"},
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = bytearray()

    def drain():  # read while the child writes: a full terminal buffer would block it
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed its end
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = child.communicate(timeout=280)
    reader.join(timeout=30)
    os.close(leader)
    return child.returncode, out, bytes(seen)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus_project(tmp_path_factory.mktemp("progress") / "project")


@pytest.mark.parametrize("command", ["validate", "build"])
def test_on_a_terminal_the_bars_of_grounding_and_shacl_are_drawn_on_stderr_and_erased(corpus, command):
    code, out, terminal = _run_on_a_terminal("--root", str(corpus), command, "--no-cache")
    assert code == 0, terminal.decode(errors="replace")
    ids = sorted(p.name for p in (corpus / "data" / "statements").iterdir() if (p / "statement.ttl").is_file())
    for title in ("grounding", "SHACL"):  # the first and the last step are always drawn, named
        assert f"{title} [{'-' * 24}] 0/{len(ids)} statements  {ids[0]}".encode() in terminal
        assert f"] {len(ids) - 1}/{len(ids)} statements  {ids[-1]}".encode() in terminal
    assert terminal.rstrip(b"\n").endswith(b"\r\x1b[K")  # erased before the command's own output
    assert b"\r" not in out and b"statements  " not in out  # standard output is not the terminal


@pytest.mark.parametrize("command", ["validate", "build"])
def test_in_a_pipe_there_is_no_bar_and_no_carriage_return(corpus, command):
    result = run_cli("--root", str(corpus), command, "--no-cache")
    assert result.returncode == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\r" not in stream and "\x1b[K" not in stream and "[#" not in stream and "[-" not in stream


def test_a_bar_fills_by_steps_or_by_bytes_and_is_erased_by_close():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = Progress(4, "statements", title="SHACL", stream=stream, redraw_seconds=0)
    bar.advance()
    bar.show("second")
    assert stream.getvalue() == "\r\x1b[KSHACL [" + "#" * 6 + "-" * 18 + "] 1/4 statements  second"
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K")
    by_bytes = Progress(2, "graphs", total_bytes=2000, stream=Terminal(), redraw_seconds=0)
    by_bytes.advance(1500)
    by_bytes.show("PUT links")
    assert "[" + "#" * 18 + "-" * 6 + "] 1/2 graphs 1.5 kB/2.0 kB  PUT links" in by_bytes.stream.getvalue()


def test_a_bar_is_silent_when_the_stream_is_no_terminal_or_the_command_did_not_ask():
    quiet, unasked = io.StringIO(), io.StringIO()
    unasked.isatty = lambda: True  # type: ignore[method-assign]
    for stream, enabled in ((quiet, True), (unasked, False)):
        bar = Progress(3, "statements", stream=stream, enabled=enabled, redraw_seconds=0)
        bar.show("one")
        bar.advance()
        bar.close()
        assert stream.getvalue() == ""
