"""The library of researcher questions: one SPARQL file each in ``queries/`` (top level only).

Each ``.rq`` file opens with a header of comment lines that say what it answers:

    # title: The stance matrix
    # group: stances
    # question: Who takes which position on what?
    # notes: One row per stance. Reading notes may go on
    #   over several comment lines.
    # scope: statement
    # param: holder: the actor whose stances are listed (an IRI or CURIE); unset, every holder


``scope`` says how the answer relates to the corpus, and so where its tested answer lives:
``statement`` (every row belongs to one statement, named in the ``?statement`` column: the answer for
one statement is the rows of that statement, kept in ``data/statements/<id>/expected/NAME.csv``, so
adding a statement never changes another's answer), ``shared`` (about the shared entities, context
and links only: ``queries/expected/NAME.csv``) or ``corpus`` (compares statements: tested on the
fixture corpus of tests/). ``param`` lines (one per parameter) declare variables a user may bind
(``sckg query NAME --param holder=kg:...``); a value is bound, never pasted into the text, and an
unset parameter leaves its variable free (so the default is "every value") unless the line gives
``NAME = DEFAULT``. A parameter must be a variable the query projects (SPARQL's SEP-0007
substitution, which Oxigraph implements, binds projected variables only).

The file name (without ``.rq``) is the query's name, ``<group>-<topic>``. The CLI (``sckg query NAME``,
``sckg queries``), the Python API (``kg.query(NAME)``) and the server's page all read the library
through this module, so the header is parsed in one place only. ``queries/qc/`` (quality checks) and
``queries/federated/`` (SERVICE queries) are kept apart and are not part of the library.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .project import display, project_root

GROUPS: dict[str, str] = {  # the order in which the groups are listed, with a heading each
    "actors": "Actors and roles",
    "program": "The program and its changes",
    "stances": "Positions and stances",
    "arguments": "Arguments and evidence",
    "causal": "Causal chains",
    "recommendation": "The recommendation",
    "grounding": "Text grounding",
    "context": "Outside context and links",
    "quality": "Data quality",
}

HEADER_FIELDS = ("title", "group", "question", "notes", "scope", "param")
SCOPES = ("statement", "shared", "corpus")
_FIELD_LINE = re.compile(r"#\s*(title|group|question|notes|scope|param)\s*:\s?(.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(\S+))?\s*:\s*(.+)$")


@dataclass(frozen=True)
class Parameter:
    name: str                 # the variable it binds, without '?'
    description: str
    default: str | None = None  # a CURIE, IRI or literal; None leaves the variable free
# The query form is the first of these keywords outside comments, IRIs and strings.
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class LibraryQuery:
    name: str       # the file stem, e.g. "stances-matrix"
    group: str      # e.g. "stances" (from the header; the file name's prefix if the header has none)
    title: str
    question: str
    notes: str
    path: Path
    text: str       # the whole file, header included (comments are valid SPARQL)
    form: str       # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    scope: str = "statement"
    params: tuple[Parameter, ...] = ()

    @property
    def group_title(self) -> str:
        return GROUPS.get(self.group, self.group)


def queries_dir(root: Path | str | None = None) -> Path:
    return project_root(root) / "queries"


def query_form(text: str) -> str:
    """The form of a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE), ignoring comments, IRIs and
    strings, where these words may appear harmlessly."""
    stripped = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', text)
    stripped = re.sub(r"<[^<>\s]*>", "<>", stripped)
    stripped = "\n".join(line.split("#", 1)[0] for line in stripped.splitlines())
    match = _FORM.search(stripped)
    return match.group(1).upper() if match else "SELECT"


def parse_header(text: str, path: Path) -> dict[str, str]:
    """The header fields of a query file. A field's value may go on over the following comment lines
    (those that do not start a new field); a blank comment line keeps a paragraph break."""
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            break  # the header ends at the first line that is not a comment
        match = _FIELD_LINE.match(line)
        if match:
            current = match.group(1).lower()
            if current == "param":  # one line per parameter: kept apart, numbered so they do not collide
                current = f"param{sum(1 for k in fields if k.startswith('param'))}"
            if current in fields:
                raise UsageError(f"{display(path)}: the header repeats '# {current}:'")
            fields[current] = [match.group(2).strip()]
        elif current is not None:
            fields[current].append(line.lstrip("#").strip())
    missing = [f for f in ("title", "question") if not "".join(fields.get(f, [])).strip()]
    if missing:
        raise UsageError(f"{display(path)}: the header needs " + " and ".join(f"'# {m}: ...'" for m in missing)
                         + " lines at the top of the file")
    return {key: _join(lines) for key, lines in fields.items()}


def _join(lines: list[str]) -> str:
    """Continuation lines joined with spaces; an empty comment line becomes a paragraph break."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def read_query(path: Path) -> LibraryQuery:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{display(path)}: cannot read the query file ({exc})") from exc
    header = parse_header(text, path)
    group = header.get("group") or path.stem.split("-", 1)[0]
    scope = header.get("scope", "statement").strip().lower()
    if scope not in SCOPES:
        raise UsageError(f"{display(path)}: '# scope: {scope}' is not one of {', '.join(SCOPES)}")
    params = []
    for key in sorted((k for k in header if k.startswith("param")), key=lambda k: int(k[5:])):
        match = _PARAM.match(header[key])
        if not match:
            raise UsageError(f"{display(path)}: '# param: {header[key]}' should read '# param: NAME: what it is' "
                             "(or '# param: NAME = DEFAULT: what it is')")
        params.append(Parameter(match.group(1), match.group(3).strip(), match.group(2)))
    return LibraryQuery(name=path.stem, group=group, title=header["title"], question=header["question"],
                        notes=header.get("notes", ""), path=path, text=text, form=query_form(text),
                        scope=scope, params=tuple(params))


def _group_rank(group: str) -> int:
    order = list(GROUPS)
    return order.index(group) if group in order else len(order)


def list_queries(root: Path | str | None = None) -> list[LibraryQuery]:
    """Every query of the library, grouped in the order of GROUPS, then by name."""
    folder = queries_dir(root)
    queries = [read_query(p) for p in sorted(folder.glob("*.rq")) if p.is_file()]
    return sorted(queries, key=lambda q: (_group_rank(q.group), q.name))


def _file_names(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except OSError:
        return set()


def get_query(name: str, root: Path | str | None = None) -> LibraryQuery:
    """One query by name (the file stem; a trailing ``.rq`` is accepted). An unknown name raises a
    UsageError that suggests the closest names."""
    wanted = name[:-3] if name.endswith(".rq") else name
    folder = queries_dir(root)
    # Only that file is read when it is there (spelled exactly so, on a case-insensitive disk too):
    # `sckg query NAME` need not parse every header of the library.
    if "/" not in wanted and "\\" not in wanted and f"{wanted}.rq" in _file_names(folder):
        return read_query(folder / f"{wanted}.rq")
    queries = list_queries(root)
    for q in queries:
        if q.name == wanted:
            return q
    names = [q.name for q in queries]
    import difflib  # only for a name that is not there

    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
    close += [n for n in names if wanted and wanted in n and n not in close][: 3 - len(close)]
    hint = f"did you mean {', '.join(close)}?" if close else "run 'sckg queries' to list them"
    raise UsageError(f"no query named '{wanted}' in the library; {hint}")


CATALOGUE_INTRO = """# The query library

Questions a careful reader would ask of the statements on the Secure Communities announcement of
2011-06-17, one by one and compared, one SPARQL file each. Run one with `sckg query NAME` (a
parameter with `--param NAME=VALUE`); list them with `sckg queries`. Every question that lists
claims, quotes, sentences or stances names the statement and its publisher in its first columns.

Each answer is checked, on Oxigraph and on rdflib's engine, against answers written by reading the
texts: per statement in `data/statements/<id>/expected/NAME.csv` (scope *statement*), in
`expected/NAME.csv` (scope *shared*: the shared entities and context), or on the test suite's
fixture corpus (scope *corpus*: questions that compare statements). The project's prefixes are
predeclared (`sckg queries --prefixes`).

This file is generated: `sckg queries --markdown > queries/README.md` (a test checks it is current).
Quality checks that gate the build are kept apart in `qc/`; queries against Wikidata in `federated/`.
"""


def markdown_cell(text: str) -> str:
    """Text fit for one cell of a Markdown table: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def catalogue_markdown(queries: list[LibraryQuery]) -> str:
    """The catalogue (queries/README.md): per group, a table of name, title and question."""
    parts = [CATALOGUE_INTRO]
    group = None
    for q in queries:
        if q.group != group:
            group = q.group
            parts.append(f"\n## {q.group_title}\n\n| name | title | question | scope | parameters |\n"
                         "|---|---|---|---|---|\n")
        params = ", ".join(f"`{p.name}`" for p in q.params)
        parts.append(f"| `{q.name}` | {markdown_cell(q.title)} | {markdown_cell(q.question)} | {q.scope} "
                     f"| {params} |\n")
    parts.append(f"\n{len(queries)} questions.\n")
    return "".join(parts)
