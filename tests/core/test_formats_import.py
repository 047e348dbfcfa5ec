"""Imports of real files from other tools, and every way an import fails:
the error names file and line, and the project is left untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.text.encoding import sha256_text
from annotator.core.errors import InputError
from annotator.core.formats.brat import parse_conf
from annotator.core.formats.imports.dispatch import import_annotations
from annotator.core.formats.textmap import OffsetUnits
from annotator.core.model import GOLD, NewDocument, NewSpan
from annotator.core.store import Project
from tests.conftest import DataSet

def _brat_ann_spans(folder: Path) -> set[tuple[str, int, int, str]]:
    """(document, start, end, label) straight from the .ann files; brat's
    offsets count the CR of a CRLF .txt, which the canonical text drops."""
    spans = set()
    for ann in folder.glob("*.ann"):
        raw = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        for line in ann.read_text(encoding="utf-8").splitlines():
            _, middle, _ = line.split("\t")
            label, start, end = middle.split(" ")
            start, end = (int(x) - raw.count("\r\n", 0, int(x)) for x in (start, end))
            spans.add((ann.stem, start, end, label))
    return spans


def test_four_annotator_brat_project_imports_as_four_layers(project: Project, testdata: DataSet) -> None:
    root = testdata / "brat-4-annotators"
    report = import_annotations(project, "brat", [root], add_labels=True)
    assert project.annotators() == list(testdata.brat_annotators)
    assert len(project.documents()) == testdata.brat_documents  # the same texts in every folder
    assert report.labels_added == parse_conf(root / "annotation.conf") == list(testdata.brat_labels)
    names = {d.id: d.name for d in project.documents()}
    for annotator in testdata.brat_annotators:
        stored = {(names[s.document_id], s.start, s.end, s.label) for s in project.spans(layer=annotator)}
        assert stored == _brat_ann_spans(root / annotator)
        assert report.spans_by_layer[annotator] == len(stored)
    assert project.spans(layer=GOLD) == []


def test_brat_without_add_labels_names_the_first_unknown_label(project: Project, testdata: DataSet) -> None:
    with pytest.raises(InputError, match=r"\.ann:\d+: unknown label .*--add-labels"):
        import_annotations(project, "brat", [testdata / "brat-4-annotators"])
    assert project.documents() == []


def test_brat_annotator_option_puts_one_folder_in_a_named_layer(project: Project, testdata: DataSet) -> None:
    folder = testdata / "brat-4-annotators" / testdata.brat_annotators[2]
    import_annotations(project, "brat", [folder], annotator="Max2", add_labels=True)
    assert project.annotators() == ["Max2"]
    assert len(project.spans(layer="Max2")) == len(_brat_ann_spans(folder))


def test_doccano_examples_import(project: Project, testdata: DataSet) -> None:
    folder = testdata / "doccano"
    report = import_annotations(project, "doccano", [folder / "export_example.jsonl"], add_labels=True)
    assert report.documents_added == 3 and report.spans_added == 4
    texts = {d.id: project.document(d.id).text for d in project.documents()}
    assert sorted((texts[s.document_id][s.start:s.end], s.label) for s in project.spans()) == \
        list(testdata.doccano_export)
    report = import_annotations(project, "doccano", [folder / "import_example_overlapping.jsonl"],
                                add_labels=True)
    assert (report.documents_added, report.spans_added, report.duplicates) == (1, 1, 1)


def test_doccano_example_with_a_line_lacking_text_is_refused_whole(project: Project,
                                                                    testdata: DataSet) -> None:
    with pytest.raises(InputError, match=r"import_example\.jsonl:3: missing \"text\""):
        import_annotations(project, "doccano", [testdata / "doccano" / "import_example.jsonl"],
                           add_labels=True)
    assert project.documents() == []


def test_doccano_conll_example_imports(project: Project, testdata: DataSet) -> None:
    import_annotations(project, "conll", [testdata / "doccano" / "import_example.conll"], add_labels=True)
    texts = sorted(project.document(d.id).text for d in project.documents())
    assert texts == list(testdata.conll_texts)
    found = sorted((project.document(s.document_id).text[s.start:s.end], s.label) for s in project.spans())
    assert found == list(testdata.conll_spans)


def test_invalid_conll_is_refused_with_its_line_number(project: Project, testdata: DataSet) -> None:
    with pytest.raises(InputError, match=":1: ") as caught:
        import_annotations(project, "conll", [testdata / "doccano" / "import_labeling.invalid.conll"],
                           add_labels=True)
    assert str(caught.value).startswith(f"{testdata / 'doccano' / 'import_labeling.invalid.conll'}:1: ")
    assert project.documents() == []


@pytest.mark.parametrize("content, line, message", [
    ("A\tB-PER\nB\tI-LOC\n", 2, "I-LOC follows B-PER"),
    # A B- opening an entity after O makes the file IOB2, where I- may not open one.
    ("A\tB-PER\nC\tO\nB\tI-LOC\n", 3, "I-LOC follows O"),
    ("A\tB-PER\n\nB\tI-LOC\n", 3, "I-LOC follows O"),
    ("A\tO\tO\nB\tO\n", 2, "tag column"),
    ("A\tB-PER\nB\tB_PER\n", 2, "invalid tag"),
    ("A\tB-PER\nB\tE-LOC\n", 2, "E-LOC follows B-PER"),
])
def test_invalid_bio_names_the_line(project: Project, tmp_path: Path, content, line, message) -> None:
    path = tmp_path / "bad.conll"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=rf"bad\.conll:{line}: .*{message}"):
        import_annotations(project, "conll", [path], add_labels=True)


def _jsonl(path: Path, *records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt, records, line, message", [
    ("doccano", [{"text": "قال الرئيس", "label": [[0, 3, "CLAIM"]]}, "{not json"], 2, "malformed JSON"),
    ("doccano", [{"text": "قال", "label": [[0, 9, "CLAIM"]]}], 1, "outside the text"),
    ("doccano", [{"text": "قال", "label": [["a", 2, "CLAIM"]]}], 1, "integer offsets"),
    ("doccano", [{"text": "قال", "label": ["CLAIM"]}], 1, "not \\[start, end, label\\]"),
    ("own", [{"text": "x"}], 1, "sha256"),
])
def test_bad_json_lines_name_file_and_line(project: Project, tmp_path: Path, fmt, records, line,
                                           message) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                            for r in records), encoding="utf-8")
    with pytest.raises(InputError, match=rf"in\.jsonl:{line}: .*{message}"):
        import_annotations(project, fmt, [path])


def test_doccano_offsets_that_only_fit_as_utf16_get_a_hint(project: Project, tmp_path: Path) -> None:
    text = "😀😀 العراق"  # 9 code points, 11 UTF-16 units
    path = _jsonl(tmp_path / "d.jsonl", {"text": text, "label": [[5, 11, "ENTITY"]]})
    with pytest.raises(InputError, match="--offset-units utf16"):
        import_annotations(project, "doccano", [path], offset_units=OffsetUnits.CODEPOINTS)
    import_annotations(project, "doccano", [path], offset_units=OffsetUnits.UTF16)
    [span] = project.spans()
    assert text[span.start:span.end] == "العراق"


def test_label_studio_utf16_offsets_after_an_emoji_are_detected(project: Project, tmp_path: Path) -> None:
    text = "👍🏽 زار الوفد بغداد"
    start = text.index("بغداد")
    utf16 = start + 2  # two astral characters before it
    task = {"id": 1, "data": {"text": text}, "annotations": [
        {"completed_by": {"id": 3, "email": "lisa@example.org"}, "result": [
            {"type": "labels", "value": {"start": utf16, "end": utf16 + 5, "text": "بغداد",
                                         "labels": ["ENTITY"]}}]},
        {"completed_by": 4, "was_cancelled": True, "result": []},
    ]}
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task], ensure_ascii=False, indent=2), encoding="utf-8")
    report = import_annotations(project, "labelstudio", [path])
    [span] = project.spans()
    assert (span.layer, span.start, span.end) == ("lisa@example.org", start, start + 5)
    assert any("cancelled" in note for note in report.notes)


def test_label_studio_text_disagreeing_with_offsets_names_the_task_line(project: Project,
                                                                       tmp_path: Path) -> None:
    tasks = [{"data": {"text": "نص أول"}, "annotations": []},
             {"data": {"text": "قال الرئيس"}, "annotations": [{"completed_by": 1, "result": [
                 {"type": "labels", "value": {"start": 0, "end": 3, "text": "رئيس", "labels": ["CLAIM"]}}]}]}]
    path = tmp_path / "ls.json"
    path.write_text("[\n" + ",\n".join(json.dumps(t, ensure_ascii=False) for t in tasks) + "\n]\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"ls\.json:3: task \?, annotation 1, result 1: text 'رئيس' disagrees"):
        import_annotations(project, "labelstudio", [path])
    assert project.documents() == []


def test_brat_text_disagreeing_with_offsets_names_the_ann_line(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("زار الوفد بغداد", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tENTITY 10 15\tبغداد\nT2\tENTITY 0 3\tوفد\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.ann:2: text 'وفد' disagrees"):
        import_annotations(project, "brat", [tmp_path])


def test_brat_offsets_count_the_cr_of_crlf_files(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("سطر\r\nزار بغداد\r\n".encode())
    (tmp_path / "a.ann").write_text("T1\tENTITY 9 14\tبغداد\n", encoding="utf-8")
    import_annotations(project, "brat", [tmp_path])
    [span] = project.spans()
    assert project.document(span.document_id).text[span.start:span.end] == "بغداد"


def test_spans_land_on_the_existing_document_with_the_same_text(project: Project, tmp_path: Path) -> None:
    [existing] = project.add_documents([NewDocument("mine", "قال الرئيس")])
    path = _jsonl(tmp_path / "d.jsonl", {"text": "قال الرئيس", "label": [[0, 3, "CLAIM"]]},
                  {"text": "نص جديد", "label": []})
    report = import_annotations(project, "doccano", [path], annotator="Lisa")
    assert (report.documents_matched, report.documents_added) == (1, 1)
    [span] = project.spans()
    assert (span.document_id, span.layer) == (existing.id, "Lisa")
    assert project.document(existing.id).name == "mine"


def test_duplicates_are_kept_once_and_counted(project: Project, tmp_path: Path) -> None:
    [doc] = project.add_documents([NewDocument("d", "قال الرئيس")])
    project.add_spans([NewSpan(doc.id, GOLD, 0, 3, "CLAIM")])
    path = _jsonl(tmp_path / "d.jsonl", {"text": "قال الرئيس", "label": [[0, 3, "CLAIM"], [4, 10, "ENTITY"],
                                                                        [4, 10, "ENTITY"]]})
    report = import_annotations(project, "doccano", [path])
    assert (report.spans_added, report.duplicates) == (1, 2)
    assert len(project.spans()) == 2


def test_a_failed_import_leaves_the_project_file_byte_identical(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Project.open(db) as project:
        project.add_documents([NewDocument("d", "قال الرئيس")])
    before = db.read_bytes()
    # Valid until its last span, which overlaps a span of the same label:
    # only the store finds that, after documents and labels were written.
    path = _jsonl(tmp_path / "d.jsonl", {"text": "نص جديد", "label": [[0, 2, "NEWLABEL"]]},
                  {"text": "قال الرئيس", "label": [[0, 3, "CLAIM"], [2, 10, "CLAIM"]]})
    with Project.open(db) as project:
        with pytest.raises(InputError, match=r"d\.jsonl:2: .*overlaps"):
            import_annotations(project, "doccano", [path], add_labels=True, annotator="Lisa")
        assert [t.name for t in project.tags()] == ["CLAIM", "ENTITY", "DATE"]
        assert len(project.documents()) == 1 and project.annotators() == []
    assert db.read_bytes() == before


def test_unknown_attribute_is_refused_and_nothing_written(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("زار بغداد", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tENTITY 4 9\tبغداد\nA1\tcolour T1 red\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.ann:1: label ENTITY has no attribute 'colour'"):
        import_annotations(project, "brat", [tmp_path])
    assert project.documents() == []


@pytest.mark.parametrize("where", ["document_id", "span id"])
def test_ids_beyond_sqlite_integers_are_refused_with_the_line(project: Project, tmp_path: Path,
                                                             where: str) -> None:
    text = "نص عربي قصير"
    line = {"document_id": 1, "name": "d", "sha256": sha256_text(text), "layer": "gold",
            "text": text, "spans": [{"id": 1, "start": 0, "end": 2, "label": "CLAIM"}]}
    if where == "document_id":
        line["document_id"] = 2**70
    else:
        line["spans"][0]["id"] = 2**70
    path = tmp_path / "own.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"own\.jsonl:1: .*1\.\.9223372036854775807"):
        import_annotations(project, "own", [path])
    assert project.documents() == []


def test_a_rolled_back_import_leaves_no_stale_cache(project: Project, tmp_path: Path) -> None:
    from annotator.core.errors import NotFoundError

    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "قال الرئيس", "label": [[0, 3, "CLAIM"], [2, 9, "CLAIM"]]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="overlaps"):
        import_annotations(project, "doccano", [path])
    assert project.documents() == []
    # The document's length was cached inside the rolled-back transaction.
    with pytest.raises(NotFoundError, match="no document with id 1"):
        project.add_span(1, GOLD, 0, 3, "CLAIM")
