"""What a query may do, decided from its parse tree before anything runs.

The endpoint is read-only and never reaches outside the machine. Each request's query is parsed with
rdflib's SPARQL 1.1 grammar (a real parser, not a pattern match on the text, so keywords inside
strings, IRIs or comments cannot fool it) and refused when it:

- is an update (INSERT, DELETE, LOAD, CLEAR, ...): 403, never executed;
- contains SERVICE anywhere (Oxigraph would open an HTTP connection to the named endpoint): 400;
- cannot be parsed: 400 with the line, column and text, worded as ``sckg query`` words it (the
  message builder is shared with the command line, see ``syntax_message``).

FROM / FROM NAMED are allowed: Oxigraph resolves them against the local named graphs only and never
fetches anything (``file:`` included); an unknown IRI selects an empty graph, which is why the plan
lists the graph IRIs a query names (the endpoint reports the ones the dataset lacks). The worker
process also drops its network access where the system allows (see worker.py), so even a query that
slipped past this check could not call out.
"""

from __future__ import annotations

import re
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
    text: str          # the query as checked: the exact text the evaluator must be given (see normalise)
    form: str          # SELECT, ASK, CONSTRUCT or DESCRIBE
    has_dataset: bool  # the query names its own dataset with FROM / FROM NAMED
    graphs: tuple[str, ...] = ()     # the IRIs of its FROM / FROM NAMED clauses, prefixes resolved
    star_order: tuple[str, ...] = ()  # for SELECT *: its variables in the order the query mentions them


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


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEFTOVER_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]")
_LONE_CR = re.compile(r"\r(?!\n)")


def normalise(query: str) -> str:
    """The query text that both the guard and the evaluator read, so that they read the same thing.

    rdflib and Oxigraph disagree on two points of the lexical level, and each disagreement lets a
    text look harmless to one and hide SERVICE from it while the other runs it:

    - codepoint escapes: SPARQL expands ``\\uXXXX`` and ``\\UXXXXXXXX`` anywhere in the text before
      parsing; rdflib also takes ``\\u`` with 8 digits, Oxigraph expands them only inside strings and
      IRIs. Here they are expanded once, as the specification says, and the expanded text goes to
      both; a text with an escape left after that (an incomplete one, which rdflib would still read
      its own way, or one spelled by another, ``\\u005Cu...``) is refused, as is a code point beyond
      U+10FFFF;
    - a line ended by a lone CR: the grammar, and Oxigraph, end a ``#`` comment there, rdflib's
      grammar runs it on to the next LF. Such a text is refused (CR LF and LF are fine).
    """
    if _LONE_CR.search(query):
        raise Refused(400, "the query ends a line with a lone carriage return (CR); end lines with LF or "
                           "CR LF")

    def expand(match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise Refused(400, f"the escape {match.group(0)} is not a Unicode code point")
        return chr(code)

    if "\\" not in query:
        return query
    expanded = _ESCAPE.sub(expand, query)
    if _LEFTOVER_ESCAPE.search(expanded):  # rdflib would expand it its own way (e.g. \\U with 4 digits)
        raise Refused(400, "the query has an incomplete or nested escape: \\u takes 4 hex digits, \\U takes 8, "
                           "and an escape must not spell another one")
    if _LONE_CR.search(expanded):
        raise Refused(400, "the query ends a line with a lone carriage return (CR), written as an escape; "
                           "end lines with LF or CR LF")
    return expanded


def _inspect(query: str) -> QueryPlan:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from ..sparql_nesting import nesting_problem

    problem = nesting_problem(query)
    if problem:
        raise Refused(400, f"malformed query: {problem}")
    query = normalise(query)
    try:
        tree = parseQuery(query)
    except ParseException as error:
        if _is_update(query, parseUpdate):
            raise Refused(403, "this endpoint is read-only: SPARQL updates are not accepted") from None
        raise Refused(400, syntax_message(query, error)) from None
    except RecursionError:
        raise Refused(400, "malformed query: it is nested too deeply to parse") from None
    except ValueError:  # rdflib's own escape expansion, on what normalise() let through
        raise Refused(400, "malformed query: an escape sequence is not valid") from None

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
    has_dataset = "datasetClause" in body
    star = form == "SELECT" and "projection" not in body
    try:
        order = tuple(dict.fromkeys(str(v) for v in _variables(body))) if star else ()
    except RecursionError:
        order = ()  # only the column order suffers
    return QueryPlan(text=query, form=form, has_dataset=has_dataset,
                     graphs=_dataset_iris(tree, body) if has_dataset else (), star_order=order)


def _dataset_iris(tree, body) -> tuple[str, ...]:
    """The IRIs of FROM / FROM NAMED (read as sckg query reads them: sckg.query_dataset)."""
    from ..query_dataset import dataset_iris

    return dataset_iris(tree, body)


def _walk(node):
    """Every node of rdflib's parse tree, depth first: the order the query text has them."""
    yield node
    if isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        children = list(node)
    else:
        return
    for child in children:
        yield from _walk(child)


def _variables(node):
    """The variables of the parse tree, in the order the query text has them.
    (Oxigraph lists the variables of SELECT * alphabetically; people expect them as written.)"""
    from rdflib.term import Variable

    return (n for n in _walk(node) if isinstance(n, Variable))


def _is_update(query: str, parse_update) -> bool:
    try:
        parse_update(query)
        return True
    except Exception:  # not an update either: the query's own syntax error is what the user needs
        return False


def _names(node):
    """The names of every grammar rule in rdflib's parse tree (CompValue nodes), depth first."""
    for n in _walk(node):
        name = getattr(n, "name", None)
        if isinstance(name, str):
            yield name


def syntax_message(query: str, error=None) -> str:
    """The message ``sckg query`` gives for this malformed query: line, column, the offending text
    with a caret under it, and what was expected (see sckg.query_messages, whose builder this reuses).

    Oxigraph's parser is asked first because it points at the real spot, where pyparsing (rdflib)
    often reports the start of the query ("expected SelectQuery"); rdflib's ``error`` is the fallback
    when Oxigraph accepts what rdflib did not. Oxigraph is only asked when the text cannot contain
    SERVICE, since a query it accepts is also evaluated (on an empty store, in the isolated worker).
    """
    import pyoxigraph as ox

    from .. import namespaces as ns
    from ..query_messages import oxigraph_syntax_message, position_message

    if "service" not in query.lower():
        try:
            ox.Store().query(ns.sparql_prologue() + query)
        except SyntaxError as oxigraph_error:
            return oxigraph_syntax_message(str(oxigraph_error), query, ORIGIN)
        except Exception:  # noqa: S110  (evaluation errors: the query parsed, so rdflib's message stands)
            pass
    if error is None:
        return f"{ORIGIN}: SPARQL syntax error"
    detail = str(getattr(error, "msg", "") or "syntax error")
    return position_message(ORIGIN, query, error.lineno, error.col, detail)


ORIGIN = "query"  # how messages name the text the client sent
