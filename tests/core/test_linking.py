"""Link targets nearest first and the type a link gets (issue 12 item 3), without Qt."""

from __future__ import annotations

from annotator.core.linking import distance, link_candidates, link_options, link_types
from annotator.core.model import NewDocument, RelationType, Span
from annotator.core.workflow import AnnotationWorkflow, RelationChange, SpanChange

SPEAKER = RelationType("SPEAKER", source_labels=("CLAIM",), target_labels=("ENTITY",), position=0)
TIME = RelationType("TIME", source_labels=("CLAIM",), target_labels=("DATE",), position=1)
SAME = RelationType("SAME_AS", source_labels=("CLAIM",), target_labels=("CLAIM",),
                    symmetric=True, position=2)
KINDS = [SPEAKER, TIME, SAME]


def span(id_: int, start: int, end: int, label: str, document: int = 1, layer: str = "a") -> Span:
    return Span(id_, document, layer, start, end, label)


def test_distance_is_the_gap_and_zero_for_overlap():
    assert distance(span(1, 10, 20, "CLAIM"), span(2, 25, 30, "ENTITY")) == 5
    assert distance(span(1, 10, 20, "CLAIM"), span(2, 0, 4, "ENTITY")) == 6
    assert distance(span(1, 10, 20, "CLAIM"), span(2, 15, 30, "ENTITY")) == 0


def test_candidates_are_nearest_first_and_only_allowed_labels():
    claim = span(1, 50, 60, "CLAIM")
    spans = [claim, span(2, 0, 5, "ENTITY"), span(3, 70, 75, "ENTITY"), span(4, 40, 45, "DATE"),
             span(5, 62, 64, "ENTITY", layer="other"), span(6, 61, 63, "ENTITY", document=2)]
    # 4 is 5 away, 3 is 10 away, 2 is 45 away; 5 and 6 are another layer and document.
    assert [s.id for s in link_candidates(claim, spans, KINDS)] == [4, 3, 2]
    assert [s.id for s in link_candidates(claim, spans, KINDS, "SPEAKER")] == [3, 2]
    assert [s.id for s in link_candidates(claim, spans, KINDS, "TIME")] == [4]


def test_a_tie_goes_to_the_span_after_the_source():
    claim = span(1, 50, 60, "CLAIM")
    before, after = span(2, 40, 45, "ENTITY"), span(3, 65, 70, "ENTITY")
    assert [s.id for s in link_candidates(claim, [before, after, claim], KINDS)] == [3, 2]


def test_an_entity_is_offered_the_claims_it_may_be_the_speaker_of_and_never_itself():
    entity = span(1, 0, 5, "ENTITY")
    spans = [entity, span(2, 6, 9, "CLAIM"), span(3, 20, 30, "CLAIM"), span(4, 10, 12, "DATE"),
             span(5, 13, 15, "ENTITY")]
    assert [s.id for s in link_candidates(entity, spans, KINDS)] == [2, 3]
    assert [s.id for s in link_candidates(entity, spans, KINDS, "SPEAKER")] == [2, 3]
    assert link_candidates(entity, spans, KINDS, "TIME") == []
    date = span(6, 40, 44, "DATE")
    assert [s.id for s in link_candidates(date, spans, KINDS)] == [3, 2]
    claim = span(3, 0, 5, "CLAIM")
    assert [s.id for s in link_candidates(claim, [claim, span(4, 9, 12, "CLAIM")], KINDS)] == [4]


def test_link_options_say_which_end_is_the_source():
    assert [(k.name, f) for k, f in link_options(KINDS, "CLAIM", "ENTITY")] == [("SPEAKER", True)]
    assert [(k.name, f) for k, f in link_options(KINDS, "ENTITY", "CLAIM")] == [("SPEAKER", False)]
    assert [(k.name, f) for k, f in link_options(KINDS, "DATE", "CLAIM", "TIME")] == [("TIME", False)]
    assert link_options(KINDS, "DATE", "CLAIM", "SPEAKER") == []
    assert [(k.name, f) for k, f in link_options(KINDS, "CLAIM", "CLAIM")] == [("SAME_AS", True)]
    anything = RelationType("RELATED", position=3)  # no label constraint, directed
    assert [(k.name, f) for k, f in link_options([anything], "ENTITY", "CLAIM")] == [("RELATED", True)]


def test_link_types_in_tag_set_order_or_the_one_chosen():
    assert [k.name for k in link_types(KINDS, "CLAIM", "ENTITY")] == ["SPEAKER"]
    assert [k.name for k in link_types(KINDS, "CLAIM", "CLAIM")] == ["SAME_AS"]
    assert link_types(KINDS, "CLAIM", "ENTITY", "TIME") == []
    assert link_types(KINDS, "ENTITY", "CLAIM") == []


def test_link_and_delete_span_undo_restore_relations(project):
    text = "قال 🙂 الوزير إن المحادثات ستستأنف"
    doc = project.add_documents([NewDocument("d", text)])[0].id
    project.add_annotator("a")
    claim = project.add_span(doc, "a", 15, len(text), "CLAIM")
    entity = project.add_span(doc, "a", 6, 12, "ENTITY")
    flow = AnnotationWorkflow(project, "a")
    link = flow.link("SPEAKER", claim, entity)
    [added] = link.apply()
    assert isinstance(added, RelationChange) and added.new.type == "SPEAKER"
    assert [(r.source_id, r.target_id) for r in project.relations(layer="a")] == [(claim.id, entity.id)]
    link.revert()
    assert project.relations(layer="a") == []
    link.apply()  # redo keeps the relation's id
    assert [r.id for r in project.relations(layer="a")] == [added.new.id]
    delete = flow.delete(entity)
    changes = delete.apply()
    assert [type(c) for c in changes] == [RelationChange, SpanChange]
    assert project.relations(layer="a") == []
    delete.revert()
    assert [r.id for r in project.relations(layer="a")] == [added.new.id]
    assert project.span(entity.id).label == "ENTITY"
