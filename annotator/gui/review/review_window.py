"""Review mode for one document: the text once, right to left, every
annotator's spans as underline lanes, units coloured by state, a queue
ordered by severity, and keyboard decisions that call core.adjudication.

Keys: 1-9 accept annotator N's version · U accept every unanimous unit ·
E edit the gold span (the selected text, if any) · X or Delete reject all
versions · N / P (or ] / [) next and previous unit · Ctrl+PgDn / Ctrl+PgUp
next and previous annotated document · Ctrl+Z / Ctrl+Shift+Z (a decision
in another document takes the review back there).
Relations: R / Shift+R next and previous relation item · Ctrl+1-9 accept
annotator N's relations on its ends · Ctrl+X reject them (relation_panel.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.review.adjudication import GoldChange, Review, Unit, UnitState, neighbour_document
from annotator.core.review.relation_review import RelationChange, RelationState
from annotator.core.store import Project
from annotator.gui.highlights import Highlight, Style
from annotator.gui.review.colors import CURRENT_FRAME, STATE_NAMES, state_colors
from annotator.gui.review.commands import GoldCommand
from annotator.gui.review.edit_dialog import EditGoldDialog
from annotator.gui.review.keys import NO_UNITS, unbound_key_message
from annotator.gui.review.lanes import LanePainter, UnitPainter, lane_font
from annotator.gui.review.panels import ScoresTable, UnitQueue, VersionsPanel
from annotator.gui.review.relation_panel import (
    KIND_NAMES,
    RELATION_KEYS,
    RelationQueue,
    current_item,
)
from annotator.gui.text_view import ArabicTextView
from annotator.gui.undo_feedback import redo_with_feedback, undo_with_feedback

RELATION_FRAME = "#1c7ed6"
KEYS_HELP = ("1–9 accept annotator N · U accept all unanimous · E edit gold (selection) · "
             "X reject all · N/P next/previous · Ctrl+PgDn/PgUp next/previous document · Ctrl+Z undo")
# (start, end, label) -> new values, or None when the reviewer cancels.
EditAsker = Callable[[int, int, str], "tuple[int, int, str] | None"]


class ReviewDialog(QDialog):
    def __init__(self, project: Project, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.review = Review.open(project, document_id)
        self.label_colors = {tag.name: tag.color for tag in project.tags()}
        self.relation_colors = {kind.name: kind.color for kind in project.relation_types()}
        self.state_colors = state_colors(self.label_colors)
        self.undo_stack = QUndoStack(self)
        # Documents where this dialog wrote gold (the dashboard refreshes
        # their scores only).
        self.changed_documents: set[int] = set()
        self.ask_edit: EditAsker = self._ask_edit
        self.resize(1280, 800)
        self._build()
        self._shortcuts()
        self._show_review(self.review)

    def _show_review(self, review: Review) -> None:
        """Put this document's review on screen: text, lanes, queues."""
        self.review = review
        self.current: int | None = 0 if review.units else None
        assert review.relations is not None
        self.relation_current: int | None = 0 if review.relations.items else None
        self.setWindowTitle(f"Review: {review.document.name}")
        # One lane per annotator plus gold, below the letters (see lanes.py).
        self.lanes = len(review.annotators) + 1
        self.view.setFont(lane_font(self.view.point_size(), self.lanes))
        self.view.set_text(review.document.text)
        self.legend.setText(self._legend())
        self.refresh()
        if review.units:
            self.go_to(0)

    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().showEvent(event)
        # Scrolling needs a laid-out text: only possible once shown.
        QTimer.singleShot(0, self._scroll_to_current)

    def _scroll_to_current(self) -> None:
        unit = self.unit()
        if unit is None:
            return
        self.view.scroll_to(unit.start, unit.end)
        self.queue.scrollToItem(self.queue.currentItem())

    @property
    def changed(self) -> bool:
        """Whether gold was written during this review (even if undone since)."""
        return self.undo_stack.count() > 0

    # -- layout --------------------------------------------------------------

    def _build(self) -> None:
        self.header = QLabel()
        self.header.setTextFormat(Qt.RichText)
        self.view = ArabicTextView()
        self.lanes = len(self.review.annotators) + 1
        self.view.zoomChanged.connect(lambda size: self.view.setFont(lane_font(size, self.lanes)))
        self.view.layers["units"] = UnitPainter()
        self.view.layers["tracks"] = LanePainter()
        self.queue = UnitQueue(self.state_colors)
        self.queue.currentRowChanged.connect(self._queue_moved)
        self.versions = VersionsPanel(self.state_colors)
        self.scores = ScoresTable()
        self.relation_queue = RelationQueue(self.state_colors)
        self.relation_queue.currentRowChanged.connect(self._relation_moved)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.RichText)
        self.legend.setWordWrap(True)
        self.message = QLabel()
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        # Every unit is listed (decided ones too, to revisit them): the
        # title must not promise disagreements only.
        self.queue_title = QLabel()
        column.addWidget(self.queue_title)
        column.addWidget(self.queue, 3)
        column.addWidget(QLabel("<b>Versions of this unit</b>"))
        column.addWidget(self.versions, 2)
        self.relation_title = QLabel()
        column.addWidget(self.relation_title)
        column.addWidget(self.relation_queue, 2)
        column.addWidget(QLabel("<b>Scores against gold (this document)</b>"))
        column.addWidget(self.scores, 1)
        column.addWidget(self.legend)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # The text first: the side column needs about 460 px to be read.
        splitter.setSizes([820, 460])
        keys = QLabel(f"{KEYS_HELP}<br>{RELATION_KEYS}")
        keys.setTextFormat(Qt.RichText)
        keys.setStyleSheet("color: #495057")
        footer = QHBoxLayout()
        footer.addWidget(keys, 1)
        footer.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

    def _swatch(self, state: UnitState, text: str = "&nbsp;&nbsp;&nbsp;") -> str:
        color = self.state_colors[state]
        if state is UnitState.ACCEPTED:  # a rule above the line, not a fill
            return f"<span style='border-top:2px solid {color}; text-decoration:overline'>{text}</span>"
        return f"<span style='background:{color}'>{text}</span>"

    def _legend(self) -> str:
        states = " ".join(f"{self._swatch(s)} {STATE_NAMES[s]}" for s in UnitState)
        labels = " ".join(f"<span style='color:{c}'>▬</span> {n}" for n, c in self.label_colors.items())
        lanes = ", ".join(f"{i} {name}" for i, name in enumerate(self.review.annotators, start=1))
        return (f"Units: {states} (accepted: a line above the text)<br>Underlines in label colours "
                f"({labels}), one lane per annotator below the line, top down: "
                f"{lanes or 'none'}, then gold.")

    def _shortcuts(self) -> None:
        bindings: list[tuple[str, Callable[[], None]]] = [
            *((str(n), partial(self.accept_version, n)) for n in range(1, 10)),
            ("U", self.accept_unanimous), ("E", self.edit_gold),
            ("X", self.reject_all), ("Delete", self.reject_all),
            ("N", self.next_unit), ("]", self.next_unit),
            ("P", self.previous_unit), ("[", self.previous_unit),
            ("Ctrl+PgDown", self.next_document), ("Ctrl+PgUp", self.previous_document),
            *((f"Ctrl+{n}", partial(self.accept_relation, n)) for n in range(1, 10)),
            ("R", self.next_relation), ("Shift+R", self.previous_relation),
            ("Ctrl+X", self.reject_relation),
            (QKeySequence.Undo, self.undo), (QKeySequence.Redo, self.redo),
            ("Ctrl+Shift+Z", self.redo), ("Ctrl+Y", self.redo),
        ]
        bound = self.bound_keys = set()
        for key, slot in bindings:
            sequence = QKeySequence(key)
            # The platform's Redo may already be one of the explicit ones; a
            # sequence bound twice is ambiguous and fires neither.
            if sequence.isEmpty() or sequence.toString() in bound:
                continue
            bound.add(sequence.toString())
            shortcut = QShortcut(sequence, self)
            shortcut.setContext(Qt.WindowShortcut)
            shortcut.activated.connect(slot)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys no shortcut took end here (the text view passes on what it
        does not use): say why nothing happened instead of nothing."""
        why = unbound_key_message(event.key(), event.modifiers(), self.bound_keys)
        if why is None:
            super().keyPressEvent(event)  # Esc closes, modifiers alone do nothing
            return
        self.show_message(why, error=True)
        event.accept()

    def undo(self) -> None:
        undo_with_feedback(self.undo_stack, self.show_message)

    def redo(self) -> None:
        redo_with_feedback(self.undo_stack, self.show_message)

    # -- showing state ---------------------------------------------------------

    def unit(self) -> Unit | None:
        return None if self.current is None else self.review.units[self.current]

    def refresh(self) -> None:
        """Repaint everything from the review's state (after any decision)."""
        counts = self.review.counts()
        parts = " ".join(f"{self._swatch(s, f'&nbsp;{counts.get(s, 0)}&nbsp;')} {STATE_NAMES[s]}"
                         for s in UnitState)
        waiting = counts.get(UnitState.DISPUTED, 0)
        self.queue_title.setText(f"<b>Units, most severe first</b> ({waiting} in dispute, "
                                 f"{len(self.review.units)} in all)")
        names = ", ".join(self.review.annotators) or "nobody"
        self.header.setText(f"<b>{self.review.document.name}</b> — annotated by {names} — "
                            f"{len(self.review.units)} unit(s): {parts}")
        self.queue.fill(self.review)
        if self.current is not None and self.queue.currentRow() != self.current:
            self.queue.setCurrentRow(self.current)
        self.relation_queue.fill(self.review)
        if self.relation_current is not None:
            self.relation_queue.setCurrentRow(self.relation_current)
        assert self.review.relations is not None
        items = self.review.relations.items
        waiting = (RelationState.DISPUTED, RelationState.AGREED)
        open_items = sum(1 for i in items if self.review.relations.state(i) in waiting)
        self.relation_title.setText(f"<b>Relations, disagreements first</b> ({open_items} "
                                    f"waiting, {len(items)} in all)")
        self._paint()
        self.versions.show_unit(self.review, self.unit())
        self.scores.show_scores(self.review.scores())

    def _paint(self) -> None:
        review = self.review
        states = [(u, review.state(u)) for u in review.units]
        self.view.layer("units").set_highlights(
            Highlight(u.start, u.end, self.state_colors[state], Style.BACKGROUND, key=state)
            for u, state in states)
        lanes = []
        for lane, name in enumerate(review.annotators):
            lanes += [Highlight(s.start, s.end, self._color(s.label), Style.UNDERLINE, lane)
                      for s in review.tracks[name]]
        lanes += [Highlight(s.start, s.end, self._color(s.label), Style.UNDERLINE, len(review.annotators))
                  for s in review.gold]
        self.view.layer("tracks").set_highlights(lanes)
        unit = self.unit()
        self.view.layer("current").set_highlights(
            [Highlight(unit.start, unit.end, CURRENT_FRAME, Style.FRAME)] if unit else [])
        # The current relation item's ends in this document, framed in the
        # colour of its relation type (a link's other end is in another text).
        item = current_item(review, self.relation_current)
        color = RELATION_FRAME
        if item is not None:
            kinds = {t for v in item.versions for t, *_ in v.links}
            color = self.relation_colors.get(min(kinds), RELATION_FRAME) if kinds else color
        self.view.layer("relation").set_highlights(
            [Highlight(e[1], e[2], color, Style.FRAME) for e in item.ends
             if e[0] == review.document.id] if item else [])
        self.view.refresh_highlights()

    def _color(self, label: str) -> str:
        return self.label_colors.get(label, "#888888")

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c92a2a" if error else "color: #2b8a3e")
        self.message.setText(text)

    # -- navigation ------------------------------------------------------------

    def _queue_moved(self, row: int) -> None:
        if 0 <= row < len(self.review.units) and row != self.current:
            self.go_to(row)

    def go_to(self, index: int) -> None:
        if not self.review.units:
            return
        self.current = max(0, min(index, len(self.review.units) - 1))
        self.queue.setCurrentRow(self.current)
        self._scroll_to_current()
        self._paint()
        self.versions.show_unit(self.review, self.unit())

    def next_unit(self) -> None:
        if self.current is None:
            self.show_message(NO_UNITS, error=True)
        elif self.current + 1 >= len(self.review.units):
            self.show_message("This is the last unit (P goes back)", error=True)
        else:
            self.go_to(self.current + 1)

    def previous_unit(self) -> None:
        if self.current is None:
            self.show_message(NO_UNITS, error=True)
        elif self.current == 0:
            self.show_message("This is the first unit (N goes on)", error=True)
        else:
            self.go_to(self.current - 1)

    def _advance(self) -> None:
        """After a decision: the next unit still waiting for one, if any."""
        if self.current is None:
            return
        waiting = (UnitState.DISPUTED, UnitState.AGREED)
        for index in range(self.current + 1, len(self.review.units)):
            if self.review.state(self.review.units[index]) in waiting:
                self.go_to(index)
                return

    def next_document(self) -> None:
        self._neighbour(forward=True)

    def previous_document(self) -> None:
        self._neighbour(forward=False)

    def _neighbour(self, forward: bool) -> None:
        """The next or previous document an annotator annotated, read on
        demand (nothing about the other documents is loaded beforehand)."""
        found = neighbour_document(self.project, self.review.document.id, forward)
        if found is None:
            self.show_message("This is the last annotated document (Ctrl+PgUp goes back)" if forward
                              else "This is the first annotated document (Ctrl+PgDn goes on)", error=True)
            return
        self._show_review(Review.open(self.project, found))
        self._scroll_to_current()
        self.show_message(f"document {self.review.document.name}")

    # -- relations -------------------------------------------------------------

    def _relation_moved(self, row: int) -> None:
        assert self.review.relations is not None
        if 0 <= row < len(self.review.relations.items) and row != self.relation_current:
            self.relation_go_to(row)

    def relation_go_to(self, index: int) -> None:
        self.relation_current = index
        self._paint()
        self.relation_queue.setCurrentRow(index)
        self.relation_queue.scrollToItem(self.relation_queue.currentItem())
        item = current_item(self.review, index)
        assert item is not None
        own = [e for e in item.ends if e[0] == self.review.document.id]
        if own:
            self.view.scroll_to(min(e[1] for e in own), max(e[2] for e in own))
        total = len(self.review.relations.items)  # type: ignore[union-attr]
        state = STATE_NAMES[UnitState(self.review.relations.state(item).value)]  # type: ignore[union-attr]
        self.show_message(f"relation {index + 1} of {total}: {KIND_NAMES[item.kind]}, {state}")

    def _no_relations(self) -> bool:
        if self.relation_current is None:
            self.show_message("No relations in this document: nothing to decide", error=True)
            return True
        return False

    def next_relation(self) -> None:
        if self._no_relations():
            return
        assert self.relation_current is not None and self.review.relations is not None
        if self.relation_current + 1 >= len(self.review.relations.items):
            self.show_message("This is the last relation (Shift+R goes back)", error=True)
        else:
            self.relation_go_to(self.relation_current + 1)

    def previous_relation(self) -> None:
        if self._no_relations():
            return
        assert self.relation_current is not None
        if self.relation_current == 0:
            self.show_message("This is the first relation (R goes on)", error=True)
        else:
            self.relation_go_to(self.relation_current - 1)

    def accept_relation(self, number: int) -> None:
        item = current_item(self.review, self.relation_current)
        if item is None:
            self._no_relations()
            return
        if not 1 <= number <= len(item.versions):
            self.show_message(f"no annotator {number} on this document", error=True)
            return
        name = item.versions[number - 1].annotator
        decisions = self.review.relations
        assert decisions is not None
        self._decide(f"Accept {name}'s relation", partial(decisions.accept, item, name),
                     advance=False)

    def reject_relation(self) -> None:
        item = current_item(self.review, self.relation_current)
        if item is None:
            self._no_relations()
            return
        decisions = self.review.relations
        assert decisions is not None
        self._decide("Reject the relation", partial(decisions.reject, item), advance=False)

    # -- decisions -------------------------------------------------------------

    def _decide(self, text: str, make: Callable[[], GoldChange | RelationChange],
                advance: bool = True) -> None:
        review = self.review
        command = GoldCommand(text, review, make, partial(self._after_change, review),
                              lambda message: self.show_message(message, error=True))
        outcome = command.outcome
        self.undo_stack.push(command)
        if outcome.failed:
            return
        if outcome.empty:
            self.show_message("nothing to change")
            return
        self.changed_documents.add(review.document.id)
        self.show_message(text)
        if advance:
            self._advance()

    def _after_change(self, review: Review) -> None:
        """A decision was made, undone or redone in ``review``: show it there
        (an undo can reach back into a document reviewed before)."""
        if review is not self.review:
            self._show_review(review)
        else:
            self.refresh()

    def accept_version(self, number: int) -> None:
        unit = self.unit()
        if unit is None:
            self.show_message(NO_UNITS, error=True)
            return
        if not 1 <= number <= len(unit.versions):
            self.show_message(f"no annotator {number} on this document", error=True)
            return
        name = unit.versions[number - 1].annotator
        self._decide(f"Accept {name}'s version", partial(self.review.accept, unit, name))

    def accept_unanimous(self) -> None:
        self._decide("Accept all unanimous spans", self.review.accept_unanimous, advance=False)

    def reject_all(self) -> None:
        unit = self.unit()
        if unit is None:
            self.show_message(NO_UNITS, error=True)
            return
        self._decide("Reject all versions", partial(self.review.reject, unit))

    def edit_gold(self) -> None:
        unit = self.unit()
        if unit is None:
            self.show_message(NO_UNITS, error=True)
            return
        start, end, label = self._edit_proposal(unit)
        answer = self.ask_edit(start, end, label)
        if answer is not None:
            self._decide("Edit gold span", partial(self.review.edit, unit, *answer), advance=False)

    def _edit_proposal(self, unit: Unit) -> tuple[int, int, str]:
        """What the edit starts from: the selected text, else gold, else the
        first version with a span."""
        gold = self.review.gold_in(unit)
        spans = gold or [s for v in unit.versions for s in v.spans]
        label = spans[0].label if spans else sorted(unit.labels)[0]
        selected = self.view.selection()
        if selected[0] < selected[1]:
            return selected[0], selected[1], label
        return spans[0].start, spans[0].end, label

    def _ask_edit(self, start: int, end: int, label: str) -> tuple[int, int, str] | None:
        dialog = EditGoldDialog(self.review.document.text, list(self.label_colors), start, end,
                                label, self, label_colors=self.label_colors)
        return dialog.values() if dialog.exec() == QDialog.Accepted else None
