"""Links to external datasets: what the graph links to (``inventory``), reconciliation against a
SPARQL endpoint (``client``, ``cache``, ``reconcile``), the review file and its explicit acceptance
(``review``), and researchers' own tables mapped onto the graph's jurisdictions (``table``).
"""

# Here rather than in ``client`` so that registering the `sckg link` command imports no HTTP stack.
WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
