"""The one exception hierarchy of kg. Problems in a pack's content are records, not exceptions."""
from __future__ import annotations


class KgError(Exception):
    """Base of every error kg raises on purpose.

    An error a learner or a pack author can meet in the app is raised with ``key``, a key of the word
    table (:data:`kg.text.WORDS`), and the fields it is filled with: ``str(err)`` is the English text
    and :meth:`message_in` says it in either language. Other errors keep the sentence they are raised with.

    >>> err = PackError(key="error_cycle_in_plan")
    >>> str(err) == err.message_in("en"), err.message_in("zh")[:6]
    (True, '这里需要的学')
    """

    def __init__(self, *args, key: str | None = None, **fields):
        self.key, self.fields = key, fields
        if key is not None:
            args = (self.message_in("en"),)
        super().__init__(*args)

    def message_in(self, lang: str = "en") -> str:
        """The error's text in ``lang`` (an error raised with a plain sentence has only that one)."""
        if getattr(self, "key", None) is None:
            return str(self)
        from .text import word

        # a field that exists in both languages (kg.problems.Bilingual: the system's reason) is said in ``lang`` too
        return word(self.key, lang, **{name: value.in_lang(lang) if hasattr(value, "in_lang") else value
                                        for name, value in self.fields.items()})


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
        if self.suggestions:
            super().__init__(key="error_unknown_concept_did_you_mean", name=repr(name),
                             suggestions=", ".join(repr(s) for s in self.suggestions))
        else:
            super().__init__(key="error_unknown_concept", name=repr(name))


class InputFileError(KgError):
    """A file given to a command (a quiz review list, known concepts) is missing, too large or not what it should be."""
