"""``sckg init DIR``: lay out a working copy of the project (ontology, data, queries) in a new folder.

After a plain ``pip install`` (not editable) no checkout is at hand, and every data command needs a
project folder: its files are the graph's sources, the build writes dist/ beside them, and a researcher
adds statements there. The wheel carries a copy of those files; this command writes it out.
"""

from __future__ import annotations

EPILOG = """examples:
  $ sckg init sckg-work && cd sckg-work && sckg build
  $ sckg --root sckg-work query stances-matrix"""


def register(sub) -> None:
    p = sub.add_parser("init", help="lay out a working copy of the project in a new folder",
                       description="Copy the ontology, data and queries this installation carries into DIR "
                                   "(which must not exist, or be empty), so that every command can run there. "
                                   "Exits 2 if DIR is a file or a folder that is not empty.",
                       epilog=EPILOG)
    p.add_argument("directory", metavar="DIR", help="the folder to create")
    p.set_defaults(func=run)


def run(args) -> int:
    import shutil
    import tempfile
    from pathlib import Path

    from ..errors import UsageError
    from ..project import packaged_project

    target = Path(args.directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} already exists and is not an empty folder; name a new one")
    source = packaged_project()
    if source is None:
        raise UsageError("this installation carries no project files (a wheel built without setup.py?); "
                         "clone the repository instead")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Copy into a sibling staging folder, then rename: an interrupted init leaves no half-copied project.
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=target.parent))
    try:
        for folder in ("ontology", "data", "queries"):
            shutil.copytree(source / folder, staging / folder,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        staging.chmod(0o755)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
    print(f"OK: a working copy of the sckg project is in {target}/ (ontology, data, queries).")
    print(f"Next: cd {target} && sckg build   (or give --root {target} to any command)")
    return 0
