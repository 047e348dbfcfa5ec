"""Layouts of doccano and Label Studio files met in those projects' own
repositories (issue 9): doccano's pretty-printed examples and renamed
columns, Label Studio tasks of images (no text) and a renamed text field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import InputError, ValidationError
from annotator.core.formats.imports.dispatch import import_annotations
from annotator.core.store import Project

TEXT = "أسس محمد شركة في بغداد"


def _texts(project: Project) -> list[tuple[str, str]]:
    texts = {d.id: project.document(d.id).text for d in project.documents()}
    return sorted((texts[s.document_id][s.start:s.end], s.label) for s in project.spans())


def test_doccano_pretty_printed_record_imports(project: Project, tmp_path: Path) -> None:
    # doccano's relation-extraction example is one object over many lines.
    path = tmp_path / "example.jsonl"
    path.write_text(json.dumps({"text": TEXT, "entities": [
        {"id": 0, "start_offset": 4, "end_offset": 8, "label": "PERSON"},
        {"id": 1, "start_offset": 9, "end_offset": 13, "label": "ORG"}],
        "relations": [{"id": 0, "from_id": 0, "to_id": 1, "type": "founded"}]},
        ensure_ascii=False, indent=4), encoding="utf-8")
    report = import_annotations(project, "doccano", [path], add_labels=True)
    assert _texts(project) == [("شركة", "ORG"), ("محمد", "PERSON")]
    assert report.notes == [] and report.relation_types_added == ["founded"]
    [relation] = project.relations()
    assert (project.span(relation.source_id).label, project.span(relation.target_id).label) == ("PERSON", "ORG")
    kind = project.relation_type("founded")
    assert (kind.source_labels, kind.target_labels) == (("PERSON",), ("ORG",))


def test_doccano_self_relation_is_refused_naming_the_line(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "example.jsonl"
    path.write_text(json.dumps({"text": TEXT, "entities": [
        {"id": 0, "start_offset": 4, "end_offset": 8, "label": "ENTITY"}],
        "relations": [{"id": 0, "from_id": 0, "to_id": 0, "type": "SPEAKER"}]}, ensure_ascii=False),
        encoding="utf-8")
    with pytest.raises(InputError, match=r"example\.jsonl:1: SPEAKER relation: a span cannot be related "
                                         r"to itself"):
        import_annotations(project, "doccano", [path])
    assert project.documents() == []


def test_doccano_malformed_second_line_is_still_named(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": TEXT, "label": []}, ensure_ascii=False) + "\n{\"text\": \n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2: malformed JSON"):
        import_annotations(project, "doccano", [path])


def test_doccano_renamed_columns_are_read_and_said(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "cols.jsonl"
    path.write_text(json.dumps({"column_data": TEXT, "column_label": [[17, 22, "LOC"]]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    report = import_annotations(project, "doccano", [path], add_labels=True)
    assert _texts(project) == [("بغداد", "LOC")]
    assert report.notes == [f'{path}: text read from column_data (no "text" field)']


def _ls(path: Path, tasks: list[dict]) -> Path:
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_label_studio_tasks_without_text_are_skipped_and_counted(project: Project, tmp_path: Path) -> None:
    image = {"id": 1, "data": {"image": "/data/upload/29/example.png"}, "annotations": [
        {"result": [{"type": "polygonlabels", "value": {"points": [[1, 2]], "polygonlabels": ["A"]}}]}]}
    text = {"id": 2, "data": {"sentence": TEXT}, "annotations": [
        {"completed_by": 1, "result": [{"type": "labels", "value": {"start": 17, "end": 22, "text": "بغداد",
                                                                      "labels": ["LOC"]}}]}]}
    path = _ls(tmp_path / "ls.json", [image, text])
    report = import_annotations(project, "labelstudio", [path], add_labels=True)
    assert _texts(project) == [("بغداد", "LOC")]
    assert f"{path}: 1 task(s) without text (images, audio, other data) skipped" in report.notes


def test_label_studio_file_of_images_only_says_why_nothing_came(project: Project, tmp_path: Path) -> None:
    path = _ls(tmp_path / "ls.json", [{"id": 1, "data": {"image": "a.png"}, "annotations": []}])
    with pytest.raises(ValidationError, match=r"no documents found in .*ls\.json \(.*1 task\(s\) without "
                                              r"text \(images, audio, other data\) skipped\)"):
        import_annotations(project, "labelstudio", [path])


def test_label_studio_json_min_export_imports(project: Project, tmp_path: Path) -> None:
    # The shape of label-studio-converter's convert_to_json_min output.
    record = {"text": TEXT, "id": 87, "label": [{"start": 4, "end": 8, "text": "محمد", "labels": ["PER"]},
                                                {"start": 17, "end": 22, "text": "بغداد", "labels": ["LOC"]}],
              "annotator": 1, "annotation_id": 22, "created_at": "2024-01-01T10:00:00Z",
              "updated_at": "2024-01-01T10:00:00Z", "lead_time": 3.5}
    import_annotations(project, "labelstudio", [_ls(tmp_path / "min.json", [record])], add_labels=True)
    assert _texts(project) == [("بغداد", "LOC"), ("محمد", "PER")]
    assert project.annotators() == ["1"]
