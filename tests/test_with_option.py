"""One spelling for data loaded beside the project's: `--with PATH` in query, serve and validate; the
old spellings (`serve --extra`, `validate FILE`) still work and print one line naming the new one."""

from __future__ import annotations

import pytest

from sckg.cli import build_parser


@pytest.mark.parametrize("command", [["query", "some-question"], ["serve"], ["validate"]])
def test_every_command_takes_with_path(command, capsys):
    args = build_parser().parse_args([*command, "--with", "a.ttl", "--with", "folder/"])
    assert args.extra == ["a.ttl", "folder/"]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("argv", [["serve", "--extra", "a.ttl", "--extra", "b.ttl"], ["validate", "a.ttl", "b.ttl"]])
def test_the_old_spelling_still_works_and_says_the_new_one_once(argv, capsys):
    args = build_parser().parse_args(argv)
    assert args.extra == ["a.ttl", "b.ttl"]
    note = capsys.readouterr().err.splitlines()
    assert len(note) == 1
    assert "deprecated" in note[0] and "--with PATH" in note[0]


def test_old_and_new_spellings_add_up():
    assert build_parser().parse_args(["serve", "--extra", "a.ttl", "--with", "b.ttl"]).extra == ["a.ttl", "b.ttl"]


def test_without_data_the_list_is_empty_and_the_parser_default_stays_empty():
    parser = build_parser()
    parser.parse_args(["validate", "x.ttl"])
    assert parser.parse_args(["validate"]).extra == []
