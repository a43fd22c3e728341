"""Colour groups shared by every drawing (DOT, the interactive page), so a group looks the same everywhere.

A node's group is decided by its classes: the first rule whose class the node is an instance of
(through rdfs:subClassOf*) wins, so the more specific classes come first.
"""

from __future__ import annotations

from .. import namespaces as ns

S = ns.SCKG

# (class IRI, group name). Order matters: specific before general.
GROUP_RULES: list[tuple[str, str]] = [
    (S + "Evidence", "evidence"),
    (S + "FactualAssertion", "factual assertion"),
    (S + "Evaluation", "evaluation"),
    (S + "CausalClaim", "causal claim"),
    (S + "Concern", "concern"),
    (S + "Recommendation", "recommendation"),
    (S + "Hope", "hope"),
    (S + "Claim", "claim"),
    (S + "Stance", "stance"),
    (S + "ArgumentRelation", "argument relation"),
    (S + "Phenomenon", "phenomenon"),
    (S + "CausalLink", "causal link"),
    (S + "Person", "person"),
    (S + "Jurisdiction", "jurisdiction"),
    (S + "ActorSet", "jurisdiction"),
    (S + "SocialGroup", "social group"),
    (S + "Organization", "organization"),
    (S + "Position", "position"),
    (S + "Program", "program"),
    (S + "Purpose", "purpose"),
    (S + "PolicyInitiative", "purpose"),
    (S + "Announcement", "announcement"),
    (S + "ProgramChange", "program change"),
    (S + "OptOutDecision", "decision"),
    (S + "PolicyStatement", "document"),
    (S + "Sentence", "document"),
    (S + "TextAnchor", "document"),
    (S + "PressContact", "document"),
    (S + "Source", "source"),
    (S + "ContextFact", "context fact"),
    (ns.SKOS + "Concept", "concept"),
]

# The groups of sckg:Claim's subclasses: the nodes that become AIF I-nodes.
CLAIM_GROUPS = frozenset({"evidence", "factual assertion", "evaluation", "causal claim", "concern",
                          "recommendation", "hope", "claim"})

# Colour-blind-friendly fills (Okabe-Ito and Tol families), light enough for black text.
GROUP_COLOURS: dict[str, str] = {
    "evidence": "#a6d96a",
    "factual assertion": "#d9f0d3",
    "evaluation": "#ffd92f",
    "causal claim": "#fdae61",
    "concern": "#fb9a99",
    "recommendation": "#92c5de",
    "hope": "#c2a5cf",
    "claim": "#eeeeee",
    "stance": "#f1b6da",
    "argument relation": "#dddddd",
    "phenomenon": "#fff2cc",
    "causal link": "#dddddd",
    "person": "#8dd3c7",
    "jurisdiction": "#bebada",
    "social group": "#fccde5",
    "organization": "#80b1d3",
    "position": "#b3de69",
    "program": "#fb8072",
    "purpose": "#e5c494",
    "announcement": "#ffffcc",
    "program change": "#ccebc5",
    "decision": "#d9d9d9",
    "document": "#e5e5e5",
    "source": "#f0f0f0",
    "context fact": "#f7f7f7",
    "concept": "#ffffff",
    "other": "#ffffff",
}

# Stance and argument edges are coloured by what they say: for or against.
POLARITY_COLOURS: dict[str, str] = {
    "supports": "#1a9850",
    "opposes": "#d73027",
    "mixed": "#7b3294",
}
ARGUMENT_COLOURS: dict[str, str] = {
    "supports": "#1a9850",
    "attacks": "#d73027",
    "infers": "#1a9850",
    "causes": "#e66101",
}
DEFAULT_EDGE_COLOUR = "#555555"


def group_of(classes: set[str]) -> str:
    for cls, group in GROUP_RULES:
        if cls in classes:
            return group
    return "other"


def edge_colour(data: dict) -> str:
    if data.get("polarity_class"):
        return POLARITY_COLOURS.get(data["polarity_class"], DEFAULT_EDGE_COLOUR)
    return ARGUMENT_COLOURS.get(data.get("label", ""), DEFAULT_EDGE_COLOUR)


def edge_kind(data: dict) -> str:
    """The legend entry an edge belongs to (the same words in the drawing's legend and the page's)."""
    if data.get("polarity_class"):
        return {"supports": "stance: supports", "opposes": "stance: opposes",
                "mixed": "stance: mixed"}.get(data["polarity_class"], "stance")
    if data.get("label") in ("supports", "infers", "attacks", "causes"):
        return {"supports": "supports / infers", "infers": "supports / infers"}.get(data["label"], data["label"])
    return "other relation"
