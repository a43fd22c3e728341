"""Every rule of the argument-layer shapes (the block at the end of ontology/shapes.ttl) fires.

tests/test_shapes.py proves each node shape with one valid and one invalid fixture; a node shape here holds
several rules, so each remaining rule gets its own small break below: a few triples added to
tests/shapes/_base.ttl, and the rule's message reported on ex:focus and nowhere else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from sckg.validation import run_shacl

HERE = Path(__file__).resolve().parent
BASE = HERE / "shapes" / "_base.ttl"
FOCUS = rdflib.URIRef("https://w3id.org/sckg/id/test/focus")
PREFIXES = """@prefix sckg: <https://w3id.org/sckg/ontology#> . @prefix ex: <https://w3id.org/sckg/id/test/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
"""
CLAIM = """ex:focus a sckg:Evaluation ; rdfs:label "The test program is sound."@en ;
    sckg:voice sckg:voiceAsserted ; prov:wasAttributedTo ex:org ; sckg:quote "Some text." ;
    sckg:hasAnchor ex:anchor ; schema:about ex:program ; """
RELATION = """ex:focus a sckg:Support ; rdfs:label "one claim supports the other"@en ;
    sckg:premise ex:claim ; sckg:conclusion ex:other-claim ; """
LINK = """ex:focus a sckg:CausalLink ; rdfs:label "a cause leads to an effect"@en ;
    sckg:cause ex:cause ; sckg:effect ex:effect ; sckg:assertedBy ex:causal-claim ; """
PHENOMENON = """ex:focus-link a sckg:CausalLink ; rdfs:label "a cause leads to a specific effect"@en ;
    sckg:cause ex:cause ; sckg:effect ex:focus ; sckg:assertedBy ex:causal-claim .
ex:focus a sckg:Phenomenon ; rdfs:label "a specific effect"@en ; """
META = """ex:focus a sckg:DocumentMetadata ; rdfs:label "The document is a test statement."@en ;
    sckg:voice sckg:voiceAsserted ; prov:wasAttributedTo ex:org ; sckg:quote "Some text." ;
    sckg:hasAnchor ex:anchor ; """
SPAN = 'ex:span a sckg:TextSpan ; sckg:quote "text." ; sckg:hasAnchor ex:anchor .\n'

# (case, triples, shape, words of the message that must be reported)
CASES = [
    ("metadata typed as a claim too", META + "sckg:metadataKind sckg:metadataTitle ; a sckg:FactualAssertion .",
     "DocumentMetadataShape", "not a claim or stance"),
    ("metadata without its kind", META + "rdfs:comment \"a line\" .", "DocumentMetadataShape", "metadataKind"),
    ("metadata as a conclusion", META + "sckg:metadataKind sckg:metadataTitle .\n"
     "ex:rel a sckg:Support ; rdfs:label \"r\"@en ; sckg:premise ex:claim ; sckg:conclusion ex:focus .",
     "DocumentMetadataShape", "not argumentative"),
    ("metadata with a speech act", META + "sckg:metadataKind sckg:metadataTitle ; sckg:speechAct sckg:actAsserting .",
     "DocumentMetadataShape", "no sckg:speechAct"),
    ("text span without anchor", 'ex:focus a sckg:TextSpan ; sckg:quote "text." .', "TextSpanShape", "no text anchor"),
    ("cue that refers to a literal", 'ex:focus a sckg:Cue ; sckg:quote "Some" ; sckg:hasAnchor ex:anchor ; '
     'sckg:cueType sckg:cueReference ; sckg:refersTo "the agency" .', "CueShape", "refersTo"),
    ("locution with two speakers", 'ex:focus a sckg:Locution ; sckg:quote "Some text." ; sckg:hasAnchor ex:anchor ; '
     'sckg:utteredBy ex:person, ex:org .', "LocutionShape", "exactly one sckg:utteredBy"),
    ("group without a label", "ex:focus a sckg:ClaimGroup ; sckg:groupMember ex:claim, ex:other-claim .",
     "ClaimGroupShape", "rdfs:label"),
    ("speech act from another scheme", CLAIM + "sckg:speechAct sckg:polaritySupports .",
     "GroundedItemArgumentLayerShape", "sckg:SpeechActScheme"),
    ("two annotation statuses", CLAIM + "rdfs:comment \"c\" ; sckg:annotationStatus sckg:annotationGrounded, "
     "sckg:annotationReconstructed .", "GroundedItemArgumentLayerShape", "sckg:AnnotationStatusScheme"),
    ("commitment from another scheme", CLAIM + "sckg:commitment sckg:modalityPossible .",
     "GroundedItemArgumentLayerShape", "sckg:CommitmentScheme"),
    ("modality from another scheme", CLAIM + "sckg:modality sckg:commitmentHedged .",
     "GroundedItemArgumentLayerShape", "sckg:ModalityScheme"),
    ("addressee status from another scheme", CLAIM + "sckg:addresseeStatus sckg:voiceAsserted .",
     "GroundedItemArgumentLayerShape", "sckg:addresseeStatus"),
    ("cue that is not a cue", CLAIM + "sckg:cue ex:claim .", "GroundedItemArgumentLayerShape", "sckg:Cue"),
    ("also quotes a claim", CLAIM + "sckg:alsoQuotes ex:claim .", "GroundedItemArgumentLayerShape", "sckg:TextSpan"),
    ("restates and concedes against one item", CLAIM + "sckg:restates ex:claim ; sckg:concededAgainst ex:claim .",
     "GroundedItemArgumentLayerShape", "sckg:restates"),
    ("conceded against a program", CLAIM + "sckg:concededAgainst ex:program .",
     "GroundedItemArgumentLayerShape", "concededAgainst"),
    ("scheme from another scheme", RELATION + "sckg:argumentScheme sckg:causalCause .",
     "ArgumentRelationArgumentLayerShape", "sckg:ArgumentSchemeScheme"),
    ("relation signal status from another scheme", RELATION + "sckg:signalStatus sckg:annotationGrounded .",
     "ArgumentRelationArgumentLayerShape", "sckg:signalStatus"),
    ("relation cue that is a span", SPAN + RELATION + "sckg:cue ex:span .", "ArgumentRelationArgumentLayerShape",
     "sckg:Cue"),
    ("causal type from another scheme", LINK + "sckg:causalType sckg:valenceHarm .",
     "CausalLinkArgumentLayerShape", "sckg:CausalTypeScheme"),
    ("causal modality from another scheme", LINK + "sckg:modality sckg:valenceHarm .",
     "CausalLinkArgumentLayerShape", "sckg:ModalityScheme"),
    ("causal signal status from another scheme", LINK + "sckg:signalStatus sckg:valenceHarm .",
     "CausalLinkArgumentLayerShape", "sckg:signalStatus"),
    ("causal cue that is a span", SPAN + LINK + "sckg:cue ex:span .", "CausalLinkArgumentLayerShape", "sckg:Cue"),
    ("same and specific case at once", PHENOMENON + "sckg:samePhenomenonAs ex:effect ; sckg:specificCaseOf ex:effect .",
     "PhenomenonArgumentLayerShape", "choose one reading"),
    ("specific case of a claim", PHENOMENON + "sckg:specificCaseOf ex:claim .", "PhenomenonArgumentLayerShape",
     "more general sckg:Phenomenon"),
]


@pytest.mark.parametrize("case, triples, shape, words", CASES, ids=[c[0] for c in CASES])
def test_argument_layer_rule_fires_on_the_focus(case, triples, shape, words, ontology_graph, shapes_graph):
    data = rdflib.Graph()
    for t in ontology_graph:
        data.add(t)
    data.parse(BASE, format="turtle")
    data.parse(data=PREFIXES + triples, format="turtle")
    _, report = run_shacl(data, shapes_graph)
    results = [(report.value(r, SH.focusNode), report.value(r, SH.sourceShape), str(report.value(r, SH.resultMessage)))
               for r in report.subjects(RDF.type, SH.ValidationResult)]
    node_shape = rdflib.URIRef("https://w3id.org/sckg/shapes#" + shape)
    family = {node_shape, *shapes_graph.objects(node_shape, SH.property)}
    assert any(f == FOCUS and s in family and words in m for f, s, m in results), results
    assert all(f == FOCUS for f, _, _ in results), f"the case breaks more than ex:focus: {results}"
