"""Which format an output file name asks for, and whether it agrees with --format / --aif-form.

``sckg export arguments -o map.png`` must draw a PNG, not write the default format's bytes into a file
named .png: without --format, the format comes from the file's extension. When both are given and the
extension belongs to another format, that is refused (exit 2) rather than guessed at. The extensions
are the ones the format table (registry.py) gives.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from . import registry


def extension_of(path: str | Path) -> str | None:
    """The known extension the file name ends with (".aif.json" before ".json"), or None."""
    name = Path(path).name.lower()
    for ext in sorted(registry.by_extension(), key=len, reverse=True):
        if name.endswith(ext) and len(name) > len(ext):
            return ext
    return None


def _accepts(ext: str, wanted: tuple[str, str | None]) -> bool:
    """Whether a file ending in ``ext`` may hold ``wanted``: the format the extension names, or one whose
    own extension ends in it (an .aif.json file is JSON, so a .json file may hold AIF JSON)."""
    return any(row.key == wanted for row in registry.FORMATS
               if row is registry.by_extension()[ext] or any(e.endswith(ext) for e in row.extensions))


def extension_list() -> str:
    by_format: dict[str, list[str]] = {}
    for ext, row in registry.by_extension().items():
        by_format.setdefault(f"{row.name} ({row.form})" if row.form else row.name, []).append(ext)
    return "; ".join(f"{fmt}: {' '.join(exts)}" for fmt, exts in by_format.items())


def resolve(output: str | None, fmt: str | None, aif_form: str | None) -> tuple[str, str | None]:
    """The (format, form) to write, from -o, --format and --aif-form as given (None = not given); the
    form is None for a format that has no forms.

    Raises UsageError when the extension and the options disagree, or when neither names a format."""
    ext = extension_of(output) if output else None
    if fmt is None:
        if output is None:
            fmt = registry.DEFAULT_FORMAT
        elif ext is None:
            raise UsageError(f"cannot tell the format from the file name {Path(output).name!r}; give --format, "
                             f"or a file name ending in one of these extensions: {extension_list()}")
        else:
            implied = registry.by_extension()[ext]
            fmt = implied.name
            if implied.form is not None:
                if aif_form is not None and aif_form != implied.form:
                    raise UsageError(f"the file name {Path(output).name!r} asks for {implied.option()} but "
                                     f"--aif-form says {aif_form}; make them agree")
                aif_form = implied.form
    if not registry.forms(fmt):
        if aif_form is not None:
            with_forms = [n for n in registry.names() if registry.forms(n)]
            raise UsageError(f"--aif-form only applies to --format {' or '.join(with_forms)}")
    elif aif_form is None:
        named = registry.by_extension()[ext] if ext else None
        aif_form = named.form if named is not None and named.name == fmt else registry.get(fmt).form
    row = registry.get(fmt, aif_form)
    if ext is not None and output and not _accepts(ext, row.key):  # an extension comes from an output
        named = registry.by_extension()[ext]
        raise UsageError(f"the file name {Path(output).name!r} ends in {ext}, which is "
                         f"{named.option()}, but you asked for {row.option()}; "
                         "drop --format (and --aif-form) to write what the file name says, or rename the file")
    return row.key
