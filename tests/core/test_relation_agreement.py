"""Relation agreement against cases worked by hand."""

from __future__ import annotations

import pytest

from annotator.core.model import NewDocument, Status
from annotator.core.review.relation_agreement import overlap_matching, relation_agreement
from annotator.core.store import Project

# 😀 first: offsets are code points, the emoji counts one.
TEXT = "😀 قال الوزير إن القوات ستغادر في 31 ديسمبر."
OTHER = "أكد المتحدث أن 2500 جندي باقون حتى نهاية العام."


@pytest.fixture
def docs(project: Project) -> tuple[int, int]:
    for name in ("amal", "badr", "carol"):
        project.add_annotator(name)
    a, b = (d.id for d in project.add_documents([NewDocument("a", TEXT), NewDocument("b", OTHER)]))
    return a, b


def test_the_offsets_name_the_words() -> None:
    assert (TEXT[6:12], TEXT[33:42], TEXT[36:42]) == ("الوزير", "31 ديسمبر", "ديسمبر")


def claim_speaker_date(project: Project, layer: str, doc: int, date: tuple[int, int],
                       entity: tuple[int, int] = (6, 12)) -> dict[str, int]:
    return {
        "claim": project.add_span(doc, layer, 2, len(TEXT) - 1, "CLAIM").id,
        "entity": project.add_span(doc, layer, *entity, "ENTITY").id,
        "date": project.add_span(doc, layer, *date, "DATE").id,
    }


def test_exact_and_overlap_relation_f1_by_hand(project: Project, docs: tuple[int, int]) -> None:
    doc, _ = docs
    a = claim_speaker_date(project, "amal", doc, (33, 42))
    b = claim_speaker_date(project, "badr", doc, (36, 42))  # the same date, without "31 "
    for layer, ids in (("amal", a), ("badr", b)):
        project.add_relation(layer, "SPEAKER", ids["claim"], ids["entity"])
        project.add_relation(layer, "TIME", ids["claim"], ids["date"])
    report = relation_agreement(project, ["amal", "badr"])
    (pair,) = report.pairs
    figures = pair.figures()
    # SPEAKER: same claim and same entity on both sides: 1 exact match of 1 + 1.
    assert figures["SPEAKER"] == {"exact_f1": 1.0, "overlap_f1": 1.0}
    # TIME: the DATE ends differ ("31 ديسمبر" vs "ديسمبر") but overlap.
    assert figures["TIME"] == {"exact_f1": 0.0, "overlap_f1": 1.0}
    # micro: exact 2 x 1 / 4, overlap 2 x 2 / 4.
    assert figures["micro"] == {"exact_f1": 0.5, "overlap_f1": 1.0}
    assert figures["SAME_AS"] == {"exact_f1": None, "overlap_f1": None}
    assert pair.documents == 1
    assert report.per_document[0].pairs[0].figures()["TIME"] == figures["TIME"]


def test_a_missing_relation_and_a_type_dispute(project: Project, docs: tuple[int, int]) -> None:
    doc, _ = docs
    a = claim_speaker_date(project, "amal", doc, (33, 42))
    b = claim_speaker_date(project, "badr", doc, (33, 42))
    project.add_relation("amal", "SPEAKER", a["claim"], a["entity"])
    project.add_relation("amal", "TIME", a["claim"], a["date"])
    project.add_relation("badr", "TIME", b["claim"], b["date"])
    figures = relation_agreement(project, ["amal", "badr"]).pairs[0].figures()
    assert figures["SPEAKER"] == {"exact_f1": 0.0, "overlap_f1": 0.0}  # 0 of 1 + 0
    assert figures["TIME"] == {"exact_f1": 1.0, "overlap_f1": 1.0}
    assert figures["micro"]["exact_f1"] == pytest.approx(2 * 1 / 3)


def test_symmetric_links_across_documents_match_either_way_round(
        project: Project, docs: tuple[int, int]) -> None:
    doc, other = docs
    ids = {}
    for layer in ("amal", "badr"):
        first = project.add_span(doc, layer, 2, len(TEXT) - 1, "CLAIM").id
        second = project.add_span(other, layer, 0, len(OTHER) - 1, "CLAIM").id
        ids[layer] = (first, second)
    project.add_relation("amal", "CONTRADICTS", *ids["amal"])
    project.add_relation("badr", "CONTRADICTS", ids["badr"][1], ids["badr"][0])
    # carol annotated only the first document: the link touches the second.
    project.add_span(doc, "carol", 2, 6, "ENTITY")
    report = relation_agreement(project)
    by_pair = {(p.a, p.b): p.figures()["CONTRADICTS"] for p in report.pairs}
    assert by_pair[("amal", "badr")] == {"exact_f1": 1.0, "overlap_f1": 1.0}
    assert by_pair[("amal", "carol")] == {"exact_f1": None, "overlap_f1": None}
    assert report.to_dict()["pairs"][0]["types"]["CONTRADICTS"]["exact_f1"] == 1.0


def test_overlap_matching_is_maximum_not_greedy() -> None:
    """x1 overlaps y1 and y2, x2 only y1: greedy x1-y1 leaves x2 alone (1);
    the maximum pairs x1-y2 and x2-y1 (2)."""
    claim = (1, 0, 50, "CLAIM")
    x1 = ("SPEAKER", claim, (1, 10, 20, "ENTITY"))
    x2 = ("SPEAKER", claim, (1, 5, 12, "ENTITY"))
    y1 = ("SPEAKER", claim, (1, 8, 14, "ENTITY"))
    y2 = ("SPEAKER", claim, (1, 15, 25, "ENTITY"))
    assert overlap_matching([x1, x2], [y1, y2]) == 2
    # Touching ranges share no character, and the label must agree.
    assert overlap_matching([("SPEAKER", claim, (1, 10, 20, "ENTITY"))],
                            [("SPEAKER", claim, (1, 20, 30, "ENTITY"))]) == 0
    assert overlap_matching([x1], [("SPEAKER", claim, (1, 10, 20, "DATE"))]) == 0
    assert overlap_matching([x1], [("TIME", claim, (1, 10, 20, "ENTITY"))]) == 0


def test_documents_only_marked_done_count_as_annotated(project: Project,
                                                      docs: tuple[int, int]) -> None:
    doc, _ = docs
    a = claim_speaker_date(project, "amal", doc, (33, 42))
    project.add_relation("amal", "SPEAKER", a["claim"], a["entity"])
    project.set_status(doc, "badr", Status.DONE)  # badr saw the document and marked nothing
    figures = relation_agreement(project, ["amal", "badr"]).pairs[0].figures()
    assert figures["SPEAKER"] == {"exact_f1": 0.0, "overlap_f1": 0.0}
