"""Where the project's files are and which named graph each one goes into.

The layout is a convention, so that adding a statement means adding a folder:

    ontology/*.ttl, ontology/vocab/*.ttl   -> graph/ontology   (ontology/shapes.ttl is the shapes graph)
    data/entities/*.ttl                    -> graph/entities   (actors and programs shared by statements)
    data/statements/<id>/*.ttl             -> graph/statement/<id>, with <id>/source.txt as its text
    data/context/*.ttl                     -> graph/context    (facts from outside the statements)
    data/links/*.ttl                       -> graph/links      (links to external datasets)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import namespaces as ns
from .errors import UsageError

MARKER = Path("ontology") / "sckg.ttl"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    graph: str
    keep_graph_names: bool = False  # a user's TriG / N-Quads file keeps its own graph names


@dataclass(frozen=True)
class StatementDir:
    """A folder holding one statement: its verbatim source text and its encoding."""

    id: str
    path: Path

    @property
    def graph(self) -> str:
        return ns.GRAPH_STATEMENT_PREFIX + self.id

    @property
    def source_text(self) -> Path:
        return self.path / "source.txt"


def project_root(root: str | Path | None = None) -> Path:
    """The project folder: ``root`` when given (it must hold ontology/sckg.ttl), else found by find_root."""
    if root is None:
        return find_root()
    path = Path(root)
    if not (path / MARKER).is_file():
        raise UsageError(f"no sckg project at {path}: it has no {MARKER}")
    return path.resolve()


def find_root(start: Path | None = None) -> Path:
    """The project root: $SCKG_ROOT, else the nearest folder above ``start`` (default: the working
    directory) holding ontology/sckg.ttl, else the checkout this package was installed from."""
    env = os.environ.get("SCKG_ROOT")
    if env:
        root = Path(env)
        if not (root / MARKER).is_file():
            raise UsageError(f"SCKG_ROOT={env} does not hold {MARKER}")
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    installed = Path(__file__).resolve().parents[2]
    if (installed / MARKER).is_file():
        return installed
    raise UsageError(
        f"cannot find the sckg project: no {MARKER} in {here} or above it. "
        "Run inside a clone of the repository or a working copy made by `sckg init DIR`, "
        "or name one with --root DIR or SCKG_ROOT."
    )


def packaged_project() -> Path | None:
    """The project files this installation carries: the copy a wheel ships (sckg/_project, written by
    setup.py), else the checkout an editable install runs from. None when neither is there."""
    shipped = Path(__file__).resolve().parent / "_project"
    if (shipped / MARKER).is_file():
        return shipped
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / MARKER).is_file() else None


def _turtle_files(folder: Path) -> list[Path]:
    return turtle_files(folder)


def statement_dirs(root: Path) -> list[StatementDir]:
    base = root / "data" / "statements"
    if not base.is_dir():
        return []
    found = []
    for p in sorted(base.iterdir()):
        why = _not_loadable(p, "folder")
        if why is None:
            found.append(StatementDir(p.name, p))
        elif not why.startswith("is a regular file"):  # a stray note file beside the folders is harmless
            _refuse(p, why, "folder")
    return found


def shapes_file(root: Path) -> Path:
    return root / "ontology" / "shapes.ttl"


def qc_query_files(root: Path) -> list[Path]:
    return sorted((root / "queries" / "qc").glob("*-violation.rq"))


def source_files(root: Path) -> list[SourceFile]:
    """Every Turtle file of the project with the named graph it belongs to, in a stable order."""
    files: list[SourceFile] = []
    shapes = shapes_file(root)
    for folder in (root / "ontology", root / "ontology" / "vocab"):
        files += [SourceFile(p, ns.GRAPH_ONTOLOGY) for p in _turtle_files(folder) if p != shapes]
    files += [SourceFile(p, ns.GRAPH_ENTITIES) for p in _turtle_files(root / "data" / "entities")]
    for st in statement_dirs(root):
        files += [SourceFile(p, st.graph) for p in _turtle_files(st.path)]
    files += [SourceFile(p, ns.GRAPH_CONTEXT) for p in _turtle_files(root / "data" / "context")]
    files += [SourceFile(p, ns.GRAPH_LINKS) for p in _turtle_files(root / "data" / "links")]
    return files


def display(path: Path | str) -> str:
    """A path as a person should read it in a message: relative to the working directory when inside it."""
    p = Path(path)
    try:
        resolved = p.resolve()
    except (RuntimeError, OSError):  # a symbolic link loop cannot be resolved: name the link itself
        resolved = Path(os.path.abspath(p))
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


# ---- entries the loader cannot read: named, never skipped -----------------------------------------

def _not_loadable(path: Path, wanted: str) -> str | None:
    """Why ``path`` cannot be loaded as a ``wanted`` ("file" or "folder"), or None when it can.
    Such an entry is an error, never skipped in silence: the graph would lack what the folder shows."""
    import stat

    try:
        mode = path.stat().st_mode  # follows symbolic links
    except OSError as exc:
        if path.is_symlink():
            return "is a symbolic link that leads nowhere (a loop, or its target is missing)"
        return f"cannot be read ({exc.strerror or exc})"
    if (wanted == "file" and stat.S_ISREG(mode)) or (wanted == "folder" and stat.S_ISDIR(mode)):
        return None
    kind = "a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else \
        "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else \
        "a regular file" if stat.S_ISREG(mode) else "not a regular file"
    return f"is {kind}, not a {wanted}"


def _refuse(path: Path, why: str, wanted: str) -> None:
    from .errors import DataError

    reads = "every *.ttl file" if wanted == "file" else "every statement folder"
    raise DataError(f"{display(path)}: {why}; the loader reads {reads} "
                    "here, so remove it, rename it, or replace it with a real one")


def turtle_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    files = []
    for p in sorted(folder.glob("*.ttl")):
        why = _not_loadable(p, "file")
        if why:
            _refuse(p, why, "file")
        files.append(p)
    return files
