"""The selected span's relations, under the span list: type, direction,
the other end's text and line:column. Delete removes the current one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from annotator.core.model import Relation, Span
from annotator.core.text.orientation import LineIndex

RELATION_ID_ROLE = Qt.UserRole + 1


def describe_relation(relation: Relation, span: Span, other: Span | None, text: str,
                      symmetric: bool, lines: LineIndex | None = None) -> str:
    """SPEAKER → «…» 3:14 (outgoing), SPEAKER ← (incoming), ↔ symmetric."""
    arrow = "↔" if symmetric else "→" if relation.source_id == span.id else "←"
    if other is None:
        return f"{relation.type} {arrow} (a span of another document)"
    excerpt = text[other.start:other.end].replace("\n", " ")
    if len(excerpt) > 40:
        excerpt = excerpt[:39] + "…"
    line, column = (lines or LineIndex(text)).line_column(other.start)
    return f"{relation.type} {arrow} {other.label} «{excerpt}» {line}:{column}"


class RelationList(QListWidget):
    deleteRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relation_list")
        self.setLayoutDirection(Qt.RightToLeft)
        self.setToolTip("Relations of the selected span — Delete removes one")

    def show_relations(self, rows: list[tuple[int, str]]) -> None:
        self.clear()
        for relation_id, text in rows:
            item = QListWidgetItem(text)
            item.setData(RELATION_ID_ROLE, relation_id)
            self.addItem(item)
        if rows:
            self.setCurrentRow(0)

    def event(self, event: QEvent) -> bool:
        # Delete here removes a relation, not the span (the window's action).
        if (event.type() == QEvent.ShortcutOverride and self.currentItem() is not None
                and event.key() in (Qt.Key_Delete, Qt.Key_Backspace)):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and item is not None:
            self.deleteRequested.emit(item.data(RELATION_ID_ROLE))
            event.accept()
            return
        super().keyPressEvent(event)
