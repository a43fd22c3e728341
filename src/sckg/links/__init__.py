"""Links to external datasets: what the graph links to (``inventory``), reconciliation against a
SPARQL endpoint (``client``, ``cache``, ``reconcile``), the review file and its explicit acceptance
(``review``), and researchers' own tables mapped onto the graph's jurisdictions (``table``).
"""
