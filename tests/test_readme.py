"""The README's Python examples run as written and print what the README shows (doctest), and the
README opens with the two commands CI runs."""

from __future__ import annotations

import doctest
import re

import pytest
from _support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_readme_python_examples_print_what_the_readme_shows():
    pytest.importorskip("pandas")
    blocks = [b for b in _fenced("python") if ">>>" in b]
    assert blocks, "the README has no Python session to check"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    globs: dict = {}
    for number, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"README python block {number + 1}", "README.md", 0)
        runner.run(test)
    assert runner.failures == 0
    assert runner.tries >= 5


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    first, second = (b.strip() for b in _fenced("sh")[:2])
    assert first == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/sckg build"
    assert "pytest" in second
    assert README.index(first) < README.index("##")  # before any section
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert second in ci_lines
