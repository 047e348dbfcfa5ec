"""brat folders imported in streaming passes (issue 15), with task_stream's
machinery: a .txt/.ann pair is a task, read whole by brat.py's own reader,
so memory is bounded by a batch of pairs, not by the folder.

Pass 1 reads every pair (every check the whole read makes) and keeps the
first use of each label and relation type; annotation.conf's declared
labels and relation types are read once. Pass 2 reads the pairs again in
the import's one transaction and writes them a batch at a time. Each
file's name, size and mtime, taken before it is read, go into a running
hash per folder: a pair changed, added or removed between the passes
refuses the import and nothing is written.

Event lines (E) read whole: which of their arguments are stored depends on
the project and on every event of the folder (relations.drop_unmodelled_events).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.core.formats import brat
from annotator.core.formats.imports import line_files as lf
from annotator.core.formats.imports.apply import ParsedImport
from annotator.core.formats.imports.line_files import NotStreamable
from annotator.core.formats.imports.task_stream import Reader, TaskScan, scan_tasks


class _Pairs:
    def __init__(self, discontinuous: str) -> None:
        self.discontinuous = discontinuous
        self.collections: dict[Path, list[brat.Collection]] = {}

    def reader(self) -> Reader:
        return Reader(self.task, lambda: defaultdict(int), self.notes, self.items, self.whole)

    def items(self, root: Path, hasher: Any, checked: bool) -> Iterator[tuple[int, Any]]:
        number = 0
        for collection in self.collections[root]:
            for txt in collection.texts():
                hasher.add_file(txt)
                hasher.add_file(txt.with_suffix(".ann"))
                number += 1
                yield number, (collection, txt)

    def task(self, root: Path, number: int, pair: tuple[brat.Collection, Path],
             parsed: ParsedImport, units: Any, skipped: dict[str, int]) -> None:
        collection, txt = pair
        collection.read(txt, parsed, skipped, self.discontinuous)
        if any(s.optional for s in parsed.spans) or any(r.skip_as is not None
                                                       for r in parsed.relations):
            raise NotStreamable("brat events")

    def notes(self, root: Path, skipped: dict[str, int]) -> list[str]:
        return brat.skipped_notes(root, skipped, self.discontinuous)

    def whole(self, root: Path, parsed: ParsedImport, units: Any = None) -> None:
        brat.read(root, parsed, discontinuous=self.discontinuous)


def scan(roots: list[Path], discontinuous: str,
         progress: lf.Progress | None = None) -> TaskScan | None:
    """Pass 1 over brat folders; None when they are better read whole (small,
    events, or a folder the whole read refuses in its own words). Raises
    InputError (file and line) for what the whole read refuses in a pair."""
    pairs = _Pairs(discontinuous)
    declared = ParsedImport()
    size = files = 0
    try:
        for root in roots:
            pairs.collections[root] = brat.collections(root, declared, discontinuous)
            for collection in pairs.collections[root]:
                for txt in collection.texts():
                    for path in (txt, txt.with_suffix(".ann")):
                        if path.exists():
                            size += lf.regular_size(path)
                            files += 1
    except (InputError, NotStreamable):
        return None
    if size < lf.STREAM_AT_BYTES:
        return None
    passes = lf.Passes([], progress)
    passes.total = 2 * size
    reader = pairs.reader()
    found = TaskScan(reader, list(roots), None, passes, declared=declared, file_count=files)
    try:
        return scan_tasks(reader, list(roots), None, passes, found)
    except NotStreamable:
        return None
