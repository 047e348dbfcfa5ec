"""Edit > Tag set…: hotkeys, colours and new labels reach the main window;
a refused change is shown in the dialog and saves nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QColorDialog,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
)

from annotator.core.model import NewDocument
from annotator.gui.tag_set_dialog import COLOR, KEY, TagSetDialog

TEXT = "قال الرئيس جو بايدن إن القوات ستغادر العراق"
NAME = TEXT.index("بايدن")


def run_tag_set(qtbot, window, interact) -> None:
    """Open Edit > Tag set… from the menu action, let interact(dialog) act
    on the modal dialog, then press Close as a user would."""
    seen = []

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, TagSetDialog)
        seen.append(dialog)
        try:
            interact(dialog)
        finally:
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Close).click()

    QTimer.singleShot(0, step)
    window.findChild(QAction, "tag_set").trigger()
    assert seen, "the dialog never opened"
    # A window manager gives activation back to the main window; offscreen
    # has none, and label hotkeys are window shortcuts that need it.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()


def type_key(qtbot, dialog: TagSetDialog, label: str, key: str) -> None:
    """Edit the label's Key cell with the keyboard: open the editor, type, Enter."""
    table = dialog.table
    item = table.item(dialog.row_of(label), KEY)
    table.setCurrentItem(item)
    table.editItem(item)
    editor = table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, key)
    qtbot.keyClick(editor, Qt.Key_Return)
    # The delegate commits Return on the next turn of the event loop.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.EditingState)


def spans(project, window):
    return [(s.start, s.end, s.label) for s in project.spans(window.document.id, "amal")]


def test_new_hotkey_tags_the_selection_after_the_dialog(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)

    def interact(dialog: TagSetDialog) -> None:
        type_key(qtbot, dialog, "ENTITY", "e")
        assert dialog.table.item(dialog.row_of("ENTITY"), KEY).text() == "e"
        assert not dialog.error.isVisible()

    run_tag_set(qtbot, window, interact)
    assert project.tag("ENTITY").hotkey == "e"
    window.view.set_selection(NAME, NAME + 5)
    qtbot.keyClick(window.view, Qt.Key_E)
    qtbot.waitUntil(lambda: spans(project, window) == [(NAME, NAME + 5, "ENTITY")])
    # The old key is free now: it tags nothing.
    window.view.set_selection(4, 10)
    qtbot.keyClick(window.view, Qt.Key_2)
    assert spans(project, window) == [(NAME, NAME + 5, "ENTITY")]
    assert window.tag_bar.label_actions["ENTITY"].text().startswith("e ")


def test_added_label_and_colour_reach_the_window(qtbot, project, make_window, monkeypatch):
    doc = project.add_documents([NewDocument("one", TEXT)])[0].id
    project.add_annotator("amal")
    entity = project.add_span(doc, "amal", NAME, NAME + 5, "ENTITY", {"type": "PER"})
    window = make_window(project)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args: QColor("#123456"))

    def interact(dialog: TagSetDialog) -> None:
        dialog.findChild(QLineEdit, "new_label_name").setText("EVENT")
        qtbot.mouseClick(dialog.findChild(QPushButton, "add_label"), Qt.LeftButton)
        assert "EVENT" in dialog.names
        type_key(qtbot, dialog, "EVENT", "4")
        qtbot.mouseClick(dialog.table.cellWidget(dialog.row_of("ENTITY"), COLOR), Qt.LeftButton)
        assert dialog.table.cellWidget(dialog.row_of("ENTITY"), COLOR).text() == "#123456"

    run_tag_set(qtbot, window, interact)
    assert (project.tag("EVENT").hotkey, project.tag("ENTITY").color) == ("4", "#123456")
    assert window._highlights[entity.id].color == "#123456"
    window.view.set_selection(4, 10)
    qtbot.keyClick(window.view, Qt.Key_4)
    qtbot.waitUntil(lambda: (4, 10, "EVENT") in spans(project, window))


def test_duplicate_hotkey_is_shown_and_changes_nothing(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    before = project.tags()
    changed = []

    def interact(dialog: TagSetDialog) -> None:
        type_key(qtbot, dialog, "CLAIM", "2")
        assert dialog.error.isVisible()
        assert "hotkey '2' is already used by ENTITY" in dialog.error.text()
        assert dialog.table.item(dialog.row_of("CLAIM"), KEY).text() == "1"
        changed.append(dialog.changed)

    window.statusBar().clearMessage()
    run_tag_set(qtbot, window, interact)
    assert changed == [False]
    project.forget_cached()
    assert project.tags() == before
    assert window.statusBar().currentMessage() != "Tag set updated"
    window.view.set_selection(4, 10)
    qtbot.keyClick(window.view, Qt.Key_1)
    qtbot.waitUntil(lambda: spans(project, window) == [(4, 10, "CLAIM")])


def test_the_underline_box_changes_how_a_label_is_drawn(qtbot, project, make_window):
    from annotator.gui.highlights import Style
    from annotator.gui.tag_set_dialog import UNDERLINE

    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    window.view.set_selection(NAME, NAME + len("بايدن"))
    qtbot.keyClick(window.view, "2")

    def tick(dialog: TagSetDialog) -> None:
        item = dialog.table.item(dialog.row_of("ENTITY"), UNDERLINE)
        assert item.checkState() == Qt.Unchecked
        item.setCheckState(Qt.Checked)  # what a click on the box does

    run_tag_set(qtbot, window, tick)
    assert project.tag("ENTITY").style == "underline"
    (highlight,) = window._highlights.values()
    assert highlight.style is Style.UNDERLINE
