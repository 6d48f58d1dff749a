"""The one exception hierarchy of kg. Problems in a pack's content are records, not exceptions."""
from __future__ import annotations


class KgError(Exception):
    """Base of every error kg raises on purpose."""


class PackError(KgError):
    """The pack cannot be used at all (not found, or its files cannot be read)."""


class UsageError(KgError):
    """A request that cannot be carried out as asked: an output folder that is not empty, an option
    the chosen export format does not use, input files that are not what the command expects."""


class UnknownConcept(KgError, LookupError):
    """A name that matches no concept; carries the closest matches as ``suggestions``."""

    def __init__(self, name: str, suggestions: list[str] | None = None):
        self.name = name
        self.suggestions = list(suggestions or [])
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown concept {name!r}{hint}")


class InputFileError(KgError):
    """A file given to a command (a quiz review list, known concepts) is missing, too large or not what it should be."""
