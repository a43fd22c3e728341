"""The command line as a user meets it: --version, --help everywhere, documented exit codes."""

from __future__ import annotations

import pytest
from _support import run_cli

import sckg
from sckg.cli import build_parser


def _subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_version_prints_the_package_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sckg {sckg.__version__}"


def test_help_documents_the_exit_codes():
    result = run_cli("--help")
    assert result.returncode == 0
    for line in ("0  success", "1  invalid data", "2  usage or runtime error"):
        assert line in result.stdout


def test_build_and_validate_are_commands():
    assert {"build", "validate"} <= set(_subcommands())


@pytest.mark.parametrize("command", _subcommands())
def test_every_subcommand_has_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: sckg {command}" in result.stdout
    assert "exit codes" in result.stdout


def test_no_command_prints_help_and_exits_2():
    result = run_cli()
    assert result.returncode == 2
    assert "usage: sckg" in result.stdout


def test_unknown_command_is_a_usage_error():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_is_a_usage_error():
    result = run_cli("build", "--no-such-option")
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr


def test_validate_on_the_project_exits_0():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid: SHACL conforms" in result.stdout


@pytest.mark.parametrize("command", ["build", "queries", "query stances-matrix", "links"])
def test_root_without_a_project_is_a_usage_error(command, tmp_path):
    result = run_cli("--root", str(tmp_path), *command.split())
    assert result.returncode == 2
    assert f"no sckg project at {tmp_path}" in result.stderr


def test_root_is_accepted_before_and_after_the_subcommand(tmp_path):
    from _support import ROOT

    before = run_cli("--root", str(ROOT), "queries", cwd=tmp_path)
    after = run_cli("queries", "--root", str(ROOT), cwd=tmp_path)
    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    assert before.stdout == after.stdout and before.stdout.strip()


def test_root_after_the_subcommand_wins_over_root_before_it(tmp_path):
    from _support import ROOT

    result = run_cli("--root", str(tmp_path), "queries", "--root", str(ROOT), cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_root_without_the_project_is_a_usage_error_naming_what_is_missing(tmp_path):
    result = run_cli("queries", "--root", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "no sckg project" in result.stderr and "ontology/sckg.ttl" in result.stderr
    assert "Traceback" not in result.stderr


def test_sckg_root_names_the_project_from_anywhere(tmp_path):
    from _support import ROOT

    result = run_cli("queries", cwd=tmp_path, env={"SCKG_ROOT": str(ROOT)})
    assert result.returncode == 0, result.stderr


def test_the_command_table_agrees_with_the_modules():
    """`sckg --help` lists sckg.cli.COMMANDS without importing a command module: every module with a
    register() must be in the table, and register exactly the command the table names, with its help."""
    import argparse
    import importlib
    import pkgutil

    from sckg import commands
    from sckg.cli import COMMANDS

    registering = {info.name for info in pkgutil.iter_modules(commands.__path__)
                   if hasattr(importlib.import_module(f"sckg.commands.{info.name}"), "register")}
    assert registering == {module for module, _ in COMMANDS.values()}
    for name, (module, help_text) in COMMANDS.items():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"sckg.commands.{module}").register(sub)
        assert [(a.dest, a.help) for a in sub._choices_actions] == [(name, help_text)], module


def test_help_lists_every_command_with_its_help():
    from sckg.cli import COMMANDS

    result = run_cli("--help")
    listed = " ".join(result.stdout.split())
    for name, (_, help_text) in COMMANDS.items():
        assert f"{name} {help_text}" in listed


def test_a_command_imports_only_its_own_module():
    """`sckg query` imports neither the other commands nor what they need (networkx for the
    exporters, Starlette for the server, rdflib for the parsers): start-up is what a query pays."""
    import subprocess
    import sys

    from _support import ROOT

    code = ("import sys; from sckg.cli import main; main(['query', '-f', 'csv', '-e', 'ASK {}']); "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('sckg.commands.') "
            "or m in ('networkx', 'starlette', 'rdflib'))), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.split() == ["sckg.commands.query", "sckg.commands.with_data"]


@pytest.mark.parametrize(("argv", "command"), [
    (["query", "-f", "csv", "x"], "query"), (["--root", "query", "queries"], "queries"),
    (["--ro", "dir", "build"], "build"), (["--root=dir", "links"], "links"), (["--version"], None),
    (["frobnicate", "query"], None), ([], None),
])
def test_the_command_is_read_before_any_parser_is_built(argv, command):
    from sckg.cli import _command_in

    assert _command_in(argv) == command


def test_a_command_the_scan_misses_still_runs(monkeypatch, capsys):
    from sckg import cli

    monkeypatch.setattr(cli, "_command_in", lambda argv: None)  # every command a stub: argparse finds it
    assert cli.main(["queries"]) == 0
    assert "stances-matrix" in capsys.readouterr().out
