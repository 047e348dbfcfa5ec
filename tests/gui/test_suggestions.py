"""Suggestions in the window: dashed, accepted with Enter, rejected with
Backspace, all of a label at once, every step undoable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.store import suggestions as store
from annotator.gui.highlights import Style

TEXT = "😀 قال الكاظمي في 22 يوليو/تموز 2021 إن والكاظمي سيزور بغداد في 3 يناير 2020."


@pytest.fixture
def window(project, add_doc, make_window):
    add_doc(TEXT)
    return make_window(project)


def put_caret_in(window, fragment: str) -> None:
    window.select_span(None)
    window.view.set_selection(TEXT.index(fragment) + 1)


def shown(window) -> list[tuple[str, str]]:
    return [(TEXT[s.start:s.end], s.label) for s in window.suggestions.current]


def test_suggestions_are_dashed_and_not_spans(window, project) -> None:
    assert shown(window) == [("22 يوليو/تموز 2021", "DATE"), ("3 يناير 2020", "DATE")]
    highlights = window.view.layer("suggestions").highlights_at(TEXT.index("يوليو"))
    assert [h.style for h in highlights] == [Style.DASHED]
    assert project.spans() == []
    assert "2 suggestion(s)" in window.suggestions.count_label.text()


def test_enter_accepts_under_the_caret_and_undo_takes_it_back(window, project, qtbot) -> None:
    put_caret_in(window, "يوليو")
    qtbot.keyClick(window.view, Qt.Key_Return)
    [span] = project.spans()
    assert (TEXT[span.start:span.end], span.attributes, span.provenance) == (
        "22 يوليو/تموز 2021", {"value": "2021-07-22"}, "suggested:date.gregorian")
    assert shown(window) == [("3 يناير 2020", "DATE")]
    window.undo_action.trigger()
    assert project.spans() == []
    assert len(shown(window)) == 2
    window.redo_action.trigger()
    assert [s.id for s in project.spans()] == [span.id]
    assert len(shown(window)) == 1


def test_backspace_rejects_for_good_and_undo_brings_it_back(window, project, qtbot) -> None:
    put_caret_in(window, "يناير")
    qtbot.keyClick(window.view, Qt.Key_Backspace)
    assert shown(window) == [("22 يوليو/تموز 2021", "DATE")]
    assert store.rejections(project, "amal") == {
        (1, TEXT.index("3 يناير"), TEXT.index("2020") + 4, "DATE")}
    window.open_document(1)  # reopening does not bring it back
    assert len(shown(window)) == 1
    window.undo_action.trigger()
    assert store.rejections(project, "amal") == set()
    assert len(shown(window)) == 2


def test_backspace_still_deletes_a_selected_span(window, project, qtbot) -> None:
    put_caret_in(window, "يوليو")
    qtbot.keyClick(window.view, Qt.Key_Return)
    [span] = project.spans()
    assert window.selected_span_id == span.id
    qtbot.keyClick(window.view, Qt.Key_Backspace)
    assert project.spans() == []
    assert store.rejections(project, "amal") == set()


def test_accept_all_of_a_label_is_one_undo_step(window, project) -> None:
    window.findChild(type(window.undo_action), "accept_all_DATE").trigger()
    assert len(project.spans(label="DATE")) == 2
    assert window.suggestions.current == []
    window.undo_action.trigger()
    assert project.spans() == []
    assert len(window.suggestions.current) == 2


def test_tagging_an_entity_proposes_its_other_occurrences(window, project) -> None:
    start = TEXT.index("الكاظمي")
    window.view.set_selection(start, start + len("الكاظمي"))
    window.tag_selection("ENTITY")
    assert ("الكاظمي", "ENTITY") in shown(window)  # والكاظمي, with و left outside
    [entity] = [s for s in window.suggestions.current if s.label == "ENTITY"]
    assert entity.start == TEXT.index("والكاظمي") + 1
    window.undo_action.trigger()
    assert all(s.label == "DATE" for s in window.suggestions.current)


def test_f8_walks_the_suggestions(window, qtbot) -> None:
    window.view.set_selection(0)
    qtbot.keyClick(window.view, Qt.Key_F8)
    assert window.suggestions.at_caret().text == "22 يوليو/تموز 2021"
    qtbot.keyClick(window.view, Qt.Key_F8)
    assert window.suggestions.at_caret().text == "3 يناير 2020"


def test_a_gazetteer_imported_meanwhile_shows_after_a_reload(window, project, tmp_path) -> None:
    names = tmp_path / "names.csv"
    names.write_text("بغداد,LOC\n", encoding="utf-8")
    store.import_gazetteer(project, names)
    window.open_document(1)  # the same suggester: nothing new yet
    assert ("بغداد", "ENTITY") not in shown(window)
    window.reload_project()
    assert ("بغداد", "ENTITY") in shown(window)


def test_switching_annotator_shows_that_layers_suggestions(window, project, qtbot) -> None:
    put_caret_in(window, "يوليو")
    qtbot.keyClick(window.view, Qt.Key_Return)
    assert len(shown(window)) == 1
    window.switch_annotator("badr")
    assert len(shown(window)) == 2  # badr has not accepted anything


def test_hiding_suggestions_leaves_nothing_to_accept(window, project, qtbot) -> None:
    window.suggestions.show_action.setChecked(False)
    assert window.suggestions.current == []
    assert window.view.layer("suggestions").highlights_at(TEXT.index("يوليو")) == []
    put_caret_in(window, "يوليو")
    qtbot.keyClick(window.view, Qt.Key_Return)
    assert project.spans() == []
    window.suggestions.show_action.setChecked(True)
    assert len(window.suggestions.current) == 2


def _big_document_window(project, add_doc, make_window, qtbot):
    """A window on TEXT after enough filler that its suggestions are found
    after the first paint, once they are there; and the filler."""
    from annotator.gui.suggestions import DEFER_CHARS

    filler = "كلام بلا تاريخ. " * (DEFER_CHARS // 16 + 1)
    add_doc(filler + TEXT)
    window = make_window(project)
    qtbot.waitUntil(lambda: len(window.suggestions.current) == 2)
    return window, filler


def test_a_big_document_gets_its_suggestions_just_after_it_is_shown(project, add_doc, make_window,
                                                                      qtbot) -> None:
    window, filler = _big_document_window(project, add_doc, make_window, qtbot)
    assert window.suggestions.current[0].start == len(filler) + TEXT.index("22 يوليو")


def test_deleting_the_only_span_of_a_name_takes_its_suggestions_away(window, project) -> None:
    start = TEXT.index("الكاظمي")
    window.view.set_selection(start, start + len("الكاظمي"))
    window.tag_selection("ENTITY")
    assert [x.label for x in window.suggestions.current].count("ENTITY") == 1
    window.delete_selected_span()
    assert [x.label for x in window.suggestions.current].count("ENTITY") == 0


def test_a_name_stays_proposed_until_its_last_span_goes(window, project, qtbot) -> None:
    # The lexicon counts each name's spans as they are edited; a note or
    # "unsure" on a span changes nothing, a relabel or a delete counts one down.
    first = TEXT.index("الكاظمي")
    second = TEXT.index("بغداد")
    window.view.set_selection(first, first + len("الكاظمي"))
    window.tag_selection("ENTITY")
    kadhimi = window._selected()
    window.view.set_selection(second, second + len("بغداد"))
    window.tag_selection("ENTITY")
    window.select_span(kadhimi.id)
    qtbot.keyClick(window.view, Qt.Key_U, Qt.ControlModifier)  # unsure: no new count
    window.view.set_selection(TEXT.index("والكاظمي") + 1, TEXT.index("والكاظمي") + 1 + len("الكاظمي"))
    window.tag_selection("ENTITY", precise=True)  # the other occurrence: a second span of the name
    assert sorted(TEXT[s.start:s.end] for s in project.spans()) == ["الكاظمي", "الكاظمي", "بغداد"]
    assert [x.label for x in window.suggestions.current].count("ENTITY") == 0
    window.select_span(kadhimi.id)
    qtbot.keyClick(window.view, Qt.Key_1)  # relabel one as CLAIM: its name is still tagged
    assert project.span(kadhimi.id).label == "CLAIM"
    assert window.suggestions.suggester().knows_name("الكاظمي")
    other = [s for s in project.spans() if s.label == "ENTITY" and s.start != second][0]
    window.select_span(other.id)
    window.delete_selected_span()  # the last span of the name
    assert not window.suggestions.suggester().knows_name("الكاظمي")
    assert window.suggestions.suggester().knows_name("بغداد")
    window.undo_action.trigger()  # back: known again, counted once
    assert window.suggestions.suggester().knows_name("الكاظمي")
    window.select_span(other.id)
    window.delete_selected_span()
    assert not window.suggestions.suggester().knows_name("الكاظمي")


def test_a_span_tagged_while_the_worker_runs_hides_its_suggestion(project, add_doc, make_window,
                                                                  qtbot) -> None:
    # The worker decides what is shown from a snapshot of the layer's spans;
    # an edit made meanwhile is replayed when its table arrives.
    window, filler = _big_document_window(project, add_doc, make_window, qtbot)
    window.open_document(window.document.id)
    window.suggestions._painted()  # as after the first paint; its answer comes through the event loop
    assert window.suggestions._waiting and window.suggestions.current == []
    start = len(filler) + TEXT.index("3 يناير")
    window.view.set_selection(start, start + len("3 يناير 2020"))
    window.tag_selection("DATE", precise=True)
    assert len(project.spans(label="DATE")) == 1
    with qtbot.waitSignal(window.suggestions.ready, timeout=20000):
        pass
    assert [(s.text, s.label) for s in window.suggestions.current] == [("22 يوليو/تموز 2021", "DATE")]
    assert "1 suggestion(s)" in window.suggestions.count_label.text()


def test_a_big_documents_worker_starts_after_the_text_is_painted(project, add_doc, make_window,
                                                                 qtbot) -> None:
    window, filler = _big_document_window(project, add_doc, make_window, qtbot)
    started = []
    original = window.suggestions._start_worker
    window.suggestions._start_worker = lambda *a: (started.append(window.view.viewport().isVisible()),
                                                   original(*a))
    window.open_document(window.document.id)
    assert started == []  # not inside the open: the first screen comes first
    with qtbot.waitSignal(window.suggestions.ready, timeout=20000):
        pass
    assert started == [True] and len(window.suggestions.current) == 2


def test_opening_another_document_never_describes_the_last_ones_suggestion(project, add_doc,
                                                                          make_window) -> None:
    # The caret moves to 0 while the new text goes in, before the new
    # document's suggestions replace the old ones: at 0 of the first text is
    # a DATE suggestion, at 0 of the second there is none.
    first = add_doc("3 يناير 2020 قال الوزير", name="a")
    second = add_doc("قال الوزير إن الاتفاق سيوقع", name="b")
    window = make_window(project)
    window.open_document(first)
    window.view.set_selection(0, 0)
    assert window.suggestions.at_caret() is not None
    window.statusBar().clearMessage()
    window.open_document(second)
    assert "suggestion" not in window.statusBar().currentMessage()
    assert window.suggestions.at_caret() is None
