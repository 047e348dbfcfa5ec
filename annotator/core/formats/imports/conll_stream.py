"""CoNLL files imported in streaming passes (issue 15), with task_stream's
machinery: a document (the sentences between -DOCSTART- lines, or one
sentence) is its task, so memory is bounded by a batch of documents.

A CoNLL file's tag columns and their IOB schemes are decided from the
whole file (conll.decide). So pass 1 reads each file twice: once to learn
its layout (conll.Shape), once to decode every document with it, which
finds every error the whole read finds, in the same order, and the first
use of each label. Pass 2 decodes again and writes, in the import's one
transaction. All reads of a file must see the same bytes, else the import
is refused and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.formats import conll
from annotator.core.formats.imports import line_files as lf
from annotator.core.formats.imports.apply import ParsedImport
from annotator.core.formats.imports.line_files import NotStreamable
from annotator.core.formats.imports.task_stream import Reader, TaskScan, scan_tasks


class _Layouts:
    """Each file's layout, learnt in pass 1, for the reads that follow."""

    def __init__(self, tag_columns: list[int] | None, passes: lf.Passes) -> None:
        self.tag_columns, self.passes = tag_columns, passes
        self.found: dict[Path, tuple[conll.Layout | None, bool, list[str]]] = {}
        self.stamps: dict[Path, lf.Stamp] = {}

    def reader(self) -> Reader:
        return Reader(self.task, lambda: [0], self.notes, self.items, self.whole)

    def learn(self, path: Path) -> None:
        hasher = self.passes.hasher()
        shape = conll.Shape()
        for _ in conll.events_of(path, lf.every_line(path, hasher, False), shape):
            pass
        notes: list[str] = []
        self.found[path] = (conll.decide(path, shape, self.tag_columns, notes), shape.docstart, notes)
        self.stamps[path] = lf.stamp(path, hasher)

    def items(self, path: Path, hasher: Any, checked: bool) -> Iterator[tuple[int, Any]]:
        if not checked:
            self.learn(path)  # file by file, so that errors come in the whole read's order
        layout, docstart, _ = self.found[path]
        events = conll.events_of(path, lf.every_line(path, hasher, checked))
        for document in conll.documents_of(events, docstart):
            yield document[0][0][0], layout.shifted(document)

    def task(self, path: Path, lineno: int, document: list, parsed: ParsedImport, units: Any,
             nested: list[int]) -> None:
        layout = self.found[path][0]
        nested[0] += conll.add_document(path, document, layout.columns, layout.iob1, parsed)

    def notes(self, path: Path, nested: list[int]) -> list[str]:
        return self.found[path][2] + conll.nested_note(path, nested[0])

    def whole(self, path: Path, parsed: ParsedImport, units: Any = None) -> None:
        conll.read(path, parsed, tag_columns=self.tag_columns)


def scan(paths: list[Path], tag_columns: list[int] | None,
         progress: lf.Progress | None = None) -> TaskScan | None:
    """Pass 1 over CoNLL files; None when they are better read whole.
    Raises InputError (file and line) for what the whole read refuses."""
    try:
        if not lf.worth_streaming(paths):
            return None
        passes = lf.Passes(paths, progress)
        passes.total = passes.total // 2 * 3  # the layout read, the check and the write
        layouts = _Layouts(tag_columns, passes)
        found = scan_tasks(layouts.reader(), paths, None, passes)
        if found is not None:
            for path, before in zip(found.files, found.stamps):
                if layouts.stamps[path] != before:
                    raise lf.changed(path)
        return found
    except NotStreamable:
        return None
