"""Relations in the store: types and their constraints, one transaction per
edit, spans taking their relations with them, undo restoring both."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import NotFoundError, ValidationError
from annotator.core.model import NewDocument, RelationType, Tag
from annotator.core.store import Project
from annotator.core.store.schema import SCHEMA_VERSION

# An emoji first, so code points and UTF-16 differ; harakat and tatweel inside.
TEXT = "😀 قالَ الرئيـسُ إنّ القوات ستغادر في 5 مايو 2021."
OTHER = "قال المتحدث إن القوات باقية ثلاث سنوات أخرى."


@pytest.fixture
def spans(project: Project) -> dict[str, int]:
    project.add_annotator("amal")
    project.add_annotator("badr")
    doc, other = (d.id for d in project.add_documents([NewDocument("a", TEXT),
                                                       NewDocument("b", OTHER)]))
    ids = {
        "claim": project.add_span(doc, "amal", 2, len(TEXT) - 1, "CLAIM").id,
        "speaker": project.add_span(doc, "amal", 7, 15, "ENTITY", {"type": "PER"}).id,
        "date": project.add_span(doc, "amal", 38, len(TEXT) - 1, "DATE").id,
        "claim2": project.add_span(other, "amal", 0, len(OTHER) - 1, "CLAIM").id,
        "badr_entity": project.add_span(doc, "badr", 7, 15, "ENTITY").id,
    }
    return ids


def test_new_projects_have_the_four_default_relation_types(project: Project) -> None:
    kinds = {k.name: k for k in project.relation_types()}
    assert list(kinds) == ["SPEAKER", "TIME", "SAME_AS", "CONTRADICTS"]
    assert (kinds["SPEAKER"].source_labels, kinds["SPEAKER"].target_labels) == (("CLAIM",), ("ENTITY",))
    assert (kinds["TIME"].source_labels, kinds["TIME"].target_labels) == (("CLAIM",), ("DATE",))
    assert not kinds["SPEAKER"].symmetric and not kinds["SPEAKER"].cross_document
    assert kinds["SAME_AS"].symmetric and kinds["SAME_AS"].cross_document
    assert kinds["CONTRADICTS"].symmetric and kinds["CONTRADICTS"].cross_document
    assert kinds["SPEAKER"].hotkey == "s" and kinds["TIME"].hotkey == "t"


def test_a_relation_is_stored_committed_and_read_back(tmp_path: Path, spans: dict[str, int],
                                                      project: Project) -> None:
    made = project.add_relation("amal", "SPEAKER", spans["claim"], spans["speaker"], note="صريح")
    # Another connection sees it at once: the edit was committed.
    other = sqlite3.connect(project.path)
    row = other.execute("SELECT layer, type, source_id, target_id, note FROM relations").fetchone()
    other.close()
    assert row == ("amal", "SPEAKER", spans["claim"], spans["speaker"], "صريح")
    assert project.relation(made.id) == made
    assert project.relations(span_id=spans["speaker"]) == [made]
    assert project.relations(layer="badr") == []


@pytest.mark.parametrize("type_, source, target, message", [
    ("SPEAKER", "speaker", "claim", "SPEAKER links CLAIM -> ENTITY, not ENTITY -> CLAIM"),
    ("TIME", "claim", "speaker", "TIME links CLAIM -> DATE, not CLAIM -> ENTITY"),
    ("SPEAKER", "claim", "claim", "cannot be related to itself"),
    ("SPEAKER", "claim", "badr_entity", "in layer badr, not amal"),
    ("SAME_AS", "claim", "speaker", "SAME_AS links CLAIM <-> CLAIM"),
    ("NOPE", "claim", "speaker", "unknown relation type 'NOPE'"),
])
def test_relations_breaking_a_rule_are_refused(project: Project, spans: dict[str, int], type_: str,
                                               source: str, target: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        project.add_relation("amal", type_, spans[source], spans[target])
    assert project.relations() == []


def test_an_unknown_span_is_refused(project: Project, spans: dict[str, int]) -> None:
    with pytest.raises(NotFoundError, match="no span with id 999"):
        project.add_relation("amal", "SPEAKER", spans["claim"], 999)


def test_same_document_types_refuse_other_documents(project: Project,
                                                    spans: dict[str, int]) -> None:
    project.add_relation_type(RelationType("ABOUT", source_labels=("CLAIM",),
                                           target_labels=("CLAIM",)))
    with pytest.raises(ValidationError, match="ABOUT links spans of one document only"):
        project.add_relation("amal", "ABOUT", spans["claim"], spans["claim2"])


def test_a_symmetric_pair_is_stored_once_either_way_round(project: Project,
                                                          spans: dict[str, int]) -> None:
    first, second = sorted([spans["claim"], spans["claim2"]])
    made = project.add_relation("amal", "SAME_AS", second, first)  # across documents
    assert (made.source_id, made.target_id) == (first, second)
    with pytest.raises(ValidationError, match="already have a SAME_AS relation"):
        project.add_relation("amal", "SAME_AS", first, second)
    # A different symmetric type between the same claims is a different statement.
    project.add_relation("amal", "CONTRADICTS", first, second)
    assert len(project.relations()) == 2


def test_a_directed_duplicate_is_refused(project: Project, spans: dict[str, int]) -> None:
    project.add_relation("amal", "SPEAKER", spans["claim"], spans["speaker"])
    with pytest.raises(ValidationError, match="already have a SPEAKER relation"):
        project.add_relation("amal", "SPEAKER", spans["claim"], spans["speaker"])


def test_deleting_a_span_deletes_its_relations_and_undo_restores_both(
        project: Project, spans: dict[str, int]) -> None:
    speaker = project.add_relation("amal", "SPEAKER", spans["claim"], spans["speaker"])
    time = project.add_relation("amal", "TIME", spans["claim"], spans["date"])
    kept = project.add_relation("amal", "SAME_AS", spans["claim"], spans["claim2"])
    span, gone = project.delete_span_with_relations(spans["claim"])
    assert gone == [speaker, time, kept]
    assert project.relations() == []
    project.restore_span_with_relations(span, gone)
    assert project.relations() == [speaker, time, kept]
    # Deleting the other end directly takes the relation too (foreign key cascade).
    project.delete_span(spans["speaker"])
    assert project.relations() == [time, kept]


def test_restoring_is_all_or_nothing(project: Project, spans: dict[str, int]) -> None:
    speaker = project.add_relation("amal", "SPEAKER", spans["claim"], spans["speaker"])
    span, gone = project.delete_span_with_relations(spans["speaker"])
    project.delete_span(spans["claim"])  # the relation's other end is gone too
    with pytest.raises(NotFoundError, match=f"no span with id {spans['claim']}"):
        project.restore_span_with_relations(span, gone)
    assert [s.id for s in project.spans(layer="amal", label="ENTITY")] == []
    assert speaker not in project.relations()


def test_a_relabel_that_breaks_a_relation_is_refused(project: Project,
                                                     spans: dict[str, int]) -> None:
    project.add_relation("amal", "SPEAKER", spans["claim"], spans["speaker"])
    with pytest.raises(ValidationError, match="its SPEAKER relation needs CLAIM -> ENTITY"):
        project.update_span(spans["speaker"], label="DATE")
    assert project.span(spans["speaker"]).label == "ENTITY"
    # Other edits of a related span go through.
    assert project.update_span(spans["speaker"], start=8).start == 8


def test_relation_type_rules(project: Project) -> None:
    with pytest.raises(ValidationError, match="hotkey 'S' is already used by SPEAKER"):
        project.add_relation_type(RelationType("QUOTE", hotkey="S"))
    with pytest.raises(ValidationError, match="hotkey '1' is already used by CLAIM"):
        project.add_relation_type(RelationType("QUOTE", hotkey="1"))
    with pytest.raises(ValidationError, match="unknown label.*EVENT"):
        project.add_relation_type(RelationType("QUOTE", source_labels=("EVENT",)))
    with pytest.raises(ValidationError, match="symmetric, so its source and target labels"):
        project.add_relation_type(RelationType("NEAR", source_labels=("CLAIM",),
                                               target_labels=("DATE",), symmetric=True))
    with pytest.raises(ValidationError, match="CLAIM is a label"):
        project.add_relation_type(RelationType("CLAIM"))
    with pytest.raises(ValidationError, match="already exists"):
        project.add_relation_type(RelationType("TIME"))
    # A label may not take a relation type's key either.
    with pytest.raises(ValidationError, match="hotkey 't' is already used by TIME"):
        project.add_tag(Tag("EVENT", hotkey="t"))
    made = project.add_relation_type(RelationType("QUOTE", hotkey="q", source_labels=("CLAIM",)))
    assert made.position == 4 and made.target_labels == ()


def test_narrowing_a_type_under_existing_relations_is_refused(project: Project,
                                                              spans: dict[str, int]) -> None:
    project.add_relation("amal", "SAME_AS", spans["claim"], spans["claim2"])
    with pytest.raises(ValidationError, match="1 SAME_AS relation\\(s\\) would break"):
        project.update_relation_type("SAME_AS", cross_document=False)
    changed = project.update_relation_type("SAME_AS", color="#000000", hotkey="m")
    assert project.relation_type("SAME_AS") == changed and changed.hotkey == "m"


def test_update_and_delete_relation(project: Project, spans: dict[str, int]) -> None:
    made = project.add_relation("amal", "SAME_AS", spans["claim"], spans["claim2"])
    changed = project.update_relation(made.id, type="CONTRADICTS", note="2500 / 5000")
    assert (changed.type, changed.note) == ("CONTRADICTS", "2500 / 5000")
    assert project.relation(made.id) == changed
    gone = project.delete_relation(made.id)
    assert gone == changed and project.relations() == []
    project.restore_relation(gone)
    with pytest.raises(ValidationError, match="its id is in use"):
        project.restore_relation(gone)
    assert project.relation_counts("amal") == {"CONTRADICTS": 1}


def test_an_older_project_gains_relation_types_for_its_own_labels(tmp_path: Path) -> None:
    """A schema-4 file migrates forward; a tag set without DATE gets no TIME,
    and a label already on key s leaves SPEAKER without a hotkey."""
    path = tmp_path / "old.db"
    with Project.open(path) as p:
        p.add_annotator("amal")
        doc = p.add_documents([NewDocument("a", TEXT)])[0].id
        p.add_span(doc, "amal", 2, 6, "CLAIM")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE relations")
        conn.execute("DROP TABLE relation_types")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_relations'")
        conn.execute("UPDATE spans SET label = 'CLAIM'")
        conn.execute("DELETE FROM tags WHERE name = 'DATE'")
        conn.execute("UPDATE tags SET hotkey = 's' WHERE name = 'ENTITY'")
        conn.execute("PRAGMA user_version = 4")
    conn.close()
    with Project.open(path) as p:
        assert p.schema_version == SCHEMA_VERSION
        kinds = {k.name: k for k in p.relation_types()}
        assert list(kinds) == ["SPEAKER", "SAME_AS", "CONTRADICTS"]
        assert kinds["SPEAKER"].hotkey is None
        assert len(p.spans()) == 1
