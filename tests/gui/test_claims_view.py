"""The claims view: clusters, search and filters, candidates, S/C/U keys
linking undoably on the window's undo stack, opening a claim."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.formats.imports.plain_text import import_seeds
from annotator.gui.claims_view import ClaimsView, open_claims_view
from tests.core.test_claims import annotate_seed_claims


@pytest.fixture
def seeded(project):
    import_seeds(project)
    return project, annotate_seed_claims(project, "amal")


def _view(qtbot, project, errors=None, opened=None):
    from PySide6.QtGui import QUndoStack

    stack = QUndoStack()
    view = ClaimsView(project, "amal", stack, (errors if errors is not None else []).append,
                      (opened if opened is not None else []).append)
    qtbot.addWidget(view)
    view.show()
    return view, stack


def test_models_pass_the_model_tester(qtbot, qtmodeltester, seeded):
    project, clusters = seeded
    view, _ = _view(qtbot, project)
    qtmodeltester.check(view.claims_model)
    view.select_claim(clusters["2500"][0])
    qtmodeltester.check(view.candidates_model)
    assert view.candidates_model.rowCount() == 10


def test_search_ignores_harakat_and_filters_narrow(qtbot, seeded):
    project, clusters = seeded
    view, _ = _view(qtbot, project)
    assert view.claims_model.rowCount() == 31
    view.search.setText("مُهِمَّة قتاليـة")
    texts = [claim.text for claim in view.claims_model.rows]
    assert len(texts) == 2 and all("قتالية" in t or "قتاليّة" in t for t in texts)
    view.search.setText("")
    view.contradicted.setChecked(True)
    contradicted = {c.span_id for c in view.claims_model.rows}
    assert contradicted == set(clusters["end-of-year"] + clusters["three-years"]
                               + clusters["2500"] + clusters["5000"])
    view.contradicted.setChecked(False)
    view.unlinked.setChecked(True)
    assert [c.span_id for c in view.claims_model.rows] == (clusters["trump-refuses"]
                                                               + clusters["vaccines"])
    view.unlinked.setChecked(False)
    view.document_filter.setCurrentIndex(view.document_filter.findData(3))
    assert {c.document_id for c in view.claims_model.rows} == {3}


def test_keys_link_and_undo_on_the_shared_stack(qtbot, seeded):
    project, clusters = seeded
    view, stack = _view(qtbot, project)
    vaccines = clusters["vaccines"][0]
    assert view.select_claim(vaccines)
    first = view.current_candidate()
    assert first is not None and first.claim.span_id == clusters["5000"][0]
    assert first.hints == ["numbers differ: 500000 / 5000"]
    view.candidates_table.setFocus()
    qtbot.waitUntil(view.candidates_table.hasFocus)
    qtbot.keyClick(view.candidates_table, Qt.Key_C)
    linked = [r for r in project.relations(span_id=vaccines) if r.type == "CONTRADICTS"]
    assert len(linked) == 1 and stack.count() == 1
    assert "contradicts" in view.claims_model.data(
        view.claims_model.index(view.claims_table.currentIndex().row(), 5))
    stack.undo()
    assert project.relations(span_id=vaccines) == []
    stack.redo()
    assert len(project.relations(span_id=vaccines)) == 1
    qtbot.keyClick(view.candidates_table, Qt.Key_U)
    assert project.relations(span_id=vaccines) == [] and stack.count() == 2
    qtbot.keyClick(view.candidates_table, Qt.Key_S)
    assert [r.type for r in project.relations(span_id=vaccines)] == ["SAME_AS"]


def test_a_refused_link_is_reported_not_pushed(qtbot, seeded):
    project, clusters = seeded
    errors: list[str] = []
    view, stack = _view(qtbot, project, errors)
    view.select_claim(clusters["2500"][0])
    # The first candidate is already SAME_AS (the seed chain links 2500 members).
    candidate = view.current_candidate()
    assert candidate.claim.span_id == clusters["2500"][1]
    assert view.link("SAME_AS") is False
    assert stack.count() == 0
    assert errors == [f"these spans already have a SAME_AS relation (#"
                      f"{project.relations(span_id=clusters['2500'][1])[0].id})"]


def test_menu_entry_opens_the_view_and_a_claim_in_its_document(qtbot, make_window, seeded):
    project, clusters = seeded
    window = make_window(project, "amal")
    action = next(a for a in window.actions() if a.objectName() == "claims_view")
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    action.trigger()
    view = window.claims_view
    qtbot.waitUntil(view.isVisible)
    assert open_claims_view(window) is view
    target = clusters["5000"][0]
    view.select_claim(target)
    view.open_current()
    assert window.document.id == project.span(target).document_id
    assert window.selected_span_id == target


def _new_claim_text(project, clusters):
    """A sentence of the 2500 claims' document that is not yet a claim."""
    first = project.span(clusters["2500"][0])
    text = project.document(first.document_id).text
    return first.document_id, text


def test_the_view_follows_edits_made_in_the_main_window(qtbot, make_window, seeded):
    project, clusters = seeded
    window = make_window(project, "amal")
    view = open_claims_view(window)
    view.select_claim(clusters["2500"][0])  # builds the index
    assert view.index is not None
    document, text = _new_claim_text(project, clusters)
    window.open_document(document)
    taken = [(s.start, s.end) for s in project.spans(document, "amal")]
    word = next(w for w in ("الكاظمي", "بايدن", "العراق")
                if all(not (a <= text.index(w) < b) for a, b in taken))
    start = text.index(word)
    window.view.set_selection(start, start + len(word))
    window.tag_selection("CLAIM")
    [new] = [s for s in project.spans(document, "amal")
             if s.label == "CLAIM" and (s.start, s.end) not in taken]
    # No reopening: the row and the index have it already.
    assert new.id in view.claims_model.shown and new.id in view.index
    assert view.status.text() == "32 claim(s) in 14 cluster(s)"
    window.undo_action.trigger()
    assert new.id not in view.claims_model.shown and new.id not in view.index
    assert view.status.text() == "31 claim(s) in 13 cluster(s)"


def test_rows_are_handed_to_the_view_in_batches(qtbot, monkeypatch, seeded):
    from annotator.gui import claims_models

    monkeypatch.setattr(claims_models, "BATCH", 4)
    project, clusters = seeded
    view, _ = _view(qtbot, project)
    model = view.claims_model
    assert model.rowCount() == 4 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 8
    last = model.shown[-1]
    assert view.select_claim(last)  # fetched up to it
    assert model.rowCount() == 31 and view.current_span_id() == last
    assert not model.canFetchMore()


def test_a_big_index_is_built_in_the_background_and_edits_meanwhile_are_kept(
        qtbot, monkeypatch, seeded):
    import threading

    from annotator.core.claims import similarity
    from annotator.core.workflow import SpanChange
    from annotator.gui import claims_view

    gate = threading.Event()
    real = similarity.ClaimIndex.__init__

    def held(self, claims=()):
        gate.wait(30)
        real(self, claims)

    monkeypatch.setattr(claims_view, "THREAD_FROM", 0)
    monkeypatch.setattr(similarity.ClaimIndex, "__init__", held)
    project, clusters = seeded
    view, _ = _view(qtbot, project)
    view.select_claim(clusters["2500"][0])
    assert view.index is None and view.candidates_model.rowCount() == 0
    assert view.candidates_label.text().startswith("Building the similarity index of 31 claims")
    gone = clusters["vaccines"][0]
    view.changes_applied([SpanChange(project.delete_span(gone), None)])  # while it builds
    gate.set()
    qtbot.waitUntil(lambda: view.index is not None, timeout=30000)
    assert gone not in view.index and len(view.index) == 30
    assert view.candidates_model.candidates[0].claim.span_id == clusters["2500"][1]
    assert "Building" not in view.candidates_label.text()


def test_a_window_reload_reaches_the_view(qtbot, make_window, seeded):
    """An import or merge dialog of the window writes through this very
    connection (no poll sees it) and reloads the window: the view follows."""
    project, clusters = seeded
    window = make_window(project, "amal")
    view = open_claims_view(window)
    document, text = _new_claim_text(project, clusters)
    taken = [(s.start, s.end) for s in project.spans(document, "amal")]
    start = next(m for m in range(len(text) - 5)
                 if all(not (a <= m < b or a < m + 5 <= b) for a, b in taken)
                 and text[m:m + 5].strip() == text[m:m + 5])
    added = project.add_span(document, "amal", start, start + 5, "CLAIM")
    assert added.id not in view.claims_model.shown
    window.reload_project()
    qtbot.waitUntil(lambda: added.id in view.claims_model.shown)
    assert view.status.text() == "32 claim(s) in 14 cluster(s)"
