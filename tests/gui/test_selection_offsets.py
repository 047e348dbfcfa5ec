"""Real mouse drags and tags give exact code-point offsets (DESIGN §3, §4)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from view_geometry import char_box, point_in_char

from annotator.core.text.segmentation import cluster_start

WRAPPED = ("قال المتحدث باسم الحكومة في مؤتمر صحفي عقده اليوم إن الوزارة ستواصل العمل على "
           "تنفيذ الخطة الوطنية للإصلاح الاقتصادي وإن المفاوضات مع الشركاء الدوليين مستمرة "
           "حتى نهاية العام المقبل بحسب ما أعلنه المكتب الإعلامي للرئاسة في بيان رسمي")


def drag_over(qtbot, view, text: str, start: int, end: int, modifier=Qt.NoModifier) -> None:
    """Press a fifth into the first letter (its right side: RTL) and release
    a fifth before the end of the last letter cluster."""
    press = point_in_char(view, text, start, 0.2)
    release = point_in_char(view, text, cluster_start(text, end - 1), 0.8)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.LeftButton, modifier, press)
    qtbot.mouseMove(viewport, release)
    qtbot.mouseRelease(viewport, Qt.LeftButton, modifier, release)


def tag_with_key(qtbot, window, key: str) -> None:
    qtbot.keyClick(window.view, key)


def stored(project, document_id, layer="amal"):
    return [(s.start, s.end, s.label) for s in project.spans(document_id, layer)]


@pytest.mark.parametrize("modifier", [Qt.NoModifier, Qt.AltModifier], ids=["snapped", "precise"])
def test_drag_over_a_word_on_the_second_line_of_a_wrapped_paragraph(
        qtbot, project, add_doc, make_window, modifier):
    doc = add_doc(WRAPPED)
    window = make_window(project, size=(900, 700))
    view = window.view
    # Make sure the paragraph wraps and find a word that sits on its second line.
    word = next(w for w in WRAPPED.split(" ")[5:]
                if len(w) >= 5 and char_box(view, WRAPPED, WRAPPED.index(w))[4] == 1
                and char_box(view, WRAPPED, WRAPPED.index(w) + len(w) - 1)[4] == 1)
    start = WRAPPED.index(word)
    drag_over(qtbot, view, WRAPPED, start, start + len(word), modifier)
    assert view.selection() == (start, start + len(word))
    tag_with_key(qtbot, window, "2")
    assert stored(project, doc) == [(start, start + len(word), "ENTITY")]


def test_emoji_before_the_span_is_counted_as_one_code_point(qtbot, project, add_doc, make_window):
    text = "😀🇪🇬 قال الرئيس 👍🏽 جو بايدن اليوم"
    doc = add_doc(text)
    window = make_window(project)
    start = text.index("بايدن")
    drag_over(qtbot, window.view, text, start, start + 5)
    tag_with_key(qtbot, window, "2")
    assert stored(project, doc) == [(start, start + 5, "ENTITY")]
    assert text[start:start + 5] == "بايدن"


def test_paragraph_starting_with_latin_is_right_to_left_and_exact(qtbot, project, add_doc, make_window):
    text = "CNN: قال وزير الخارجية إن الاجتماع ناجح\nMenu"
    doc = add_doc(text)
    window = make_window(project)
    view = window.view
    block = view.document().firstBlock()
    line = block.layout().lineAt(0)
    # Right-to-left paragraph: the Latin "CNN" sits at the right edge.
    cnn_x = line.cursorToX(1)[0]
    assert cnn_x > view.viewport().width() * 0.7
    second = view.document().lastBlock().layout().lineAt(0)
    assert second.naturalTextRect().right() > view.viewport().width() * 0.8  # "Menu" right-aligned
    start = text.index("الخارجية")
    drag_over(qtbot, view, text, start, start + len("الخارجية"))
    tag_with_key(qtbot, window, "2")
    assert stored(project, doc) == [(start, start + len("الخارجية"), "ENTITY")]


def test_diacritised_word_keeps_its_harakat(qtbot, project, add_doc, make_window):
    text = "كَتَبَ الوَلَدُ الدَّرْسَ فِي البَيْتِ"
    doc = add_doc(text)
    window = make_window(project)
    word = "الدَّرْسَ"
    start = text.index(word)
    drag_over(qtbot, window.view, text, start, start + len(word))
    tag_with_key(qtbot, window, "2")
    assert stored(project, doc) == [(start, start + len(word), "ENTITY")]


def test_precise_drag_can_leave_a_proclitic_outside(qtbot, project, add_doc, make_window):
    text = "زار الرئيس وبغداد أمس"
    doc = add_doc(text)
    window = make_window(project)
    start = text.index("وبغداد") + 1  # without the و
    drag_over(qtbot, window.view, text, start, start + 5, Qt.AltModifier)
    qtbot.keyClick(window.view, "2", Qt.AltModifier)
    assert stored(project, doc) == [(start, start + 5, "ENTITY")]
    assert text[start:start + 5] == "بغداد"


def test_precise_drag_then_plain_hotkey_is_not_snapped_again(qtbot, project, add_doc, make_window):
    # Alt held for the drag only: the view snapped the selection at release,
    # so the plain key (Alt up) must not grow it back to the whole word.
    text = "زار الرئيس وبغداد أمس"
    doc = add_doc(text)
    window = make_window(project)
    start = text.index("وبغداد") + 1  # without the و
    drag_over(qtbot, window.view, text, start, start + 5, Qt.AltModifier)
    assert window.view.selection() == (start, start + 5)
    tag_with_key(qtbot, window, "2")
    assert stored(project, doc) == [(start, start + 5, "ENTITY")]


def test_snapped_drag_selection_changed_by_keyboard_is_snapped_again(qtbot, project, add_doc, make_window):
    text = "قال الرئيس اليوم"
    doc = add_doc(text)
    window = make_window(project)
    drag_over(qtbot, window.view, text, 4, 10)
    assert window.view.selection() == (4, 10)
    for _ in range(2):  # RTL: left is forward; the space, then one letter of اليوم
        qtbot.keyClick(window.view, Qt.Key_Left, Qt.ShiftModifier)
    assert window.view.selection() == (4, 12)
    tag_with_key(qtbot, window, "1")
    assert stored(project, doc) == [(4, 16, "CLAIM")]


def test_keyboard_selection_then_hotkey(qtbot, project, add_doc, make_window):
    text = "قال الرئيس اليوم"
    doc = add_doc(text)
    window = make_window(project)
    view = window.view
    view.setFocus()
    view.set_selection(4)  # caret before الرئيس
    for _ in range(3):  # part of the word: snapping grows it to the whole word
        qtbot.keyClick(view, Qt.Key_Left, Qt.ShiftModifier)  # RTL: left is forward
    assert view.selection() == (4, 7)
    qtbot.keyClick(view, "1")
    assert stored(project, doc) == [(4, 10, "CLAIM")]
