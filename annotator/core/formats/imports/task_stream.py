"""doccano JSONL and Label Studio JSON / JSONL imported in two streaming
passes (issue 15), like own_stream: memory bounded by a batch of tasks (a
line, or an item of the top-level array), not by the file.

Pass 1 (``scan``), before the project is opened, reads every task with the
format's own reader (``doccano.read_line``, ``labelstudio.read_task``:
every check a whole read makes of it) and keeps only the first use of each
layer, label and relation type, the names it renamed (spaces) and each
file's notes. Pass 2 (``TaskScan.apply``) reads the files again in the
import's one transaction and writes 500 tasks at a time: documents already
in the project are matched by SHA-256 and duplicate spans kept once, across
batches as in one. A file changed between the passes is refused and the
transaction rolled back.

These tasks name no ids and relate only spans of the same task, so any
project can take a streamed import. A file a whole read would take
differently (not UTF-8, a CR, a JSON document spread over lines where
lines are expected) is read whole, as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.core.formats import doccano, labelstudio
from annotator.core.formats.imports import line_files as lf
from annotator.core.formats.imports import relations as rel
from annotator.core.formats.imports.apply import (
    ImportReport,
    ParsedImport,
    add_labels_and_layers,
    add_relation_types,
    apply_import,
    check_labels,
    check_layer,
)
from annotator.core.formats.imports.line_files import NotStreamable
from annotator.core.formats.imports.names import rename_spaces, spaces_note
from annotator.core.formats.imports.plain_text import parse_json_line
from annotator.core.formats.textmap import OffsetUnits
from annotator.core.model import GOLD, NewSpan
from annotator.core.store.project import Project


@dataclass(frozen=True)
class Reader:
    """How one tool's files are read a task at a time."""

    # One task into a ParsedImport: (path, line, task, parsed, units, state).
    task: Callable[..., None]
    state: Callable[[], Any]  # a file's fresh note counters
    notes: Callable[[Path, Any], list[str]]  # the report's notes from them
    # (line, task) of every task of a file; (path, hasher, checked).
    items: Callable[[Path, Any, bool], Iterator[tuple[int, Any]]]
    whole: Callable[..., None]  # the whole read of one file: (path, parsed, units=)


def _json_lines(path: Path, hasher: Any, checked: bool) -> Iterator[tuple[int, Any]]:
    for _, lineno, text in lf.lines(path, hasher, checked):
        yield lineno, parse_json_line(text, path, lineno)


def _doccano_items(path: Path, hasher: Any, checked: bool) -> Iterator[tuple[int, Any]]:
    first = True
    for _, lineno, text in lf.lines(path, hasher, checked):
        try:
            record = parse_json_line(text, path, lineno)
        except InputError:
            if not first:  # JSONL with a bad line: the whole read says the same
                raise
            # Perhaps one JSON document spread over lines, which the whole
            # read takes; if not, it says what is wrong.
            raise NotStreamable("not one JSON object per line") from None
        first = False
        yield lineno, record


def _labelstudio_items(path: Path, hasher: Any, checked: bool) -> Iterator[tuple[int, Any]]:
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        yield from _json_lines(path, hasher, checked)
    else:
        for _, lineno, task in lf.array_items(path, hasher, checked):
            yield lineno, task


READERS = {
    "doccano": Reader(doccano.read_line, doccano.FileNotes, lambda path, notes: notes.notes(path),
                      _doccano_items, doccano.read),
    "labelstudio": Reader(labelstudio.read_task, lambda: defaultdict(int), labelstudio.file_notes,
                          _labelstudio_items, labelstudio.read),
}


@dataclass
class TaskScan:
    """What pass 1 learnt; ``apply_import`` calls ``apply``."""

    reader: Reader
    files: list[Path]
    units: OffsetUnits | None
    passes: lf.Passes
    stamps: list[lf.Stamp] = field(default_factory=list)
    uses: lf.FirstUses = field(default_factory=lf.FirstUses)
    notes: list[str] = field(default_factory=list)  # each file's, in order
    renamed_labels: dict[str, str] = field(default_factory=dict)
    renamed_types: dict[str, str] = field(default_factory=dict)
    # What a format declares beside its tasks (brat's annotation.conf).
    declared: ParsedImport = field(default_factory=ParsedImport)
    file_count: int | None = None  # the report's files, when not one per path

    def apply(self, project: Project, *, annotator: str | None, add_labels: bool,
              keep_ids: bool, progress: lf.Progress | None = None) -> ImportReport:
        self.passes.progress = progress or self.passes.progress
        try:
            return self._apply(project, annotator, add_labels)
        except NotStreamable:  # rolled back: nothing was written
            parsed = ParsedImport()
            for path in self.files:
                self.reader.whole(path, parsed, units=self.units)
            return apply_import(project, parsed, annotator=annotator, add_labels=add_labels,
                                keep_ids=keep_ids, progress=progress)

    def _apply(self, project: Project, annotator: str | None, add_labels: bool) -> ImportReport:
        if annotator is not None:
            check_layer(annotator, None)
        layers: dict[str, tuple[str, int]] = {}
        for layer, origin in self.uses.layers.items():
            layers.setdefault(annotator or layer, origin)
        for layer, origin in layers.items():
            check_layer(layer, origin)
        shown = self.uses.shown()
        shown.declared_labels = self.declared.declared_labels
        shown.declared_relation_types = self.declared.declared_relation_types
        new_labels = check_labels(project, shown, add_labels)
        new_types = rel.relation_types_to_add(project, shown, add_labels, new_labels)
        notes = self.notes + spaces_note({**self.renamed_labels, **self.renamed_types})
        files = len(self.files) if self.file_count is None else self.file_count
        report = ImportReport(files=files, notes=notes, labels_added=list(new_labels),
                              relation_types_added=[t.name for t in new_types])
        with project.transaction():  # drops its caches itself if it rolls back
            first_new = project.first_unused_id("documents")
            add_labels_and_layers(project, new_labels, list(layers))
            add_relation_types(project, new_types, shown.relations)
            matched: set[int] = set()  # documents that were in the project before
            for index, path in enumerate(self.files):
                hasher = self.passes.hasher()
                with lf.same_file(path, self.stamps[index]):
                    for batch in lf.batches(self.reader.items(path, hasher, True)):
                        self._write_batch(project, path, batch, annotator, first_new, matched,
                                          report)
                if lf.stamp(path, hasher) != self.stamps[index]:
                    raise lf.changed(path)
            self.passes.tell(final=True)  # the last chance to cancel: still in the transaction
        report.documents_matched = len(matched)
        return report

    def _write_batch(self, project: Project, path: Path, batch: list[tuple[int, Any]],
                     annotator: str | None, first_new: int, matched: set[int],
                     report: ImportReport) -> None:
        parsed = ParsedImport()
        try:
            for lineno, task in batch:
                self.reader.task(path, lineno, task, parsed, self.units, self.reader.state())
        except InputError:
            raise lf.changed(path) from None  # pass 1 read every task without error
        rename_spaces(parsed, {}, {})
        keys = list(parsed.documents)
        added = project.add_documents(parsed.documents[key].document for key in keys)
        ids = {key: result.id for key, result in zip(keys, added)}
        report.documents_added += sum(result.added for result in added)
        matched.update(result.id for result in added if result.id < first_new)
        spans = parsed.spans
        layer_of = [annotator or span.layer or GOLD for span in spans]
        result = project.add_spans(
            NewSpan(ids[s.document], layer, s.start, s.end, s.label, s.attributes, s.note,
                    s.provenance, s.origin) for s, layer in zip(spans, layer_of))
        written = None
        if parsed.relations:
            span_ids = {id(span): span_id for span, span_id in zip(spans, result.ids)}
            layer_by_span = {id(span): layer for span, layer in zip(spans, layer_of)}
            written = project.add_relations(rel.new_relations(parsed, span_ids, layer_by_span))
        report.count_batch(result, written)


def scan(fmt: str, paths: list[Path], units: OffsetUnits | None,
         progress: lf.Progress | None = None) -> TaskScan | None:
    """Pass 1 over doccano or Label Studio files; None when they are better
    read whole. Raises InputError (file and line) for what the whole read
    refuses in a task."""
    try:
        if not lf.worth_streaming(paths):
            return None
        return scan_tasks(READERS[fmt], paths, units, lf.Passes(paths, progress))
    except NotStreamable:
        return None


def scan_tasks(reader: Reader, paths: list[Path], units: OffsetUnits | None,
               passes: lf.Passes, found: TaskScan | None = None) -> TaskScan | None:
    """Pass 1 of ``reader``'s tasks in ``paths`` (into ``found``, if given);
    None without documents. Raises NotStreamable, and InputError as the
    whole read does."""
    found = found or TaskScan(reader, list(paths), units, passes)
    documents = 0
    for path in paths:
        hasher = found.passes.hasher()
        notes = reader.state()
        for lineno, task in reader.items(path, hasher, False):
            line = ParsedImport()
            reader.task(path, lineno, task, line, units, notes)
            _note_line(found, line, lineno, len(found.stamps))
            documents += len(line.documents)
        found.stamps.append(lf.stamp(path, hasher))
        found.notes.extend(reader.notes(path, notes))
    return found if documents else None


def _note_line(found: TaskScan, line: ParsedImport, lineno: int, file_index: int) -> None:
    rename_spaces(line, found.renamed_labels, found.renamed_types)
    rel.check_relations(line, {id(s): s.layer for s in line.spans})
    for span in line.spans:
        found.uses.note_span(span, span.layer or GOLD)
    for number, relation in enumerate(line.relations):
        found.uses.note_relation(relation, (file_index, lineno, number), cross=False)
