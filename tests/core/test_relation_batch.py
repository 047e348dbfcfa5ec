"""Project.add_relations: the rules of add_relation for a whole batch,
checked before any row is written, one transaction, ids never reused, and
errors that name the file and line a relation came from."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.errors import InputError, ValidationError
from annotator.core.model import NewDocument, NewRelation
from annotator.core.store import Project

# Emoji, harakat and tatweel before the spans: offsets are code points.
TEXT = "😀 قالَ الرئيـسُ إنّ القوات ستغادر في 5 مايو 2021."
OTHER = "قال المتحدث إن القوات باقية."


@pytest.fixture
def ids(project: Project) -> dict[str, int]:
    project.add_annotator("amal")
    doc, other = (d.id for d in project.add_documents([NewDocument("a", TEXT), NewDocument("b", OTHER)]))
    return {
        "claim": project.add_span(doc, "amal", 2, len(TEXT) - 1, "CLAIM").id,
        "speaker": project.add_span(doc, "amal", 7, 15, "ENTITY").id,
        "date": project.add_span(doc, "amal", 38, len(TEXT) - 1, "DATE").id,
        "claim2": project.add_span(other, "amal", 0, len(OTHER) - 1, "CLAIM").id,
        "gold_entity": project.add_span(doc, "gold", 7, 15, "ENTITY").id,
    }


def _rows(project: Project) -> list[tuple]:
    return [(r.layer, r.type, r.source_id, r.target_id) for r in project.relations()]


def test_a_batch_is_stored_in_one_transaction_in_order(project: Project, ids: dict[str, int]) -> None:
    result = project.add_relations([
        NewRelation("amal", "SPEAKER", ids["claim"], ids["speaker"], note="صريح"),
        NewRelation("amal", "TIME", ids["claim"], ids["date"], {"certain": True}),
        # Symmetric and across documents: stored once, smaller span id first.
        NewRelation("amal", "SAME_AS", ids["claim2"], ids["claim"]),
    ])
    assert result.duplicates == 0 and result.by_type == {"SPEAKER": 1, "TIME": 1, "SAME_AS": 1}
    assert [r.id for r in project.relations()] == result.inserted
    assert _rows(project) == [("amal", "SPEAKER", ids["claim"], ids["speaker"]),
                              ("amal", "TIME", ids["claim"], ids["date"]),
                              ("amal", "SAME_AS", ids["claim"], ids["claim2"])]
    assert project.relation(result.inserted[1]).attributes == {"certain": True}
    other = sqlite3.connect(project.path)  # committed: another connection sees them
    assert other.execute("SELECT count(*) FROM relations").fetchone() == (3,)
    other.close()


def test_duplicates_are_kept_once_and_counted(project: Project, ids: dict[str, int]) -> None:
    project.add_relation("amal", "SPEAKER", ids["claim"], ids["speaker"])
    result = project.add_relations([
        NewRelation("amal", "SPEAKER", ids["claim"], ids["speaker"]),  # already stored
        NewRelation("amal", "SAME_AS", ids["claim"], ids["claim2"]),
        NewRelation("amal", "SAME_AS", ids["claim2"], ids["claim"]),  # the same pair, other way round
    ])
    assert (len(result.inserted), result.duplicates) == (1, 2)
    assert len(project.relations()) == 2


def test_ids_are_never_reused(project: Project, ids: dict[str, int]) -> None:
    first = project.add_relation("amal", "SPEAKER", ids["claim"], ids["speaker"])
    second = project.add_relation("amal", "TIME", ids["claim"], ids["date"])
    project.delete_relation(second.id)
    result = project.add_relations([NewRelation("amal", "TIME", ids["claim"], ids["date"])])
    assert result.inserted == [second.id + 1] and first.id < second.id
    # And add_relation after a batch continues past it.
    project.delete_relation(result.inserted[0])
    again = project.add_relation("amal", "TIME", ids["claim"], ids["date"])
    assert again.id == result.inserted[0] + 1


@pytest.mark.parametrize("relation, message", [
    (lambda i: NewRelation("amal", "NOPE", i["claim"], i["speaker"]), r"unknown relation type 'NOPE'"),
    (lambda i: NewRelation("amal", "SPEAKER", i["claim"], 999), r"no span with id 999"),
    (lambda i: NewRelation("amal", "SPEAKER", i["claim"], i["claim"]), r"a span cannot be related to itself"),
    (lambda i: NewRelation("amal", "SPEAKER", i["claim"], i["gold_entity"]),
     r"span \d+ is in layer gold, not amal"),
    (lambda i: NewRelation("amal", "SPEAKER", i["speaker"], i["claim"]),
     r"SPEAKER links CLAIM -> ENTITY, not ENTITY -> CLAIM"),
    (lambda i: NewRelation("amal", "TIME", i["claim2"], i["date"]), r"TIME links spans of one document only"),
    (lambda i: NewRelation("amal", "SPEAKER", i["claim"], i["speaker"], note=7), r"a relation.s attributes must be an object, its note text"),
])
def test_a_broken_rule_aborts_the_batch_naming_file_and_line(project: Project, ids: dict[str, int],
                                                             relation, message: str) -> None:
    good = NewRelation("amal", "TIME", ids["claim"], ids["date"], origin=("a.jsonl", 1))
    bad = relation(ids)
    bad.origin = ("a.jsonl", 2)
    with pytest.raises(InputError, match=r"^a\.jsonl:2: " + message):
        project.add_relations([good, bad])
    assert project.relations() == []


def test_without_an_origin_the_error_is_a_validation_error(project: Project, ids: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="cannot be related to itself"):
        project.add_relations([NewRelation("amal", "SPEAKER", ids["claim"], ids["claim"])])


def test_inside_a_transaction_a_later_failure_takes_the_batch_back(project: Project,
                                                                   ids: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="boom"):
        with project.transaction():
            project.add_relations([NewRelation("amal", "SPEAKER", ids["claim"], ids["speaker"])])
            assert len(project.relations()) == 1  # visible inside the transaction
            raise ValidationError("boom")
    assert project.relations() == []
