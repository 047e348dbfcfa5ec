"""Own JSONL imported in two streaming passes (issue 15): the project it
builds is the one reading the file whole builds, batch size 1 or 500; a bad
line is refused with its line and the project left unchanged, also when
only the store can tell (pass 2) or the file changes between the passes."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given

from annotator.core.errors import InputError
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions
from annotator.core.formats.exports.dispatch import export_project
from annotator.core.formats.imports import line_files, own_stream, task_stream
from annotator.core.formats.imports.apply import apply_import
from annotator.core.formats.imports.dispatch import import_annotations, read_annotations
from annotator.core.model import GOLD, NewDocument, NewSpan, Status
from annotator.core.store import Project
from tests.core.test_formats_roundtrip import PROPERTY, _fill_relations, projects_with_relations

TEXTS = ["قال الوزير 😀 إن الاتفاق سيوقّع يوم الخميس",  # emoji, shadda
         "أعلنت الحكومة\u200cأن المحادثات ستـــستأنف",  # ZWNJ, tatweel
         "نفى المتحدث ما قاله الوزير يوم الخميس\nفي بيان"]


@contextmanager
def streaming(batch: int = line_files.BATCH_LINES, at_bytes: int = 0, report_every: int = 1 << 20):
    names = ("BATCH_LINES", "STREAM_AT_BYTES", "REPORT_EVERY", "ARRAY_CHUNK")
    saved = [getattr(line_files, name) for name in names]
    # A JSON array read in small chunks, so that its progress moves too.
    for name, value in zip(names, (batch, at_bytes, report_every, min(report_every, 1 << 20))):
        setattr(line_files, name, value)
    try:
        yield
    finally:
        for name, value in zip(names, saved):
            setattr(line_files, name, value)


def whole():
    return streaming(at_bytes=1 << 62)


def rows(project: Project) -> dict[str, list]:
    """Every row an import writes, without the times it was written."""
    out = {}
    for table in ("documents", "spans", "relations", "statuses", "tags", "relation_types", "layers",
                  "sqlite_sequence"):  # so the next span or relation id is the same too
        cursor = project.db.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
        names = [c[0] for c in cursor.description]
        out[table] = [tuple(v for n, v in zip(names, row) if not n.endswith("_at"))
                      for row in cursor]
    return out


def import_file(path: Path, target: Path, **options):
    with Project.open(target) as project:
        report = import_annotations(project, "own", [path], **options)
        return report, rows(project)


def exported(folder: Path, docs=TEXTS) -> Path:
    """An own export with three layers, statuses, and relations within and
    across documents."""
    with Project.open(folder / "source.db") as source:
        added = source.add_documents(NewDocument(f"doc{i}", t) for i, t in enumerate(docs))
        source.add_annotator("Lisa")
        spans = []
        for doc in added:
            for layer in (GOLD, "Lisa"):
                spans += [NewSpan(doc.id, layer, 0, 3, "CLAIM"), NewSpan(doc.id, layer, 4, 10, "ENTITY",
                                                                         {"type": "PER"})]
        ids = source.add_spans(spans).ids
        source.add_relation(GOLD, "SPEAKER", ids[0], ids[1])
        source.add_relation(GOLD, "SAME_AS", ids[0], ids[4])  # doc 1 -> doc 2, forwards
        source.add_relation("Lisa", "CONTRADICTS", ids[10], ids[2])  # doc 3 -> doc 1, backwards
        source.set_status(added[1].id, "Lisa", Status.DONE)
        # Layers without spans: one with a status set, one with none.
        source.add_annotator("Max")
        source.set_status(added[2].id, "Max", Status.DONE)
        source.add_annotator("Omar")
        out = folder / "first.jsonl"
        export_project(source, "own", out, ExportOptions(layer=ALL_LAYERS))
    return out


@pytest.mark.parametrize("batch", [1, 2, 500])
def test_streamed_import_writes_what_the_whole_read_writes(tmp_path, batch):
    path = exported(tmp_path)
    with whole():
        expected_report, expected = import_file(path, tmp_path / "whole.db")
    with streaming(batch):
        assert isinstance(read_annotations("own", [path]), own_stream.OwnScan)
        report, got = import_file(path, tmp_path / f"streamed{batch}.db")
    assert got == expected
    assert report == expected_report and report.ids_kept and report.relations_added == 3
    with Project.open(tmp_path / f"streamed{batch}.db") as project:
        export_project(project, "own", tmp_path / "second.jsonl", ExportOptions(layer=ALL_LAYERS))
    assert (tmp_path / "second.jsonl").read_bytes() == path.read_bytes()


@PROPERTY
@given(projects_with_relations())
def test_any_project_streams_back_byte_identical(data):
    docs, spans, relations = data
    folder = Path(tempfile.mkdtemp())
    with Project.open(folder / "a.db") as source:
        _fill_relations(source, docs, spans, relations)
        export_project(source, "own", folder / "first.jsonl", ExportOptions(layer=ALL_LAYERS))
    with whole():
        expected_report, expected = import_file(folder / "first.jsonl", folder / "whole.db")
    with streaming(batch=1):
        report, got = import_file(folder / "first.jsonl", folder / "streamed.db")
    assert got == expected and report == expected_report


def test_crlf_line_ends_and_a_bom_still_stream(tmp_path):
    path = exported(tmp_path)
    dos = tmp_path / "dos.jsonl"
    dos.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    with whole():
        _, expected = import_file(path, tmp_path / "whole.db")
    with streaming(batch=1):
        assert isinstance(read_annotations("own", [dos]), own_stream.OwnScan)
        _, got = import_file(dos, tmp_path / "dos.db")
    assert got == expected


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_bad_last_line_of_a_long_file_is_named_before_the_project_is_touched(tmp_path):
    records = [{"document_id": i, "name": f"d{i}", "sha256": _sha(f"نص {i}"), "layer": "gold",
                "status": "todo", "text": f"نص {i}",
                "spans": [{"id": i, "start": 0, "end": 2, "label": "CLAIM"}]}
               for i in range(1, 1201)]
    records[-1]["spans"][0]["end"] = 99
    path = _write(tmp_path / "long.jsonl", records)
    with streaming(batch=100):
        with pytest.raises(InputError, match=r"long\.jsonl:1200: span 1: offsets \[0, 99\) outside"):
            read_annotations("own", [path])


def _sha(text: str) -> str:
    import hashlib
    return hashlib.sha256(text.encode()).hexdigest()


def test_what_only_the_store_refuses_rolls_every_batch_back(tmp_path):
    path = exported(tmp_path)
    records = _lines(path)
    records[-1]["spans"][1]["attributes"] = {"type": "NOT-A-TYPE"}
    bad = _write(tmp_path / "bad.jsonl", records)
    with Project.open(tmp_path / "target.db") as project:
        before = rows(project)
        with streaming(batch=1):
            parsed = read_annotations("own", [bad])
            assert isinstance(parsed, own_stream.OwnScan)
            with pytest.raises(InputError, match=rf"bad\.jsonl:{len(records)}: .*NOT-A-TYPE"):
                apply_import(project, parsed, keep_ids=True)
        assert rows(project) == before


def test_a_file_changed_between_the_passes_is_refused_and_nothing_kept(tmp_path):
    path = exported(tmp_path)
    with Project.open(tmp_path / "target.db") as project:
        before = rows(project)
        with streaming(batch=1):
            parsed = read_annotations("own", [path])
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
            with pytest.raises(InputError, match=r"first\.jsonl: changed while it was being imported"):
                apply_import(project, parsed, keep_ids=True)
        assert rows(project) == before


def test_a_relation_to_a_span_no_line_has_is_named_at_its_line(tmp_path):
    path = exported(tmp_path)
    records = _lines(path)
    line = next(i for i, r in enumerate(records) if any("target_document" in x for x in r["relations"]))
    relation = next(x for x in records[line]["relations"] if "target_document" in x)
    relation["target"] = 424242
    bad = _write(tmp_path / "bad.jsonl", records)
    messages = []
    for name, mode in (("whole", whole()), ("streamed", streaming(batch=1))):
        with Project.open(tmp_path / f"{name}.db") as project, mode:
            before = rows(project)
            with pytest.raises(InputError, match=rf"bad\.jsonl:{line + 1}: .*span 424242 .* is not "
                                                 "a span of the import") as refused:
                import_annotations(project, "own", [bad])
            assert rows(project) == before
            messages.append(str(refused.value))
    assert messages[0] == messages[1]


def test_into_a_project_with_documents_it_reads_whole_and_keeps_free_ids(tmp_path):
    path = exported(tmp_path)
    results = []
    for name, mode in (("whole", whole()), ("streamed", streaming(batch=1))):
        with Project.open(tmp_path / f"{name}.db") as project:
            project.add_documents([NewDocument("mine", "نص آخر")])
            with mode:
                report = import_annotations(project, "own", [path])
            results.append((report, rows(project)))
    assert results[0] == results[1]
    assert not results[1][0].ids_kept  # document 1 was taken


def test_a_span_id_given_on_two_lines_falls_back_to_the_whole_read(tmp_path):
    path = exported(tmp_path)
    records = _lines(path)
    records[-1]["spans"][0]["id"] = records[0]["spans"][0]["id"]
    records[-1]["relations"] = []
    for record in records:  # no relation may name the span whose id was given away
        record["relations"] = [r for r in record["relations"] if "target_document" not in r]
    twice = _write(tmp_path / "twice.jsonl", records)
    with whole():
        expected_report, expected = import_file(twice, tmp_path / "whole.db")
    with streaming(batch=1):
        assert isinstance(read_annotations("own", [twice]), own_stream.OwnScan)
        report, got = import_file(twice, tmp_path / "streamed.db")
    assert not report.ids_kept
    assert (report, got) == (expected_report, expected)


def test_a_file_not_in_utf8_is_read_whole(tmp_path):
    path = exported(tmp_path, docs=["قال الوزير إن الاتفاق سيوقع", "نفى المتحدث ذلك اليوم",
                                    "أعلنت الحكومة أن المحادثات"])
    cp1256 = tmp_path / "cp1256.jsonl"
    cp1256.write_bytes(path.read_text(encoding="utf-8").encode("cp1256"))
    with streaming():
        assert own_stream.scan([cp1256]) is None
        report, _ = import_file(cp1256, tmp_path / "target.db")
    assert report.documents_added == 3 and report.ids_kept


# -- doccano JSONL ------------------------------------------------------------

def _doccano(path: Path) -> Path:
    """doccano lines as its web UI writes them (UTF-16 offsets after an
    emoji), in both shapes, with a label that holds a space, relations, a
    text given twice and one the project already has."""
    emoji = "👍🏽 قال الوزير إن الاتفاق سيوقع"  # 4 UTF-16 units before the space
    records = [
        {"id": 1, "text": emoji, "label": [[5, 8, "CLAIM"], [9, 15, "said by"]]},
        {"id": 2, "text": TEXTS[1], "entities": [
            {"id": 10, "label": "CLAIM", "start_offset": 0, "end_offset": 5},
            {"id": 11, "label": "ENTITY", "start_offset": 6, "end_offset": 13}],
         "relations": [{"id": 1, "from_id": 10, "to_id": 11, "type": "SPEAKER"}]},
        {"id": 3, "text": TEXTS[2], "label": [[0, 3, "CLAIM"]]},
        {"id": 4, "text": TEXTS[1], "label": [[0, 5, "CLAIM"], [14, 20, "DATE"]]},  # again
        {"id": 5, "text": "نص في المشروع", "label": [[0, 2, "CLAIM"]]},
    ]
    return _write(path, records)


def _import_doccano(path: Path, db: Path, **options):
    with Project.open(db) as project:
        project.add_documents([NewDocument("already", "نص في المشروع")])
        report = import_annotations(project, "doccano", [path], add_labels=True, **options)
        return report, rows(project)


@pytest.mark.parametrize("batch", [1, 2, 500])
@pytest.mark.parametrize("annotator", [None, "Lisa"])
def test_doccano_streams_to_what_the_whole_read_writes(tmp_path, batch, annotator):
    path = _doccano(tmp_path / "doccano.jsonl")
    with whole():
        expected_report, expected = _import_doccano(path, tmp_path / "whole.db", annotator=annotator)
    with streaming(batch):
        assert isinstance(read_annotations("doccano", [path]), task_stream.TaskScan)
        report, got = _import_doccano(path, tmp_path / "streamed.db", annotator=annotator)
    assert got == expected
    assert report == expected_report
    assert (report.documents_added, report.documents_matched, report.relations_added) == (3, 1, 1)
    assert any("UTF-16" in note for note in report.notes)
    assert any("'said by' as 'said_by'" in note for note in report.notes)


def test_doccano_bad_line_and_changed_file_leave_the_project_unchanged(tmp_path):
    path = _doccano(tmp_path / "doccano.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(path.read_text(encoding="utf-8") + '{"id": 9, "text": "نص", "label": [[0, 7, "CLAIM"]]}\n',
                   encoding="utf-8")
    with streaming(batch=1):
        with pytest.raises(InputError, match=r"bad\.jsonl:6: span 1 \[0, 7\) CLAIM: offsets outside"):
            read_annotations("doccano", [bad])
        with Project.open(tmp_path / "target.db") as project:
            before = rows(project)
            parsed = read_annotations("doccano", [path])
            path.write_text(path.read_text(encoding="utf-8").replace("CLAIM", "DATE"), encoding="utf-8")
            with pytest.raises(InputError, match=r"doccano\.jsonl: changed while it was being imported"):
                apply_import(project, parsed, add_labels=True)
            assert rows(project) == before


def test_a_pretty_printed_doccano_file_is_read_whole(tmp_path):
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps([{"text": TEXTS[0], "label": [[0, 3, "CLAIM"]]}], ensure_ascii=False,
                               indent=2), encoding="utf-8")
    with streaming():
        assert task_stream.scan("doccano", [path], None) is None
        with Project.open(tmp_path / "p.db") as project:
            assert import_annotations(project, "doccano", [path]).spans_added == 1


@pytest.mark.parametrize("name", ["import_example.jsonl", "import_example_overlapping.jsonl",
                                  "export_example.jsonl"])
def test_doccanos_own_files_stream_to_what_the_whole_read_writes(tmp_path, name):
    path = Path(__file__).parent.parent / "data" / "doccano" / name
    results = []
    for mode, db in ((whole(), "whole.db"), (streaming(batch=1), "streamed.db")):
        with Project.open(tmp_path / db) as project, mode:
            try:
                outcome = import_annotations(project, "doccano", [path], add_labels=True)
            except InputError as exc:  # refused alike, project unchanged, or the test fails
                outcome = str(exc)
            results.append((outcome, rows(project)))
    assert results[0] == results[1]


# -- Label Studio JSON and JSONL -----------------------------------------------

def _ls_tasks() -> list[dict]:
    """Tasks as Label Studio exports them: two annotators, a cancelled
    annotation, predictions, a choices result, a relation each way and
    undirected, UTF-16 offsets after an emoji, a label with a space."""
    def region(rid, start, end, label, text):
        return {"id": rid, "type": "labels", "from_name": "label", "to_name": "text",
                "value": {"start": start, "end": end, "text": text, "labels": [label]}}
    emoji = "👍🏽 قال الوزير إن الاتفاق سيوقع"
    tasks = []
    for i, text in enumerate([emoji, *TEXTS, TEXTS[0]]):
        words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\S+", text)]
        (a, b), (c, d) = words[1], words[2]
        shift = 4 if text == emoji else 0  # what JavaScript counts before the first word
        results = [region("r1", a + shift // 2, b + shift // 2, "CLAIM", text[a:b]),
                   region("r2", c + shift // 2, d + shift // 2, "named entity", text[c:d]),
                   {"id": "c1", "type": "choices", "value": {"choices": ["yes"]}},
                   {"type": "relation", "from_id": "r1", "to_id": "r2", "direction": "right",
                    "labels": ["said by"]},
                   {"type": "relation", "from_id": "r2", "to_id": "r1", "direction": "bi",
                    "labels": ["NEAR"]}]
        tasks.append({"id": 100 + i, "data": {"text": text},
                      "annotations": [{"completed_by": {"email": "lina@example.org"}, "result": results},
                                      {"completed_by": 7, "result": results[:2]},
                                      {"was_cancelled": True, "result": []}],
                      "predictions": [{"result": []}]})
    return tasks


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
@pytest.mark.parametrize("batch", [1, 2, 500])
def test_label_studio_streams_to_what_the_whole_read_writes(tmp_path, suffix, batch):
    tasks = _ls_tasks()
    path = tmp_path / f"tasks{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        _write(path, tasks)
    with whole():
        expected = _import_ls(path, tmp_path / "whole.db")
    with streaming(batch):
        assert isinstance(read_annotations("labelstudio", [path]), task_stream.TaskScan)
        got = _import_ls(path, tmp_path / "streamed.db")
    assert got == expected
    report = got[0]
    assert report.documents_added == 4 and report.relations_added > 0
    assert any("prediction(s) skipped" in note for note in report.notes)
    assert any("'named entity' as 'named_entity'" in note and "'said by' as 'said_by'" in note
               for note in report.notes)


def _import_ls(path: Path, db: Path):
    with Project.open(db) as project:
        report = import_annotations(project, "labelstudio", [path], add_labels=True)
        return report, rows(project)


def test_a_bad_label_studio_task_is_named_at_its_line(tmp_path):
    tasks = _ls_tasks()
    tasks[-1]["annotations"][0]["result"][0]["value"]["start"] = "0"
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    line = [i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if text == "  {"][-1]
    messages = []
    for mode in (whole(), streaming(batch=1)):
        with mode, pytest.raises(InputError, match=rf"tasks\.json:{line}: .*start and end must be "
                                                   "integers") as refused:
            with Project.open(tmp_path / "p.db") as project:
                import_annotations(project, "labelstudio", [path], add_labels=True)
        messages.append(str(refused.value))
    assert messages[0] == messages[1]


# -- progress and cancel (the window's import job) ----------------------------

def cancel_at_every_report(tmp_path: Path, reports: int, knobs: dict, run) -> None:
    """A cancel at each of ``reports`` progress reports, the last one too,
    leaves the project as it was: ``run(project, progress)`` imports."""
    for calls in range(1, reports + 1):
        told = []

        def progress(done, total):
            told.append(done)
            if len(told) == calls:
                raise Cancelled

        with streaming(**knobs), Project.open(tmp_path / f"cancel{calls}.db") as project:
            before = rows(project)
            with pytest.raises(Cancelled):
                run(project, progress)
            assert rows(project) == before


class Cancelled(Exception):
    pass


@pytest.mark.parametrize("fmt", ["own", "doccano", "labelstudio"])
def test_progress_rises_to_the_total_and_a_cancel_in_either_pass_writes_nothing(tmp_path, fmt):
    if fmt == "own":
        path = exported(tmp_path)
    elif fmt == "doccano":
        path = _doccano(tmp_path / "doccano.jsonl")
    else:
        path = tmp_path / "tasks.json"
        path.write_text(json.dumps(_ls_tasks(), ensure_ascii=False, indent=2), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    with streaming(batch=1, report_every=256), Project.open(tmp_path / "p.db") as project:
        import_annotations(project, fmt, [path], add_labels=True, progress=lambda *a: seen.append(a))
    total = 2 * path.stat().st_size
    assert seen[-1] == (total, total) and {t for _, t in seen} == {total}
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert any(d < total // 2 for d, _ in seen) and any(total // 2 < d < total for d, _ in seen)

    cancel_at_every_report(tmp_path, len(seen), dict(batch=1, report_every=256),
                           lambda project, progress: import_annotations(
                               project, fmt, [path], add_labels=True, progress=progress))


def test_a_cancel_before_the_commit_of_a_whole_read_writes_nothing(tmp_path):
    path = _doccano(tmp_path / "doccano.jsonl")

    def progress(done, total):
        raise Cancelled

    with whole(), Project.open(tmp_path / "p.db") as project:
        before = rows(project)
        with pytest.raises(Cancelled):
            import_annotations(project, "doccano", [path], add_labels=True, progress=progress)
        assert rows(project) == before
