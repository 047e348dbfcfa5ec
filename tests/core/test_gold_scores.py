"""Scores against gold kept per document equal the full recomputation, over
random projects and random sequences of review decisions (issue 15)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.model import GOLD, NewDocument, NewSpan, Status
from annotator.core.review.adjudication import Review, neighbour_document
from annotator.core.review.agreement import agreement, scores_against_gold
from annotator.core.review.gold_scores import GoldScores, agreement_and_gold, load_document
from annotator.core.store import Project

NAMES = ("lina", "omar", "sara")
LABELS = ("CLAIM", "ENTITY", "DATE")
# Emoji (two UTF-16 units), harakat, tatweel, ZWNJ, NBSP and a line break:
# agreement units are code points, and whitespace is no unit.
TEXTS = (
    "قالَ الوزيرُ 🇸🇦 إن المحادثاتـــ ستُستأنف\nفي القاهرة قريبا",
    "وصل\u200cالوفد\u00a0أمس 😀 إلى الرياض، وقال: «لن نتراجع»",
    "CNN: الاجتماع في 22 يوليو 2021 بين الطرفين",
)

span = st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from(LABELS))
layer_spans = st.lists(span, max_size=6)
# Per document, per annotator: spans, and whether they marked it done.
document = st.tuples(*(st.tuples(layer_spans, st.booleans()) for _ in NAMES))
decision = st.tuples(st.integers(0, len(TEXTS) - 1), st.sampled_from(("accept", "reject", "edit", "undo",
                                                                        "unanimous")),
                     st.integers(0, 50), st.integers(0, 2))


def build(project: Project, layers) -> list[int]:
    for name in NAMES:
        project.add_annotator(name)
    ids = [d.id for d in project.add_documents(NewDocument(f"d{i}", t) for i, t in enumerate(TEXTS))]
    batch = []
    for doc_id, text, per_annotator in zip(ids, TEXTS, layers):
        for name, (spans, done) in zip(NAMES, per_annotator):
            taken: dict[str, list[tuple[int, int]]] = {}
            for start, width, label in spans:
                end = min(start + width, len(text))
                if start >= end or any(s < end and start < e for s, e in taken.get(label, [])):
                    continue  # one label never overlaps itself in a layer
                taken.setdefault(label, []).append((start, end))
                batch.append(NewSpan(doc_id, name, start, end, label))
            if done:
                project.set_status(doc_id, name, Status.DONE)
    project.add_spans(batch)
    return ids


def apply(review: Review, action: str, pick: int, who: int, history: list) -> None:
    units = review.units
    if action == "undo":
        if history:
            review.undo(history.pop())
        return
    if action == "unanimous":
        history.append(review.accept_unanimous())
        return
    if not units:
        return
    unit = units[pick % len(units)]
    if action == "accept":
        history.append(review.accept(unit, unit.versions[who % len(unit.versions)].annotator))
    elif action == "reject":
        history.append(review.reject(unit))
    else:
        label = sorted(unit.labels)[who % len(unit.labels)]
        history.append(review.edit(unit, unit.start, unit.end, label))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers=st.tuples(*(document for _ in TEXTS)), decisions=st.lists(decision, min_size=1, max_size=12))
def test_incremental_scores_equal_the_full_recomputation(layers, decisions) -> None:
    with tempfile.TemporaryDirectory() as tmp, Project.open(Path(tmp) / "p.db") as project:
        ids = build(project, layers)
        board = GoldScores.of_project(project)
        reviews = {doc_id: Review.open(project, doc_id) for doc_id in ids}
        histories: dict[int, list] = {doc_id: [] for doc_id in ids}
        for index, action, pick, who in decisions:
            doc_id = ids[index]
            review = reviews[doc_id]
            if not review.annotators:
                continue
            apply(review, action, pick, who, histories[doc_id])
            board.refresh(project, doc_id)  # only the document decided on
            names = project.annotators()
            assert board.results(names) == scores_against_gold(project)
            assert review.scores() == scores_against_gold(project, [doc_id])
        # Built document by document it is the same board again.
        assert (GoldScores.of_documents(project, ids).results(project.annotators())
                == scores_against_gold(project))


def test_a_document_without_gold_contributes_nothing(project: Project) -> None:
    ids = build(project, [(([(0, 4, "ENTITY")], True),) * 3] * 3)
    board = GoldScores.of_project(project)
    assert board.results(project.annotators()) == []
    review = Review.open(project, ids[1])
    review.accept(review.units[0], "lina")
    assert board.results(project.annotators()) == []  # not refreshed yet: nothing read
    board.refresh(project, ids[1])
    [lina, omar, sara] = board.results(project.annotators())
    assert (lina.a, lina.documents, lina.labels["ENTITY"].exact) == ("lina", 1, 1)
    assert board.results(project.annotators()) == scores_against_gold(project)


def test_a_document_reads_only_its_own_rows(project: Project) -> None:
    ids = build(project, [(([(0, 4, "ENTITY")], False), ([(2, 7, "DATE")], True), ([], True))] * 3)
    project.add_span(ids[0], GOLD, 0, 4, "ENTITY")
    doc = load_document(project, ids[0])
    assert doc.annotated == {"lina", "omar", "sara", GOLD}
    assert doc.ranges == {"lina": {"ENTITY": [(0, 4)]}, "omar": {"DATE": [(2, 9)]},
                          GOLD: {"ENTITY": [(0, 4)]}}
    other = load_document(project, ids[1])
    assert other.annotated == {"lina", "omar", "sara"} and GOLD not in other.ranges


def test_neighbour_documents_skip_those_nobody_annotated(project: Project) -> None:
    for name in NAMES:
        project.add_annotator(name)
    ids = [d.id for d in project.add_documents(NewDocument(f"d{i}", f"نص {i}") for i in range(6))]
    project.add_span(ids[1], "lina", 0, 2, "ENTITY")
    project.set_status(ids[4], "omar", Status.DONE)
    project.add_span(ids[3], GOLD, 0, 2, "ENTITY")      # gold alone is no annotation
    project.set_status(ids[5], "sara", Status.IN_PROGRESS)  # nor is work in progress
    assert neighbour_document(project, ids[0]) == ids[1]
    assert neighbour_document(project, ids[1]) == ids[4]
    assert neighbour_document(project, ids[4]) is None
    assert neighbour_document(project, ids[4], forward=False) == ids[1]
    assert neighbour_document(project, ids[1], forward=False) is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers=st.tuples(*(document for _ in TEXTS)), decisions=st.lists(decision, max_size=6),
       idle=st.booleans())
def test_the_dashboard_read_equals_agreement_and_gold_read_apart(layers, decisions, idle) -> None:
    with tempfile.TemporaryDirectory() as tmp, Project.open(Path(tmp) / "p.db") as project:
        ids = build(project, layers)
        if idle:
            project.add_annotator("reviewer")  # an empty layer: no annotator to agree with
        for index, action, pick, who in decisions:
            review = Review.open(project, ids[index])
            if review.annotators:
                apply(review, action, pick, who, [])
        reports = []
        report, board = agreement_and_gold(project, lambda done, total, what: reports.append(what))
        assert report.to_dict() == agreement(project).to_dict()
        assert board.results(project.annotators()) == scores_against_gold(project)
        assert "reading spans" in reports


def test_a_progress_report_that_raises_stops_the_computation(project: Project) -> None:
    build(project, [(([(0, 4, "ENTITY")], True),) * 3] * 3)

    class Stop(Exception):
        pass

    def cancel(done: int, total: int, what: str) -> None:
        if what == "reading spans":
            raise Stop

    with pytest.raises(Stop):
        agreement_and_gold(project, cancel)
