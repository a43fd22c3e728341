"""Finding the shared entities a new statement names: by IRI, by CURIE or by label.

``sckg new-statement`` reads the project's files (parsed, not grounded or validated: a project with a
half-encoded statement must still accept a new one) and resolves ``--publisher`` and ``--speaker``: an
IRI or CURIE must name an entity of the right class; a name that matches an entity's rdfs:label or
skos:altLabel reuses it, so that a second statement by one organisation does not mint it twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError
from .parsing import parse_file
from .project import source_files
from .scaffold import slug

_CURIE = re.compile(r"([A-Za-z][\w-]*):([\w.-]*)")


@dataclass
class EntityIndex:
    store: ox.Store

    @classmethod
    def of_project(cls, root: Path) -> EntityIndex:
        store = ox.Store()
        for f in source_files(root):
            store.extend(parse_file(f.path, f.graph))
        return cls(store)

    def _ask(self, query: str) -> bool:
        return bool(self.store.query(ns.sparql_prologue() + query, use_default_graph_as_union=True))

    def _rows(self, query: str) -> list:
        results = self.store.query(ns.sparql_prologue() + query, use_default_graph_as_union=True)
        if not isinstance(results, ox.QuerySolutions):
            raise TypeError(f"a SELECT query was expected, not: {query}")
        return list(results)

    def mentions(self, iri: str) -> bool:
        return self._ask(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")

    def instances(self, cls: str) -> list[tuple[str, str]]:
        rows = self._rows(f"SELECT ?x (SAMPLE(?l) AS ?label) WHERE {{ ?x a/rdfs:subClassOf* {cls} . "
                          "OPTIONAL { ?x rdfs:label ?l } } GROUP BY ?x ORDER BY ?x")
        return [(ns.curie(r["x"].value), r["label"].value if r["label"] else "") for r in rows]

    def labels(self, curie: str) -> tuple[str, ...]:
        iri = ns.PREFIXES["kg"] + curie.removeprefix("kg:") if curie.startswith("kg:") else curie
        rows = self._rows(f"SELECT ?l WHERE {{ <{iri}> rdfs:label|skos:altLabel ?l }}")
        return tuple(r["l"].value for r in rows)

    def announcements(self) -> list[str]:
        return [c for c, _ in self.instances("sckg:Announcement")]

    def resolve(self, value: str, cls: str, option: str, new: list[tuple[str, str, str]]) -> str:
        """The CURIE of the entity ``value`` names; a new name is added to ``new`` as (curie, class, label)."""
        value = value.strip()
        iri = self._as_iri(value, option)
        known = ", ".join(c for c, _ in self.instances(cls)) or "none yet"
        if iri is not None:
            if not self._ask(f"ASK {{ <{iri}> a/rdfs:subClassOf* {cls} }}"):
                raise UsageError(f"{option} {value}: no {cls} of that IRI in data/entities/ (known: {known}); "
                                 "give a name instead to add a new one")
            return ns.curie(iri)
        if not value:
            raise UsageError(f"{option}: give an IRI, a CURIE such as kg:ice, or a name")
        literal = value.lower().replace("\\", "\\\\").replace('"', '\\"')
        rows = self._rows(f"""SELECT DISTINCT ?x WHERE {{ ?x a/rdfs:subClassOf* {cls} ;
            rdfs:label|skos:altLabel ?l . FILTER(LCASE(STR(?l)) = "{literal}") }} ORDER BY ?x""")
        if len(rows) == 1:
            return ns.curie(rows[0]["x"].value)
        if len(rows) > 1:
            raise UsageError(f"{option} {value!r} names several entities "
                             f"({', '.join(ns.curie(r['x'].value) for r in rows)}); give the one you mean by its CURIE")
        minted = slug(value)
        if not minted:
            raise UsageError(f"{option} {value!r}: a name needs at least one letter or digit")
        curie = f"kg:{minted}"
        if self.mentions(ns.PREFIXES["kg"] + minted) or any(c == curie for c, _, _ in new):
            raise UsageError(f"{option} {value!r}: the IRI it would get, {curie}, is already used (and is not a {cls} "
                             f"labelled so); give an existing entity by CURIE (known: {known}) or another name")
        new.append((curie, cls, value))
        return curie

    @staticmethod
    def _as_iri(value: str, option: str) -> str | None:
        if value.startswith(("http://", "https://")):
            return value
        match = _CURIE.fullmatch(value)
        if not match or " " in value:
            return None
        prefix, local = match.groups()
        if prefix not in ns.PREFIXES:
            raise UsageError(f"{option} {value}: unknown prefix {prefix!r} (known: {', '.join(ns.PREFIXES)})")
        return ns.PREFIXES[prefix] + local
