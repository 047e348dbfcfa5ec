"""The relation queue of the review screen: one row per relation item (a
pair of ends some annotator related), each annotator's relations on them
numbered as the Ctrl+N keys that accept them, and what gold holds.

A list beside the text rather than arcs over it: the arcs belong to the
annotation window, and a list also shows links to claims in other
documents, which no arc over this text could reach.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from annotator.core.review.adjudication import Review, UnitState
from annotator.core.review.relation_review import End, Link, RelationItem, RelationKind
from annotator.gui.fonts import arabic_font
from annotator.gui.review.colors import STATE_NAMES
from annotator.gui.review.panels import excerpt, tinted

RELATION_KEYS = ("R / Shift+R next/previous relation · Ctrl+1–9 accept annotator N's relation · "
                 "Ctrl+X reject the relation")

KIND_NAMES = {RelationKind.TYPE: "type dispute", RelationKind.MISSING: "missing relation",
              RelationKind.NONE: "unanimous"}


def describe_end(review: Review, end: End, texts: dict[int, str]) -> str:
    document_id, start, stop, label = end
    if document_id not in texts:
        texts[document_id] = review.project.document(document_id).text
    where = "" if document_id == review.document.id else f" [document {document_id}]"
    # Isolated (FSI ... PDI): in a left-to-right row the Arabic excerpt must
    # not pull the guillemets and the next end into its own direction.
    return f"{label} \u2068«{excerpt(texts[document_id], start, stop, 28)}»\u2069{where}"


def describe_links(links: frozenset[Link], first: End) -> str:
    if not links:
        return "—"
    arrows = []
    for kind, source, _target in sorted(links):
        arrows.append(f"{kind} {'→' if source == first else '←'}")
    return ", ".join(arrows)


class RelationQueue(QListWidget):
    """Relation items, disagreements first, tinted by state like the units."""

    def __init__(self, colors: dict[UnitState, str]) -> None:
        super().__init__()
        self.colors = colors
        self.setFont(arabic_font(11))
        # Three lines a row, wrapped: the versions line is the one that matters.
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.texts: dict[int, str] = {}

    def fill(self, review: Review) -> None:
        current = self.currentRow()
        self.blockSignals(True)
        self.clear()
        decisions = review.relations
        assert decisions is not None
        gold = {}
        for item in decisions.items:
            state = UnitState(decisions.state(item).value)
            first, second = item.ends
            versions = " · ".join(f"{n} {v.annotator}: {describe_links(v.links, first)}"
                                  for n, v in enumerate(item.versions, start=1))
            gold = decisions.gold_on(item)
            held = ", ".join(f"{r.type} ({r.provenance})" for r in gold) or "—"
            row = QListWidgetItem(
                f"{STATE_NAMES[state]} · {KIND_NAMES[item.kind]}"
                f"{' · across documents' if item.cross_document else ''}\n"
                f"{describe_end(review, first, self.texts)} ⟷ "
                f"{describe_end(review, second, self.texts)}\n{versions} · gold: {held}")
            row.setBackground(tinted(self.colors, state))
            row.setData(Qt.UserRole, state.value)
            self.addItem(row)
        self.blockSignals(False)
        if 0 <= current < self.count():
            self.setCurrentRow(current)

    def item_text(self, index: int) -> str:
        return self.item(index).text()


def current_item(review: Review, index: int | None) -> RelationItem | None:
    if review.relations is None or index is None or not review.relations.items:
        return None
    return review.relations.items[index]
