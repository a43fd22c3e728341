"""Writing an output folder all at once: either the new one replaces the old, or nothing changes.

Files are written into a staging folder beside the target and flushed to disk (fsync); only when all
of them are written does the staging folder take the target's place. Where the system can (Linux,
renameat2 with RENAME_EXCHANGE), the two folders are exchanged in one atomic step, so there is no
moment at which the target is missing, whatever kills the process. Elsewhere the old folder is
renamed aside and the new one into place (two renames); a build killed between them leaves the old
folder aside, and the next build puts it back before anything else.

Staging and old folders carry the process id in their names (``.dist.staging-<pid>-*``,
``.dist.old-<pid>-*``): the next build removes those whose process is gone (a killed build's
leftovers) and never touches those of a build still running beside it.

An output folder carries a marker file, and only a folder with that marker (or an empty one) is ever
replaced: pointing ``-o`` at a folder of one's own must not delete it.
"""

from __future__ import annotations

import errno as _errno
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

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


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE). False where the system,
    the C library or the file system cannot, and the caller falls back to two renames."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (_errno.ENOSYS, _errno.EINVAL, _errno.ENOTSUP, _errno.EOPNOTSUPP, _errno.EPERM):
        return False  # no such call here, or this file system does not support the flag
    raise OSError(errno, os.strerror(errno), str(b))


def _fsync_tree(folder: Path) -> None:
    """Flush every file of ``folder`` and the folder itself, so a power loss after the swap cannot
    publish a folder whose files are still only in memory."""
    for path in sorted(folder.rglob("*"), reverse=True):
        _fsync_path(path)
    _fsync_path(folder)


def _fsync_path(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders; the data files were flushed
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _leftovers(target: Path, kind: str) -> list[Path]:
    """Staging or old folders of ``target`` whose build is no longer running."""
    found = []
    for path in target.parent.glob(f".{target.name}.{kind}-*"):
        match = re.match(rf"\.{re.escape(target.name)}\.{kind}-(\d+)-", path.name)
        if match is None or not _alive(int(match.group(1))):  # no pid: written before pids were named
            found.append(path)
    return sorted(found, key=lambda p: p.stat().st_mtime if p.exists() else 0)


def recover(target: Path) -> list[Path]:
    """Undo what a killed build left: when the target is missing and a dead build's old folder is
    there, put it back; then delete dead builds' staging and old folders. Returns what was removed."""
    target = Path(target)
    if not target.parent.is_dir():
        return []
    olds = _leftovers(target, "old")
    if not os.path.lexists(target) and olds:
        os.rename(olds[-1], target)  # the newest: the folder that was in place when the build died
        olds = olds[:-1]
    removed = []
    for path in _leftovers(target, "staging") + olds:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


@contextmanager
def staged_directory(target: Path, carry: Callable[[Path, Path], None] | None = None) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``target`` whole. ``carry(old, staging)``
    may copy what should survive from the old folder into the new one (it runs last, before the swap)."""
    target = Path(target)
    with _named_os_errors(target):
        recover(target)
    _check_replaceable(target)
    with _named_os_errors(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        pid = os.getpid()
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{pid}-", dir=target.parent))
        # mkdtemp makes a private (0700) folder; the published folder gets the usual permissions.
        os.chmod(staging, 0o777 & ~_umask())
        try:
            yield staging
            (staging / OUTPUT_MARKER).write_text(
                "This folder is written whole by sckg; it may be replaced at any build.\n", encoding="utf-8")
            os.chmod(staging / OUTPUT_MARKER, 0o666 & ~_umask())
            if carry is not None and target.is_dir():
                carry(target, staging)
            _fsync_tree(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if target.exists() and _exchange(staging, target):
            # One step: the new folder is in place and the old one sits at the staging name.
            _fsync_path(target.parent)
            shutil.rmtree(staging, ignore_errors=True)
            return
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{pid}-", dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            if old is not None:
                os.rename(old, target)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _fsync_path(target.parent)
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
