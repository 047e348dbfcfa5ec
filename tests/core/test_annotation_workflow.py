"""The annotation workflow without Qt: what each gesture's edit stores and
how reverting it restores the project (issue 10)."""

from __future__ import annotations

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import NewDocument, Span, Status
from annotator.core.text.orientation import document_title, line_column, position_text, progress_text
from annotator.core.workflow import (
    AnnotationWorkflow,
    LabelCounts,
    SpanChange,
    StatusChange,
    describe,
    label_style,
    next_to_do,
)

TEXT = "قال الرئيس جو بايدن في 27 يوليو 2021 إن القوات الأمريكية ستغادر العراق."


@pytest.fixture
def doc(project) -> int:
    project.add_annotator("amal")
    return project.add_documents([NewDocument("one", TEXT)])[0].id


@pytest.fixture
def flow(project) -> AnnotationWorkflow:
    return AnnotationWorkflow(project, "amal")


def spans(project, doc):
    return [(s.start, s.end, s.label) for s in project.spans(doc, "amal")]


def test_the_first_span_sets_in_progress_in_the_same_edit(project, doc, flow):
    start = TEXT.index("جو")
    edit = flow.tag(doc, TEXT, start, start + len("جو بايدن"), "ENTITY")
    changes = edit.apply()
    assert spans(project, doc) == [(start, start + 8, "ENTITY")]
    assert project.status(doc, "amal") is Status.IN_PROGRESS
    assert [type(c) for c in changes] == [SpanChange, StatusChange]
    edit.revert()
    assert spans(project, doc) == []
    assert project.status(doc, "amal") is Status.TODO
    # Applied again: the same span id comes back, so later edits still find it.
    again = edit.apply()
    assert again[0].new == changes[0].new
    assert project.status(doc, "amal") is Status.IN_PROGRESS


def test_later_spans_leave_the_status_alone(project, doc, flow):
    project.set_status(doc, "amal", Status.DONE)
    edit = flow.tag(doc, TEXT, 0, 3, "CLAIM")
    assert [type(c) for c in edit.apply()] == [SpanChange]
    assert project.status(doc, "amal") is Status.DONE


def test_a_refused_span_changes_neither_spans_nor_status(project, doc, flow):
    flow.tag(doc, TEXT, 0, 3, "CLAIM").apply()
    project.set_status(doc, "amal", Status.TODO)
    edit = flow.tag(doc, TEXT, 0, 10, "CLAIM")  # overlaps the first claim
    with pytest.raises(ValidationError, match="overlaps CLAIM"):
        edit.apply()
    assert spans(project, doc) == [(0, 3, "CLAIM")]
    assert project.status(doc, "amal") is Status.TODO


@pytest.mark.parametrize("precise", [False, True], ids=["words", "precise"])
@pytest.mark.parametrize("piece", [".", " .", "، ", "  "])
def test_punctuation_or_spaces_only_tag_nothing(project, doc, flow, precise, piece):
    text = "قال" + piece
    document = project.add_documents([NewDocument("p", text)])[0].id
    with pytest.raises(ValidationError, match="only punctuation or spaces"):
        flow.tag(document, text, 3, len(text), "CLAIM", precise=precise)


def test_an_empty_selection_says_select_first(doc, flow):
    with pytest.raises(ValidationError, match="select some text first"):
        flow.tag(doc, TEXT, 5, 5, "CLAIM")


def test_relabel_toggle_unsure_and_mark_done_revert(project, doc, flow):
    flow.tag(doc, TEXT, 0, 3, "CLAIM").apply()
    span = project.spans(doc, "amal")[0]
    assert flow.relabel(span, "CLAIM") is None
    relabel = flow.relabel(span, "ENTITY")
    relabel.apply()
    assert project.span(span.id).label == "ENTITY"
    relabel.revert()
    assert project.span(span.id).label == "CLAIM"
    unsure = flow.toggle_unsure(span)
    unsure.apply()
    assert project.span(span.id).attributes == {"unsure": True}
    back = flow.toggle_unsure(project.span(span.id))
    back.apply()
    assert project.span(span.id).attributes == {}
    done = flow.mark_done(doc)
    done.apply()
    assert project.status(doc, "amal") is Status.DONE
    done.revert()
    assert project.status(doc, "amal") is Status.IN_PROGRESS


def test_delete_and_move_edge(project, doc, flow):
    start = TEXT.index("جو")
    flow.tag(doc, TEXT, start, start + 2, "ENTITY").apply()
    span = project.spans(doc, "amal")[0]
    grow = flow.move_edge(TEXT, span, "end", 1, "word")
    grow.apply()
    assert spans(project, doc) == [(start, start + len("جو بايدن"), "ENTITY")]
    delete = flow.delete(project.span(span.id))
    delete.apply()
    assert spans(project, doc) == []
    delete.revert()
    assert project.span(span.id).end == start + len("جو بايدن")


def test_next_to_do_wraps_round_and_skips_done():
    statuses = {1: Status.DONE, 2: Status.IN_PROGRESS, 3: Status.TODO, 4: Status.DONE}
    assert next_to_do([1, 2, 3, 4], statuses, 4) == 3
    assert next_to_do([1, 2, 3, 4], statuses, 3) is None
    assert next_to_do([1, 2, 3, 4, 5], statuses, 3) == 5  # no row: to do
    assert next_to_do([3, 1], statuses, 99) == 3


def test_label_counts_follow_changes():
    a = Span(1, 1, "amal", 0, 3, "CLAIM")
    b = Span(1, 1, "amal", 0, 3, "ENTITY")
    counts = LabelCounts([a])
    counts.apply(SpanChange(a, b))
    counts.apply(SpanChange(None, a))
    assert counts.summary(["CLAIM", "ENTITY", "DATE"]) == "CLAIM 1  ENTITY 1  DATE 0"
    assert describe(SpanChange(None, a)) == "span added id=1 [0,3) CLAIM"
    assert describe(StatusChange(1, "amal", Status.DONE)) == "status document=1 done"


def test_label_styles_and_bio_columns_come_from_the_tag_set(project):
    import annotator.core.formats.tokens as tokens
    from annotator.core.model import Tag

    claim, entity = project.tag("CLAIM"), project.tag("ENTITY")
    assert (claim.style, claim.bio_group) == ("underline", "claim")
    assert label_style(claim) == "underline" and label_style(entity) == "background"
    assert label_style(None) == "background"
    groups = {t.name: t.bio_group for t in project.tags()}
    names = [g.name for g in tokens.label_groups(["CLAIM", "ENTITY", "DATE"], None, groups)]
    assert names == ["entity_date", "claim"]
    # A tag set whose container is EVENT draws and groups it so; no name is special.
    project.add_tag(Tag("EVENT", style="underline", bio_group="events"))
    project.update_tag("CLAIM", style="background", bio_group="")
    assert label_style(project.tag("EVENT")) == "underline"
    assert label_style(project.tag("CLAIM")) == "background"
    groups = {t.name: t.bio_group for t in project.tags()}
    assert [g.name for g in tokens.label_groups(["EVENT", "CLAIM"], None, groups)] == ["claim", "event"]
    assert [g.name for g in tokens.label_groups(["EVENT", "CLAIM"])] == ["event_claim"]


# -- orientation: titles, progress, line:column ------------------------------------------

@pytest.mark.parametrize(("text", "meta", "title"), [
    ("\n\n  عنوان الخبر  \nالنص", None, "عنوان الخبر"),
    ("السطر الأول\nالثاني", {}, "السطر الأول"),
    ("نص", {"title": "من الاستيراد"}, "من الاستيراد"),
    ("نص", {"title": "  "}, "نص"),
    ("\n \n", None, "000_cd82adee"),
    ("أ" * 100, None, "أ" * 79 + "…"),
])
def test_document_title(text, meta, title):
    assert document_title("000_cd82adee", text, meta) == title


def test_progress_counts_the_given_documents():
    statuses = {1: Status.DONE, 2: Status.TODO, 3: Status.DONE}
    assert progress_text([1, 2, 3, 4], statuses) == "2 of 4 done"
    assert progress_text([2], statuses) == "0 of 1 done"


def test_line_column_counts_code_points():
    text = "😀 أ\nبَ\u200cت\n"
    assert line_column(text, 0) == (1, 1)
    assert line_column(text, 2) == (1, 3)  # the emoji is one code point
    assert line_column(text, 4) == (2, 1)
    assert line_column(text, 7) == (2, 4)  # harakat and ZWNJ are columns too
    assert line_column(text, len(text)) == (3, 1)
    assert position_text(text, 4, 9) == "2:1–3:1"
    assert position_text(text, 4, 8) == "2:1"


def test_line_index_agrees_with_line_column():
    from annotator.core.text.orientation import LineIndex

    text = "أ\n\nبَ😀ت\nخ"
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        assert index.line_column(offset) == line_column(text, offset)
    assert index.position_text(0, len(text)) == position_text(text, 0, len(text)) == "1:1–4:2"


def test_line_index_counts_across_blocks():
    from annotator.core.text.orientation import LineIndex

    class Small(LineIndex):
        BLOCK = 3  # newlines on, before and after every block edge

    text = "أ\n\nبَ😀ت\nخ\r\n\u200cـــ\n\nد"
    index = Small(text)
    for offset in range(len(text) + 1):
        assert index.line_column(offset) == line_column(text, offset), offset
