"""brat folders imported in streaming passes (issue 15): the project and
report are those of the whole read, batch size 1, 2 or 500, on the real
folders in tests/data and on exports of generated projects; an error in
the last pair, a pair changed between the passes and a cancel at any
progress report leave the project unchanged."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions
from annotator.core.formats.exports.dispatch import export_project
from annotator.core.formats.imports import task_stream
from annotator.core.formats.imports.apply import apply_import
from annotator.core.formats.imports.dispatch import import_annotations, read_annotations
from annotator.core.model import GOLD, NewDocument, NewSpan
from annotator.core.store import Project
from tests.core.test_formats_roundtrip import PROPERTY, _fill_relations, projects_with_relations
from tests.core.test_import_streaming import TEXTS, cancel_at_every_report, rows, streaming, whole

DATA = Path(__file__).resolve().parent.parent / "data"


def _import(roots: list[Path], db: Path, **options):
    """(report, rows) of the import, or the error's text and rows."""
    with Project.open(db) as project:
        try:
            report = import_annotations(project, "brat", roots, add_labels=True, **options)
        except AnnotatorError as exc:
            return str(exc), rows(project)
        return report, rows(project)


def _same(roots: list[Path], folder: Path, batch: int, **options):
    with whole():
        expected = _import(roots, folder / "whole.db", **options)
    with streaming(batch):
        got = _import(roots, folder / f"streamed{batch}.db", **options)
    assert got == expected
    return got


@pytest.mark.parametrize("batch", [1, 2, 500])
@pytest.mark.parametrize("name", ["brat-4-annotators", "brat-old-spans-conf"])
def test_the_real_folders_stream_to_what_the_whole_read_writes(tmp_path, name, batch):
    with streaming(batch):
        assert isinstance(read_annotations("brat", [DATA / name]), task_stream.TaskScan)
    report, got = _same([DATA / name], tmp_path, batch)
    assert report.spans_added > 0 and report.files >= 2 and got["spans"]


def test_both_real_folders_at_once_and_discontinuous_cover_stream_alike(tmp_path):
    roots = [DATA / "brat-4-annotators", DATA / "brat-old-spans-conf"]
    report, _ = _same(roots, tmp_path, 2)
    assert report.files > 4
    report, _ = _same(roots, tmp_path / "..", 1, discontinuous="cover")
    assert report.spans_added > 0


def test_a_folder_with_events_is_read_whole(tmp_path):
    root = DATA / "brat-standoff-features"
    with streaming(1):
        assert not isinstance(read_annotations("brat", [root]), task_stream.TaskScan)
    report, _ = _same([root], tmp_path, 1)
    assert report.relations_added > 0


@PROPERTY
@given(projects_with_relations(cross=False))
def test_any_project_exported_to_brat_streams_to_what_the_whole_read_writes(data):
    docs, spans, relations = data
    folder = Path(tempfile.mkdtemp())
    try:
        with Project.open(folder / "a.db") as source:
            _fill_relations(source, docs, spans, relations)
            export_project(source, "brat", folder / "brat", ExportOptions(layer=ALL_LAYERS))
        _same([folder / "brat"], folder, 1)
    finally:
        shutil.rmtree(folder)


def _exported(folder: Path, count: int = 30) -> Path:
    """A folder of ``count`` pairs (gold, two spans each) and its conf."""
    with Project.open(folder / "source.db") as source:
        added = source.add_documents(NewDocument(f"doc{i}", f"{TEXTS[i % 3]}\n{i}")
                                     for i in range(count))
        source.add_spans(span for doc in added for span in (
            NewSpan(doc.id, GOLD, 0, 3, "CLAIM"), NewSpan(doc.id, GOLD, 4, 10, "ENTITY")))
        export_project(source, "brat", folder / "brat", ExportOptions(layer=GOLD))
    assert len(list((folder / "brat").glob("*.ann"))) == count
    return folder / "brat"


def test_an_error_in_the_last_pair_is_named_and_nothing_is_written(tmp_path):
    root = _exported(tmp_path)
    last = sorted(root.glob("*.ann"))[-1]
    word = last.with_suffix(".txt").read_text(encoding="utf-8")[:3]
    last.write_text(f"T1\tCLAIM 0 3\t{word}\nT2\tCLAIM 0 99999\tx\n", encoding="utf-8")
    with streaming(batch=2), Project.open(tmp_path / "p.db") as project:
        before = rows(project)
        with pytest.raises(InputError, match=rf"{last.name}:2: offsets '0 99999' outside the text"):
            import_annotations(project, "brat", [root], add_labels=True)
        assert rows(project) == before


@pytest.mark.parametrize("change", ["touch", "add", "remove"])
def test_a_pair_changed_between_the_passes_is_refused_and_nothing_kept(tmp_path, change):
    root = _exported(tmp_path)
    with Project.open(tmp_path / "p.db") as project:
        before = rows(project)
        with streaming(batch=2):
            parsed = read_annotations("brat", [root])
            ann = sorted(root.glob("*.ann"))[5]
            if change == "touch":
                stat = ann.stat()
                os.utime(ann, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
            elif change == "add":
                (root / "zz-new.txt").write_text("نص جديد", encoding="utf-8")
            else:
                ann.unlink()
            with pytest.raises(InputError, match=r"brat: changed while it was being imported"):
                apply_import(project, parsed, add_labels=True)
        assert rows(project) == before


def test_a_cancel_at_each_progress_report_writes_nothing(tmp_path):
    root = _exported(tmp_path, 12)
    seen: list[tuple[int, int]] = []
    with streaming(batch=3, report_every=200), Project.open(tmp_path / "p.db") as project:
        import_annotations(project, "brat", [root], add_labels=True,
                           progress=lambda *a: seen.append(a))
    total = 2 * sum(p.stat().st_size for p in root.glob("*.*") if p.suffix in (".txt", ".ann"))
    assert seen[-1] == (total, total) and {t for _, t in seen} == {total}
    assert any(d < total // 2 for d, _ in seen) and any(total // 2 < d < total for d, _ in seen)
    cancel_at_every_report(tmp_path, len(seen), dict(batch=3, report_every=200),
                           lambda project, progress: import_annotations(project, "brat", [root], add_labels=True, progress=progress))
