"""Subcommands of ``sckg``: one module each, discovered by sckg.cli. A module defines
``register(subparsers)`` which adds its parser and sets ``func`` to a callable taking the parsed args."""
