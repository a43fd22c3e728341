"""One progress bar on standard error for long work (grounding, validation, pushing graphs).

It is drawn only when standard error is a terminal, on one line that each redraw overwrites (``\\r``
then erase-line), and erased by ``close`` before the command prints anything else: a pipe, a file or
a test's captured output never holds a bar, a carriage return or an escape sequence.
"""

from __future__ import annotations

import sys
import time

WIDTH = 24  # characters of the bar itself
REDRAW_SECONDS = 0.1  # a thousand small steps must not become a thousand terminal writes


def size(n: int) -> str:
    """Bytes for people: 1.2 MB, 3.4 kB, 512 B."""
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


class Progress:
    """``count`` steps of ``noun`` (statements, graphs), optionally weighted by bytes (``total_bytes``):
    the bar fills by bytes when they are given, else by steps. ``title`` starts the line."""

    def __init__(self, count: int, noun: str, title: str = "", total_bytes: int | None = None,
                 stream=None, enabled: bool = True, redraw_seconds: float = REDRAW_SECONDS):
        self.stream = stream or sys.stderr
        self.enabled = enabled and count > 0 and _is_terminal(self.stream)
        self.count, self.noun, self.title = count, noun, title
        self.total_bytes = max(total_bytes, 1) if total_bytes is not None else None
        self.done, self.done_bytes = 0, 0
        self.redraw_seconds = redraw_seconds
        self._drawn_at = 0.0
        self._drawn = False

    def show(self, label: str = "") -> None:
        """Redraw the line, naming ``label`` (the step under way); at most every ``redraw_seconds``,
        except that the first and the last step are always drawn."""
        if not self.enabled:
            return
        now = time.monotonic()
        if self._drawn and now - self._drawn_at < self.redraw_seconds and self.done < self.count - 1:
            return
        self._drawn_at, self._drawn = now, True
        if self.total_bytes is not None:
            fraction = self.done_bytes / self.total_bytes
            amount = f" {size(self.done_bytes)}/{size(self.total_bytes)}"
        else:
            fraction, amount = self.done / self.count, ""
        filled = min(WIDTH, int(WIDTH * fraction))
        bar = "#" * filled + "-" * (WIDTH - filled)
        head = f"{self.title} " if self.title else ""
        line = f"{head}[{bar}] {self.done}/{self.count} {self.noun}{amount}  {label}"
        self.stream.write("\r\033[K" + line[:200])
        self.stream.flush()

    def advance(self, nbytes: int = 0) -> None:
        self.done += 1
        self.done_bytes += nbytes

    def close(self) -> None:
        """Erase the line, so the next output starts on a clean one."""
        if self.enabled and self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
        self._drawn = False


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
