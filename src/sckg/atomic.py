"""Writing an output folder all at once: either the new one replaces the old, or nothing changes.

Files are written into a staging folder beside the target; only when all of them are written is the
old folder moved aside and the staging folder renamed into place (two renames on the same file
system). A failure before that leaves the previous folder exactly as it was.

An output folder carries a marker file, and only a folder with that marker (or an empty one) is ever
replaced: pointing ``-o`` at a folder of one's own must not delete it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import UsageError

OUTPUT_MARKER = ".sckg-output"


def _umask() -> int:
    mask = os.umask(0o022)  # os.umask can only be read by setting it; put it straight back
    os.umask(mask)
    return mask


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder; choose a new or empty folder for the output")
    if any(target.iterdir()) and not (target / OUTPUT_MARKER).is_file():
        raise UsageError(f"refusing to replace {target}: it is not empty and was not written by sckg "
                         f"(no {OUTPUT_MARKER} file in it); choose a new or empty folder, or delete it yourself")


@contextmanager
def _named_os_errors(path: Path) -> Iterator[None]:
    """A missing folder, a read-only disk, no permission: say which path, without a traceback."""
    try:
        yield
    except UsageError:
        raise
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


@contextmanager
def staged_directory(target: Path, keep: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``target`` whole. Entries named in
    ``keep`` (such as dist/exports/) are carried over from the old folder when the new one lacks them."""
    target = Path(target)
    _check_replaceable(target)
    with _named_os_errors(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
        # mkdtemp makes a private (0700) folder; the published folder gets the usual permissions.
        os.chmod(staging, 0o777 & ~_umask())
        try:
            yield staging
            (staging / OUTPUT_MARKER).write_text(
                "This folder is written whole by sckg; it may be replaced at any build.\n", encoding="utf-8")
            os.chmod(staging / OUTPUT_MARKER, 0o666 & ~_umask())
            for name in keep:
                if (target / name).exists() and not (staging / name).exists():
                    shutil.copytree(target / name, staging / name) if (target / name).is_dir() \
                        else shutil.copy2(target / name, staging / name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            if old is not None:
                os.rename(old, target)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def write_file_atomically(path: Path, data: bytes) -> None:
    """Replace one file at once (write a temporary file beside it, then rename). The file keeps the
    permissions of the one it replaces, or gets what a plain open() would give (mkstemp's are 0600)."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name for the output")
    with _named_os_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
