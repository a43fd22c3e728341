"""The local SPARQL endpoint and its web page (``sckg serve``), safe by default.

Modules, one job each: ``config`` (the settings), ``negotiation`` (Accept headers), ``guard`` (what a
query may do, checked before it runs), ``serialize`` (results with the row cap), ``worker`` (query
processes that can be killed on timeout), ``description`` (the SPARQL Service Description), ``app``
(the Starlette routes) and ``static/`` (the page).
"""
