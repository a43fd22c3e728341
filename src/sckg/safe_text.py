"""Text from data on its way to a terminal or a spreadsheet: shown, never obeyed.

Literals come from the project's files, from a user's --with data, from imported tables and from
remote endpoints. Two things in them can act instead of being read:

- control characters (ESC, BEL, ... and the Unicode bidirectional overrides): written raw to a
  terminal they can set the window title, clear the screen or reorder what is shown. ``visible``
  writes them as escapes (``\\x1b``, ``\\u202e``), so they are seen, not executed.
- spreadsheet formulas: a CSV cell that starts with = + - or @ is run as a formula by Excel,
  LibreOffice and Google Sheets (CSV injection). ``spreadsheet_safe`` puts an apostrophe before such
  a text cell, the OWASP-recommended neutralisation that spreadsheets hide when they show the cell.
"""

from __future__ import annotations

import json
import re

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _escape(match: re.Match) -> str:
    char = match.group(0)
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with control and bidirectional-override characters written as escapes; tab and
    newline are kept (callers that need one line collapse whitespace themselves)."""
    return _CONTROL.sub(_escape, text)


def spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def spreadsheet_safe_results(document: bytes) -> bytes:
    """A SPARQL JSON results document whose text literals (plain, xsd:string, language-tagged) that
    would start a formula get the apostrophe. Typed values (numbers such as -3, dates) stay as they are."""
    data = json.loads(document)
    changed = False
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "literal" and term.get("datatype") in (None, XSD_STRING, RDF_LANGSTRING):
                safe = spreadsheet_safe(term.get("value", ""))
                if safe != term.get("value"):
                    term["value"] = safe
                    changed = True
    return json.dumps(data).encode("utf-8") if changed else document
