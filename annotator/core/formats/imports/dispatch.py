"""One entry point for every annotation import, used by the CLI and the GUI.

Reading parses and checks every file before the project is touched; then
``apply_import`` writes everything in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.core.bulk import bulk
from annotator.core.errors import InputError, ValidationError
from annotator.core.formats import brat, conll, doccano, labelstudio, own_jsonl
from annotator.core.formats.imports import brat_stream, conll_stream, own_stream, task_stream
from annotator.core.formats.imports.apply import (
    ImportReport,
    ParsedImport,
    StreamedImport,
    apply_import,
)
from annotator.core.formats.textmap import OffsetUnits
from annotator.core.store.project import Project

IMPORT_FORMATS = ("own", "doccano", "labelstudio", "brat", "conll")
# File suffixes a folder is searched for, per format (brat takes the folder itself).
_SUFFIXES = {"own": {".jsonl", ".ndjson"}, "doccano": {".jsonl", ".ndjson", ".json"},
             "labelstudio": {".json", ".jsonl"}, "conll": {".conll", ".txt", ".bio", ".tsv"}}


@bulk
def read_annotations(fmt: str, paths: Iterable[str | Path], *,
                     offset_units: OffsetUnits | None = None,
                     discontinuous: str = "skip",
                     tag_columns: list[int] | None = None,
                     progress: Callable[[int, int], None] | None = None
                     ) -> ParsedImport | StreamedImport:
    """Parse every path; raises InputError naming file and line. Own JSONL,
    doccano JSONL, Label Studio and CoNLL files and brat folders of
    STREAM_AT_BYTES or more are checked a task (a CoNLL document, a brat
    pair) at a time and written later in batches (own_stream, task_stream,
    conll_stream, brat_stream), not held whole.
    ``offset_units`` None: doccano and Label Studio decide per document;
    ``discontinuous``: brat's discontinuous spans, "skip" or "cover";
    ``tag_columns``: CoNLL's tag columns (1-based), None for the default."""
    if fmt not in IMPORT_FORMATS:
        raise ValidationError(f"unknown import format {fmt!r} (one of {', '.join(IMPORT_FORMATS)})")
    paths = list(paths)
    parsed = ParsedImport()
    if fmt == "brat":
        streamed = brat_stream.scan([Path(raw) for raw in paths], discontinuous, progress)
        if streamed is not None:
            return streamed
        for raw in paths:
            brat.read(Path(raw), parsed, discontinuous=discontinuous)
    else:
        files = [f for raw in paths for f in _files(Path(raw), _SUFFIXES[fmt])]
        if fmt in ("own", "doccano", "labelstudio", "conll"):
            streamed = own_stream.scan(files, progress) if fmt == "own" \
                else conll_stream.scan(files, tag_columns, progress) if fmt == "conll" \
                else task_stream.scan(fmt, files, offset_units, progress)
            if streamed is not None:
                return streamed
        for file in files:
            if fmt == "own":
                own_jsonl.read(file, parsed)
            elif fmt == "doccano":
                doccano.read(file, parsed, units=offset_units)
            elif fmt == "labelstudio":
                labelstudio.read(file, parsed, units=offset_units)
            else:
                conll.read(file, parsed, tag_columns=tag_columns)
    if not parsed.documents:
        skipped = f" ({'; '.join(parsed.notes)})" if parsed.notes else ""
        raise ValidationError("no documents found in " + ", ".join(str(p) for p in paths) + skipped)
    return parsed


def _files(path: Path, suffixes: set[str]) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        if not found:
            raise InputError(path, f"folder holds no {', '.join(sorted(suffixes))} files")
        return found
    if path.exists():  # a file, or a FIFO or device the reader refuses by name
        return [path]
    raise InputError(path, "no such file or folder")


def import_annotations(project: Project, fmt: str, paths: Iterable[str | Path], *,
                       annotator: str | None = None, add_labels: bool = False,
                       offset_units: OffsetUnits | None = None,
                       discontinuous: str = "skip",
                       tag_columns: list[int] | None = None,
                       progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Read, check and write one import; ``progress`` as for apply_import."""
    parsed = read_annotations(fmt, paths, offset_units=offset_units, discontinuous=discontinuous,
                              tag_columns=tag_columns, progress=progress)
    return apply_import(project, parsed, annotator=annotator, add_labels=add_labels,
                        keep_ids=fmt == "own", progress=progress)


DOCUMENT_FORMATS = ("text", "jsonl")


def import_any(project: Project, fmt: str, paths: Iterable[str | Path], *,
               annotator: str | None = None, add_labels: bool = False,
               offset_units: OffsetUnits | None = None,
               progress: Callable[[int, int], None] | None = None) -> str:
    """Every import the CLI offers (documents or annotations), for the GUI;
    returns the one-line summary. All or nothing, like the CLI."""
    from annotator.core.formats.imports.plain_text import import_paths

    paths = [Path(p) for p in paths]
    if fmt not in DOCUMENT_FORMATS:
        report = import_annotations(project, fmt, paths, annotator=annotator, add_labels=add_labels,
                                    offset_units=offset_units, progress=progress)
        # What was skipped (brat events, relations ...) is part of the answer.
        return "\n".join([report.summary(), *report.notes])
    return import_paths(project, paths, as_jsonl=fmt == "jsonl").summary()
