"""brat standoff as brat itself defines it: relations (R) and event
arguments become relations (issue 12); what we cannot store (equivalences,
normalisations, events nobody models, the attributes and notes on events,
discontinuous spans) is skipped and counted, never refused (issue 9). The
files mirror brat's example-data (tests/data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.formats.brat import conf_section, parse_conf
from annotator.core.formats.imports.dispatch import import_annotations
from annotator.core.store import Project
from tests.conftest import LOCAL_TESTDATA

FEATURES = LOCAL_TESTDATA / "brat-standoff-features"
OLD_CONF = LOCAL_TESTDATA / "brat-old-spans-conf"
SKIPPED = ("2 equivalence(s), 1 normalisation(s), 1 discontinuous span(s), 1 attribute(s) on events, "
           "1 attribute(s) on skipped discontinuous spans, 1 note(s) on events")


def _stored(project: Project) -> list[tuple[str, str, dict, str]]:
    texts = {d.id: project.document(d.id).text for d in project.documents()}
    return sorted((s.label, texts[s.document_id][s.start:s.end], s.attributes, s.note)
                  for s in project.spans())


ENTITIES = [
    ("Date", "22 تموز 2021", {}, ""),
    ("GPE", "بغداد", {}, ""),
    ("GPE", "سويسرا", {}, ""),
    ("Money", "100 مليون دولار", {}, "100000000 دولار"),
    ("Organization", "المصرف", {}, ""),
    ("Organization", "مصارف", {}, ""),
    ("Organization", "مصرف الرافدين", {}, ""),
    ("Person", "الرئيس السابق", {}, ""),
    ("Person", "علي حسن", {"Mention": "Name"}, ""),
]


def _relations(project: Project) -> list[tuple[str, str, str, dict, str]]:
    texts = {d.id: project.document(d.id).text for d in project.documents()}
    spans = {s.id: s for s in project.spans()}

    def text(span_id: int) -> str:
        span = spans[span_id]
        return texts[span.document_id][span.start:span.end]
    return sorted((r.type, text(r.source_id), text(r.target_id), r.attributes, r.note)
                  for r in project.relations())


def test_relations_and_event_arguments_become_relations_the_rest_is_counted(project: Project) -> None:
    report = import_annotations(project, "brat", [FEATURES], add_labels=True)
    assert report.notes == [
        f"{FEATURES}: skipped, not stored by this tool: {SKIPPED}",
        f"{FEATURES}: --discontinuous cover imports each discontinuous span as the smallest span "
        "covering its fragments",
    ]
    # The trigger "نقل" is stored (its event's arguments are relations from it).
    assert _stored(project) == sorted(ENTITIES + [("Transfer-money", "نقل", {}, "")])
    assert _relations(project) == [
        ("Family", "علي حسن", "الرئيس السابق", {"Negation": True}, ""),  # A3 on R1
        ("Giver-Arg", "نقل", "مصرف الرافدين", {}, ""),
        ("Money-Arg", "نقل", "100 مليون دولار", {}, ""),
        ("Origin", "مصارف", "سويسرا", {}, "بحسب البيان"),  # #3 on R2
        ("Recipient-Arg", "نقل", "علي حسن", {}, ""),
    ]
    assert report.labels_added == ["Person", "Organization", "GPE", "Money", "Date", "Transfer-money"]
    assert report.relation_types_added == ["Giver-Arg", "Money-Arg", "Recipient-Arg", "Family", "Origin"]
    # Declared types keep annotation.conf's constraints; role types what was seen.
    assert project.relation_type("Origin").source_labels == ("Organization",)
    assert project.relation_type("Origin").target_labels == ("GPE",)
    assert project.relation_type("Money-Arg").source_labels == ("Transfer-money",)
    assert project.relation_type("Money-Arg").target_labels == ("Money",)


def test_without_add_labels_an_undeclared_relation_type_is_refused(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("قال الرئيس إن الوفد وصل", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tCLAIM 0 23\tقال الرئيس إن الوفد وصل\nT2\tENTITY 4 10\tالرئيس\n"
                                    "R1\tSOURCE Arg1:T1 Arg2:T2\t\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.ann:3: unknown relation type 'SOURCE'; relation types: "
                                         r"CONTRADICTS, SAME_AS, SPEAKER, TIME\. Add them with --add-labels"):
        import_annotations(project, "brat", [tmp_path])
    assert project.documents() == [] and project.relations() == []


def test_events_nobody_models_are_skipped_and_counted(project: Project, tmp_path: Path) -> None:
    """No relation type is named after the roles and no --add-labels: the
    arguments and the trigger are counted, never refused."""
    (tmp_path / "a.txt").write_text("هاجم المسلحون القرية", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tAttack 0 4\tهاجم\nT2\tENTITY 5 13\tالمسلحون\n"
                                    "T3\tENTITY 14 20\tالقرية\nE1\tAttack:T1 Attacker:T2 Target2:T3\n",
                                    encoding="utf-8")
    report = import_annotations(project, "brat", [tmp_path])
    assert [(s.label, s.start, s.end) for s in project.spans()] == [("ENTITY", 5, 13), ("ENTITY", 14, 20)]
    assert project.relations() == []
    assert report.notes == [
        f"{tmp_path}: skipped, not stored by this tool: 2 event argument(s) (no relation type named "
        "after the role; --add-labels creates them), 1 event trigger span(s) with no argument stored",
    ]


def test_an_event_role_with_a_relation_type_of_its_name_becomes_a_relation(project: Project,
                                                                           tmp_path: Path) -> None:
    from annotator.core.model import RelationType, Tag

    project.add_tag(Tag("Attack", color="#123456"))
    project.add_relation_type(RelationType("Target", source_labels=("Attack",), target_labels=("ENTITY",)))
    (tmp_path / "a.txt").write_text("هاجم المسلحون القرية", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tAttack 0 4\tهاجم\nT2\tENTITY 5 13\tالمسلحون\n"
                                    "T3\tENTITY 14 20\tالقرية\nE1\tAttack:T1 Attacker:T2 Target2:T3\n",
                                    encoding="utf-8")
    report = import_annotations(project, "brat", [tmp_path])
    # Target2 is brat's second Target argument: type Target. Attacker has no type.
    assert _relations(project) == [("Target", "هاجم", "القرية", {}, "")]
    assert report.notes == [f"{tmp_path}: skipped, not stored by this tool: 1 event argument(s) (no "
                            "relation type named after the role; --add-labels creates them)"]


def test_discontinuous_cover_imports_the_covering_span_and_says_so(project: Project) -> None:
    report = import_annotations(project, "brat", [FEATURES], add_labels=True, discontinuous="cover")
    [note] = report.notes
    assert "1 discontinuous span(s) imported as their covering span" in note
    assert "discontinuous span(s)," not in note.replace("imported as", "")
    covering = [s for s in project.spans() if s.attributes == {"Mention": "Name"} and s.label == "Organization"]
    [span] = covering
    text = project.document(span.document_id).text
    assert text[span.start:span.end] == "الحكومتان العراقية والأردنية"


def test_event_triggers_are_found_without_an_annotation_conf(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("هاجم المسلحون القرية", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tAttack 0 4\tهاجم\nT2\tPER 5 13\tالمسلحون\n"
                                    "E1\tAttack:T1 Attacker:T2\n#1\tAnnotatorNotes T1\tفعل\n", encoding="utf-8")
    report = import_annotations(project, "brat", [tmp_path], add_labels=True)
    assert [(s.label, s.start, s.end) for s in project.spans()] == [("Attack", 0, 4), ("PER", 5, 13)]
    assert _relations(project) == [("Attacker", "هاجم", "المسلحون", {}, "")]
    # A trigger's notes and attributes belong to the event: still counted.
    assert report.notes == [f"{tmp_path}: skipped, not stored by this tool: 1 note(s) on event triggers"]


def test_old_spans_section_declares_the_entity_types(project: Project) -> None:
    assert parse_conf(OLD_CONF / "annotation.conf") == ["N", "V", "Num"]
    assert conf_section(FEATURES / "annotation.conf", "events") == ["Transaction", "Transfer-money"]
    report = import_annotations(project, "brat", [OLD_CONF], add_labels=True)
    assert report.labels_added == ["N", "V", "Num"] and report.spans_added == 4
    assert report.notes == [] and report.relation_types_added == ["nsubj"]
    # Arg1:<ENTITY>, Arg2:<ENTITY>: any label on either side.
    kind = project.relation_type("nsubj")
    assert (kind.source_labels, kind.target_labels, kind.symmetric) == ((), (), False)
    assert _relations(project) == [("nsubj", "قرأ", "الطالب", {}, "")]


@pytest.mark.parametrize("line, message", [
    ("A1\tNegation T9", r"a\.ann:2: attribute refers to 'T9', which is not an annotation here"),
    ("#1\tAnnotatorNotes E4\tملاحظة", r"a\.ann:2: note refers to 'E4', which is not an annotation here"),
])
def test_attributes_and_notes_on_missing_annotations_name_the_line(project: Project, tmp_path: Path,
                                                                   line: str, message: str) -> None:
    (tmp_path / "a.txt").write_text("زار الوفد بغداد", encoding="utf-8")
    (tmp_path / "a.ann").write_text(f"T1\tLOC 10 15\tبغداد\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_annotations(project, "brat", [tmp_path], add_labels=True)
    assert project.documents() == []
