"""The document list at scale (issue 15 item 2): it counts the shown layer
only, and Ctrl+PgDn / the progress label do not ask the model for every
row's data."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import NewDocument, Status
from annotator.gui.document_list import DOCUMENT_ID


def _documents(project, n: int) -> list[int]:
    added = project.add_documents([NewDocument(f"d{i}", f"نص رقم {i} الرئيس") for i in range(n)])
    return [a.id for a in added]


def test_list_counts_only_the_shown_layer(qtbot, project, make_window, monkeypatch):
    ids = _documents(project, 3)
    project.add_annotator("amal")
    project.add_annotator("badr")
    project.add_span(ids[0], "amal", 0, 2, "CLAIM")
    project.add_span(ids[0], "badr", 0, 2, "ENTITY")

    def every_layer():
        raise AssertionError("the window counted every layer's spans")

    monkeypatch.setattr(project, "span_counts", every_layer)
    window = make_window(project)
    assert window.document_list.model.counts == {ids[0]: {"CLAIM": 1}}


def test_ctrl_pgdn_does_not_index_every_row(qtbot, project, make_window, monkeypatch):
    ids = _documents(project, 300)
    window = make_window(project)
    window.open_document(ids[0])
    proxy = window.document_list.proxy
    calls = []
    original = proxy.index

    def counting(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(proxy, "index", counting)
    qtbot.keyClick(window.view, Qt.Key_PageDown, Qt.ControlModifier)
    assert window.document.id == ids[1]
    qtbot.keyClick(window.view, Qt.Key_PageUp, Qt.ControlModifier)
    assert window.document.id == ids[0]
    # Listing the shown ids took one index (and one data call) per row: 300 each step.
    assert len(calls) < 50


def test_step_follows_the_filter_and_wraps(qtbot, project, make_window):
    ids = _documents(project, 5)
    project.add_annotator("amal")
    for document_id in (ids[1], ids[3]):
        project.set_status(document_id, "amal", Status.DONE)
    window = make_window(project)
    listing = window.document_list
    assert listing.step_from(ids[4], 1) == ids[0]
    assert listing.step_from(ids[0], -1) == ids[4]
    listing.filter.setCurrentIndex(listing.filter.findData(Status.DONE.value))
    assert listing.shown_ids() == [ids[1], ids[3]]
    assert listing.step_from(ids[1], 1) == ids[3]
    assert listing.step_from(ids[3], 1) == ids[1]
    assert listing.step_from(ids[0], 1) == ids[1]  # not shown: from before the first row
    assert listing.step_from(ids[0], -1) == ids[1]  # as before: (-1 - 1) % 2
    listing.filter.setCurrentIndex(listing.filter.findData(Status.IN_PROGRESS.value))
    assert listing.shown_ids() == []
    assert listing.step_from(ids[2], 1) == ids[3]  # nothing shown: every document


def test_list_reads_pages_on_demand_and_follows_edits(qtbot, project, make_window, monkeypatch):
    from annotator.gui.document_list import PAGE_ROWS

    n = 2 * PAGE_ROWS + 50
    ids = _documents(project, n)
    project.add_annotator("amal")
    pages = []
    original = project.listed_page

    def counting(layer, status, offset, limit):
        pages.append(offset)
        return original(layer, status, offset, limit)

    monkeypatch.setattr(project, "listed_page", counting)
    window = make_window(project)
    listing = window.document_list
    assert listing.model.rowCount() == n
    # Starting read the first page only (the rows on screen), not every row.
    assert set(pages) == {0}
    last = listing.model.index(n - 1, 0)
    assert last.data() == f"نص رقم {n - 1} الرئيس"
    assert last.data(DOCUMENT_ID) == ids[-1]
    assert set(pages) == {0, 2 * PAGE_ROWS}
    # A span added in a document whose row was never read is counted when it is.
    project.add_span(ids[PAGE_ROWS + 3], "amal", 0, 2, "CLAIM")
    window.document_list.model.add_count(ids[PAGE_ROWS + 3], "CLAIM", 1)
    claim = 2 + listing.model.labels.index("CLAIM")
    assert listing.model.index(PAGE_ROWS + 3, claim).data() == 1
    # A filtered list drops a row whose status changes away and takes one in.
    listing.filter.setCurrentIndex(listing.filter.findData(Status.TODO.value))
    window.open_document(ids[5])
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)  # done, next to do
    assert listing.proxy.rowCount() == n - 1
    assert listing.model.row_of(ids[5]) is None
    assert listing.proxy.index(5, 0).data(DOCUMENT_ID) == ids[6]
    assert window.document.id == ids[6]
    assert window.progress_label.text() == f"0 of {n - 1} done"
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)  # undo: to do again
    assert listing.proxy.rowCount() == n
    assert listing.proxy.index(5, 0).data(DOCUMENT_ID) == ids[5]
    assert listing.proxy.index(n - 1, 0).data(DOCUMENT_ID) == ids[-1]


def test_done_count_follows_edits_without_counting_again(qtbot, project, make_window, monkeypatch):
    ids = _documents(project, 4)
    project.add_annotator("amal")
    project.set_status(ids[3], "amal", Status.DONE)
    window = make_window(project)
    assert window.progress_label.text() == "1 of 4 done"
    counted = []
    original = project.listed_done
    monkeypatch.setattr(project, "listed_done", lambda *a: counted.append(a) or original(*a))
    window.open_document(ids[0])
    window.view.set_selection(0, 2)
    window.tag_selection("CLAIM")  # todo -> in progress: nothing done changed
    assert project.statuses("amal")[ids[0]] is Status.IN_PROGRESS
    assert window.progress_label.text() == "1 of 4 done"
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)  # done, next to do
    assert window.progress_label.text() == "2 of 4 done"
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)  # undo: in progress again
    assert window.progress_label.text() == "1 of 4 done"
    assert counted == []  # every row edited was on a page read: no store count
    assert original("amal") == 1
