"""Which query the user means, and the values bound to its parameters.

A query is named as a library question (``sckg query stances-matrix``, ``kg.query("stances-matrix")``),
a ``.rq`` file, standard input or an expression; a library question declares its parameters in
``# param:`` header lines (sckg.library). Parameter values are turned into RDF terms here and bound
by the engine, never pasted into the text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError
from .library import get_query
from .project import display

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # a library name, as opposed to SPARQL text
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class QuerySource:
    text: str
    origin: str  # for messages: "query stances-matrix", "my.rq", "standard input", "-e expression"
    params: tuple = ()  # the library.Parameter declared in a library query's header


# ---- parameters: values bound to variables, never pasted into the text -----------------------------

def parse_param_args(items: list[str] | None) -> dict[str, str]:
    """``["holder=kg:cap", ...]`` (the CLI's repeated --param) as a dict; a malformed item is a UsageError."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name, value = name.strip().lstrip("?$"), value.strip()
        if not sep or not name or not value:
            raise UsageError(f"--param {item!r}: give NAME=VALUE, e.g. --param holder=kg:some-organisation")
        if name in out:
            raise UsageError(f"--param {name} is given twice")
        out[name] = value
    return out


def term_of(value: str, name: str = "") -> ox.NamedNode | ox.Literal:
    """A parameter's value as an RDF term: <IRI>, a CURIE with a project prefix or an http(s) IRI give
    an IRI; an integer gives an xsd:integer; "text" or any other text gives a plain string."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    if re.match(r"^https?://\S+$", value):
        return ox.NamedNode(value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in ns.PREFIXES and " " not in value:
        return ox.NamedNode(ns.PREFIXES[prefix] + local)
    if sep and re.match(r"^[A-Za-z][\w.-]*$", prefix) and " " not in value:
        raise UsageError(f"parameter {name}: unknown prefix '{prefix}:' in {value!r} "
                         "('sckg queries --prefixes' lists the predeclared ones; or give a full <IRI>)")
    if re.match(r"^-?\d+$", value):
        return ox.Literal(value, datatype=ox.NamedNode(ns.XSD + "integer"))
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return ox.Literal(value)


def bind_params(source: QuerySource, given: dict[str, str] | None) -> dict[str, ox.NamedNode | ox.Literal]:
    """The substitutions for a query: the given values, checked against the parameters its header
    declares (a library query) or against its variables (other SPARQL), plus declared defaults."""
    given = dict(given or {})
    declared = {p.name: p for p in source.params}
    allowed = set(declared) if declared else set(_VARIABLE.findall(source.text))
    unknown = sorted(set(given) - allowed)
    if unknown:
        takes = (f"it takes {', '.join(sorted(declared))}" if declared
                 else "it declares no parameters" if source.origin.startswith("query ") else
                 f"its variables are {', '.join(sorted(allowed)) or 'none'}")
        raise UsageError(f"{source.origin}: unknown parameter {', '.join(unknown)}; {takes}")
    if source.origin.startswith("query ") and not declared and given:
        raise UsageError(f"{source.origin}: unknown parameter {', '.join(sorted(given))}; it declares no parameters")
    values = {p.name: p.default for p in declared.values() if p.default is not None}
    values.update(given)
    return {name: term_of(value, name) for name, value in values.items()}


# ---- the query text -------------------------------------------------------------------------------

def is_library_name(spec: str) -> bool:
    return bool(_NAME.match(spec)) and not spec.endswith(".rq")


def resolve(spec: str | None, expression: str | None = None, root: Path | None = None,
            stdin=None) -> QuerySource:
    """The query a user means by NAME, FILE.rq, '-' (standard input) or ``-e TEXT``."""
    if expression is not None:
        if spec is not None:
            raise UsageError("give either a query (NAME, FILE.rq or -) or -e 'SPARQL', not both")
        return QuerySource(expression, "-e expression")
    if spec is None:
        raise UsageError("which query? give a NAME from 'sckg queries', a FILE.rq, '-' for standard input, "
                         "or -e 'SELECT ...'")
    if spec == "-":
        return QuerySource((stdin or sys.stdin).read(), "standard input")
    path = Path(spec)
    if spec.endswith(".rq") or path.is_file() or "/" in spec or "\\" in spec:
        if not path.is_file():
            raise UsageError(f"{display(path)}: no such query file")
        try:
            return QuerySource(path.read_text(encoding="utf-8"), display(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{display(path)}: cannot read the query file ({exc})") from exc
    q = get_query(spec, root)
    return QuerySource(q.text, f"query {q.name}", q.params)


def source_of(name_or_sparql: str, root: Path | None = None) -> QuerySource:
    """For the Python API: a library name gives that query (with its parameters); anything else is SPARQL."""
    if is_library_name(name_or_sparql.strip()):
        q = get_query(name_or_sparql.strip(), root)
        return QuerySource(q.text, f"query {q.name}", q.params)
    return QuerySource(name_or_sparql, "query")


def text_of(name_or_sparql: str, root: Path | None = None) -> str:
    """For the Python API: a library name gives that query's text; anything else is SPARQL."""
    return get_query(name_or_sparql, root).text if is_library_name(name_or_sparql.strip()) else name_or_sparql
