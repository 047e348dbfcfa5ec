"""Relations in the annotation window: linking from the keyboard, the arcs,
the selected span's relation list and the "claims without SPEAKER" filter.

With a span selected, R (any type) or a relation type's key (s, t) starts
linking: Tab / Shift+Tab walk the allowed other ends nearest first
(core.linking), Enter links, Esc cancels, a click on a span picks it. Either
end may be the one selected: from an ENTITY, R offers the CLAIMs it may be
the SPEAKER of, and the relation is stored CLAIM -> ENTITY. The type is the
one asked for, else the only one the two labels allow, else a small
chooser. Every edit is a core workflow Edit pushed by the window, so
undo and redo cover relations like spans.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, overload

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenuBar

from annotator.core import workflow
from annotator.core.errors import AnnotatorError
from annotator.core.linking import distance, link_candidates, link_options
from annotator.core.model import Relation, RelationType, Span
from annotator.core.span_table import SpanTable
from annotator.gui.highlights import Highlight, Style
from annotator.gui.relation_list import RelationList, describe_relation
from annotator.gui.relation_painter import Arc, RelationPainter

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

SHOW_ALL_KEY = "relations/show_all"
_KEYS = {Qt.Key_Tab, Qt.Key_Backtab, Qt.Key_Return, Qt.Key_Enter, Qt.Key_Escape}


class LinkTargets(Sequence[Span]):
    """The spans a link from ``source`` may reach, nearest first (as
    core.linking.link_candidates orders them), sorted only as far as asked.
    The spans closer than WINDOW code points are read from the table's index
    and are exactly the first ones of the full order (every other span is
    further away); Tab past them, or Shift+Tab round to the last, sorts
    them all. A 20 MB document has 240,000 entities to sort."""

    WINDOW = 4096

    def __init__(self, table: SpanTable, source: Span, kinds: list[RelationType],
                 chosen: str | None) -> None:
        self.table, self.source, self.kinds, self.chosen = table, source, kinds, chosen
        # Either way round: linking may start from either end of a type.
        self.labels = [name for name in table.names
                       if link_options(kinds, source.label, name, chosen)]
        self._len = sum(table.count(label) for label in self.labels) \
            - (source.label in self.labels and source.id in table)
        allowed = set(self.labels)
        near = [table.span_at(r) for r in table.overlapping(source.start - self.WINDOW,
                                                            source.end + self.WINDOW)
                if table.label_of(r) in allowed]
        self._near = [s for s in link_candidates(source, near, kinds, chosen)
                      if distance(source, s) < self.WINDOW]
        self._all: list[Span] | None = None

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> Span: ...

    @overload
    def __getitem__(self, index: slice) -> list[Span]: ...

    def __getitem__(self, index: int | slice) -> Span | list[Span]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if index < 0:
            index += len(self)
        if 0 <= index < len(self._near):
            return self._near[index]
        if self._all is None:
            table = self.table
            every = [table[i] for label in self.labels for i in table.ids_with_label(label)]
            self._all = link_candidates(self.source, every, self.kinds, self.chosen)
        return self._all[index]


class LinkController(QObject):
    def __init__(self, window: MainWindow, bar: QMenuBar) -> None:
        super().__init__(window)
        self.w = window
        self.kinds: dict[str, RelationType] = {}
        self.relations: dict[int, Relation] = {}
        self.source: Span | None = None
        self.chosen: str | None = None
        self.candidates: Sequence[Span] = []
        self.index = 0
        # Asked when two labels allow several types; tests replace it.
        self.choose: Callable[[list[str]], str | None] = self._ask_type
        self.list = RelationList()
        self.list.deleteRequested.connect(self.delete_relation)
        self.painter = RelationPainter()
        window.view.overlays.append(self.painter)
        window.view.layer("link")
        window.view.installEventFilter(self)
        self.menu = bar.addMenu("Re&lations")
        self.show_all = bool(window.qsettings.value(SHOW_ALL_KEY, True, type=bool))
        self.type_actions: list[QAction] = []
        self.by_span: dict[int, set[int]] = {}
        self._all_arcs: dict[int, Arc] = {}
        # Re-sorting 10,000 arcs on every selection would cost a frame.
        self._arcs_changed = False
        self._shown_selected_only = False
        self._filtered = False
        self._build_menu()

    # -- menu ------------------------------------------------------------------

    def _build_menu(self) -> None:
        self._action("&Link the selected span…", lambda: self.start(None), "R", "link")
        self.menu.addSeparator()
        self.all_action = QAction("Show &all relations (off: the selected span's only)",
                                  self.w, checkable=True)
        self.all_action.setChecked(self.show_all)
        self.all_action.toggled.connect(self.set_show_all)
        self.menu.addAction(self.all_action)
        self.missing_action = QAction("List only &claims without SPEAKER", self.w, checkable=True)
        self.missing_action.setObjectName("claims_without_speaker")
        self.missing_action.toggled.connect(lambda _: self.apply_filter())
        self.menu.addAction(self.missing_action)
        self.menu.addSeparator()

    def _action(self, text: str, slot: Callable[[], None], key: str, name: str) -> QAction:
        action = QAction(text, self.w)
        action.setShortcut(QKeySequence(key))
        action.setObjectName(name)
        action.triggered.connect(lambda _=False: slot())
        self.menu.addAction(action)
        self.w.addAction(action)
        return action

    def reload_types(self) -> None:
        self.kinds = {k.name: k for k in self.w.project.relation_types()}
        for action in self.type_actions:
            self.menu.removeAction(action)
            self.w.removeAction(action)
            action.deleteLater()
        self.type_actions = [
            self._action(f"Link as {k.name}", lambda n=k.name: self.start(n), k.hotkey,
                         f"link_{k.name}")
            for k in self.kinds.values() if k.hotkey
        ]

    # -- the document's relations ------------------------------------------------

    def document_opened(self) -> None:
        self.cancel(quiet=True)
        document = self.w.document
        self.relations = {} if document is None else {
            r.id: r for r in self.w.project.relations(layer=self.w.annotator,
                                                      document_id=document.id)}
        self.by_span: dict[int, set[int]] = {}
        for r in self.relations.values():
            self._index(r, True)
        self.refresh()

    def _index(self, relation: Relation, add: bool) -> None:
        for end in (relation.source_id, relation.target_id):
            ids = self.by_span.setdefault(end, set())
            (ids.add if add else ids.discard)(relation.id)

    def relation_changed(self, change: workflow.RelationChange) -> None:
        if change.old is not None:
            self.relations.pop(change.old.id, None)
            self._index(change.old, False)
        if change.new is not None:
            self.relations[change.new.id] = change.new
            self._index(change.new, True)

    def changes_applied(self, changes: list[workflow.Change]) -> None:
        # Arcs are rebuilt only when a relation or one of its spans changed:
        # a span edit elsewhere must not walk 10,000 relations.
        if any(isinstance(c, workflow.SpanChange) and self.by_span.get((c.new or c.old).id)
               for c in changes):
            self.refresh()
            return
        for c in changes:
            if isinstance(c, workflow.RelationChange):
                if c.old is not None:
                    self._all_arcs.pop(c.old.id, None)
                arc = self._arc(c.new) if c.new is not None else None
                if arc is not None:
                    self._all_arcs[arc.key] = arc
                self._arcs_changed = True
        self.show_selected()

    def _arc(self, r: Relation) -> Arc | None:
        source, target = self.w.spans.bounds(r.source_id), self.w.spans.bounds(r.target_id)
        if source is None or target is None:
            return None
        kind = self.kinds.get(r.type)
        return Arc(r.id, source, target, r.type,
                   kind.color if kind else "#868e96", bool(kind and kind.symmetric))

    def refresh(self) -> None:
        """All arcs again, then the selected span's part."""
        arcs = (self._arc(r) for r in self.relations.values())
        self._all_arcs = {a.key: a for a in arcs if a is not None}
        self._arcs_changed = True
        self.show_selected()

    def _of_selected(self) -> list[Relation]:
        ids = self.by_span.get(self.w.selected_span_id, set()) if self.w.selected_span_id else set()
        return [self.relations[i] for i in sorted(ids)]

    def show_selected(self) -> None:
        """The arcs shown, the selected span's list and the filter."""
        mine = self._of_selected()
        if self.show_all:
            if self._arcs_changed or self._shown_selected_only:
                self.painter.set_arcs(list(self._all_arcs.values()))
            self._arcs_changed = self._shown_selected_only = False
        else:
            self._shown_selected_only = True
            self.painter.set_arcs([a for a in map(self._arc, mine) if a is not None])
        span = self.w._selected()
        rows = []
        if span is not None and self.w.document is not None:
            for r in mine:
                other = self.w.spans.get(r.target_id if r.source_id == span.id else r.source_id)
                kind = self.kinds.get(r.type)
                rows.append((r.id, describe_relation(r, span, other, self.w.document.text,
                                                     bool(kind and kind.symmetric),
                                                     self.w.span_list.span_model.lines)))
        self.list.show_relations(rows)
        self.apply_filter()
        self.w.view.refresh_highlights()

    def set_show_all(self, on: bool) -> None:
        self.show_all = on
        self.w.qsettings.setValue(SHOW_ALL_KEY, on)
        self.refresh()

    def claims_without_speaker(self) -> set[int]:
        spoken = {r.source_id for r in self.relations.values() if r.type == "SPEAKER"}
        return set(self.w.spans.ids_with_label("CLAIM")) - spoken

    def apply_filter(self) -> None:
        table, model = self.w.span_list, self.w.span_list.span_model
        keep = self.claims_without_speaker() if self.missing_action.isChecked() else None
        if keep is None and not self._filtered:
            return  # nothing hidden: do not touch 20,000 rows on every selection
        self._filtered = keep is not None
        for row, span_id in enumerate(model.table.ids):
            table.setRowHidden(row, keep is not None and span_id not in keep)

    def delete_relation(self, relation_id: int) -> None:
        relation = self.relations.get(relation_id)
        if relation is not None and self.w._perform(lambda: self.w.workflow.unlink(relation),
                                                    refocus=False):
            self.w.show_message(f"{relation.type} relation deleted (Ctrl+Z undoes)")

    # -- linking -------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.source is not None

    def start(self, chosen: str | None) -> None:
        source = self.w._selected()
        if source is None:
            self.w.show_error("select a span first (click it, or Alt+Down), then press R to link it")
            return
        kinds = list(self.kinds.values())
        self.candidates = LinkTargets(self.w.spans, source, kinds, chosen)
        if not self.candidates:
            what = chosen or "a relation"
            summary = f" ({self.kinds[chosen].constraint_summary()})" if chosen in self.kinds else ""
            self.w.show_error(f"no span in this document can take {what}{summary} with this "
                              f"{source.label}")
            return
        self.source, self.chosen, self.index = source, chosen, 0
        self.w.view.setFocus()
        self._show_candidate()

    def step(self, step: int) -> None:
        if self.candidates:
            self.index = (self.index + step) % len(self.candidates)
            self._show_candidate()

    def _show_candidate(self) -> None:
        target = self.candidates[self.index]
        self.w.view.layer("link").set_highlights(
            [Highlight(target.start, target.end, "#e8590c", Style.DASHED)])
        self.w.view.scroll_to(target.start, target.end)
        self.w.view.refresh_highlights()
        what = self.chosen or "link"
        forward = any(f for _, f in link_options(self.kinds.values(), self.source.label,
                                                 target.label, self.chosen))
        # ← when the other end will be the relation's source (from an ENTITY to its CLAIM).
        self.w.show_message(f"{what} {self.source.label} {'→' if forward else '←'} {target.label} "
                            f"({self.index + 1} of {len(self.candidates)}, nearest first): "
                            "Tab/Shift+Tab other targets, Enter links, Esc cancels", 0)

    def cancel(self, quiet: bool = False) -> None:
        was = self.active
        self.source, self.candidates = None, []
        self.w.view.layer("link").set_highlights([])
        self.w.view.refresh_highlights()
        if was and not quiet:
            self.w.show_message("Linking cancelled")

    def commit(self, target: Span | None = None) -> bool:
        source = self.source
        if source is None:
            return False
        target = target or self.candidates[self.index]
        options = {k.name: forward for k, forward in
                   link_options(self.kinds.values(), source.label, target.label, self.chosen)}
        names = list(options)
        if not names:
            # The store's own words for why this pair is refused.
            name = self.chosen or next(iter(self.kinds), "")
            try:
                self.w.project.check_relation(self.w.annotator, name, source.id, target.id)
            except AnnotatorError as exc:
                self.w.show_error(str(exc))
            return False
        name = names[0] if len(names) == 1 else self.choose(names)
        if name is None:
            return False
        start, end = (source, target) if options[name] else (target, source)
        if not self.w._perform(lambda: self.w.workflow.link(name, start, end)):
            return False  # refused: the status bar says why; linking goes on
        self.cancel(quiet=True)
        self.w.select_span(source.id)
        self.w.show_message(f"{name} linked (Ctrl+Z undoes)")
        return True

    def pick_at(self, position: int) -> None:
        """A click while linking: the innermost span there is the target."""
        under = [hl.key for hl in self.w.view.layer("spans").highlights_at(position)]
        spans = [self.w.spans[k] for k in under if k in self.w.spans and k != self.source.id]
        if not spans:
            self.w.show_error("click a span to link to (Esc cancels)")
            return
        self.commit(spans[0])

    def _ask_type(self, names: list[str]) -> str | None:
        name, ok = QInputDialog.getItem(self.w, "Relation type", "Link as:", names, 0, False)
        return name if ok else None

    # -- keys while linking ----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active or event.type() not in (QEvent.KeyPress, QEvent.ShortcutOverride):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() not in _KEYS:
            return False
        if event.type() == QEvent.ShortcutOverride:
            event.accept()
            return True
        if event.key() == Qt.Key_Escape:
            self.cancel()
        elif event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.commit()
        else:
            self.step(-1 if event.key() == Qt.Key_Backtab
                      or event.modifiers() & Qt.ShiftModifier else 1)
        return True
