"""The build's inferred graph: the RDFS closure of class membership, in a named graph of its own."""

from sckg import namespaces as ns


def _count(kg, sparql):
    return int(next(iter(kg.sparql(sparql)))["n"].value)


def test_every_instance_of_a_subclass_of_claim_is_a_claim_in_the_union_graph(project_kg):
    # The asserted kinds (FactualAssertion, Evaluation, Recommendation, ...) are all subclasses of Claim.
    walked = _count(project_kg, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a/rdfs:subClassOf* sckg:Claim }")
    direct = _count(project_kg, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a sckg:Claim }")
    assert walked > 0
    assert direct == walked


def test_every_actor_is_an_actor_in_the_union_graph(project_kg):
    walked = _count(project_kg, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a/rdfs:subClassOf* sckg:Actor }")
    direct = _count(project_kg, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a sckg:Actor }")
    assert direct == walked > 0


def test_inferred_types_live_only_in_the_inferred_graph(project_kg):
    # A statement's graph keeps what its annotator wrote: the closure adds nothing there.
    assert ns.GRAPH_INFERRED in project_kg.graph_names()
    leaked = _count(project_kg, f"""
        SELECT (COUNT(*) AS ?n) WHERE {{
          GRAPH <{ns.GRAPH_INFERRED}> {{ ?x a ?super }}
          GRAPH ?g {{ ?x a ?super }} FILTER(?g != <{ns.GRAPH_INFERRED}>) }}""")
    assert leaked == 0
    in_statement = _count(project_kg, f"""
        SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{
          GRAPH ?g {{ ?c a sckg:Claim }} FILTER(STRSTARTS(STR(?g), "{ns.GRAPH_STATEMENT_PREFIX}")) }}""")
    assert in_statement == 0  # no statement types an item with the abstract sckg:Claim itself


def test_sckg_sub_properties_are_closed_and_reused_ones_are_not(project_kg):
    # sckg:specificCaseOf and sckg:samePhenomenonAs are readings: asking for sckg:phenomenonReading finds them.
    walked = _count(project_kg,
                    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?p rdfs:subPropertyOf+ sckg:phenomenonReading }")
    direct = _count(project_kg, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a sckg:phenomenonReading ?b } }")
    assert direct == walked
    # sckg:holder is a sub-property of prov:wasAttributedTo, yet a stance is not made "attributed" by inference.
    inferred_attribution = _count(project_kg, f"""
        SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ns.GRAPH_INFERRED}> {{ ?s prov:wasAttributedTo ?o }} }}""")
    assert inferred_attribution == 0
