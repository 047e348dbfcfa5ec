"""Relations in adjudication, worked by hand on one sentence and two articles.

Sentence: "قال وزير الخارجية أمس إن المحادثات ستستأنف في القاهرة قريبا"
  ENTITY 4-17 (وزير الخارجية), DATE 18-21 (أمس), CLAIM 25-59 (the rest).
"""

from __future__ import annotations

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import GOLD, NewDocument
from annotator.core.review.adjudication import Review
from annotator.core.review.relation_review import RelationKind, RelationState
from annotator.core.store import Project

TEXT = "قال وزير الخارجية أمس إن المحادثات ستستأنف في القاهرة قريبا"
OTHER = "ستستأنف المحادثات في القاهرة"  # CLAIM 0-28 in a second article
ENTITY, DATE, CLAIM = (4, 17, "ENTITY"), (18, 21, "DATE"), (25, 59, "CLAIM")


@pytest.fixture
def docs(project: Project) -> tuple[int, int]:
    for name in ("lina", "omar"):
        project.add_annotator(name)
    first, second = project.add_documents([NewDocument("a", TEXT), NewDocument("b", OTHER)])
    return first.id, second.id


def span(project: Project, doc: int, who: str, extent: tuple[int, int, str]) -> int:
    return project.add_span(doc, who, *extent).id


def gold_relations(project: Project) -> list[tuple[str, tuple, tuple, str | None]]:
    out = []
    for r in project.relations(layer=GOLD):
        s, t = project.span(r.source_id), project.span(r.target_id)
        out.append((r.type, (s.document_id, s.start, s.end), (t.document_id, t.start, t.end),
                    r.provenance))
    return out


def unit_at(review: Review, start: int):
    return next(u for u in review.units if u.start == start)


def test_accepting_a_version_carries_relations_once_both_ends_are_gold(project, docs) -> None:
    doc, _ = docs
    claim, entity = span(project, doc, "lina", CLAIM), span(project, doc, "lina", ENTITY)
    project.add_relation("lina", "SPEAKER", claim, entity)
    span(project, doc, "omar", CLAIM)
    review = Review.open(project, doc)
    # The claim alone: the ENTITY end is not in gold, nothing is carried.
    first = review.accept(unit_at(review, 25), "lina")
    assert first.relations_added == () and gold_relations(project) == []
    second = review.accept(unit_at(review, 4), "lina")
    assert gold_relations(project) == [("SPEAKER", (doc, 25, 59), (doc, 4, 17), "lina")]
    carried = project.relations(layer=GOLD)
    review.undo(second)
    assert project.relations(layer=GOLD) == [] and len(project.spans(doc, GOLD)) == 1
    review.redo(second)
    assert project.relations(layer=GOLD) == carried  # same id, same timestamps


def test_relation_items_missing_and_type_disputes(project, docs) -> None:
    doc, other = docs
    a1, a2 = span(project, doc, "lina", CLAIM), span(project, other, "lina", (0, 28, "CLAIM"))
    b1, b2 = span(project, doc, "omar", CLAIM), span(project, other, "omar", (0, 28, "CLAIM"))
    date = span(project, doc, "lina", DATE)
    project.add_relation("lina", "SAME_AS", a1, a2)
    project.add_relation("omar", "CONTRADICTS", b2, b1)
    project.add_relation("lina", "TIME", a1, date)
    review = Review.open(project, doc)
    items = review.relations.items
    kinds = {(i.kind, i.cross_document) for i in items}
    assert kinds == {(RelationKind.TYPE, True), (RelationKind.MISSING, False)}
    link = next(i for i in items if i.cross_document)
    assert link.ends == ((doc, 25, 59, "CLAIM"), (other, 0, 28, "CLAIM"))
    assert [sorted(t for t, *_ in v.links) for v in link.versions] == [["SAME_AS"], ["CONTRADICTS"]]
    assert all(review.relations.state(i) is RelationState.DISPUTED for i in items)
    # The link is an item of the other article too: both claims match.
    assert [i.ends for i in Review.open(project, other).relations.items] == [link.ends]


def test_accept_and_reject_a_link_with_exact_undo(project, docs) -> None:
    doc, other = docs
    a1, a2 = span(project, doc, "lina", CLAIM), span(project, other, "lina", (0, 28, "CLAIM"))
    b1, b2 = span(project, doc, "omar", CLAIM), span(project, other, "omar", (0, 28, "CLAIM"))
    project.add_relation("lina", "SAME_AS", a1, a2)
    project.add_relation("omar", "CONTRADICTS", b1, b2)
    review = Review.open(project, doc)
    link = review.relations.items[0]
    with pytest.raises(ValidationError, match="CLAIM at 25–59 is not in gold: accept its span"):
        review.relations.accept(link, "omar")
    assert project.relations(layer=GOLD) == []
    review.accept(unit_at(review, 25), "lina")  # lina's SAME_AS needs the other claim: not carried
    Review.open(project, other).accept_unanimous()
    assert gold_relations(project) == []
    accept = review.relations.accept(link, "omar")
    assert gold_relations(project) == [("CONTRADICTS", (doc, 25, 59), (other, 0, 28), "omar")]
    assert review.relations.state(link) is RelationState.ACCEPTED
    switch = review.relations.accept(link, "lina")  # replaces, never stacks
    assert gold_relations(project) == [("SAME_AS", (doc, 25, 59), (other, 0, 28), "lina")]
    before_reject = project.relations(layer=GOLD)
    reject = review.relations.reject(link)
    assert project.relations(layer=GOLD) == []
    assert review.relations.state(link) is RelationState.REJECTED
    review.undo(reject)
    assert project.relations(layer=GOLD) == before_reject
    assert review.relations.state(link) is RelationState.ACCEPTED
    review.undo(switch)
    assert [r.id for r in project.relations(layer=GOLD)] == [r.id for r in accept.added]
    review.undo(accept)
    assert project.relations(layer=GOLD) == []
    assert review.relations.state(link) is RelationState.DISPUTED
    for change in (accept, switch, reject):
        review.redo(change)
    assert project.relations(layer=GOLD) == [] and review.relations.state(link) is RelationState.REJECTED


def test_removing_a_gold_span_takes_its_relations_and_undo_restores_them(project, docs) -> None:
    doc, _ = docs
    claim, date = span(project, doc, "lina", CLAIM), span(project, doc, "lina", DATE)
    project.add_relation("lina", "TIME", claim, date)
    span(project, doc, "omar", CLAIM), span(project, doc, "omar", DATE)
    review = Review.open(project, doc)
    review.accept_unanimous()
    item = review.relations.items[0]
    assert item.kind is RelationKind.MISSING
    review.relations.accept(item, "lina")
    kept = project.relations(layer=GOLD)
    assert [(r.type, r.provenance) for r in kept] == [("TIME", "lina")]
    change = review.reject(unit_at(review, 18))  # the DATE goes, and with it the TIME link
    assert project.relations(layer=GOLD) == [] and change.relations_removed == tuple(kept)
    review.undo(change)
    assert project.relations(layer=GOLD) == kept


def test_a_unanimous_relation_is_recorded_as_unanimous(project, docs) -> None:
    doc, _ = docs
    for who in ("lina", "omar"):
        project.add_relation(who, "TIME", span(project, doc, who, CLAIM),
                             span(project, doc, who, DATE))
    review = Review.open(project, doc)
    item = review.relations.items[0]
    assert item.kind is RelationKind.NONE
    assert review.relations.state(item) is RelationState.AGREED
    change = review.accept_unanimous()  # the two spans, then the relation on them
    assert [(r.type, r.provenance) for r in project.relations(layer=GOLD)] == [("TIME", "unanimous")]
    assert review.relations.state(item) is RelationState.ACCEPTED
    review.undo(change)
    assert project.relations(layer=GOLD) == [] and project.spans(doc, GOLD) == []
    review.redo(change)
    assert list(change.relations_added) == project.relations(layer=GOLD)


def test_accept_unanimous_leaves_disputed_relations_waiting(project, docs) -> None:
    doc, _ = docs
    claim, date = span(project, doc, "lina", CLAIM), span(project, doc, "lina", DATE)
    project.add_relation("lina", "TIME", claim, date)
    span(project, doc, "omar", CLAIM), span(project, doc, "omar", DATE)
    review = Review.open(project, doc)
    change = review.accept_unanimous()
    assert change.relations_added == () and project.relations(layer=GOLD) == []
    assert review.relations.state(review.relations.items[0]) is RelationState.DISPUTED


def test_a_rejected_relation_item_stays_rejected_when_the_review_is_reopened(project, docs) -> None:
    doc, other = docs
    a1, a2 = span(project, doc, "lina", CLAIM), span(project, other, "lina", (0, 28, "CLAIM"))
    span(project, doc, "omar", CLAIM), span(project, other, "omar", (0, 28, "CLAIM"))
    project.add_relation("lina", "SAME_AS", a1, a2)  # omar has none: a missing relation
    review = Review.open(project, doc)
    (item,) = review.relations.items
    change = review.relations.reject(item)
    assert project.relations(layer=GOLD) == []
    # Reopened, from either document of the cross-document link: still decided.
    for document in (doc, other):
        again = Review.open(project, document)
        assert [again.relations.state(i) for i in again.relations.items] == [RelationState.REJECTED]
    review.undo(change)
    again = Review.open(project, doc)
    assert again.relations.state(again.relations.items[0]) is RelationState.DISPUTED
    assert project.relation_rejections(doc) == set()
    review.redo(change)
    assert project.relation_rejections(other) == {item.ends}
    # Accepting lina's version after all takes the rejection away in the same step.
    for end in item.ends:
        project.add_span(end[0], GOLD, end[1], end[2], end[3])
    accepted = review.relations.accept(item, "lina")
    assert project.relation_rejections(doc) == set() and len(accepted.added) == 1
    review.undo(accepted)
    assert project.relation_rejections(doc) == {item.ends}
    reopened = Review.open(project, doc)
    assert reopened.relations.state(reopened.relations.items[0]) is RelationState.REJECTED


def test_a_relation_rejection_goes_with_its_document(project, docs) -> None:
    doc, other = docs
    ends = ((doc, 25, 59, "CLAIM"), (other, 0, 28, "CLAIM"))
    project.add_relation_rejection((ends[1], ends[0]))  # stored in order whichever way it comes
    assert project.relation_rejections(doc) == {ends} == project.relation_rejections(other)
    project.add_relation_rejection(ends)  # once only
    project.remove_relation_rejection(ends)
    assert project.relation_rejections(doc) == set()
    project.add_relation_rejection(ends)
    with project.transaction():
        project._execute("DELETE FROM documents WHERE id = ?", [other])
    assert project.relation_rejections(doc) == set()


def test_a_schema_6_file_gains_an_empty_relation_rejections_table(tmp_path) -> None:
    from sqlite_utils import Database

    from annotator.core.store.schema import SCHEMA_VERSION, migrations

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m007_relation_rejections")
    db.execute("PRAGMA user_version = 6")
    db.conn.commit()
    assert "relation_rejections" not in db.table_names()
    db.close()
    with Project.open(path) as project:
        assert project.schema_version == SCHEMA_VERSION == 7
        doc = project.add_documents([NewDocument("a", TEXT)])[0].id
        assert project.relation_rejections(doc) == set()
        project.add_relation_rejection(((doc, 4, 17, "ENTITY"), (doc, 25, 59, "CLAIM")))
        assert len(project.relation_rejections(doc)) == 1
