"""Alt+Down / Alt+Up from the caret (no span selected) go to the spans in
text order: a span starting exactly at the caret is the next one, never
the previous one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import NewDocument

TEXT = "قال الرئيس جو بايدن في 27 يوليو 2021 إن القوات الأمريكية ستغادر العراق."


def where(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def window(qtbot, project, make_window):
    doc = project.add_documents([NewDocument("one", TEXT)])[0].id
    project.add_annotator("amal")
    for word, label in [("الرئيس", "ENTITY"), ("جو بايدن", "ENTITY"), ("جو", "CLAIM"),
                        ("العراق", "ENTITY")]:
        project.add_span(doc, "amal", *where(word), label)
    return make_window(project)


def selected(window) -> tuple[int, int] | None:
    span = window.attribute_panel.span
    return None if span is None else (span.start, span.end)


def put_caret(window, start: int, end: int | None = None) -> None:
    window.select_span(None)
    window.view.set_selection(start, end)
    assert window.view.selection()[0] == start


@pytest.mark.parametrize("hit", [False, True], ids=["caret", "find-hit-selection"])
def test_next_span_from_the_caret_includes_a_span_starting_there(qtbot, window, hit):
    start, end = where("جو بايدن")
    put_caret(window, start, end if hit else None)
    qtbot.keyClick(window.view, Qt.Key_Down, Qt.AltModifier)
    assert selected(window) == (start, end)  # the outer of the two starting here
    qtbot.keyClick(window.view, Qt.Key_Down, Qt.AltModifier)
    assert selected(window) == where("جو")
    put_caret(window, *where("العراق"))
    qtbot.keyClick(window.view, Qt.Key_Down, Qt.AltModifier)
    assert selected(window) == where("العراق")


@pytest.mark.parametrize("hit", [False, True], ids=["caret", "find-hit-selection"])
def test_previous_span_from_the_caret_excludes_a_span_starting_there(qtbot, window, hit):
    start, end = where("جو بايدن")
    put_caret(window, start, end if hit else None)
    qtbot.keyClick(window.view, Qt.Key_Up, Qt.AltModifier)
    assert selected(window) == where("الرئيس")
    put_caret(window, *where("العراق"))
    qtbot.keyClick(window.view, Qt.Key_Up, Qt.AltModifier)
    assert selected(window) == where("جو")  # the last span before the caret
