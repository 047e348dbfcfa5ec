"""The window's panes: documents | text | spans and attributes.

The text pane gets the space first (side panels do not grow, and may be
collapsed by dragging or hidden from the View menu; both are remembered),
and F6 / Shift+F6 move the keyboard focus from pane to pane as desktop
applications do, so Tab never has to find its way out of a table.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

# Widths the side panels get when there is room (documents, spans).
SIDE_WIDTHS = (240, 300)
# The text pane's least share of the width while side panels are shown.
TEXT_SHARE = 0.55


class Panes(QObject):
    def __init__(self, parent: QWidget, documents: QWidget, text: QWidget, side: QWidget,
                 focus_targets: list[QWidget], settings: QSettings) -> None:
        super().__init__(parent)
        self.settings = settings
        self.splitter = QSplitter(Qt.Horizontal, parent)
        self.splitter.setObjectName("main_splitter")
        for widget in (documents, text, side):
            self.splitter.addWidget(widget)
            # The splitter, not the tables' size hints, decides their width.
            widget.setMinimumWidth(0)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([SIDE_WIDTHS[0], 720, SIDE_WIDTHS[1]])
        self.side_panes = {"documents": documents, "spans": side}
        # In F6 order; right to left as the panes are laid out for Arabic.
        self.focus_targets = focus_targets
        self._actions: dict[str, QAction] = {}
        # Sizes set before the window has its real width are scaled from a
        # default one: the first visible resize sets them (unless restored).
        self._sized = False
        self.splitter.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() in (QEvent.Resize, QEvent.Show):
            if not self._sized and self.splitter.isVisible():
                self._sized = True
                total = sum(self.splitter.sizes())
                room = int(total * (1 - TEXT_SHARE) / 2)
                left, right = (min(width, room) for width in SIDE_WIDTHS)
                self.splitter.setSizes([left, total - left - right, right])
            self.fit()
        return False

    def fit(self) -> None:
        """Give the text pane TEXT_SHARE of the width, taken from the side
        panels in proportion; wider text panes are left as they are."""
        sizes = self.splitter.sizes()
        total = sum(sizes)
        sides = sizes[0] + sizes[2]
        want = int(total * TEXT_SHARE)
        if total <= 0 or sides <= 0 or sizes[1] >= want:
            return
        scale = (total - want) / sides
        left, right = int(sizes[0] * scale), int(sizes[2] * scale)
        self.splitter.setSizes([left, total - left - right, right])

    def toggle_actions(self) -> list[QAction]:
        titles = {"documents": ("Show &document list", "Ctrl+Shift+D"),
                  "spans": ("Show &span list and attributes", "Ctrl+Shift+S")}
        for name, (title, key) in titles.items():
            action = QAction(title, self.splitter, checkable=True)
            action.setObjectName(f"show_{name}")
            action.setShortcut(QKeySequence(key))
            action.setChecked(not self.side_panes[name].isHidden())
            action.toggled.connect(lambda on, n=name: self.set_shown(n, on))
            self._actions[name] = action
        return list(self._actions.values())

    def set_shown(self, name: str, shown: bool) -> None:
        self.side_panes[name].setVisible(shown)
        self.settings.setValue(f"panes/{name}", "shown" if shown else "hidden")
        if name in self._actions and self._actions[name].isChecked() != shown:
            self._actions[name].setChecked(shown)

    def restore(self, splitter_state: object) -> None:
        if splitter_state is not None:
            self._sized = self.splitter.restoreState(splitter_state)
        for name in self.side_panes:
            self.set_shown(name, self.settings.value(f"panes/{name}", "shown") != "hidden")

    def _pane_of(self, widget: QWidget | None) -> int | None:
        while widget is not None:
            for index, target in enumerate(self.focus_targets):
                if widget is target or target.isAncestorOf(widget):
                    return index
            widget = widget.parentWidget()
        return None

    def cycle(self, step: int) -> None:
        """Focus the next (step 1) or previous (-1) visible pane."""
        here = self._pane_of(QApplication.focusWidget())
        count = len(self.focus_targets)
        index = (here if here is not None else (0 if step > 0 else 1)) if count else 0
        for _ in range(count):
            index = (index + step) % count
            target = self.focus_targets[index]
            receiver = target.focusProxy() or target
            if receiver.isVisible() and receiver.isEnabled():
                target.setFocus(Qt.ShortcutFocusReason)
                return
