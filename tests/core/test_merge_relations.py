"""Merge carries relations with their spans (issue 12 item 7): ends remapped
to the target's span ids, everything else kept; equality, conflicts,
replace, rename and idempotence count relations as work; a failed merge
leaves the target byte-identical."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError, ValidationError
from annotator.core.model import GOLD, NewDocument, RelationType, Tag
from annotator.core.review import merge
from annotator.core.review.merge import MergeConflict, merge_into
from annotator.core.store import Project

# Emoji, harakat, tatweel, ZWNJ: code points and UTF-16 units differ, and
# a relation's ends must land on the same characters in the target.
TEXTS = ["قال 😀 الرئيسُ إنّ القـوات\u200cستنسحب في 2021", "أكد الوزير أن القوات ستنسحب عام 2021",
         "نص ثالث 🇸🇦 للتجربة"]


@pytest.fixture(autouse=True, params=[500, 1], ids=["one-batch", "batch-of-1"])
def batch_size(request, monkeypatch) -> int:
    """Every test twice: all documents in one batch, and one document per
    batch, where a cross-document link spans two batches."""
    monkeypatch.setattr(merge, "BATCH", request.param)
    return request.param


def digest(path: Path) -> tuple[str, str]:
    wal = path.with_name(path.name + "-wal")
    return (hashlib.sha256(path.read_bytes()).hexdigest(),
            hashlib.sha256(wal.read_bytes() if wal.exists() else b"").hexdigest())


def relation_view(project: Project, layer: str) -> list[tuple]:
    """A layer's relations by content: (type, source end, target end,
    attributes, note, provenance, created_at, updated_at), ends as (sha256,
    start, end, label); a symmetric type's ends sorted."""
    sha = {d.id: d.sha256 for d in project.documents()}
    symmetric = {t.name for t in project.relation_types() if t.symmetric}
    rows = []
    for r in project.relations(layer=layer):
        ends = []
        for span_id in (r.source_id, r.target_id):
            s = project.span(span_id)
            ends.append((sha[s.document_id], s.start, s.end, s.label))
        if r.type in symmetric:
            ends.sort()
        rows.append((r.type, *ends, r.attributes, r.note, r.provenance, r.created_at, r.updated_at))
    return sorted(rows, key=repr)


def relation_rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM relations ORDER BY id").fetchall()
    finally:
        conn.close()


def make_copy(path: Path, annotator: str = "lina", speaker: bool = True,
              note: str = "قالها في المؤتمر") -> Path:
    """Claim, speaker and date in text 0, a claim in text 1; SPEAKER and TIME
    in text 0, SAME_AS across the two texts."""
    with Project.open(path) as p:
        p.add_annotator(annotator)
        ids = [d.id for d in p.add_documents([NewDocument(f"n{i}", t) for i, t in enumerate(TEXTS)])]
        claim = p.add_span(ids[0], annotator, 14, 32, "CLAIM")
        who = p.add_span(ids[0], annotator, 6, 13, "ENTITY", {"type": "PER"})
        when = p.add_span(ids[0], annotator, 36, 40, "DATE", {"value": "2021"})
        other = p.add_span(ids[1], annotator, 14, 36, "CLAIM")
        if speaker:
            p.add_relation(annotator, "SPEAKER", claim.id, who.id, {"certain": True}, note,
                           provenance="suggested:rule")
        p.add_relation(annotator, "TIME", claim.id, when.id)
        p.add_relation(annotator, "SAME_AS", other.id, claim.id, note="نفس الادعاء")
    return path


@pytest.fixture
def target(project: Project) -> Project:
    # Other document order and a gold span first: every span id differs from the copy's.
    project.add_documents([NewDocument("third", TEXTS[2]), NewDocument("second", TEXTS[1])])
    doc = project.documents()[0].id
    project.add_span(doc, GOLD, 0, 2, "ENTITY")
    return project


def test_relations_arrive_with_their_spans_keeping_everything_but_ids(target, tmp_path) -> None:
    copy = make_copy(tmp_path / "lina.db")
    with Project.open(copy, access="read-only") as c:
        expected = relation_view(c, "lina")
        copy_ids = {r.id for r in c.relations()}
    report = merge_into(target, [copy])
    assert report.relations_added == 3 and report.layers == {"lina": "added"}
    assert relation_view(target, "lina") == expected
    speaker = target.relations(layer="lina", type="SPEAKER")[0]
    assert target.span(speaker.source_id).label == "CLAIM"
    assert speaker.attributes == {"certain": True} and speaker.provenance == "suggested:rule"
    same_as = target.relations(layer="lina", type="SAME_AS")[0]
    docs = {target.span(same_as.source_id).document_id, target.span(same_as.target_id).document_id}
    assert len(docs) == 2  # the cross-document link survives
    assert "3 relation(s) added" in report.summary()
    assert copy_ids  # ids in the copy are not what the view compared


def test_merging_twice_changes_no_relation_row(target, tmp_path) -> None:
    copy = make_copy(tmp_path / "lina.db")
    merge_into(target, [copy])
    before = relation_rows(target.path)
    again = merge_into(target, [copy, copy])
    assert not again.changed and again.layers == {"lina": "unchanged"}
    assert relation_rows(target.path) == before and len(before) == 3


def test_different_relations_on_the_same_spans_are_a_conflict(target, tmp_path) -> None:
    merge_into(target, [make_copy(tmp_path / "with.db")])
    without = make_copy(tmp_path / "without.db", speaker=False)
    before = relation_rows(target.path)
    with pytest.raises(MergeConflict, match="'lina' has different spans or relations"):
        merge_into(target, [without])
    assert relation_rows(target.path) == before


def test_a_changed_note_on_a_relation_is_a_conflict_between_two_copies(target, tmp_path) -> None:
    a = make_copy(tmp_path / "a.db")
    b = make_copy(tmp_path / "b.db", note="ملاحظة أخرى")
    with pytest.raises(MergeConflict, match=r"b\.db: annotator 'lina'.*a\.db"):
        merge_into(target, [a, b])
    assert target.relations() == [] and target.annotators() == []


def test_replace_takes_the_copys_relations(target, tmp_path) -> None:
    merge_into(target, [make_copy(tmp_path / "with.db")])
    without = make_copy(tmp_path / "without.db", speaker=False)
    with Project.open(without, access="read-only") as c:
        expected = relation_view(c, "lina")
    report = merge_into(target, [without], replace={"lina"})
    assert report.layers == {"lina": "replaced"}
    assert report.relations_removed == 3 and report.relations_added == 2
    assert relation_view(target, "lina") == expected
    assert [t for t, *_ in relation_view(target, "lina")] == ["SAME_AS", "TIME"]


def test_rename_brings_relations_in_under_the_new_name(target, tmp_path) -> None:
    merge_into(target, [make_copy(tmp_path / "with.db")])
    report = merge_into(target, [make_copy(tmp_path / "without.db", speaker=False)],
                        renames={"lina": "lina2"})
    assert report.layers == {"lina2": "added"}
    assert len(target.relations(layer="lina")) == 3 and len(target.relations(layer="lina2")) == 2
    for r in target.relations(layer="lina2"):
        assert target.span(r.source_id).layer == "lina2" == target.span(r.target_id).layer


@pytest.mark.parametrize("changed", [0, 1], ids=["first-document", "second-document"])
def test_a_replaced_document_keeps_its_link_to_an_unchanged_one(target, tmp_path, changed) -> None:
    merge_into(target, [make_copy(tmp_path / "with.db")])
    newer = make_copy(tmp_path / "newer.db")
    with Project.open(newer) as p:  # a new span in one text only; the other stays equal
        p.add_span(p.documents()[changed].id, "lina", 0, 3, "ENTITY")
        expected = relation_view(p, "lina")
    report = merge_into(target, [newer], replace={"lina"})
    assert report.layers == {"lina": "replaced"}
    # Only the changed document's spans were replaced: 1 or 3 of them, plus the new one.
    assert report.spans_removed == (3, 1)[changed] and report.spans_added == (4, 2)[changed]
    # Timestamps aside: relations of the unchanged document are the first merge's rows.
    assert [r[:-2] for r in relation_view(target, "lina")] == [r[:-2] for r in expected]
    assert {r.type for r in target.relations(layer="lina")} == {"SPEAKER", "TIME", "SAME_AS"}


def test_relation_types_the_target_lacks_are_added_like_labels(target, tmp_path) -> None:
    path = tmp_path / "copy.db"
    with Project.open(path) as p:
        p.add_tag(Tag("ORG", "#123456", "7"))
        # Hotkey 1 is CLAIM's in the target: it is left empty there.
        p.update_tag("CLAIM", hotkey="9")
        p.add_relation_type(RelationType("MEMBER_OF", "#654321", "1", "who belongs where",
                                         ("ENTITY",), ("ORG",)))
        p.add_annotator("lina")
        doc = p.add_documents([NewDocument("d", TEXTS[1])])[0].id
        person = p.add_span(doc, "lina", 4, 10, "ENTITY")
        org = p.add_span(doc, "lina", 14, 20, "ORG")
        p.add_relation("lina", "MEMBER_OF", person.id, org.id)
        p.add_relation(GOLD, "SPEAKER", p.add_span(doc, GOLD, 14, 36, "CLAIM").id,
                       p.add_span(doc, GOLD, 4, 10, "ENTITY").id)
    report = merge_into(target, [path])
    assert report.tags_added == ["ORG"] and report.relation_types_added == ["MEMBER_OF"]
    kind = target.relation_type("MEMBER_OF")
    assert (kind.source_labels, kind.target_labels, kind.hotkey) == (("ENTITY",), ("ORG",), None)
    assert [r.type for r in target.relations(layer="lina")] == ["MEMBER_OF"]
    assert report.gold_relations_skipped == 1 and target.relations(layer=GOLD) == []


def test_a_relation_the_targets_type_forbids_is_refused_and_nothing_changes(tmp_path) -> None:
    copy = make_copy(tmp_path / "lina.db")
    with Project.open(copy) as p:  # the copy's SPEAKER also allows a DATE as speaker
        p.update_relation_type("SPEAKER", target_labels=("ENTITY", "DATE"))
        claim = p.spans(layer="lina", label="CLAIM")[0]
        date = p.spans(layer="lina", label="DATE")[0]
        p.add_relation("lina", "SPEAKER", claim.id, date.id)
    path = tmp_path / "target.db"
    with Project.open(path) as t:
        t.add_documents([NewDocument("x", TEXTS[1])])
    before = digest(path)
    with Project.open(path) as t:
        with pytest.raises(InputError, match=r"lina\.db: layer 'lina': a relation cannot be merged: "
                                             r"SPEAKER links CLAIM -> ENTITY, not CLAIM -> DATE"):
            merge_into(t, [copy])
    assert digest(path) == before


def test_a_hand_edited_relation_is_one_line_and_the_target_stays_byte_identical(tmp_path) -> None:
    copy = make_copy(tmp_path / "lina.db")
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE relations SET attributes = '[1]' WHERE type = 'TIME'")
    conn.commit()
    conn.close()
    path = tmp_path / "target.db"
    with Project.open(path) as t:
        t.add_documents([NewDocument("x", TEXTS[0])])
    before = digest(path)
    with Project.open(path) as t:
        with pytest.raises(InputError, match=r"lina\.db: relation \d+: its attributes are not a JSON"):
            merge_into(t, [copy])
    assert digest(path) == before


def test_symmetry_that_differs_between_copy_and_target_is_refused(target, tmp_path) -> None:
    copy = make_copy(tmp_path / "lina.db")
    target.update_relation_type("CONTRADICTS", symmetric=False)
    with pytest.raises(InputError, match="CONTRADICTS is symmetric here but not in the target"):
        merge_into(target, [copy])
    assert target.annotators() == []


# -- random spans and relations ------------------------------------------------------------

LABELS = ["CLAIM", "ENTITY", "DATE"]
TYPES = ["SPEAKER", "TIME", "SAME_AS", "CONTRADICTS"]
span_strategy = st.tuples(st.integers(0, 2), st.integers(0, 40), st.integers(1, 12),
                          st.sampled_from(LABELS), st.sampled_from(["", "ملاحظة"]))
relation_strategy = st.tuples(st.integers(0, 30), st.integers(0, 30), st.sampled_from(TYPES),
                              st.sampled_from(["", "نعم"]))


def _fill(path: Path, layer: str, spans: list, relations: list) -> None:
    with Project.open(path) as p:
        p.add_annotator(layer)
        ids = [d.id for d in p.add_documents([NewDocument(f"n{i}", t) for i, t in enumerate(TEXTS)])]
        made = []
        for index, start, length, label, note in spans:
            end = min(start + length, len(TEXTS[index]))
            if start >= end:
                continue
            try:
                made.append(p.add_span(ids[index], layer, start, end, label, note=note))
            except ValidationError:
                continue  # a same-label overlap: the store refuses it, so would the annotator
        for a, b, kind, note in relations:
            if made:
                try:
                    p.add_relation(layer, kind, made[a % len(made)].id, made[b % len(made)].id,
                                   note=note)
                except ValidationError:
                    continue


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(span_strategy, max_size=14), st.lists(relation_strategy, max_size=14),
       st.lists(span_strategy, max_size=8), st.lists(relation_strategy, max_size=8))
def test_random_layers_arrive_exactly_and_a_second_merge_is_a_no_op(spans, relations, spans2,
                                                                   relations2) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _fill(root / "a.db", "lina", spans, relations)
        _fill(root / "b.db", "omar", spans2, relations2)
        with Project.open(root / "t.db") as t:
            t.add_documents([NewDocument("c", TEXTS[2]), NewDocument("b", TEXTS[1])])
            t.add_annotator("x")
            t.add_span(t.documents()[0].id, "x", 0, 1, "DATE")  # shifts span ids
            merge_into(t, [root / "a.db", root / "b.db"])
            for name, path in (("lina", root / "a.db"), ("omar", root / "b.db")):
                with Project.open(path, access="read-only") as c:
                    assert relation_view(t, name) == relation_view(c, name)
                    assert len(t.spans(layer=name)) == len(c.spans(layer=name))
        before = relation_rows(root / "t.db")
        with Project.open(root / "t.db") as t:
            assert not merge_into(t, [root / "b.db", root / "a.db"]).changed
        assert relation_rows(root / "t.db") == before
