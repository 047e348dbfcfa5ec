"""Disagreement units, their severity, and every reviewer decision on gold."""

from __future__ import annotations

import pytest

from annotator.core.review.adjudication import EDITED, UNANIMOUS, Kind, Review, UnitState
from annotator.core.errors import ValidationError
from annotator.core.model import GOLD, NewDocument, Status
from annotator.core.store import Project

TEXT = "قال وزير الخارجية أمس إن المحادثات ستستأنف في القاهرة قريبا"
NAMES = ("lina", "omar", "sara")


@pytest.fixture
def doc_id(project: Project) -> int:
    for name in NAMES:
        project.add_annotator(name)
    return project.add_documents([NewDocument("article", TEXT)])[0].id


def add(project: Project, doc: int, who: str, *spans: tuple[int, int, str]) -> None:
    for start, end, label in spans:
        project.add_span(doc, who, start, end, label)


def unit_at(review: Review, start: int):
    return next(u for u in review.units if u.start == start)


def gold(project: Project, doc: int) -> list[tuple[int, int, str, str | None]]:
    return [(s.start, s.end, s.label, s.provenance) for s in project.spans(doc, GOLD)]


def test_units_cluster_overlaps_across_annotators_but_not_nested_labels(project, doc_id) -> None:
    add(project, doc_id, "lina", (0, 59, "CLAIM"), (4, 17, "ENTITY"))
    add(project, doc_id, "omar", (0, 53, "CLAIM"), (4, 8, "ENTITY"))
    add(project, doc_id, "sara", (46, 53, "ENTITY"))
    review = Review.open(project, doc_id)
    extents = sorted((u.start, u.end, tuple(sorted(u.labels))) for u in review.units)
    # The entities inside the claim stay units of their own.
    assert extents == [(0, 59, ("CLAIM",)), (4, 17, ("ENTITY",)), (46, 53, ("ENTITY",))]
    entity = unit_at(review, 4)
    assert [len(v.spans) for v in entity.versions] == [1, 1, 0]


def test_a_label_dispute_on_the_same_words_is_one_unit(project, doc_id) -> None:
    add(project, doc_id, "lina", (46, 53, "ENTITY"))
    add(project, doc_id, "omar", (46, 53, "DATE"))
    add(project, doc_id, "sara", (46, 53, "ENTITY"))
    review = Review.open(project, doc_id)
    assert len(review.units) == 1
    assert review.units[0].kind is Kind.LABEL


def test_units_are_ordered_by_severity_then_text(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"), (18, 21, "DATE"), (46, 53, "ENTITY"))
    add(project, doc_id, "omar", (4, 17, "ENTITY"), (18, 21, "DATE"), (46, 50, "ENTITY"))
    add(project, doc_id, "sara", (4, 17, "ENTITY"), (46, 48, "ENTITY"))
    review = Review.open(project, doc_id)
    ordered = [(u.start, u.kind, round(u.severity, 3)) for u in review.units]
    assert ordered == [
        (46, Kind.BOUNDARY, 0.667),   # three different versions
        (18, Kind.MISSING, 0.333),    # two against one
        (4, Kind.NONE, 0.0),          # unanimous, last
    ]
    assert [review.state(u) for u in review.units] == [
        UnitState.DISPUTED, UnitState.DISPUTED, UnitState.AGREED]


def test_done_without_spans_makes_an_annotator_a_track(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"))
    project.set_status(doc_id, "omar", Status.DONE)
    project.set_status(doc_id, "sara", Status.IN_PROGRESS)  # not annotated: no track
    review = Review.open(project, doc_id)
    assert review.annotators == ["lina", "omar"]
    assert review.units[0].kind is Kind.MISSING


def test_accept_an_annotators_version_records_provenance(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"))
    add(project, doc_id, "omar", (4, 8, "ENTITY"))
    review = Review.open(project, doc_id)
    unit = review.units[0]
    review.accept(unit, "omar")
    assert gold(project, doc_id) == [(4, 8, "ENTITY", "omar")]
    assert review.state(unit) is UnitState.ACCEPTED
    review.accept(unit, "lina")  # changing one's mind replaces, never stacks
    assert gold(project, doc_id) == [(4, 17, "ENTITY", "lina")]


def test_reject_all_versions_survives_reopening(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"))
    add(project, doc_id, "omar", (4, 8, "ENTITY"))
    review = Review.open(project, doc_id)
    review.accept(review.units[0], "lina")
    review.reject(review.units[0])
    assert gold(project, doc_id) == []
    reopened = Review.open(project, doc_id)
    assert reopened.state(reopened.units[0]) is UnitState.REJECTED


def test_accepting_an_empty_version_is_a_rejection(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"))
    project.set_status(doc_id, "omar", Status.DONE)
    review = Review.open(project, doc_id)
    review.accept(review.units[0], "omar")
    assert review.state(review.units[0]) is UnitState.REJECTED
    review.accept(review.units[0], "lina")
    assert review.state(review.units[0]) is UnitState.ACCEPTED
    assert review.rejected == set()


def test_accept_unanimous_takes_only_undecided_agreed_units(project, doc_id) -> None:
    for who in NAMES:
        add(project, doc_id, who, (4, 17, "ENTITY"), (18, 21, "DATE"))
    add(project, doc_id, "lina", (46, 53, "ENTITY"))
    review = Review.open(project, doc_id)
    review.reject(unit_at(review, 18))
    change = review.accept_unanimous()
    assert gold(project, doc_id) == [(4, 17, "ENTITY", UNANIMOUS)]
    assert len(change.added) == 1
    assert review.accept_unanimous().empty  # nothing left to take
    assert review.state(unit_at(review, 46)) is UnitState.DISPUTED


def test_edit_sets_the_gold_span_even_under_a_new_label(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"))
    add(project, doc_id, "omar", (4, 8, "ENTITY"))
    review = Review.open(project, doc_id)
    unit = review.units[0]
    review.accept(unit, "lina")
    review.edit(unit, 4, 17, "CLAIM")
    assert gold(project, doc_id) == [(4, 17, "CLAIM", EDITED)]
    assert review.state(unit) is UnitState.ACCEPTED


def test_a_refused_edit_leaves_gold_untouched(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"))
    review = Review.open(project, doc_id)
    review.accept(review.units[0], "lina")
    before = project.spans(doc_id, GOLD)
    with pytest.raises(ValidationError, match=r"span \[4, 999\) outside the document"):
        review.edit(review.units[0], 4, 999, "ENTITY")
    assert project.spans(doc_id, GOLD) == before


def test_every_decision_undoes_and_redoes_exactly(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"), (18, 21, "DATE"))
    add(project, doc_id, "omar", (4, 8, "ENTITY"), (18, 21, "DATE"))
    review = Review.open(project, doc_id)
    entity = unit_at(review, 4)
    snapshots, changes = [], []
    for decide in (lambda: review.accept(entity, "lina"), review.accept_unanimous,
                   lambda: review.edit(entity, 4, 12, "ENTITY"), lambda: review.reject(entity)):
        snapshots.append((project.spans(doc_id, GOLD), set(review.rejected)))
        changes.append(decide())
    final = (project.spans(doc_id, GOLD), set(review.rejected))
    for change, snapshot in zip(reversed(changes), reversed(snapshots)):
        review.undo(change)
        assert (project.spans(doc_id, GOLD), review.rejected) == snapshot
    for change in changes:
        review.redo(change)
    assert (project.spans(doc_id, GOLD), review.rejected) == final


def test_scores_against_gold_after_adjudication(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"), (18, 21, "DATE"))
    add(project, doc_id, "omar", (4, 8, "ENTITY"), (18, 21, "DATE"))
    review = Review.open(project, doc_id)
    review.accept_unanimous()
    review.accept(unit_at(review, 4), "lina")
    scores = {s.a: s for s in review.scores()}
    assert scores["lina"].micro.exact_f1 == 1.0
    assert scores["omar"].micro.exact_f1 == pytest.approx(0.5)
    assert scores["omar"].micro.overlap_f1 == 1.0


def test_undoing_a_second_rejection_keeps_the_first(project, doc_id) -> None:
    add(project, doc_id, "lina", (4, 17, "ENTITY"))
    project.set_status(doc_id, "omar", Status.DONE)
    review = Review.open(project, doc_id)
    unit = review.units[0]
    review.reject(unit)
    for second in (lambda: review.reject(unit), lambda: review.accept(unit, "omar")):
        change = second()  # rejecting again, or siding with the empty version
        review.undo(change)
        assert review.state(unit) is UnitState.REJECTED
        assert Review.open(project, doc_id).state(unit) is UnitState.REJECTED
