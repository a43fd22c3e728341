"""``sckg export VIEW --format FORMAT [-o FILE]``: one view of the graph in one file format."""

from __future__ import annotations


def register(sub) -> None:
    import argparse

    from ..export import registry
    from ..export.views import VIEW_DESCRIPTIONS

    views = "\n".join(f"  {k:10} {v}" for k, v in VIEW_DESCRIPTIONS.items())
    formats = "\n".join(f"  {k:10} {v}" for k, v in registry.format_help().items())
    extensions = " ".join(registry.by_extension())
    p = sub.add_parser(
        "export", help="export a view of the graph for Gephi, Cytoscape, Graphviz, a browser or AIF tools",
        description="Validate the data, then write one view of the knowledge graph in one format. Every format "
                    "is made from the same networkx graph (sckg.to_networkx(view)); SVG and PNG need "
                    "Graphviz's dot command. Invalid data exits 1 and writes nothing.",
        epilog=f"views:\n{views}\n\nformats:\n{formats}\n\n"
               "Without --format, the format comes from the -o file's extension:\n"
               f"{extensions}; an extension that contradicts --format is refused.\n"
               "The file is written whole or not at all. Default file: dist/exports/<view>.<ext> in the project.\n"
               "`sckg build` replaces dist/ whole: it keeps the exports in dist/exports/ that were drawn from the\n"
               "graph it builds, and removes (and names) those drawn from an earlier, different graph.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("view", metavar="VIEW", choices=list(VIEW_DESCRIPTIONS),
                   help="one of: " + ", ".join(VIEW_DESCRIPTIONS))
    # No defaults here: a format or AIF form left out is taken from the -o file's extension (filenames.py).
    p.add_argument("-f", "--format", dest="fmt", metavar="FORMAT", choices=registry.names(),
                   help="one of: " + ", ".join(registry.names()) + " (default: from the -o file's extension, "
                        "else html)")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write (default: dist/exports/<view>.<ext>)")
    p.add_argument("--aif-form", choices=registry.forms("aif"),
                   help="with --format aif: " + "; ".join(f"{r.form}: {r.help}" for r in registry.FORMATS
                                                           if r.name == "aif") + " (default: the first)")
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from ..atomic import write_file_atomically
    from ..errors import UsageError
    from ..export import default_path, render
    from ..export.filenames import resolve
    from ..loader import load
    from ..project import display
    from ..validation import validate

    # Settled before loading, so a contradictory command line fails at once and writes nothing.
    # A folder given as -o names no format; it is refused below with an example file name.
    named = args.output if args.output and not Path(args.output).is_dir() else None
    args.fmt, args.aif_form = resolve(named, args.fmt, args.aif_form)
    kg = load(args.root)
    # Validation is a gate: a drawing of data that fails the shapes would pass the errors on to readers.
    report = validate(kg)
    if not report.ok:
        raise report.failure("nothing was exported (sckg validate lists them all):", show=5)
    data = render(kg, args.view, args.fmt, args.aif_form)
    out = Path(args.output) if args.output else default_path(kg.root, args.view, args.fmt, args.aif_form)
    if out.is_dir():
        example = out / default_path(kg.root, args.view, args.fmt, args.aif_form).name
        raise UsageError(f"{display(out)} is a folder; give a file name, e.g. -o {display(example)}")
    from ..atomic import OUTPUT_MARKER

    exports = out.resolve().parent
    default = default_path(kg.root, args.view, args.fmt, args.aif_form).parent.resolve()
    # dist/exports/ of the project, or exports/ inside any folder a build wrote (sckg build -o DIR)
    in_dist = exports == default or (exports.name == "exports" and (exports.parent / OUTPUT_MARKER).is_file())
    if exports == default:
        _prepare_dist(exports.parent)
    write_file_atomically(out, data)
    if in_dist:  # so that a build keeps it exactly as long as dist/ holds the graph it shows
        from ..outputs import graph_fingerprint, record_export

        record_export(exports, out.name, graph_fingerprint(kg))
    print(f"wrote {display(out)} ({args.view} view, {args.fmt}"
          f"{', ' + args.aif_form if args.aif_form else ''}, {_size(len(data))})")
    return 0


def _size(n: int) -> str:
    return f"{n} bytes" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"


def _prepare_dist(dist) -> None:
    """An export before any build creates dist/: mark it as sckg's, as a build would, so the next
    build may replace it (a folder without the marker is refused as someone else's)."""
    from ..atomic import OUTPUT_MARKER
    from ..errors import UsageError

    try:
        if dist.exists() and any(dist.iterdir()):
            return
        dist.mkdir(parents=True, exist_ok=True)
        (dist / OUTPUT_MARKER).write_text("This folder is written whole by sckg; it may be replaced at any build.\n",
                                          encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {dist}: {exc.strerror or exc}") from None
