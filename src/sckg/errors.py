"""Errors a user can act on, each with the documented exit code of the CLI.

Exit codes: 0 ok, 1 invalid data (the files or the graph are wrong), 2 usage or runtime error.
Anything raised as an SckgError is printed as its message alone, never with a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID_DATA = 1
EXIT_USAGE = 2


class SckgError(Exception):
    """Base class: a problem explained to the user. ``exit_code`` is what the CLI returns."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DataError(SckgError):
    """The project's or the user's data is invalid: bad syntax, unresolvable quotes, failed checks."""

    exit_code = EXIT_INVALID_DATA


class UsageError(SckgError):
    """The command was called wrongly, or something outside the data went wrong (missing file...)."""

    exit_code = EXIT_USAGE
