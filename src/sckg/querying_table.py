"""The aligned table ``sckg query`` prints on a terminal: CURIEs for IRIs, long values shortened.

Shortening keeps what identifies a value: an IRI keeps its prefix (or namespace) whole and loses the
middle of its local name, never the prefix; a literal keeps its beginning and ends with an ellipsis.
Columns are shrunk, widest first, only as far as needed to fit the terminal, and never below a readable
width: when the columns cannot all fit readably, each row is printed as a record of "name | value"
lines instead (like psql's expanded display), so a narrow terminal still shows whole values.
"""

from __future__ import annotations

import re

from . import namespaces as ns
from .console import table
from .query_answer import Answer, Term
from .safe_text import visible

ELLIPSIS = "…"
MIN_WIDTH = 12
READABLE_WIDTH = 28  # below this, shortened CURIEs stop being recognisable: switch to records


def display(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "iri":
        short = ns.curie(term.value)
        return visible(short if short != term.value else f"<{term.value}>")
    if term.kind == "bnode":
        return "_:" + visible(term.value)
    return visible(re.sub(r"\s+", " ", term.value).strip())  # ESC and friends shown, never obeyed


def shorten(text: str, kind: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    if kind == "iri":
        if text.startswith("<"):  # a full IRI: keep its namespace if it fits
            cut = max(text.rfind("/", 0, len(text) - 2), text.rfind("#"))
            head = text[:cut + 1] if 0 < cut < limit - 4 else "<"
        else:  # a CURIE: keep the prefix whole
            head = text[:text.index(":") + 1]
        room = max(limit - len(head) - 1, 3)
        return head + ELLIPSIS + text[-room:]
    return text[:max(limit - 1, 1)].rstrip() + ELLIPSIS


def render(answer: Answer, width: int | None = None) -> str:
    """The answer as text for a person: a table for SELECT, 'true'/'false' for ASK."""
    if answer.form == "ASK":
        return "true" if answer.boolean else "false"
    kinds = [[(t.kind if t else "literal") for t in row] for row in answer.rows]
    cells = [[display(t) for t in row] for row in answer.rows]
    headers = list(answer.variables)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    if width:
        budget = width - 2 * (len(headers) - 1)
        readable = [min(w, max(READABLE_WIDTH, len(h))) for w, h in zip(widths, headers, strict=True)]
        if sum(readable) > budget:
            return _records(headers, cells, kinds, width)
        # shrink the widest column one character at a time, so wide columns share the cut
        while sum(widths) > budget:
            widest = max(range(len(widths)), key=lambda i: widths[i])
            if widths[widest] <= max(MIN_WIDTH, len(headers[widest])):
                break
            widths[widest] -= 1
    rows = [[shorten(c, k, widths[i]) for i, (c, k) in enumerate(zip(row, kind, strict=True))]
            for row, kind in zip(cells, kinds, strict=True)]
    count = len(rows)
    return table(rows, headers, indent="") + f"\n({count} row{'s' if count != 1 else ''})"


def _records(headers: list[str], cells: list[list[str]], kinds: list[list[str]], width: int) -> str:
    """Each row as a block of "name | value" lines, for terminals too narrow for the table."""
    label = max(len(h) for h in headers)
    room = max(width - label - 3, MIN_WIDTH)
    out = []
    for number, (row, kind) in enumerate(zip(cells, kinds, strict=True), start=1):
        title = f"-[ row {number} ]"
        out.append(title + "-" * max(width - len(title), 0))
        out += [f"{h.ljust(label)} | {shorten(c, k, room)}" for h, c, k in zip(headers, row, kind, strict=True)]
    count = len(cells)
    return "\n".join(out) + f"\n({count} row{'s' if count != 1 else ''})"
