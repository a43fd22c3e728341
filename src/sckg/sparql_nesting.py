"""How deeply a SPARQL text nests its brackets, checked before any parser sees it.

Both SPARQL parsers the project uses are recursive: rdflib's runs out of Python stack (a
RecursionError), Oxigraph's overflows the process's stack and the process dies with a segmentation
fault (10,000 nested groups are enough). A query nested that deep is never a real question, so
``sckg query`` and the endpoint refuse it up front with the same words, from this one function.

The count is of ``{``, ``(`` and ``[`` together, outside strings, IRIs and comments, which is what
the parsers recurse on. It is a lexical scan, linear in the text, with no recursion of its own.
"""

from __future__ import annotations

import re

MAX_NESTING = 256  # far beyond any real query; far below where Oxigraph's parser overflows its stack

_OPEN, _CLOSE = "{([", "})]"
# An IRI reference as the grammar has it (IRIREF); a '<' that does not start one is an operator.
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LONG_STRING = {"'''": re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''", re.S),
                '"""': re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""', re.S)}
_SHORT_STRING = {"'": re.compile(r"'(?:[^'\\\n\r]|\\.)*'"), '"': re.compile(r'"(?:[^"\\\n\r]|\\.)*"')}
_COMMENT = re.compile(r"#[^\r\n]*")


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets in the query text (0 for none)."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif c == "#":
            comment = _COMMENT.match(text, i)  # always matches: the pattern starts with this "#"
            i = comment.end() if comment else i + 1
            continue
        elif c == "<":
            m = _IRIREF.match(text, i)
            if m:
                i = m.end()
                continue
        elif c in "'\"":
            quote3 = text[i:i + 3]
            m = _LONG_STRING[quote3].match(text, i) if quote3 in _LONG_STRING else None
            m = m or _SHORT_STRING[c].match(text, i)
            if m:
                i = m.end()
                continue
        i += 1
    return deepest


def nesting_problem(text: str, limit: int = MAX_NESTING) -> str | None:
    """None if the query nests within ``limit``; else the message that refuses it."""
    depth = nesting_depth(text)
    if depth <= limit:
        return None
    return (f"the query nests brackets {depth} levels deep, more than the {limit} accepted; "
            "a query that deep cannot be parsed safely: flatten it")
