"""Labels and relation types with spaces, as Label Studio and doccano allow,
are imported with "_" (our names hold none) and the report says so, never
refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.formats.imports.dispatch import import_annotations
from annotator.core.formats.imports.apply import ParsedImport, ParsedRelation, ParsedSpan
from annotator.core.formats.imports.names import join_spaces_in_names
from annotator.core.model import RelationType, Tag
from annotator.core.store import Project

TEXT = "قال الرئيسُ إن القوات ستغادر 😀"


def _ls_file(path: Path, relation_label: str = "said by") -> Path:
    results = [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 11, "text": TEXT[0:11], "labels": ["CLAIM"]}},
        {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 4, "end": 11, "text": TEXT[4:11], "labels": ["Named  Entity"]}},
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right",
         "labels": [relation_label]},
    ]
    task = {"id": 1, "data": {"text": TEXT},
            "annotations": [{"id": 2, "completed_by": 1, "result": results}]}
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    return path


def test_label_studio_names_with_spaces_are_added_with_underscores(project: Project,
                                                                   tmp_path: Path) -> None:
    report = import_annotations(project, "labelstudio", [_ls_file(tmp_path / "ls.json")],
                                add_labels=True)
    assert sorted(s.label for s in project.spans()) == ["CLAIM", "Named_Entity"]
    assert [r.type for r in project.relations()] == ["said_by"]
    assert "said_by" in {t.name for t in project.relation_types()}
    assert report.relation_types_added == ["said_by"]
    assert report.labels_added == ["Named_Entity"]
    assert any("'said by' as 'said_by'" in n and "'Named  Entity' as 'Named_Entity'" in n
               for n in report.notes), report.notes


def test_names_with_spaces_match_the_project_s_own_names(project: Project, tmp_path: Path) -> None:
    project.add_tag(Tag("Named_Entity", color="#123456"))
    project.add_relation_type(RelationType("said_by"))
    report = import_annotations(project, "labelstudio", [_ls_file(tmp_path / "ls.json")])
    assert [r.type for r in project.relations()] == ["said_by"]
    assert report.labels_added == [] and report.relation_types_added == []


def test_doccano_label_with_spaces_is_imported(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": TEXT, "label": [[4, 11, "Named Entity"]]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    report = import_annotations(project, "doccano", [path], add_labels=True)
    assert [(s.start, s.end, s.label) for s in project.spans()] == [(4, 11, "Named_Entity")]
    assert any("'Named Entity' as 'Named_Entity'" in n for n in report.notes)


def test_a_name_of_only_spaces_is_still_refused_with_its_line(project: Project,
                                                              tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"ls\.json:1: relation type '   ': .*must be non-empty"):
        import_annotations(project, "labelstudio", [_ls_file(tmp_path / "ls.json", "   ")],
                           add_labels=True)
    assert list(project.relations()) == []


def test_declared_relation_types_and_their_label_lists_are_renamed() -> None:
    parsed = ParsedImport()
    span = ParsedSpan("sha", None, 0, 1, "Named Entity")
    parsed.spans.append(span)
    parsed.declared_labels = ["Named Entity", "CLAIM"]
    parsed.declared_relation_types = {"said by": RelationType(
        "said by", source_labels=("CLAIM",), target_labels=("Named Entity",))}
    parsed.relations.append(ParsedRelation("said by", span, span, skip_as="event arg"))
    notes = join_spaces_in_names(parsed)
    kind = parsed.declared_relation_types["said_by"]
    assert (kind.name, kind.target_labels) == ("said_by", ("Named_Entity",))
    assert parsed.declared_labels == ["Named_Entity", "CLAIM"]
    assert (parsed.relations[0].type, parsed.relations[0].skip_as) == ("said_by", "event_arg")
    assert notes and notes[0].startswith("3 label or relation type name(s)")


def test_nothing_to_rename_gives_no_note() -> None:
    parsed = ParsedImport()
    parsed.spans.append(ParsedSpan("sha", None, 0, 1, "CLAIM"))
    assert join_spaces_in_names(parsed) == []
    assert parsed.spans[0].label == "CLAIM"
