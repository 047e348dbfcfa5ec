"""A document with thousands of spans (issue 15 item 2): opening builds no
Span per span (the compact SpanTable), and the span list, the highlights,
Alt+Down and edits all read and change that one table."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import NewDocument, NewSpan

WORD = "قال 😀 الرئيس إن"  # an emoji before every span: UTF-16 and code points differ


def test_open_builds_spans_for_what_is_shown_only(qtbot, project, make_window, monkeypatch):
    lines = [f"{WORD} {i}" for i in range(3000)]
    text = "\n".join(lines)
    doc = project.add_documents([NewDocument("big", text)])[0].id
    project.add_annotator("amal")
    offset = WORD.index("الرئيس")
    starts, at = [], 0
    for line in lines:
        starts.append(at + offset)
        at += len(line) + 1
    project.add_spans([NewSpan(doc, "amal", s, s + 6, "ENTITY") for s in starts])

    def no_span_list(*args, **kwargs):
        raise AssertionError("the window read every span as a Span")

    monkeypatch.setattr(project, "spans", no_span_list)
    window = make_window(project)
    assert len(window.spans) == 3000 == window.span_list.span_model.rowCount()
    # Only the rows painted and a few looked up were built.
    assert len(window.spans._built) < 200
    assert len(window.view.layer("spans")) == 3000
    assert window.counts_label.text().startswith("CLAIM 0  ENTITY 3000")

    # Alt+Down from the caret at the end of the text: wraps to the first span.
    window.view.set_selection(len(text))
    qtbot.keyClick(window.view, Qt.Key_Down, Qt.AltModifier)
    assert window.selected_span_id == window.spans.ids[0]
    qtbot.keyClick(window.view, Qt.Key_Up, Qt.AltModifier)  # back round to the last
    last = window._selected()
    assert (last.start, last.end) == (starts[-1], starts[-1] + 6)
    assert window.span_list.currentIndex().row() == 2999

    # Relabel the last span, then tag a new one after it: one table for all.
    qtbot.keyClick(window.view, Qt.Key_3)
    assert window.spans[last.id].label == "DATE"
    assert [h.color for h in window.view.layer("spans").highlights_at(last.start)] == \
        [project.tag("DATE").color]
    word = text.index("إن", starts[-1])
    window.view.set_selection(word, word + 2)
    qtbot.keyClick(window.view, Qt.Key_1)
    assert len(window.spans) == 3001
    added = window.span_list.span_model.spans[3000]
    assert (added.start, added.end, added.label) == (word, word + 2, "CLAIM")
    assert window.document_list.model.index(0, 2 + window.document_list.model.labels.index("CLAIM")).data() == 1
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert len(window.spans) == 3000 and added.id not in window.spans
    assert window.span_list.span_model.rowCount() == 3000


def test_link_targets_are_nearest_first_as_over_every_span(qtbot, project, make_window):
    from annotator.core.linking import link_candidates

    lines = [f"{WORD} {i}" for i in range(1500)]
    text = "\n".join(lines)
    doc = project.add_documents([NewDocument("big", text)])[0].id
    project.add_annotator("amal")
    offset = WORD.index("الرئيس")
    starts, at = [], 0
    for line in lines:
        starts.append(at + offset)
        at += len(line) + 1
    # Entities every third line, a claim in the middle: targets lie far
    # beyond the window read from the index, in both directions.
    project.add_spans([NewSpan(doc, "amal", s, s + 6, "ENTITY") for s in starts[::3]]
                      + [NewSpan(doc, "amal", starts[751] - 4, starts[751] + 6, "CLAIM")])
    window = make_window(project)
    claim = window.spans.ids_with_label("CLAIM")[0]
    window.select_span(claim)
    qtbot.keyClick(window.view, Qt.Key_S)
    targets = window.linking.candidates
    expected = link_candidates(window.spans[claim], [window.spans[i] for i in window.spans],
                               list(window.linking.kinds.values()), "SPEAKER")
    assert len(targets) == len(expected) == 500
    assert 0 < len(targets._near) < 500  # only the near ones sorted so far
    assert [s.id for s in targets] == [s.id for s in expected]
    assert targets[-1] == expected[-1] and targets[1:3] == expected[1:3]


def test_leaving_a_big_text_frees_its_document_in_the_reaper_thread(qtbot):
    # The old laid-out document is deleted off the GUI thread (35-55 ms at
    # 20 MB); the view then shows the next text as before, right to left.
    import shiboken6

    from annotator.gui import document_reaper
    from annotator.gui.text_view import ArabicTextView

    view = ArabicTextView()
    qtbot.addWidget(view)
    big = "قال الرئيس 😀 " * (document_reaper.BIG // 14 + 1)
    view.set_text(big)
    first = view.document()
    view.set_text("نص قصير")
    assert view.document() is not first and view.document().toPlainText() == "نص قصير"
    qtbot.waitUntil(lambda: not shiboken6.isValid(first), timeout=10000)
    assert view.document().documentMargin() == 12
    assert view.document().defaultTextOption().textDirection() == Qt.RightToLeft
    view.set_text(big)
    second = view.document()
    view.set_text("")
    qtbot.waitUntil(lambda: not shiboken6.isValid(second), timeout=10000)
    view.set_text("قصير")  # a small document is replaced in place
    small = view.document()
    view.set_text("آخر")
    assert view.document() is small and view.selection() == (0, 0)
