"""Exports read documents a batch at a time (issue 15): what they write
does not depend on where the batches are cut, relations that cross a
batch (or a split part) included, and they never read the whole project."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.core.formats.exports import selection
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions, Split
from annotator.core.formats.exports.dispatch import EXPORT_FORMATS, FormatOptions, export_project
from annotator.core.model import NewDocument, NewSpan, Status
from annotator.core.store import Project

WORDS = ["قال", "الرئيس", "🙂", "إنَّ", "الاجتمـاع", "نا\u200cجح", "في", "2024", "يوم"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Project:
    rng = random.Random(5)
    project = Project.open(tmp_path_factory.mktemp("streaming") / "p.db")
    docs = [a.id for a in project.add_documents(
        NewDocument(f"d{i}", "\ufeff" * (i == 0) + " ".join(rng.choice(WORDS) for _ in range(12))
                    + "\r\n" * (i % 2)) for i in range(40))]
    project.add_annotator("amal")
    for layer in ("amal", "gold"):
        project.add_spans([span for d in docs if rng.random() < 0.8 for span in (
            NewSpan(d, layer, 0, 3, "CLAIM"), NewSpan(d, layer, 4, 10, rng.choice(["ENTITY", "DATE"])))])
        for d in docs[::5]:
            project.set_status(d, layer, Status.DONE)
        rows = project.span_rows(layer)
        claims = sorted(r for r in rows if r[3] == "CLAIM")
        entities = {r[7]: r for r in rows if r[3] == "ENTITY"}
        for claim in claims:
            if claim[7] in entities:
                project.add_relation(layer, "SPEAKER", claim[0], entities[claim[7]][0])
        for a, b in zip(claims[::3], claims[7::3]):  # across documents, often across batches
            project.add_relation(layer, "SAME_AS", a[0], b[0])
    return project


def _written(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


OPTIONS = [ExportOptions(), ExportOptions(layer=ALL_LAYERS, labels=frozenset({"CLAIM", "ENTITY"})),
           ExportOptions(layer="amal", statuses=frozenset({Status.TODO})),
           ExportOptions(layer=ALL_LAYERS, split=Split((0.5, 0.25, 0.25), seed=2))]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("options", OPTIONS, ids=["gold", "all-labels", "todo", "split"])
def test_batches_of_one_or_three_documents_write_the_same_bytes(corpus, fmt, options, tmp_path,
                                                                monkeypatch) -> None:
    shape = FormatOptions(doccano_shape="entities")
    written, summaries = [], []
    for batch in (10**6, 1, 3):
        monkeypatch.setattr(selection, "BATCH_DOCUMENTS", batch)
        folder = tmp_path / str(batch)
        folder.mkdir()
        report = export_project(corpus, fmt, folder / ("out" if fmt == "brat" else "out.x"), options, shape)
        written.append(_written(folder))
        summaries.append(report.summary().replace(str(folder), "OUT"))
    assert written[0] and written[1] == written[0] and written[2] == written[0]
    assert summaries[1] == summaries[0] and summaries[2] == summaries[0]
    assert "relation" in summaries[0]  # relations were selected: the case the batches could break


def test_cross_document_relations_survive_a_batch_boundary(corpus, monkeypatch) -> None:
    monkeypatch.setattr(selection, "BATCH_DOCUMENTS", 1)
    records = selection.select_records(corpus, ExportOptions())
    across = [r for record in records for r in record.relations if r.cross_document]
    assert len(across) == len(corpus.relation_rows("gold")) - sum(
        1 for row in corpus.relation_rows("gold") if row[1] == "SPEAKER")
    assert across  # and each was read from a batch holding only its source document


def test_an_export_reads_texts_a_batch_at_a_time(corpus, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(selection, "BATCH_DOCUMENTS", 4)
    asked: list[int] = []
    original = corpus.documents_in

    def counting(ids):
        found = original(ids)
        asked.append(len(found))
        return found

    monkeypatch.setattr(corpus, "documents_in", counting)
    monkeypatch.setattr(corpus, "all_documents", lambda: pytest.fail("read every text at once"))
    export_project(corpus, "own", tmp_path / "out.jsonl", ExportOptions())
    assert asked == [4] * 10
