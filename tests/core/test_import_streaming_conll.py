"""CoNLL imported in streaming passes (issue 15): the project and report are
those of the whole read, batch size 1, 2 or 500, on the real files in
tests/data/conll and on generated ones (tag columns, IOB1, -DOCSTART-,
numbered tokens, errors); errors and changed files leave it unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.formats.imports import task_stream
from annotator.core.formats.imports.apply import apply_import
from annotator.core.formats.imports.dispatch import import_annotations, read_annotations
from annotator.core.store import Project
from tests.core.test_formats_roundtrip import PROPERTY
from tests.core.test_import_streaming import cancel_at_every_report, rows, streaming, whole

DATA = Path(__file__).resolve().parent.parent / "data" / "conll"
REAL = sorted(p.name for p in DATA.iterdir())


def _import(paths: list[Path], db: Path, **options):
    """(report, rows) of the import, or the error's text and rows."""
    with Project.open(db) as project:
        try:
            report = import_annotations(project, "conll", paths, add_labels=True, **options)
        except AnnotatorError as exc:
            return str(exc), rows(project)
        return report, rows(project)


def _same(paths: list[Path], folder: Path, batch: int, chunk: int = 1 << 20, **options):
    """``chunk``: bytes read at a time, so that lines, CRLFs and UTF-8
    sequences are cut at a chunk's end."""
    with whole():
        expected = _import(paths, folder / "whole.db", **options)
    with streaming(batch, report_every=chunk):
        got = _import(paths, folder / f"streamed{batch}.db", **options)
    assert got == expected
    return got


@pytest.mark.parametrize("batch", [1, 2, 500])
@pytest.mark.parametrize("name", REAL)
def test_the_real_files_stream_to_what_the_whole_read_writes(tmp_path, name, batch):
    with streaming(batch):
        assert isinstance(read_annotations("conll", [DATA / name]), task_stream.TaskScan)
    report, got = _same([DATA / name], tmp_path, batch, chunk=7)
    assert report.spans_added > 0 and got["spans"]


def test_the_real_files_together_and_a_tag_column_stream_alike(tmp_path):
    report, _ = _same([DATA / name for name in REAL], tmp_path, 2)
    assert report.files == len(REAL) and report.notes
    report, _ = _same([DATA / "conll2003-iob1.txt"], tmp_path / "..", 1, tag_columns=[3])
    assert report.spans_added > 0


TOKENS = ["قال", "الوزير", "😀", "سيوقّع", "ستـــستأنف", "أعلنت\u200cالحكومة", "CNN:", "."]
TAGS = ["O", "O", "B-CLAIM", "I-CLAIM", "E-CLAIM", "S-DATE", "B-DATE", "I-DATE", "L-ENTITY",
        "U-ENTITY", "I-ENTITY", "_", "-X-", "NNP"]


@st.composite
def conll_files(draw) -> str:
    columns = draw(st.integers(1, 3))
    sep = draw(st.sampled_from(["\t", " "]))
    numbered = draw(st.booleans())
    lines = []
    if draw(st.booleans()):
        lines.append("-DOCSTART- -X- O")
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 4)) == 0:
            lines += ["", "-DOCSTART- -X- O"]
        for number in range(1, draw(st.integers(1, 5)) + 1):
            fields = [str(number)] if numbered else []
            fields.append(draw(st.sampled_from(TOKENS)))
            width = columns if sep == "\t" else draw(st.integers(1, columns))
            fields += [draw(st.sampled_from(TAGS)) for _ in range(width)]
            lines.append(sep.join(fields))
        lines.append("")
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ("\ufeff" if draw(st.booleans()) else "") + ending.join(lines) + ending


@PROPERTY
@given(conll_files(), st.sampled_from([1, 2, 500]), st.sampled_from([1, 5, 64, 1 << 20]))
@example("\ufeff\n-DOCSTART- -X- O\nقال\tO\n\n", 1, 1)  # a BOM cut over three chunks
def test_any_file_streams_to_what_the_whole_read_writes_or_refuses(text, batch, chunk):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "x.conll"
        path.write_bytes(text.encode("utf-8"))
        _same([path], folder, batch, chunk)


def _long(path: Path, last: str) -> Path:
    lines = [f"قال\tB-CLAIM\nالوزير\tI-CLAIM\n{i}\tO\n" for i in range(300)]
    path.write_text("\n".join(lines) + "\n" + last, encoding="utf-8")
    return path


def test_an_error_in_the_last_document_is_named_and_nothing_is_written(tmp_path):
    path = _long(tmp_path / "long.conll", "قال\tO\nالوزير\tI-CLAIM\n")
    with streaming(batch=2), Project.open(tmp_path / "p.db") as project:
        before = rows(project)
        with pytest.raises(InputError, match=r"long\.conll:1202: invalid BIO: I-CLAIM follows O"):
            read_annotations("conll", [path])
        with pytest.raises(InputError, match=r"long\.conll:1202: invalid BIO"):
            import_annotations(project, "conll", [path])
        assert rows(project) == before


def test_a_file_changed_between_the_passes_is_refused_and_nothing_kept(tmp_path):
    path = _long(tmp_path / "long.conll", "")
    with Project.open(tmp_path / "p.db") as project:
        before = rows(project)
        with streaming(batch=2):
            parsed = read_annotations("conll", [path])
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
            with pytest.raises(InputError, match=r"long\.conll: changed while it was being imported"):
                apply_import(project, parsed)
        assert rows(project) == before


def test_a_cancel_at_each_progress_report_writes_nothing(tmp_path):
    path = _long(tmp_path / "long.conll", "")
    seen: list[tuple[int, int]] = []
    with streaming(batch=50, report_every=4096), Project.open(tmp_path / "p.db") as project:
        import_annotations(project, "conll", [path], progress=lambda *a: seen.append(a))
    total = 3 * path.stat().st_size  # the layout read, the check, the write
    assert seen[-1] == (total, total) and {t for _, t in seen} == {total}
    assert any(total // 3 < d < 2 * total // 3 for d, _ in seen) and any(2 * total // 3 < d < total
                                                                        for d, _ in seen)
    cancel_at_every_report(tmp_path, len(seen), dict(batch=50, report_every=4096),
                           lambda project, progress: import_annotations(project, "conll", [path], progress=progress))
