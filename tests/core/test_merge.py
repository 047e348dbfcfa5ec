"""Merging annotators' copies: matching by content, conflicts, idempotence,
and a target left untouched by any bad input."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, SchemaError
from annotator.core.review import merge
from annotator.core.review.merge import MergeConflict, merge_into
from annotator.core.model import GOLD, NewDocument, Status, Tag
from annotator.core.store import Project
from annotator.core.store.schema import SCHEMA_VERSION

TEXTS = ["قال الرئيس إن القوات ستنسحب", "أعلنت الوزارة أمس عن خطة جديدة", "نص ثالث للتجربة"]


def make_copy(path: Path, annotator: str, spans: list[tuple[int, int, int, str]],
              texts: list[str] = TEXTS, done: tuple[int, ...] = ()) -> Path:
    """A copy holding ``texts`` (in its own order) and one annotator's spans
    given as (text index, start, end, label)."""
    with Project.open(path) as p:
        p.add_annotator(annotator)
        ids = [d.id for d in p.add_documents([NewDocument(f"n{i}", t) for i, t in enumerate(texts)])]
        for index, start, end, label in spans:
            p.add_span(ids[index], annotator, start, end, label)
        for index in done:
            p.set_status(ids[index], annotator, Status.DONE)
    return path


def snapshot(project: Project) -> tuple:
    """Everything a merge may touch, independent of row ids."""
    sha = {d.id: d.sha256 for d in project.documents()}
    spans = sorted((sha[s.document_id], s.layer, s.start, s.end, s.label, s.note)
                   for s in project.spans())
    statuses = sorted((sha[d], layer, st.value) for layer in project.annotators()
                      for d, st in project.statuses(layer).items())
    return (sorted(sha.values()), project.annotators(), [t.name for t in project.tags()],
            spans, statuses)


@pytest.fixture(autouse=True, params=[500, 1], ids=["one-batch", "batch-of-1"])
def batch_size(request, monkeypatch) -> int:
    """Every test with all documents in one batch and with one per batch."""
    monkeypatch.setattr(merge, "BATCH", request.param)
    return request.param


@pytest.fixture
def target(project: Project) -> Project:
    # The reviewer's project holds the first two texts, in the other order.
    project.add_documents([NewDocument("second", TEXTS[1]), NewDocument("first", TEXTS[0])])
    return project


def test_merge_matches_documents_by_content_and_adds_missing_ones(target, tmp_path) -> None:
    lina = make_copy(tmp_path / "lina.db", "lina", [(0, 4, 10, "ENTITY"), (2, 0, 2, "CLAIM")], done=(1,))
    report = merge_into(target, [lina])
    assert report.documents_added == 1 and report.layers == {"lina": "added"}
    by_text = {target.document(d.id).text: d.id for d in target.documents()}
    assert [(s.document_id, s.start, s.end) for s in target.spans(layer="lina")] == [
        (by_text[TEXTS[0]], 4, 10), (by_text[TEXTS[2]], 0, 2)]
    assert target.status(by_text[TEXTS[1]], "lina") is Status.DONE


def test_merging_the_same_copy_twice_changes_nothing(target, tmp_path) -> None:
    lina = make_copy(tmp_path / "lina.db", "lina", [(0, 4, 10, "ENTITY")], done=(0,))
    omar = make_copy(tmp_path / "omar.db", "omar", [(0, 4, 10, "ENTITY"), (1, 6, 13, "DATE")])
    merge_into(target, [lina, omar])
    after_first = snapshot(target)
    second = merge_into(target, [lina, omar])
    assert not second.changed
    assert second.layers == {"lina": "unchanged", "omar": "unchanged"}
    assert snapshot(target) == after_first


def test_same_name_with_different_spans_is_a_conflict_unless_renamed(target, tmp_path) -> None:
    a = make_copy(tmp_path / "a.db", "lina", [(0, 4, 10, "ENTITY")])
    b = make_copy(tmp_path / "b.db", "lina", [(0, 0, 3, "ENTITY")])
    before = snapshot(target)
    with pytest.raises(MergeConflict, match="lina"):
        merge_into(target, [a, b])
    assert snapshot(target) == before  # one transaction: nothing from a.db either
    merge_into(target, [a])
    merge_into(target, [b], renames={"lina": "lina-2"})
    assert target.annotators() == ["lina", "lina-2"]


def test_a_newer_copy_can_replace_the_targets_layer(target, tmp_path) -> None:
    old = make_copy(tmp_path / "old.db", "lina", [(0, 4, 10, "ENTITY")])
    merge_into(target, [old])
    new = make_copy(tmp_path / "new.db", "lina", [(0, 0, 3, "CLAIM")])
    with pytest.raises(MergeConflict, match="annotator 'lina' has different spans"):
        merge_into(target, [new])
    report = merge_into(target, [new], replace={"lina"})
    assert report.layers == {"lina": "replaced"}
    assert [(s.start, s.end, s.label) for s in target.spans(layer="lina")] == [(0, 3, "CLAIM")]


def test_statuses_only_move_forward(target, tmp_path) -> None:
    done = make_copy(tmp_path / "done.db", "lina", [], done=(0,))
    merge_into(target, [done])
    with Project.open(tmp_path / "done.db") as p:
        p.set_status(p.documents()[0].id, "lina", Status.IN_PROGRESS)
        sha = p.documents()[0].sha256
    merge_into(target, [tmp_path / "done.db"])
    assert target.status(target.document_by_sha256(sha).id, "lina") is Status.DONE


def test_labels_the_target_lacks_are_added_and_gold_is_not_merged(target, tmp_path) -> None:
    path = tmp_path / "copy.db"
    with Project.open(path) as p:
        p.add_tag(Tag("SOURCE", "#123456", "9"))
        p.add_annotator("lina")
        doc = p.add_documents([NewDocument("d", TEXTS[0])])[0].id
        p.add_span(doc, "lina", 0, 3, "SOURCE")
        p.add_span(doc, GOLD, 0, 3, "SOURCE", provenance="lina")
    report = merge_into(target, [path])
    assert report.tags_added == ["SOURCE"] and report.gold_spans_skipped == 1
    assert target.spans(layer=GOLD) == []
    assert [s.label for s in target.spans(layer="lina")] == ["SOURCE"]


def _not_a_project(tmp_path: Path) -> Path:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


def _newer(tmp_path: Path) -> Path:
    path = make_copy(tmp_path / "newer.db", "lina", [(0, 4, 10, "ENTITY")])
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("bad", [
    lambda tmp: tmp / "missing.db",
    _not_a_project,
    _newer,
    lambda tmp: (tmp / "text.db").write_bytes(b"hello, not sqlite at all" * 100) and tmp / "text.db",
])
def test_bad_input_is_one_line_and_leaves_the_target_unchanged(target, tmp_path, bad) -> None:
    good = make_copy(tmp_path / "good.db", "omar", [(0, 4, 10, "ENTITY")])
    path = bad(tmp_path)
    before = snapshot(target)
    with pytest.raises(AnnotatorError, match=re.escape(str(path))) as caught:
        merge_into(target, [good, path])
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert snapshot(target) == before


def test_newer_copy_is_refused_with_a_schema_error(target, tmp_path) -> None:
    with pytest.raises(SchemaError, match="newer version"):
        merge_into(target, [_newer(tmp_path)])


def test_merging_the_target_into_itself_is_refused(target) -> None:
    with pytest.raises(AnnotatorError, match="target project itself"):
        merge_into(target, [target.path])
