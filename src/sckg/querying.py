"""SPARQL on the loaded graph, on either engine: the one name for the query path's pieces.

``kg.query()``, ``kg.to_dataframe()`` (sckg.graph), ``sckg query`` and the endpoint use these
modules, each with one job:

- sckg.query_source: which query the user means (library name, file, standard input, expression)
  and the values bound to its declared parameters;
- sckg.query_run: the one execution path (``execute``: prologue, dataset, bindings, syntax errors)
  and ``run``, which reads the whole answer on Oxigraph or rdflib;
- sckg.query_answer: the engine-neutral Answer and Term, and every output format;
- sckg.query_messages: syntax error and update refusal messages, by the user's line and column;
- sckg.query_python: the answer as Python rows (QueryResult) or a pandas DataFrame.

This module re-exports them, so ``from sckg.querying import QueryResult, UnknownGraphsWarning``
keeps working; inside sckg, import from the module that has the job (importing this one imports
them all).
"""

from __future__ import annotations

from .query_answer import GRAPH_FORMATS, SOLUTION_FORMATS, Answer, Term
from .query_messages import PROLOGUE_LINES, is_update, oxigraph_syntax_message, position_message, update_message
from .query_python import QueryResult, UnknownGraphsWarning, to_dataframe, to_python, warn_unknown_graphs
from .query_run import ENGINES, Execution, execute, run
from .query_source import (
    QuerySource,
    bind_params,
    is_library_name,
    parse_param_args,
    resolve,
    source_of,
    term_of,
    text_of,
)

__all__ = ["ENGINES", "GRAPH_FORMATS", "PROLOGUE_LINES", "SOLUTION_FORMATS", "Answer", "Execution", "QueryResult",
           "QuerySource", "Term", "UnknownGraphsWarning", "bind_params", "execute", "is_library_name", "is_update",
           "oxigraph_syntax_message", "parse_param_args", "position_message", "resolve", "run", "source_of",
           "term_of", "text_of", "to_dataframe", "to_python", "update_message", "warn_unknown_graphs"]
