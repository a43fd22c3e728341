"""An answer as Python values: ``kg.query()``'s rows of namedtuples and ``kg.to_dataframe()``'s DataFrame."""

from __future__ import annotations

import warnings
from collections import namedtuple

from .errors import UsageError
from .query_answer import Answer


class QueryResult(list):
    """Rows of a SELECT as namedtuples (fields named after the variables, plain Python values).

    ``variables`` lists the fields; ``form`` is the query form. For ASK the list is empty and
    ``bool(result)`` and ``result.boolean`` give the answer; for CONSTRUCT/DESCRIBE the rows are
    (subject, predicate, object) triples of strings. ``unknown_graphs`` lists the FROM / FROM NAMED
    graphs the dataset lacks (an UnknownGraphsWarning names them too).
    """

    def __init__(self, rows, variables: list[str], form: str, boolean: bool | None = None):
        super().__init__(rows)
        self.variables = variables
        self.form = form
        self.boolean = boolean
        self.unknown_graphs: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.form == "ASK" else len(self) > 0

    def __repr__(self) -> str:
        if self.form == "ASK":
            return f"QueryResult(ASK: {self.boolean})"
        return f"QueryResult({len(self)} row{'s' if len(self) != 1 else ''} of {', '.join(self.variables)})"


class UnknownGraphsWarning(UserWarning):
    """The query's FROM / FROM NAMED name graphs the dataset does not have (they are empty)."""


def warn_unknown_graphs(answer: Answer) -> None:
    """The Python API's counterpart of the endpoint's X-SCKG-Unknown-Graphs header."""
    if answer.unknown_graphs:
        from .query_dataset import unknown_graphs_warning

        warnings.warn(unknown_graphs_warning(answer.unknown_graphs), UnknownGraphsWarning, stacklevel=4)


def to_python(answer: Answer, curies: bool = False) -> QueryResult:
    warn_unknown_graphs(answer)
    result = _to_python(answer, curies)
    result.unknown_graphs = list(answer.unknown_graphs)
    return result


def _to_python(answer: Answer, curies: bool = False) -> QueryResult:
    if answer.form == "ASK":
        return QueryResult([], [], "ASK", answer.boolean)
    if answer.is_graph:
        Triple = namedtuple("Triple", ["subject", "predicate", "object"])
        return QueryResult([Triple(*(t.python(curies) for t in triple)) for triple in answer.triples],
                           list(Triple._fields), answer.form)
    # SPARQL allows names Python does not (rename=True); the fields are known only at run time
    Row = namedtuple("Row", answer.variables, rename=True)  # type: ignore[misc]
    rows = [Row(*(t.python(curies) if t is not None else None for t in row)) for row in answer.rows]
    return QueryResult(rows, answer.variables, answer.form)


def to_dataframe(answer: Answer, curies: bool = False):
    try:
        import pandas as pd
    except ImportError:
        raise UsageError("to_dataframe needs pandas, an optional extra: pip install -e '.[pandas]' "
                         "(or pip install pandas)") from None
    warn_unknown_graphs(answer)
    result = _to_python(answer, curies)
    if answer.form == "ASK":
        return pd.DataFrame({"ask": [answer.boolean]})
    return pd.DataFrame([tuple(r) for r in result], columns=result.variables)
