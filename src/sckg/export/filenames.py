"""Which format an output file name asks for, and whether it agrees with --format / --aif-form.

``sckg export arguments -o map.png`` must draw a PNG, not write the default format's bytes into a file
named .png: without --format, the format comes from the file's extension. When both are given and the
extension belongs to another format, that is refused (exit 2) rather than guessed at.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError

# Extension (lower case, longest first when matched) -> (format, AIF form or None).
# ".aif.json" / ".aif.ttl" must be matched before ".json": an AIF map is JSON too.
EXTENSION_FORMATS: dict[str, tuple[str, str | None]] = {
    ".aif.json": ("aif", "json"),
    ".aif.ttl": ("aif", "rdf"),
    ".xaif.json": ("aif", "xaif"),
    ".graphml": ("graphml", None),
    ".gexf": ("gexf", None),
    ".cyjs": ("cytoscape", None),
    ".json": ("cytoscape", None),
    ".dot": ("dot", None),
    ".gv": ("dot", None),
    ".svg": ("svg", None),
    ".png": ("png", None),
    ".html": ("html", None),
    ".htm": ("html", None),
}
# Other (format, AIF form) pairs a file of that extension may also hold when --format says so:
# AIF JSON is JSON, and AIF RDF is Turtle.
ALSO_ACCEPTED: dict[str, set[tuple[str, str | None]]] = {
    ".json": {("aif", "json"), ("aif", "xaif")},
}
DEFAULT_FORMAT = "html"


def extension_of(path: str | Path) -> str | None:
    """The known extension the file name ends with (".aif.json" before ".json"), or None."""
    name = Path(path).name.lower()
    for ext in sorted(EXTENSION_FORMATS, key=len, reverse=True):
        if name.endswith(ext) and len(name) > len(ext):
            return ext
    return None


def _describe(fmt: str, form: str | None) -> str:
    return f"--format aif --aif-form {form}" if fmt == "aif" else f"--format {fmt}"


def extension_list() -> str:
    by_format: dict[str, list[str]] = {}
    for ext, (fmt, form) in EXTENSION_FORMATS.items():
        by_format.setdefault(f"{fmt} ({form})" if form else fmt, []).append(ext)
    return "; ".join(f"{fmt}: {' '.join(exts)}" for fmt, exts in by_format.items())


def resolve(output: str | None, fmt: str | None, aif_form: str | None) -> tuple[str, str]:
    """The (format, AIF form) to write, from -o, --format and --aif-form as given (None = not given).

    Raises UsageError when the extension and the options disagree, or when neither names a format."""
    ext = extension_of(output) if output else None
    if fmt is None:
        if output is None:
            fmt = DEFAULT_FORMAT
        elif ext is None:
            raise UsageError(f"cannot tell the format from the file name {Path(output).name!r}; give --format, "
                             f"or a file name ending in one of these extensions: {extension_list()}")
        else:
            fmt, implied_form = EXTENSION_FORMATS[ext]
            if implied_form is not None:
                if aif_form is not None and aif_form != implied_form:
                    raise UsageError(f"the file name {Path(output).name!r} asks for AIF {implied_form} but "
                                     f"--aif-form says {aif_form}; make them agree")
                aif_form = implied_form
    if aif_form is not None and fmt != "aif":
        raise UsageError("--aif-form only applies to --format aif")
    if fmt == "aif" and aif_form is None:
        aif_form = EXTENSION_FORMATS[ext][1] if ext and EXTENSION_FORMATS[ext][0] == "aif" else "json"
    if ext is not None:
        wanted = (fmt, aif_form if fmt == "aif" else None)
        if wanted != EXTENSION_FORMATS[ext] and wanted not in ALSO_ACCEPTED.get(ext, set()):
            named = EXTENSION_FORMATS[ext]
            raise UsageError(f"the file name {Path(output).name!r} ends in {ext}, which is "
                             f"{_describe(*named)}, but you asked for {_describe(*wanted)}; "
                             "drop --format (and --aif-form) to write what the file name says, or rename the file")
    return fmt, aif_form or "json"
