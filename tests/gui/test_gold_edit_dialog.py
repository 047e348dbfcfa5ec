"""Editing a gold span shows the text with the span highlighted and moves
its edges a word at a time, in a resizable window (issue 10 defect 8)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.gui.review.edit_dialog import EditGoldDialog

# Harakat, tatweel, ZWNJ and an emoji before the span: offsets are code points.
TEXT = "قالَ الـرئيس\u200cجو 🙂 بايدن في 27 يوليو 2021 إن القوات ستغادر"
LABELS = {"CLAIM": "#d9480f", "ENTITY": "#1c7ed6", "DATE": "#2f9e44"}


@pytest.fixture
def dialog(qtbot) -> EditGoldDialog:
    start = TEXT.index("بايدن")
    window = EditGoldDialog(TEXT, list(LABELS), start, start + len("بايدن"), "ENTITY",
                            label_colors=LABELS)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.view.setFocus()
    return window


def test_the_window_is_resizable_and_shows_the_text(qtbot, dialog) -> None:
    assert dialog.width() >= 600 and dialog.height() >= 300
    assert dialog.minimumSize() != dialog.maximumSize()
    dialog.resize(1000, 600)
    assert dialog.size().width() == 1000
    assert dialog.view.text == TEXT
    start, end, _ = dialog.values()
    assert [(h.start, h.end) for h in dialog.view.layer("span").highlights_at(start)] == [
        (start, end), (start, end)]
    assert "«بايدن»" in dialog.preview.text()


def test_alt_arrows_move_the_edges_a_word_at_a_time(qtbot, dialog) -> None:
    start = TEXT.index("بايدن")
    qtbot.keyClick(dialog.view, Qt.Key_Left, Qt.AltModifier | Qt.ShiftModifier)   # end grows a word
    assert dialog.values()[:2] == (start, TEXT.index("في") + 2)
    # Start grows a word: past the emoji (no word) to the word joined by ZWNJ.
    qtbot.keyClick(dialog.view, Qt.Key_Right, Qt.AltModifier)
    assert dialog.values()[0] == TEXT.index("الـرئيس")
    assert "«الـرئيس\u200cجو 🙂 بايدن في»" in dialog.preview.text()
    qtbot.keyClick(dialog.view, Qt.Key_Left, Qt.AltModifier | Qt.ControlModifier)  # start a letter later
    assert dialog.values()[0] == TEXT.index("الـرئيس") + 1


def test_a_move_that_empties_the_span_says_why(qtbot, dialog) -> None:
    qtbot.keyClick(dialog.view, Qt.Key_Left, Qt.AltModifier)   # start past the only word
    assert "empty" in dialog.message.text()
    assert TEXT[slice(*dialog.values()[:2])] == "بايدن"
    assert dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()


def test_a_selection_in_the_text_becomes_the_span(qtbot, dialog) -> None:
    where = TEXT.index("27 يوليو 2021")
    dialog._selected(where - 1, where + len("27 يوليو 2021") + 1)  # spaces around are trimmed
    dialog.label_box.setCurrentText("DATE")
    assert dialog.values() == (where, where + len("27 يوليو 2021"), "DATE")
    assert dialog.view.layer("span").highlights_at(where)[0].color == LABELS["DATE"]
