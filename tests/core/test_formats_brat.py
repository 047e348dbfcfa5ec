"""brat standoff as brat itself defines it: what we cannot store (events,
triggers, relations, equivalences, normalisations, and the attributes and
notes on them, discontinuous spans) is skipped and counted, never refused
(issue 9). The files mirror brat's example-data (tests/data/README.md)."""

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
SKIPPED = ("1 event(s), 2 relation(s), 2 equivalence(s), 1 normalisation(s), 1 event trigger span(s), "
           "1 discontinuous span(s), 1 attribute(s) on events, 1 attribute(s) on relations, "
           "1 attribute(s) on skipped discontinuous spans, 1 note(s) on events, 1 note(s) on relations")


def _stored(project: Project) -> list[tuple[str, str, dict, str]]:
    texts = {d.id: project.document(d.id).text for d in project.documents()}
    return sorted((s.label, texts[s.document_id][s.start:s.end], s.attributes, s.note)
                  for s in project.spans())


def test_events_relations_equivalences_normalisations_are_skipped_and_counted(project: Project) -> None:
    report = import_annotations(project, "brat", [FEATURES], add_labels=True)
    assert report.notes == [
        f"{FEATURES}: skipped, not stored by this tool: {SKIPPED}",
        f"{FEATURES}: --discontinuous cover imports each discontinuous span as the smallest span "
        "covering its fragments",
    ]
    # The trigger "نقل" (Transfer-money) is not an entity; every entity is.
    assert _stored(project) == [
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
    assert report.labels_added == ["Person", "Organization", "GPE", "Money", "Date"]


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
    assert [(s.label, s.start, s.end) for s in project.spans()] == [("PER", 5, 13)]
    assert report.notes == [f"{tmp_path}: skipped, not stored by this tool: 1 event(s), "
                            "1 event trigger span(s), 1 note(s) on event triggers"]


def test_old_spans_section_declares_the_entity_types(project: Project) -> None:
    assert parse_conf(OLD_CONF / "annotation.conf") == ["N", "V", "Num"]
    assert conf_section(FEATURES / "annotation.conf", "events") == ["Transaction", "Transfer-money"]
    report = import_annotations(project, "brat", [OLD_CONF], add_labels=True)
    assert report.labels_added == ["N", "V", "Num"] and report.spans_added == 4
    assert report.notes == [f"{OLD_CONF}: skipped, not stored by this tool: 1 relation(s)"]


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
