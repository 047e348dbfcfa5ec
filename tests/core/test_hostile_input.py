"""Hostile and unlucky input to every importer: one-line errors naming file
and line, never a traceback, and the project left byte-identical."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from annotator.core.text import encoding
from annotator.core.errors import AnnotatorError, InputError, ValidationError
from annotator.core.formats.imports.dispatch import import_annotations
from annotator.core.formats.imports.plain_text import import_paths
from annotator.core.model import NewDocument
from annotator.core.store import Project

TEXT = "قال الرئيس إن الوفد زار العراق"
DEEP = "[" * 100_000 + "]" * 100_000
HUGE = "9" * 5000


def _project_bytes(project: Project) -> bytes:
    return project.path.read_bytes()


def _refused(project: Project, fmt: str, path: Path, match: str, **options) -> None:
    before = _project_bytes(project)
    with pytest.raises(AnnotatorError, match=match) as info:
        if fmt in ("text", "jsonl"):
            import_paths(project, [path], as_jsonl=fmt == "jsonl")
        else:
            import_annotations(project, fmt, [path], **options)
    assert "\n" not in str(info.value)
    assert _project_bytes(project) == before


def _own(text: str = TEXT, name: str = "doc", layer: str = "gold") -> str:
    return json.dumps({"name": name, "sha256": encoding.sha256_text(text), "layer": layer,
                       "text": text, "spans": []}, ensure_ascii=False)


def _doccano(text: str = TEXT, **extra) -> str:
    return json.dumps({"text": text, "label": [[0, 3, "CLAIM"]], **extra}, ensure_ascii=False)


# -- item 6: JSON that json itself chokes on --------------------------------------

@pytest.mark.parametrize("fmt, suffix", [("own", ".jsonl"), ("doccano", ".jsonl"),
                                         ("labelstudio", ".json"), ("jsonl", ".jsonl")])
@pytest.mark.parametrize("bad, message", [
    (DEEP, "JSON nested too deeply"),
    ('{"text": "x", "id": ' + HUGE + "}", "JSON number refused: Exceeds the limit"),
    ('{"text": "قال \\ud800 الرئيس", "label": []}', "lone surrogate U\\+D800"),
])
def test_json_that_breaks_the_json_module_is_a_one_line_error(project: Project, tmp_path: Path,
                                                              fmt, suffix, bad, message) -> None:
    path = tmp_path / f"bad{suffix}"
    if suffix == ".json":
        path.write_text(f"[{json.dumps({'data': {'text': TEXT}})},\n{bad}\n]\n", encoding="utf-8")
        where = "item 2: "
    else:
        first = _own() if fmt == "own" else _doccano()
        path.write_text(first + "\n" + bad + "\n", encoding="utf-8")
        where = ""
    options = {} if fmt == "jsonl" else {"add_labels": True}
    _refused(project, fmt, path, rf"bad{suffix}:2: {where}.*{message}", **options)


def test_a_valid_surrogate_pair_escape_is_one_emoji_not_an_error(project: Project,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "emoji.jsonl"
    path.write_text('{"text": "\\ud83d\\ude00 قال", "label": [[2, 5, "CLAIM"]]}\n', encoding="utf-8")
    import_annotations(project, "doccano", [path])
    assert project.document(1).text == "😀 قال"


@pytest.mark.parametrize("task, message", [
    ({"data": {"text": TEXT}, "predictions": 3}, None),
    ({"data": {"text": TEXT}, "annotations": [{"result": [
        {"value": {"start": 0, "end": 3, "text": "قال", "labels": ["CLAIM"]}, "meta": {"text": 5}}]}]},
     "meta.text must be a list of strings"),
    ({"data": {"text": TEXT}, "annotations": [{"result": [
        {"value": {"start": 0, "end": 3, "text": "قال", "labels": ["CLAIM"]}, "meta": {"text": "note"}}]}]},
     None),
])
def test_label_studio_fields_of_the_wrong_type(project: Project, tmp_path: Path, task, message) -> None:
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    if message is None:
        report = import_annotations(project, "labelstudio", [path])
        assert report.documents_added == 1
        return
    _refused(project, "labelstudio", path, rf"ls.json:1: .*{message}")


# -- brat -------------------------------------------------------------------------

def _brat(tmp_path: Path, ann: str) -> Path:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    (folder / "doc.ann").write_text(ann, encoding="utf-8")
    return folder


@pytest.mark.parametrize("ann, line, message", [
    ("T1\tCLAIM 0 ²\tقال\n", 1, "are not 'START END"),  # int("²") is 2 elsewhere
    ("T1\tCLAIM ٠ ٣\tقال\n", 1, "are not 'START END"),  # Arabic-Indic digits
    ("T1\tCLAIM 0 " + HUGE + "\tقال\n", 1, "are not 'START END"),
    ("T1\tCLAIM 0 3\tقال\nT1\tCLAIM 4 10\tالرئيس\n", 2, "id T1 is used twice \\(first on line 1\\)"),
])
def test_brat_offsets_and_ids_are_checked_strictly(project: Project, tmp_path: Path, ann, line,
                                                   message) -> None:
    folder = _brat(tmp_path, ann)
    _refused(project, "brat", folder, rf"doc.ann:{line}: .*{message}")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_brat_import_refuses_a_fifo_instead_of_hanging(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    done = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            _refused(project, "brat", folder, r"pipe.txt: is not a regular file")
        except BaseException as exc:  # reported below
            errors.append(exc)
        done.set()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    if not done.wait(20):
        with open(folder / "pipe.txt", "w"):  # unblock the reader so the test process can end
            pass
        pytest.fail("brat import blocked on a FIFO")
    assert not errors, errors


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("fmt", ["text", "jsonl", "doccano", "conll"])
def test_a_device_named_directly_is_refused_by_every_reader(project: Project, tmp_path: Path,
                                                            fmt) -> None:
    link = tmp_path / "zero.jsonl"
    link.symlink_to("/dev/zero")
    _refused(project, fmt, link, r"zero.jsonl: is not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("name", ["zero.txt", "zero.ann"])
def test_a_symlink_to_a_device_is_refused_not_read(project: Project, tmp_path: Path, name) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    if name == "zero.ann":
        (folder / "zero.txt").write_text(TEXT, encoding="utf-8")
    (folder / name).symlink_to("/dev/zero")
    _refused(project, "brat", folder, rf"{name}: is not a regular file")


def test_a_file_over_the_size_limit_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match=r"big.txt: file is 101 bytes; the limit is 100"):
        encoding.read_bytes(path, limit=100)
    assert encoding.read_bytes(path, limit=101) == b"x" * 101
    assert encoding.MAX_FILE_BYTES == 512 * 1024 * 1024


def test_a_folder_named_like_a_text_file_is_refused(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    (folder / "odd.txt").mkdir(parents=True)
    _refused(project, "brat", folder, r"odd.txt: is a folder")


# -- item 12: controls in JSON texts and names, as the .txt importer ---------------

@pytest.mark.parametrize("fmt", ["doccano", "jsonl", "labelstudio", "own"])
@pytest.mark.parametrize("char", ["\x00", "\x1b"])
@pytest.mark.parametrize("where", ["text", "name"])
def test_json_importers_refuse_nul_and_esc_like_the_text_importer(project: Project, tmp_path: Path,
                                                                  fmt, char, where) -> None:
    text, name = (TEXT + char, "doc") if where == "text" else (TEXT, "doc" + char + "[2J")
    if fmt == "labelstudio":
        content = json.dumps([{"data": {"text": text, "name": name}}])
        path = tmp_path / "x.json"
    elif fmt == "own":
        content = _own(text, name)
        path = tmp_path / "x.jsonl"
    else:
        content = json.dumps({"text": text, "name": name, "id": name, "label": []})
        path = tmp_path / "x.jsonl"
    path.write_text(content + "\n", encoding="utf-8")
    message = f"U\\+{ord(char):04X}"
    _refused(project, fmt, path, rf"x.jsonl?:1: .*{message}")
    # The .txt importer refuses the same character.
    txt = tmp_path / "same.txt"
    txt.write_text(TEXT + char, encoding="utf-8")
    _refused(project, "text", txt, r"same.txt(:1)?: binary data")


@pytest.mark.parametrize("label, message", [
    ("CL\u202eAIM", "U\\+202E"),
    ("CL\x00AIM", "U\\+0000"),
    ("X" * 100_000, "longer than 200 characters"),
    ("..", "is . or .."),
])
def test_add_labels_refuses_hostile_label_names(project: Project, tmp_path: Path, label,
                                                message) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"text": TEXT, "label": [[0, 3, label]]}) + "\n", encoding="utf-8")
    _refused(project, "doccano", path, rf"x.jsonl:1: label name .*{message}", add_labels=True)
    with pytest.raises(InputError, match=r"x.jsonl:1: unknown label") as info:
        import_annotations(project, "doccano", [path])
    assert len(str(info.value)) < 400  # a 100,000-character label is cut in messages


# -- item 2: names checked where the store creates them -----------------------------

@pytest.mark.parametrize("name", ["..", ".", "a/b", "a\\b", "x\x00", "x\x1b[31m", "gold\u202e",
                                  "\u2066x", "x" * 201, "\ud800", "ع" * 130])
def test_the_store_refuses_hostile_layer_and_label_names(project: Project, name) -> None:
    from annotator.core.model import Tag

    before = _project_bytes(project)
    with pytest.raises(ValidationError, match="annotator name"):
        project.add_annotator(name)
    with pytest.raises(ValidationError, match="label name"):
        project.add_tag(Tag(name))
    assert _project_bytes(project) == before


def test_a_long_arabic_layer_name_that_fits_a_folder_name_is_accepted(project: Project) -> None:
    assert project.add_annotator("ع" * 127) == "ع" * 127


@pytest.mark.parametrize("name, message", [("x\x00", "U\\+0000"), ("\u202ex", "U\\+202E"),
                                           ("x" * 1001, "longer than 1000"), ("\udc00", "U\\+DC00")])
def test_the_store_refuses_hostile_document_names_naming_the_source(project: Project, name,
                                                                    message) -> None:
    with pytest.raises(ValidationError, match=rf"^in.jsonl:4: document name .*{message}"):
        project.add_documents([NewDocument(name, TEXT, source="in.jsonl:4")])
    assert project.document_count() == 0
    project.add_documents([NewDocument("sub/folder name", TEXT)])  # a folder import's name


def test_own_jsonl_with_a_dotdot_layer_is_refused(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "own.jsonl"
    path.write_text(_own(layer="..") + "\n", encoding="utf-8")
    _refused(project, "own", path, r"own.jsonl:1: annotator name '..' is . or ..")
