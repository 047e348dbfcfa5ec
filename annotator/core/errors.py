"""Errors a user can cause. Each renders as one line naming file and line."""

from __future__ import annotations

from pathlib import Path


class AnnotatorError(Exception):
    """Base for every error that is the user's input, not our bug.

    The CLI and GUI print ``str(error)`` as one line; no traceback.
    """


class InputError(AnnotatorError):
    """A file (or a line of it) that cannot be used."""

    def __init__(self, source: str | Path | None, message: str, line: int | None = None):
        self.source = str(source) if source is not None else None
        self.line = line
        self.message = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class ValidationError(AnnotatorError):
    """An edit that would break an invariant (offsets, labels, overlap)."""


class SchemaError(AnnotatorError):
    """A project file this version cannot open safely."""


class NotFoundError(AnnotatorError):
    """A document, span, tag or annotator that does not exist."""


def error_at(origin: tuple[str, int | None] | None, message: str) -> AnnotatorError:
    """The error for something that came from (file, line), or a plain
    ValidationError when it came from no file."""
    if origin is None:
        return ValidationError(message)
    return InputError(origin[0], message, origin[1])
