"""What a user reads when a query cannot run: syntax errors by line and column of their own text
(not of the prologue sckg prepends), and the refusal of SPARQL Update. ``sckg query``, ``kg.query()``
and the endpoint word these the same way, from this module.
"""

from __future__ import annotations

import re

from . import namespaces as ns

PROLOGUE_LINES = ns.sparql_prologue().count("\n")  # engines count lines of the prologue too


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR...): parsed, never executed."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(ns.sparql_prologue() + text)
        return True
    except Exception:  # not an update either: the query's own syntax error is what the user needs
        return False


def update_message(origin: str) -> str:
    return (f"{origin}: this is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR ...); updates are not supported: "
            "sckg query runs SELECT, ASK, CONSTRUCT and DESCRIBE. The graph is built from the files in data/: "
            "edit those and run sckg build")


def oxigraph_syntax_message(message: str, text: str, origin: str) -> str:
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not match:
        return f"{origin}: SPARQL syntax error: {message}"
    line = int(match.group(1)) - PROLOGUE_LINES
    column = int(match.group(2))
    detail = match.group(3)
    if "Prefix not found" in detail:
        lines = text.splitlines()
        before = lines[line - 1][:column] if 1 <= line <= len(lines) else ""
        names = re.findall(r"([A-Za-z][\w.-]*)?:[\w.-]*", before)
        name = f"'{names[-1]}:' " if names else ""
        detail = (f"unknown prefix {name}(declare it with a PREFIX line; "
                  "'sckg queries --prefixes' lists the predeclared ones)")
    else:
        detail = _readable_expectation(detail)
    return position_message(origin, text, line, column, detail)


def _readable_expectation(detail: str) -> str:
    """Oxigraph lists what it expected, character classes included ('A' ..= 'Z' | ...); keep the
    keywords and punctuation a person can act on and drop the Unicode ranges."""
    detail = " ".join(detail.split())
    match = re.match(r"expected one of (.*)", detail)
    if not match:
        return detail if len(detail) <= 160 else detail[:157].rstrip() + "..."
    items = re.findall(r"\[[^\]]*\]|[^,\s][^,]*", match.group(1))
    readable = [i.strip() for i in items if "..=" not in i and "\\u{" not in i and i.strip() != "[_]"]
    return "expected one of " + ", ".join(readable) if readable else "unexpected text here"


def position_message(origin: str, text: str, line: int, column: int, detail: str) -> str:
    """'line L, column C: detail' plus the offending line with a caret under the column."""
    lines = text.splitlines()
    if lines and line > len(lines):  # the engine points past the last line: the query ended too early
        return (f"{origin}: SPARQL syntax error at the end of the query (after line {len(lines)}): {detail}\n"
                f"  {lines[-1]}")
    if line < 1 or line > len(lines):
        return f"{origin}: SPARQL syntax error: {detail}"
    source_line = lines[line - 1]
    caret = " " * max(column - 1, 0) + "^"
    near = source_line[max(column - 1, 0):].strip()[:40]
    where = f" near '{near}'" if near else " at the end of the line"
    return (f"{origin}: SPARQL syntax error at line {line}, column {column}{where}: {detail}\n"
            f"  {source_line}\n  {caret}")
