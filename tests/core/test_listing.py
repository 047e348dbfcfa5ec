"""The document list's reads (store.listing): rows by number, filtered by
status in SQL, row numbers, progress and the next document to do."""

from __future__ import annotations

from annotator.core.model import NewDocument, NewSpan, Status
from annotator.core.store import Project
from annotator.core.store.listing import HEAD_CHARS

TEXTS = ["عنوان 😀 أول\nنص", "\u200cثانٍ", "ثالثٌ ـــ", "رابع", "خامس"]


def _project(project: Project) -> list[int]:
    project.add_annotator("lina")
    project.add_annotator("omar")
    ids = [d.id for d in project.add_documents(
        [NewDocument(f"d{i}", t, meta={"title": "T"} if i == 4 else {}) for i, t in enumerate(TEXTS)])]
    project.set_status(ids[1], "lina", Status.DONE)
    project.set_status(ids[3], "lina", Status.DONE)
    project.set_status(ids[2], "lina", Status.IN_PROGRESS)
    project.set_status(ids[0], "omar", Status.DONE)
    project.set_status(ids[4], "lina", Status.TODO)  # a row saying todo is todo
    return ids


def test_pages_in_id_order_with_the_layers_status(project: Project) -> None:
    ids = _project(project)
    rows = project.listed_page("lina", None, 0, 10)
    assert [r.id for r in rows] == ids
    assert [r.status for r in rows] == [Status.TODO, Status.DONE, Status.IN_PROGRESS, Status.DONE,
                                        Status.TODO]
    assert rows[0].head == TEXTS[0] and rows[0].chars == len(TEXTS[0])
    assert rows[4].meta == {"title": "T"}
    assert [r.id for r in project.listed_page("lina", None, 3, 10)] == ids[3:]
    assert [r.id for r in project.listed_page("lina", None, 1, 2)] == ids[1:3]


def test_filters_counts_and_row_numbers(project: Project) -> None:
    ids = _project(project)
    assert project.listed_count("lina") == 5
    assert project.listed_count("lina", Status.DONE) == 2
    assert project.listed_count("lina", Status.TODO) == 2  # ids[0] and ids[4]
    assert project.listed_count("omar", Status.TODO) == 4
    assert project.listed_ids("lina", Status.DONE) == [ids[1], ids[3]]
    assert project.listed_ids("lina", Status.TODO) == [ids[0], ids[4]]
    assert [r.id for r in project.listed_page("lina", Status.DONE, 1, 5)] == [ids[3]]
    assert project.listed_row(ids[3], "lina") == 3
    assert project.listed_row(ids[3], "lina", Status.DONE) == 1
    assert project.listed_row(ids[2], "lina", Status.DONE) is None
    assert project.listed_row(999, "lina") is None
    assert project.listed_done("lina") == 2
    assert project.listed_done("lina", Status.DONE) == 2
    assert project.listed_done("lina", Status.TODO) == 0


def test_next_to_do_follows_list_order_and_wraps(project: Project) -> None:
    ids = _project(project)
    assert project.next_listed_to_do("lina", ids[1]) == ids[4]
    assert project.next_listed_to_do("lina", ids[4]) == ids[0]  # wraps
    project.set_status(ids[4], "lina", Status.DONE)
    assert project.next_listed_to_do("lina", ids[0]) is None  # never itself


def test_heads_and_counts_of_a_page(project: Project) -> None:
    ids = _project(project)
    long = "ب" * (HEAD_CHARS + 50)
    big = project.add_documents([NewDocument("long", long)])[0].id
    assert project.document_head(big) == ("long", "ب" * HEAD_CHARS, {})
    assert project.document_head(999) is None
    assert project.has_document(big) and not project.has_document(999)
    project.add_spans([NewSpan(ids[0], "lina", 0, 5, "ENTITY"), NewSpan(ids[0], "lina", 6, 7, "ENTITY"),
                       NewSpan(ids[0], "omar", 0, 5, "CLAIM"), NewSpan(ids[2], "lina", 0, 5, "DATE")])
    assert project.span_counts_of("lina", [ids[0], ids[1], ids[2]]) == {
        ids[0]: {"ENTITY": 2}, ids[2]: {"DATE": 1}}
    assert project.span_counts_of("lina", []) == {}
