"""What a query may do, decided from its parse tree before anything runs.

The endpoint is read-only and never reaches outside the machine. Each request's query is parsed with
rdflib's SPARQL 1.1 grammar (a real parser, not a pattern match on the text, so keywords inside
strings, IRIs or comments cannot fool it) and refused when it:

- is an update (INSERT, DELETE, LOAD, CLEAR, ...): 403, never executed;
- contains SERVICE anywhere (Oxigraph would open an HTTP connection to the named endpoint): 400;
- cannot be parsed: 400 with the line and column.

FROM / FROM NAMED are allowed: Oxigraph resolves them against the local named graphs only and never
fetches anything (``file:`` included); an unknown IRI selects an empty graph. The worker process also
drops its network access where the system allows (see worker.py), so even a query that slipped past
this check could not call out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


class Refused(Exception):
    """A request the endpoint will not run, with the HTTP status and a short message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryPlan:
    form: str          # SELECT, ASK, CONSTRUCT or DESCRIBE
    has_dataset: bool  # the query names its own dataset with FROM / FROM NAMED


_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}


def inspect(query: str) -> QueryPlan:
    """The query's form and dataset use; raises Refused for anything the endpoint does not run."""
    outcome = _inspect_cached(query)
    if isinstance(outcome, Refused):
        raise Refused(outcome.status, outcome.message)
    return outcome


@lru_cache(maxsize=512)  # clients repeat the same questions; parsing is the guard's main cost
def _inspect_cached(query: str) -> QueryPlan | Refused:
    try:
        return _inspect(query)
    except Refused as refusal:
        return refusal


def _inspect(query: str) -> QueryPlan:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(query)
    except ParseException as error:
        if _is_update(query, parseUpdate):
            raise Refused(403, "this endpoint is read-only: SPARQL updates are not accepted") from None
        raise Refused(400, _syntax_message(error)) from None
    except RecursionError:
        raise Refused(400, "malformed query: it is nested too deeply to parse") from None

    body = tree[1]
    form = _FORMS.get(getattr(body, "name", ""), "")
    if not form:
        raise Refused(400, "malformed query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    try:
        names = set(_names(tree))
    except RecursionError:
        raise Refused(400, "malformed query: it is nested too deeply to analyse") from None
    if "ServiceGraphPattern" in names:
        raise Refused(400, "SERVICE is not allowed on this endpoint: it answers from its own data only")
    return QueryPlan(form=form, has_dataset="datasetClause" in body)


def _is_update(query: str, parse_update) -> bool:
    try:
        parse_update(query)
        return True
    except Exception:  # not an update either: the query's own syntax error is what the user needs
        return False


def _names(node):
    """The names of every grammar rule in rdflib's parse tree (CompValue nodes), depth first."""
    name = getattr(node, "name", None)
    if isinstance(name, str):
        yield name
    if isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        children = list(node)
    else:
        return
    for child in children:
        yield from _names(child)


def _syntax_message(error) -> str:
    """'malformed query at line L, column C: expected ..., near "..."' from a pyparsing error."""
    detail = str(getattr(error, "msg", "") or "syntax error")
    detail = detail[0].lower() + detail[1:] if detail else detail
    line = (getattr(error, "line", "") or "").strip()
    near = f' near "{line[:80]}"' if line else ""
    return f"malformed query at line {error.lineno}, column {error.col}: {detail}{near}"
