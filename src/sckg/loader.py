"""The one way in: every command, the server, the exports and the tests get the graph from ``load``.

``load`` parses the ontology and the data into named graphs, grounds every statement's quotes in its
source text, and returns a ``KnowledgeGraph``. It raises DataError, naming files and items, when a file
cannot be parsed or a quote cannot be anchored; it never re-anchors anything silently.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .errors import DataError, UsageError
from .graph import KnowledgeGraph
from .grounding import GroundingResult, ground, grounding_quads, literal_of
from .inference import add_inferred_graph
from .parsing import parse_file, read_text, refuse_bom
from .progress import Progress
from .project import SourceFile, StatementDir, display, project_root, source_files, statement_dirs, turtle_files


def load(root: str | Path | None = None, extra: list[str | Path] | None = None,
         progress: bool = False) -> KnowledgeGraph:
    """Load the project at ``root`` (found automatically when None).

    ``extra`` names a user's extension: RDF files (each loaded into its own graph under
    graph/extension/; the named graphs of a TriG or N-Quads file keep their names) or statement
    folders laid out like data/statements/<id>/. ``progress`` draws a bar of the grounding on a
    terminal (sckg.progress).
    """
    started = time.perf_counter()
    root_path = project_root(root)
    files = source_files(root_path)
    statements = statement_dirs(root_path)
    for item in extra or []:
        path = Path(item)
        if path.is_dir():
            if any(st.path == path.resolve() for st in statements):
                continue  # a statement folder of the project itself: it is loaded already
            if any(st.id == path.resolve().name for st in statements):
                # Same id, same named graph: it would be merged into the project's statement unseen.
                raise UsageError(f"{display(path)}: the project already has a statement "
                                 f"{path.resolve().name} (data/statements/{path.resolve().name}/); a folder's name "
                                 "is its statement's id, so rename this folder to validate it beside that one")
            if not (path / "source.txt").is_file():
                raise UsageError(f"{display(path)}: a statement folder needs a source.txt beside its .ttl files")
            st = StatementDir(path.resolve().name, path.resolve())
            statements.append(st)
            files += [SourceFile(p, st.graph) for p in turtle_files(path)]
        elif path.exists():
            files.append(SourceFile(path, ns.GRAPH_EXTENSION_PREFIX + path.name, keep_graph_names=True))
        else:
            raise UsageError(f"{display(path)}: file not found")

    store = ox.Store()
    origins: dict[str, Path] = {}
    quads_by_graph: dict[str, list[ox.Quad]] = {}
    for f in files:
        quads = parse_file(f.path, f.graph, f.keep_graph_names)
        store.extend(quads)
        for q in quads:
            # parse_file puts every quad in a named graph, never the default one
            quads_by_graph.setdefault(q.graph_name.value, []).append(q)  # type: ignore[union-attr]
        for q in quads:
            origins.setdefault(str(q.subject), f.path)

    groundings: list[GroundingResult] = []
    bar = Progress(len(statements), "statements", title="grounding", enabled=progress)
    try:
        for st in statements:
            bar.show(st.id)
            result = _ground_statement(st, quads_by_graph.get(st.graph, []), origins)
            groundings.append(result)
            store.extend(grounding_quads(result, st.graph))
            bar.advance()
    finally:  # a quote that cannot be anchored raises: its message must start on a clean line
        bar.close()
    add_inferred_graph(store)  # after grounding: the anchors' and selectors' classes are closed too

    return KnowledgeGraph(root=root_path, store=store, files=files, groundings=groundings,
                          origins=origins, load_seconds=time.perf_counter() - started)


def _quote_location(origins: dict[str, Path], item: str, quote: str) -> str:
    """Where a person edits the quote: "file:line" of the item's sckg:quote (else of the item's
    subject line). Comment lines are never the answer: a short quote may well appear in one."""
    path = origins.get(f"<{item}>")
    if path is None:
        return ""
    lines = read_text(path).splitlines()
    code = [(n, line) for n, line in enumerate(lines, start=1) if not line.lstrip().startswith("#")]
    local = re.escape(item.rsplit("/", 1)[-1])
    subject = re.compile(rf"(^|[\s:/<]){local}>?\s+(a|rdf:type)\s")
    start = next((n for n, line in code if subject.search(line)), None)
    quote_line = re.compile(r"sckg:quote\s|<" + re.escape(ns.SCKG) + r"quote>")
    probe = quote[:40]
    if start is not None:
        for n, line in code:
            if n < start:
                continue
            if quote_line.search(line):
                return f"{display(path)}:{n}: "
            if line.rstrip().endswith(" .") or line.rstrip() == ".":
                break  # the end of the item's description: it has no sckg:quote line of its own
        return f"{display(path)}:{start}: "
    for n, line in code:
        if probe and probe in line:
            return f"{display(path)}:{n}: "
    return f"{display(path)}: "


def _ground_statement(st: StatementDir, quads: list[ox.Quad], origins: dict[str, Path]) -> GroundingResult:
    # a quoted triple (RDF-star) is never typed sckg:PolicyStatement, so .value is there when the filter reads it
    docs = sorted({q.subject.value for q in quads  # type: ignore[union-attr]
                   if q.predicate.value == ns.RDF + "type"
                   and q.object.value == ns.SCKG + "PolicyStatement"})  # type: ignore[union-attr]
    if len(docs) != 1:
        found = ", ".join(docs) or "none"
        raise DataError(f"{display(st.path)}: a statement folder must describe exactly one sckg:PolicyStatement "
                        f"(found {found})")
    document = docs[0]
    recorded = literal_of(quads, ox.NamedNode(document), ns.SCKG + "sha256")
    text = read_text(st.source_text)
    refuse_bom(st.source_text, text)
    result = ground(st.id, document, text, recorded, quads)
    result.source_path = st.source_text

    problems = [_quote_location(origins, a.item, a.quote) + a.problem(text) for a in result.problems]
    if recorded is None:  # a new statement that records no checksum yet: nothing "has changed"
        header = (f"{display(st.path)}: {ns.curie(document)} records no sckg:sha256 of its source text; add "
                  f"`sckg:sha256 \"{result.sha256}\"` to it (the sha256 of {display(st.source_text)}).")
        if problems:
            header += f" Also, {len(problems)} quote(s) cannot be anchored:\n  - " + "\n  - ".join(problems)
        raise DataError(header)
    if not result.checksum_ok:
        from .grounding import has_crlf

        crlf = (" Its line endings are Windows CRLF (or CR): an editor or a git setting (core.autocrlf) "
                "may have converted them; save it with LF line endings.") if has_crlf(text) else ""
        header = (f"{display(st.source_text)}: the source text has changed (sha256 {result.sha256}, "
                  f"but {ns.curie(document)} records {recorded or 'none'}).{crlf}")
        if problems:
            raise DataError(header + f" {len(problems)} quote(s) no longer resolve:\n  - " + "\n  - ".join(problems))
        raise DataError(header + " Every quote still resolves; if the edit is intended, record the new "
                        f"sha256 with sckg:sha256 in {display(st.path)}.")
    if problems:
        raise DataError(f"{display(st.path)}: {len(problems)} quote(s) cannot be anchored in "
                        f"{st.source_text.name}:\n  - "
                        + "\n  - ".join(problems))
    return result
