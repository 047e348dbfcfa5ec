"""Accepting and rejecting suggestions as undoable edits (the window's undo
stack runs them through ``workflow.Edit``'s apply/revert protocol)."""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.model import Span
from annotator.core.store import suggestions as store
from annotator.core.suggest.engine import Suggester, Suggestion
from annotator.core.workflow import Change, SpanChange


class AcceptSuggestions:
    """One or many suggestions made spans in one transaction; revert deletes
    them, apply again restores them under the same ids."""

    def __init__(self, suggester: Suggester, suggestions: list[Suggestion]) -> None:
        self.suggester = suggester
        self.suggestions = suggestions
        labels = sorted({s.label for s in suggestions})
        self.description = (f"Accept {suggestions[0].label} suggestion" if len(suggestions) == 1
                            else f"Accept {len(suggestions)} {'/'.join(labels)} suggestions")
        self.spans: list[Span] | None = None

    def apply(self) -> list[Change]:
        project, layer = self.suggester.project, self.suggester.layer
        if self.spans is None:
            if len(self.suggestions) == 1:
                s = self.suggestions[0]
                self.spans = [store.accept(project, layer, s.document_id, s.start, s.end, s.label,
                                           dict(s.attributes), s.rule, s.note)]
            else:
                result = store.accept_many(project, [s.as_new_span(layer) for s in self.suggestions])
                self.spans = [project.span(span_id) for span_id in result.inserted]
        else:
            with project.transaction():
                self.spans = [project.restore_span(span) for span in self.spans]
        return [SpanChange(None, span) for span in self.spans]

    def revert(self) -> list[Change]:
        assert self.spans is not None
        project = self.suggester.project
        with project.transaction():
            removed = [project.delete_span(span.id) for span in reversed(self.spans)]
        return [SpanChange(span, None) for span in removed]


class RejectSuggestion:
    """A suggestion the layer does not want; revert forgets the rejection.

    Takes the current suggester when it runs, not the one it was made with:
    opening a document builds a new one, and an undo after that must update
    the rejections the window now uses. ``changed`` is told after each step
    (a rejection changes no span, so nothing else would redraw it)."""

    def __init__(self, suggester: Callable[[], Suggester], suggestion: Suggestion,
                 changed: Callable[[], None]) -> None:
        self.suggester, self.suggestion, self.changed = suggester, suggestion, changed
        self.description = f"Reject {suggestion.label} suggestion"

    def apply(self) -> list[Change]:
        self.suggester().reject(self.suggestion)
        self.changed()
        return []

    def revert(self) -> list[Change]:
        self.suggester().unreject(self.suggestion)
        self.changed()
        return []
