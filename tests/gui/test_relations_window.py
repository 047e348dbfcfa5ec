"""Relations in the annotation window (issue 12 item 3): keyboard linking,
the relation list with Delete, undo/redo, refusals, the arcs and the
"claims without SPEAKER" filter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.gui.linking import SHOW_ALL_KEY

#            0         1         2         3         4         5
TEXT = "قال الوزير أمس إن المحادثات ستستأنف في القاهرة قريبا 🙂"
ENTITY = (4, 10)    # الوزير
DATE = (11, 14)     # أمس
CLAIM = (18, 35)    # المحادثات ستستأنف
PLACE = (39, 46)    # القاهرة


@pytest.fixture
def spans(project, add_doc):
    doc = add_doc(TEXT)
    project.add_annotator("amal")
    made = {
        "entity": project.add_span(doc, "amal", *ENTITY, "ENTITY"),
        "date": project.add_span(doc, "amal", *DATE, "DATE"),
        "claim": project.add_span(doc, "amal", *CLAIM, "CLAIM"),
        "place": project.add_span(doc, "amal", *PLACE, "ENTITY"),
    }
    assert TEXT[slice(*ENTITY)] == "الوزير" and TEXT[slice(*CLAIM)] == "المحادثات ستستأنف"
    return made


def framed(window):
    """The span the link layer frames (the current candidate)."""
    layer = window.view.layer("link")
    return [(h.start, h.end) for i in range(len(TEXT)) for h in layer.highlights_at(i)
            if h.start == i]


def stored(project):
    return sorted((r.type, r.source_id, r.target_id) for r in project.relations(layer="amal"))


def test_r_then_tab_walks_targets_nearest_first_and_enter_links(qtbot, project, spans, make_window):
    window = make_window(project)
    window.select_span(spans["claim"].id)
    qtbot.keyClick(window.view, "r")
    linking = window.linking
    assert linking.active
    # PLACE is 4 away, DATE 4 away before the claim, ENTITY 8: after first on a tie.
    assert [s.id for s in linking.candidates] == [spans["place"].id, spans["date"].id,
                                                  spans["entity"].id]
    assert framed(window) == [PLACE]
    qtbot.keyClick(window.view, Qt.Key_Tab)
    qtbot.keyClick(window.view, Qt.Key_Tab)
    assert framed(window) == [ENTITY]
    qtbot.keyClick(window.view, Qt.Key_Backtab)
    qtbot.keyClick(window.view, Qt.Key_Tab)
    assert "3 of 3" in window.statusBar().currentMessage()
    qtbot.keyClick(window.view, Qt.Key_Return)
    assert stored(project) == [("SPEAKER", spans["claim"].id, spans["entity"].id)]
    assert not linking.active and framed(window) == []
    assert window.linking.list.count() == 1
    assert "SPEAKER → ENTITY «الوزير» 1:5" == window.linking.list.item(0).text()


def test_a_type_key_only_offers_its_labels_and_esc_cancels(qtbot, project, spans, make_window):
    window = make_window(project)
    window.select_span(spans["claim"].id)
    qtbot.keyClick(window.view, "t")
    assert [s.id for s in window.linking.candidates] == [spans["date"].id]
    qtbot.keyClick(window.view, Qt.Key_Escape)
    assert not window.linking.active and stored(project) == []
    assert window.statusBar().currentMessage() == "Linking cancelled"
    qtbot.keyClick(window.view, "t")
    qtbot.keyClick(window.view, Qt.Key_Enter)
    assert stored(project) == [("TIME", spans["claim"].id, spans["date"].id)]


def test_a_click_picks_the_target(qtbot, project, spans, make_window):
    window = make_window(project)
    window.select_span(spans["claim"].id)
    qtbot.keyClick(window.view, "s")
    window._clicked_in_text(ENTITY[0] + 2)  # what a click on the span emits
    assert stored(project) == [("SPEAKER", spans["claim"].id, spans["entity"].id)]


def test_a_refused_target_says_why_in_the_store_words(qtbot, project, spans, make_window):
    project.add_relation("amal", "SPEAKER", spans["claim"].id, spans["place"].id)
    window = make_window(project)
    window.select_span(spans["claim"].id)
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(window.view, Qt.Key_Return)  # PLACE is nearest and already linked
    assert "already have a SPEAKER relation" in window.statusBar().currentMessage()
    assert window.linking.active  # still linking: Tab to another target
    window.linking.cancel()
    window.select_span(spans["date"].id)
    qtbot.keyClick(window.view, "s")
    assert "no span in this document can take SPEAKER (CLAIM -> ENTITY) with this DATE" in \
        window.statusBar().currentMessage()
    assert not window.linking.active


def test_r_from_the_entity_offers_claims_and_stores_the_types_direction(qtbot, project, spans,
                                                                        make_window):
    window = make_window(project)
    window.select_span(spans["entity"].id)
    qtbot.keyClick(window.view, "r")
    assert [s.id for s in window.linking.candidates] == [spans["claim"].id]
    assert framed(window) == [CLAIM]
    assert window.statusBar().currentMessage().startswith("link ENTITY ← CLAIM (1 of 1")
    qtbot.keyClick(window.view, Qt.Key_Return)
    assert stored(project) == [("SPEAKER", spans["claim"].id, spans["entity"].id)]
    assert window.selected_span_id == spans["entity"].id  # the span linking started from
    assert window.linking.list.item(0).text() == "SPEAKER ← CLAIM «المحادثات ستستأنف» 1:19"
    window.undo()
    assert stored(project) == []
    window.redo()
    assert stored(project) == [("SPEAKER", spans["claim"].id, spans["entity"].id)]
    # The same link again from this end is refused in the store's words.
    window.select_span(spans["entity"].id)
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(window.view, Qt.Key_Return)
    assert "already have a SPEAKER relation" in window.statusBar().currentMessage()


def test_a_date_links_to_its_claim_by_key_or_click(qtbot, project, spans, make_window):
    window = make_window(project)
    window.select_span(spans["date"].id)
    qtbot.keyClick(window.view, "t")
    assert [s.id for s in window.linking.candidates] == [spans["claim"].id]
    window._clicked_in_text(CLAIM[0] + 3)
    assert stored(project) == [("TIME", spans["claim"].id, spans["date"].id)]
    window.select_span(spans["place"].id)  # an ENTITY too: its only partner is the claim
    qtbot.keyClick(window.view, "r")
    qtbot.keyClick(window.view, Qt.Key_Enter)
    assert ("SPEAKER", spans["claim"].id, spans["place"].id) in stored(project)


def test_f6_reaches_the_relation_list_and_delete_works_there(qtbot, project, spans, make_window):
    project.add_relation("amal", "SPEAKER", spans["claim"].id, spans["entity"].id)
    window = make_window(project)
    window.select_span(spans["claim"].id)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    qtbot.keyClick(window.focusWidget(), Qt.Key_F6)
    qtbot.waitUntil(window.span_list.hasFocus)
    qtbot.keyClick(window.focusWidget(), Qt.Key_F6)
    qtbot.waitUntil(window.linking.list.hasFocus)
    qtbot.keyClick(window.linking.list, Qt.Key_Delete)
    assert stored(project) == []
    qtbot.keyClick(window.focusWidget(), Qt.Key_F6, Qt.ShiftModifier)
    qtbot.waitUntil(window.span_list.hasFocus)


def test_link_undo_redo_and_delete_from_the_list(qtbot, project, spans, make_window):
    window = make_window(project)
    window.select_span(spans["claim"].id)
    qtbot.keyClick(window.view, "t")
    qtbot.keyClick(window.view, Qt.Key_Return)
    assert len(stored(project)) == 1
    window.undo()
    assert stored(project) == [] and window.linking.relations == {}
    window.redo()
    assert len(stored(project)) == 1 and len(window.linking.relations) == 1
    window.select_span(spans["claim"].id)
    window.linking.list.setFocus()
    qtbot.keyClick(window.linking.list, Qt.Key_Delete)
    assert stored(project) == []
    assert project.span(spans["claim"].id).label == "CLAIM"  # the span stayed
    window.undo()
    assert len(stored(project)) == 1


def test_deleting_a_span_takes_its_relations_and_undo_restores_both(qtbot, project, spans,
                                                                   make_window):
    project.add_relation("amal", "SPEAKER", spans["claim"].id, spans["entity"].id)
    window = make_window(project)
    window.select_span(spans["entity"].id)
    window.delete_selected_span()
    assert stored(project) == [] and spans["entity"].id not in window.spans
    window.undo()
    assert stored(project) == [("SPEAKER", spans["claim"].id, spans["entity"].id)]
    assert len(window.linking.relations) == 1
    assert window.undo_stack.count() == 1 and window.undo_stack.index() == 0


def test_a_relabel_that_breaks_a_relation_is_refused(qtbot, project, spans, make_window):
    project.add_relation("amal", "SPEAKER", spans["claim"].id, spans["entity"].id)
    window = make_window(project)
    window.select_span(spans["entity"].id)
    qtbot.keyClick(window.view, "3")  # DATE
    assert "cannot make this span DATE: its SPEAKER relation needs" in \
        window.statusBar().currentMessage()
    assert project.span(spans["entity"].id).label == "ENTITY"


def test_claims_without_speaker_filter(qtbot, project, spans, add_doc, make_window):
    other = project.add_span(spans["claim"].document_id, "amal", 47, 52, "CLAIM")
    project.add_relation("amal", "SPEAKER", spans["claim"].id, spans["entity"].id)
    window = make_window(project)
    window.linking.missing_action.setChecked(True)
    model, table = window.span_list.span_model, window.span_list
    shown = [s.id for row, s in enumerate(model.spans) if not table.isRowHidden(row)]
    assert shown == [other.id]
    window.linking.missing_action.setChecked(False)
    assert not any(table.isRowHidden(row) for row in range(len(model.spans)))


def test_arcs_follow_the_toggle_and_it_is_remembered(qtbot, project, spans, make_window,
                                                   qsettings):
    project.add_relation("amal", "SPEAKER", spans["claim"].id, spans["entity"].id)
    project.add_relation("amal", "TIME", spans["claim"].id, spans["date"].id)
    window = make_window(project)
    assert sorted(a.label for a in window.linking.painter.arcs) == ["SPEAKER", "TIME"]
    window.linking.all_action.setChecked(False)
    assert window.linking.painter.arcs == []
    window.select_span(spans["date"].id)
    assert [a.label for a in window.linking.painter.arcs] == ["TIME"]
    assert qsettings.value(SHOW_ALL_KEY, type=bool) is False


def test_an_arc_is_anchored_over_its_span_in_rtl(qtbot, project, spans, make_window):
    from annotator.gui.relation_painter import anchor

    window = make_window(project)
    view = window.view
    lines = view.visible_lines()
    a = anchor(view.offsets, lines, *ENTITY)
    b = anchor(view.offsets, lines, *CLAIM)
    assert a is not None and b is not None
    # Right to left: the earlier ENTITY is drawn to the right of the CLAIM.
    assert a.x() > b.x()
    _, char = view.hit(QPoint(int(a.x()), int(a.y()) + 8))
    assert char is not None and ENTITY[0] <= char < ENTITY[1]


def test_the_painter_keeps_only_arcs_reaching_the_visible_range():
    from annotator.gui.relation_painter import Arc, RelationPainter

    painter = RelationPainter()
    painter.set_arcs([Arc(1, (100, 110), (0, 5), "A", "#000"), Arc(2, (200, 210), (220, 230), "B", "#000"),
                      Arc(3, (500, 510), (520, 530), "C", "#000")])
    assert [a.key for a in painter.visible(205, 300)] == [2]
    assert [a.key for a in painter.visible(50, 60)] == [1]  # spans the range, no end in it
    assert [a.key for a in painter.visible(600, 700)] == []


def test_two_allowed_types_ask_and_a_wrong_click_is_refused(qtbot, project, spans, make_window):
    other = project.add_span(spans["claim"].document_id, "amal", 47, 52, "CLAIM")
    window = make_window(project)
    asked = []
    window.linking.choose = lambda names: asked.append(names) or "CONTRADICTS"
    window.select_span(spans["claim"].id)
    qtbot.keyClick(window.view, "s")
    window._clicked_in_text(DATE[0] + 1)  # a DATE cannot be a SPEAKER
    assert "SPEAKER links CLAIM -> ENTITY, not CLAIM -> DATE" in window.statusBar().currentMessage()
    assert stored(project) == [] and window.linking.active
    qtbot.keyClick(window.view, Qt.Key_Escape)
    qtbot.keyClick(window.view, "r")
    window._clicked_in_text(other.start + 1)
    assert asked == [["SAME_AS", "CONTRADICTS"]]
    assert stored(project) == [("CONTRADICTS", spans["claim"].id, other.id)]


def test_an_anchor_of_a_span_starting_a_wrapped_line_is_on_that_line(qtbot, project, add_doc,
                                                                    make_window):
    from annotator.gui.relation_painter import anchor

    add_doc(("قال المتحدث باسم الحكومة إن الوزارة ستواصل العمل على تنفيذ الخطة " * 6).strip())
    window = make_window(project, size=(700, 600))
    view = window.view
    lines = view.visible_lines()
    assert len(lines) >= 2, "the paragraph was meant to wrap"
    second = lines[1]
    start = view.offsets.to_cp(second.start)
    point = anchor(view.offsets, lines, start, start + 3)
    assert point is not None
    assert point.y() == pytest.approx(second.origin.y() + second.line.y() + 2)
