"""Small helpers for what the CLI prints: colour only on a terminal, aligned tables."""

from __future__ import annotations

import os
import sys


def _colour_enabled(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def paint(text: str, colour: str, stream=None) -> str:
    codes = {"green": "32", "red": "31", "yellow": "33", "bold": "1", "dim": "2"}
    if not _colour_enabled(stream or sys.stdout):
        return text
    return f"\033[{codes[colour]}m{text}\033[0m"


def table(rows: list[list[str]], headers: list[str] | None = None, indent: str = "  ") -> str:
    """Rows as aligned columns (numbers right-aligned)."""
    all_rows = ([headers] if headers else []) + rows
    if not all_rows:
        return ""
    widths = [max(len(str(r[i])) for r in all_rows) for i in range(len(all_rows[0]))]
    lines = []
    for index, row in enumerate(all_rows):
        cells = []
        for i, cell in enumerate(row):
            cell = str(cell)
            numeric = cell.replace(".", "", 1).replace("%", "").isdigit()
            cells.append(cell.rjust(widths[i]) if numeric and index > 0 else cell.ljust(widths[i]))
        lines.append(indent + "  ".join(cells).rstrip())
        if headers and index == 0:
            lines.append(indent + "  ".join("-" * w for w in widths))
    return "\n".join(lines)

