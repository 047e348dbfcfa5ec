"""Export selection, atomic output, token formats and their real consumers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.core.errors import InputError, ValidationError
from annotator.core.formats.exports import atomic as output
from annotator.core.formats.exports.dispatch import FormatOptions, export_project
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions, Split
from annotator.core.formats.exports.selection import select_records
from annotator.core.formats.tokens import LabelGroup, label_groups, tokenize
from annotator.core.model import GOLD, NewDocument, NewSpan, Status
from annotator.core.store import Project

TEXT = "قالَ الرئيسُ إنّ الوفد زار بالعراق في 5 مايو 2021."


@pytest.fixture
def filled(project: Project) -> Project:
    docs = project.add_documents([NewDocument("a", TEXT), NewDocument("b", "😀 وصل الوفد إلى بغداد"),
                                  NewDocument("c", "نص بلا وسوم")])
    project.add_annotator("Lisa")
    at = TEXT.index
    project.add_spans([
        NewSpan(docs[0].id, GOLD, 0, len(TEXT) - 1, "CLAIM"),
        NewSpan(docs[0].id, GOLD, at("العراق"), at("العراق") + 6, "ENTITY", {"type": "LOC"}),
        NewSpan(docs[0].id, GOLD, at("5"), at("2021") + 4, "DATE", {"value": "2021-05-05"}),
        NewSpan(docs[1].id, "Lisa", 16, 21, "ENTITY"),
    ])
    project.set_status(docs[0].id, GOLD, Status.DONE)
    return project


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_layer_exports_every_document_including_empty_ones(filled: Project, tmp_path: Path) -> None:
    export_project(filled, "own", tmp_path / "gold.jsonl")
    lines = _lines(tmp_path / "gold.jsonl")
    assert [(r["name"], r["layer"], len(r["spans"])) for r in lines] == [("a", GOLD, 3), ("b", GOLD, 0),
                                                                          ("c", GOLD, 0)]
    span = lines[0]["spans"][1]
    assert span["text"] == TEXT[span["start"]:span["end"]]


def test_all_layers_exports_layers_with_work_and_keeps_bare_documents(filled: Project,
                                                                      tmp_path: Path) -> None:
    export_project(filled, "own", tmp_path / "all.jsonl", ExportOptions(layer=ALL_LAYERS))
    assert [(r["name"], r["layer"]) for r in _lines(tmp_path / "all.jsonl")] == [
        ("a", GOLD), ("b", "Lisa"), ("c", GOLD)]


def test_status_and_label_filters(filled: Project, tmp_path: Path) -> None:
    options = ExportOptions(statuses=frozenset({Status.DONE}), labels=frozenset({"DATE"}))
    export_project(filled, "doccano", tmp_path / "d.jsonl", options)
    [line] = _lines(tmp_path / "d.jsonl")
    assert [label for _, _, label in line["label"]] == ["DATE"]
    with pytest.raises(ValidationError, match="unknown label"):
        select_records(filled, ExportOptions(labels=frozenset({"NOPE"})))
    with pytest.raises(ValidationError, match="unknown layer"):
        select_records(filled, ExportOptions(layer="nobody"))


def test_split_is_reproducible_disjoint_and_complete(project: Project, tmp_path: Path) -> None:
    project.add_documents(NewDocument(f"d{i}", f"نص رقم {i}") for i in range(50))
    options = ExportOptions(split=Split((0.6, 0.2, 0.2), seed=7))
    export_project(project, "own", tmp_path / "one.jsonl", options)
    export_project(project, "own", tmp_path / "two.jsonl", options)
    parts = {}
    for part in ("train", "dev", "test"):
        first = (tmp_path / f"one.{part}.jsonl").read_bytes()
        assert first == (tmp_path / f"two.{part}.jsonl").read_bytes()
        parts[part] = {r["sha256"] for r in _lines(tmp_path / f"one.{part}.jsonl")}
    assert [len(p) for p in parts.values()] == [30, 10, 10]
    assert set.union(*parts.values()) == {d.sha256 for d in project.documents()}
    other = ExportOptions(split=Split((0.6, 0.2, 0.2), seed=8))
    export_project(project, "own", tmp_path / "three.jsonl", other)
    assert {r["sha256"] for r in _lines(tmp_path / "three.train.jsonl")} != parts["train"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError, match="disk full"):
        with output.atomic_file(target) as out:
            out.write("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_cancel_from_progress_leaves_no_file(filled: Project, tmp_path: Path) -> None:
    seen = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 1:
            raise KeyboardInterrupt("cancelled by the test")

    with pytest.raises(KeyboardInterrupt, match="cancelled by the test"):
        export_project(filled, "own", tmp_path / "x.jsonl", progress=progress)
    assert not [name for name in os.listdir(tmp_path) if "x.jsonl" in name]  # no file, no temporary
    assert seen[0] == (0, 3)


def test_export_to_a_missing_folder_is_a_clear_error(filled: Project, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        export_project(filled, "own", tmp_path / "nope" / "x.jsonl")


def test_brat_export_of_every_layer_has_a_folder_per_layer_and_the_tag_set(filled: Project,
                                                                             tmp_path: Path) -> None:
    export_project(filled, "brat", tmp_path / "brat", ExportOptions(layer=ALL_LAYERS))
    assert sorted(p.name for p in (tmp_path / "brat").iterdir()) == ["Lisa", "annotation.conf", GOLD]
    conf = (tmp_path / "brat" / "annotation.conf").read_text()
    assert "[entities]\nCLAIM\nENTITY\nDATE\n" in conf and "type\tArg:ENTITY, Value:PER|ORG|LOC|MISC" in conf
    ann = next((tmp_path / "brat" / GOLD).glob("00001-*.ann")).read_text()
    assert "A1\ttype T2 LOC\n" in ann and "\tENTITY " in ann


# -- tokens ---------------------------------------------------------------------

def test_tokens_keep_harakat_and_split_proclitics_on_request() -> None:
    text = "وَبالعراقِ، قالَ 👍🏽"
    plain = [text[s:e] for s, e in tokenize(text)]
    assert plain == ["وَبالعراقِ", "،", "قالَ", "👍🏽"]
    split = [text[s:e] for s, e in tokenize(text, split_proclitics=True)]
    assert split == ["وَ", "ب", "ال", "عراقِ", "،", "قالَ", "👍🏽"]


def test_default_label_groups_put_claim_apart(project: Project) -> None:
    groups = label_groups(["CLAIM", "ENTITY", "DATE"], None,
                          {tag.name: tag.bio_group for tag in project.tags()})
    assert groups == [LabelGroup("entity_date", ("ENTITY", "DATE")), LabelGroup("claim", ("CLAIM",))]
    assert label_groups(["CLAIM", "ENTITY", "DATE"], [["DATE"]]) == [
        LabelGroup("date", ("DATE",)), LabelGroup("claim_entity", ("CLAIM", "ENTITY"))]


def test_entity_inside_a_proclitic_word_aligns_only_when_split(filled: Project, tmp_path: Path) -> None:
    plain = export_project(filled, "conll", tmp_path / "a.conll")
    assert plain.alignment.misaligned == {"ENTITY": 1}
    assert "ENTITY" in plain.alignment.details[0] and "العراق" in plain.alignment.details[0]
    split = export_project(filled, "conll", tmp_path / "b.conll",
                           format_options=FormatOptions(split_proclitics=True))
    assert split.alignment.clean and split.alignment.exported == {"CLAIM": 1, "ENTITY": 1, "DATE": 1}
    rows = (tmp_path / "b.conll").read_text().split("\n")
    assert "ال\tB-ENTITY\tI-CLAIM" in rows and "عراق\tI-ENTITY\tI-CLAIM" in rows
    assert "5\tB-DATE\tI-CLAIM" in rows


def test_overlap_in_one_column_is_reported_not_hidden(project: Project, tmp_path: Path) -> None:
    [doc] = project.add_documents([NewDocument("d", "في 5 مايو 2021 زار")])
    project.add_spans([NewSpan(doc.id, GOLD, 3, 14, "DATE"), NewSpan(doc.id, GOLD, 5, 9, "ENTITY")])
    report = export_project(project, "conll", tmp_path / "x.conll").alignment
    assert report.left_out == {"ENTITY": 1} and report.exported == {"DATE": 1}
    assert "overlaps DATE [3, 14)" in report.details[0]
    # In separate columns both survive.
    report = export_project(project, "conll", tmp_path / "y.conll",
                            format_options=FormatOptions(bio_groups=[["DATE"], ["ENTITY"]])).alignment
    assert report.clean


def test_hf_rows_load_with_datasets_as_class_labels(filled: Project, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    export_project(filled, "hf", tmp_path / "hf.jsonl", format_options=FormatOptions(split_proclitics=True))
    names = json.loads((tmp_path / "hf.labels.json").read_text())
    assert names["ner_tags"] == ["O", "B-ENTITY", "I-ENTITY", "B-DATE", "I-DATE"]
    ds = datasets.load_dataset("json", data_files=str(tmp_path / "hf.jsonl"), split="train",
                               cache_dir=str(tmp_path / "cache"))
    ds = ds.cast_column("ner_tags", datasets.Sequence(datasets.ClassLabel(names=names["ner_tags"])))
    first = ds[0]
    tags = ds.features["ner_tags"].feature.int2str(first["ner_tags"])
    at = first["tokens"].index("عراق")
    assert list(zip(first["tokens"], tags))[at - 2:at + 1] == [
        ("ب", "O"), ("ال", "B-ENTITY"), ("عراق", "I-ENTITY")]
    assert len(ds) == 3 and "claim_tags" in ds.column_names


def test_spacy_docbin_loads_with_span_groups(filled: Project, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    report = export_project(filled, "spacy", tmp_path / "x.spacy", ExportOptions(layer=ALL_LAYERS))
    assert report.alignment.misaligned == {"ENTITY": 1}  # العراق inside بالعراق
    docs = list(DocBin().from_disk(tmp_path / "x.spacy").get_docs(spacy.blank("ar").vocab))
    assert [d.text for d in docs] == [TEXT, "😀 وصل الوفد إلى بغداد", "نص بلا وسوم"]
    assert [(s.text, s.label_) for s in docs[0].spans["entity_date"]] == [("5 مايو 2021", "DATE")]
    assert [s.text for s in docs[1].spans["entity_date"]] == ["بغداد"]
    assert docs[1].user_data["layer"] == "Lisa"


def test_brat_export_never_replaces_a_folder_of_the_users_own(filled: Project, tmp_path: Path) -> None:
    mine = tmp_path / "Documents"
    mine.mkdir()
    (mine / "thesis.txt").write_text("مسودة", encoding="utf-8")
    with pytest.raises(InputError, match="not empty and holds no earlier export"):
        export_project(filled, "brat", mine)
    assert [p.name for p in mine.iterdir()] == ["thesis.txt"]
    # An empty folder, and then our own earlier export, may be replaced.
    out = tmp_path / "brat"
    out.mkdir()
    export_project(filled, "brat", out)
    export_project(filled, "brat", out, ExportOptions(labels=frozenset({"CLAIM"})))
    assert "ENTITY" not in (out / "00001-a.ann").read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


@pytest.mark.parametrize("fmt, name", [("own", "x.jsonl"), ("brat", "split")])
def test_cancelled_split_export_writes_no_part(project: Project, tmp_path: Path, fmt: str,
                                               name: str) -> None:
    project.add_documents([NewDocument(f"d{i}", f"نص رقم {i}") for i in range(30)])
    split = ExportOptions(split=Split((0.4, 0.3, 0.3), seed=1))

    def cancel_late(done: int, total: int) -> None:
        if done >= 20:  # train is written by now
            raise KeyboardInterrupt("cancelled by the test")

    with pytest.raises(KeyboardInterrupt, match="cancelled by the test"):
        export_project(project, fmt, tmp_path / name, split, progress=cancel_late)
    left = [p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.name != "project.db"
            and not p.name.startswith("project.db")]
    assert left in ([], [Path("split")])  # brat's parent folder may exist, empty
    export_project(project, fmt, tmp_path / name, split)
    parts = ["x.train.jsonl", "x.dev.jsonl", "x.test.jsonl"] if fmt == "own" else ["train", "dev", "test"]
    base = tmp_path if fmt == "own" else tmp_path / name
    assert all((base / part).exists() for part in parts)
