"""Reading JSONL files line by line, twice, for imports that stream
(own_stream, task_stream): what both passes share.

A file is streamed only when a whole read would take it exactly as it is:
UTF-8 (with or without a BOM), no CR inside a line, no control character;
anything else raises NotStreamable and the import reads the file whole, so
that it is accepted or refused in that read's own words.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.formats.imports import json_input
from annotator.core.formats.imports.apply import ParsedImport, ParsedRelation, ParsedSpan
from annotator.core.text.encoding import MAX_FILE_BYTES

STREAM_AT_BYTES = 8 * 1024 * 1024  # files together at least this big stream
BATCH_LINES = 500
REPORT_EVERY = 1 << 20  # bytes read between progress reports
ARRAY_CHUNK = 1 << 20  # bytes of a JSON array read at a time
_BINARY_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # what decode_bytes refuses
_DECODER = json.JSONDecoder()
_SPACE_RUN = re.compile("[ \t\n]*")


class NotStreamable(Exception):
    """Read these files whole instead."""


@dataclass(frozen=True)
class Stamp:
    """A file as pass 1 read it; pass 2 must read the same."""

    size: int
    mtime_ns: int
    sha256: str


def worth_streaming(paths: list[Path]) -> bool:
    return sum(regular_size(p) for p in paths) >= STREAM_AT_BYTES


Progress = Callable[[int, int], None]  # (done, total), as exports report


class Passes:
    """Progress over both passes of a streamed import: bytes read of twice
    the files' size. ``progress`` may raise (a cancelled window job): in
    pass 1 nothing is written yet, in pass 2 the transaction rolls back."""

    def __init__(self, paths: list[Path], progress: Progress | None) -> None:
        self.total = 2 * sum(regular_size(p) for p in paths)
        self.done = self.told = 0
        self.progress = progress

    def hasher(self) -> "_Counted":
        """A SHA-256 for one file's pass that counts what it is given."""
        return _Counted(self)

    def tell(self, final: bool = False) -> None:
        if self.progress is not None and (final or self.done - self.told >= REPORT_EVERY):
            self.told = self.done
            self.progress(self.total if final else self.done, self.total)


class _Counted:
    def __init__(self, passes: Passes) -> None:
        self.passes, self.hash = passes, hashlib.sha256()

    def update(self, data: bytes) -> None:
        self.hash.update(data)
        self.passes.done += len(data)
        self.passes.tell()

    def add_file(self, path: Path) -> None:
        """A file another reader reads whole (a brat pair's): its name, size
        and mtime, taken before that read, go into the hash, its size into
        the progress. An absent file is hashed as absent."""
        try:
            info = os.stat(path)
        except FileNotFoundError:
            self.hash.update(f"{path}\0absent\0".encode())
            return
        self.hash.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        self.passes.done += info.st_size
        self.passes.tell()

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def lines(path: Path, hasher: "hashlib._Hash", checked: bool = False) -> Iterator[tuple[int, int, str]]:
    """(byte offset, line number, text) of each non-blank line, hashing
    every byte read. ``checked``: pass 2, which the hash guards, skips the
    character check."""
    regular_size(path)
    offset = 0
    with open(path, "rb") as file:
        for lineno, raw in enumerate(file, start=1):
            hasher.update(raw)
            start, offset = offset, offset + len(raw)
            if lineno == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise NotStreamable("UTF-16 or UTF-32")
                if raw.startswith(b"\xef\xbb\xbf"):
                    raw, start = raw[3:], start + 3
            text = decode(raw, checked)
            if text.strip():
                yield start, lineno, text


def every_line(path: Path, hasher: "hashlib._Hash", checked: bool = False) -> Iterator[tuple[int, str]]:
    """(line number, text) of every line, blank ones too, read ARRAY_CHUNK
    bytes at a time, hashing every byte read: as ``lines`` would see them,
    at a fraction of its cost per line, for formats of many short lines
    (CoNLL). NotStreamable as for ``lines``."""
    regular_size(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    lineno, rest, first = 0, "", True
    with open(path, "rb") as file:
        while True:
            data = file.read(ARRAY_CHUNK)
            hasher.update(data)
            if first and data.startswith((b"\xff\xfe", b"\xfe\xff")):  # else not UTF-8 below
                raise NotStreamable("UTF-16 or UTF-32")
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError:
                raise NotStreamable("not UTF-8") from None
            if first and text:  # a BOM may come in pieces when chunks are small
                text, first = text.removeprefix("\ufeff"), False
            if not checked and _BINARY_CONTROL.search(text):
                raise NotStreamable("control characters")
            joined = rest + text
            pieces = joined.split("\n")
            rest = pieces.pop() if data else ""  # the line the next chunk goes on with
            if "\r" in joined:  # CRLF ends are the whole read's LF; any other CR is not
                pieces = [p[:-1] if p.endswith("\r") else p for p in pieces]
                if any("\r" in p for p in pieces):
                    raise NotStreamable("a CR inside a line")
            if len(rest) > MAX_FILE_BYTES:
                raise NotStreamable("a line over the limit")
            for piece in pieces:
                lineno += 1
                yield lineno, piece
            if not data:
                return


def array_items(path: Path, hasher: "hashlib._Hash", checked: bool = False,
                chunk: int | None = None) -> Iterator[tuple[int, int, Any]]:
    """(0, line number, item) of each item of a file holding one JSON array,
    read a chunk at a time, hashing every byte read: what
    ``reading.json_array_items`` yields, without the whole text. The line
    is where the item starts. NotStreamable for anything else (a lone
    object, malformed JSON, a CR), which the whole read then reports."""
    regular_size(path)
    chunk = chunk or ARRAY_CHUNK
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer, at, line, started = "", 0, 1, False
    with open(path, "rb") as file:
        def more() -> bool:
            nonlocal buffer, at
            data = file.read(chunk)
            hasher.update(data)
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError:
                raise NotStreamable("not UTF-8") from None
            if "\r" in text or (not checked and _BINARY_CONTROL.search(text)):
                raise NotStreamable("a CR or a control character")
            if not started and not buffer and text.startswith("\ufeff"):
                text = text[1:]
            if data:  # at the end the buffer stays as it is: callers hold offsets into it
                buffer, at = buffer[at:] + text, 0
            return bool(data)

        def skip() -> None:
            nonlocal at, line
            while True:
                end = _SPACE_RUN.match(buffer, at).end()  # no copy of the buffer's rest
                line += buffer.count("\n", at, end)
                at = end
                if at < len(buffer) or not more():
                    return

        skip()
        if not buffer[at:at + 1] == "[":
            raise NotStreamable("not a JSON array")
        at, started = at + 1, True
        skip()
        if buffer[at:at + 1] == "]":
            at += 1
        else:
            while True:
                item = _next_item(more, lambda: (buffer, at))
                value, end = item
                yield 0, line, value
                line += buffer.count("\n", at, end)
                at = end
                skip()
                sign = buffer[at:at + 1]
                at += 1
                if sign == "]":
                    break
                if sign != ",":
                    raise NotStreamable("malformed JSON between items")
                skip()
        skip()
        if at < len(buffer):
            raise NotStreamable("data after the array")


def _next_item(more, where) -> tuple[Any, int]:
    """Decode the item at the buffer's position, reading more until it is
    whole; the character after it must be in the buffer too, so that a
    number or word cut by a chunk's end is never taken as whole."""
    while True:
        buffer, at = where()
        try:
            value, end = _DECODER.raw_decode(buffer, at)
        except json.JSONDecodeError:
            value, end = None, -1
        except (RecursionError, ValueError):
            raise NotStreamable("JSON the whole read refuses in its own words") from None
        if end != -1 and (end < len(buffer) or not more()):
            if json_input.may_hold_surrogates(buffer[at:end]):
                raise NotStreamable("a surrogate escape")
            return value, end
        if end == -1 and not more():
            raise NotStreamable("malformed JSON")


def batches(items: Iterator, size: int | None = None) -> Iterator[list]:
    """``items`` in lists of BATCH_LINES (or ``size``)."""
    size = size or BATCH_LINES
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def decode(raw: bytes, checked: bool = False) -> str:
    """One line's text, as the whole read would see it."""
    if len(raw) > MAX_FILE_BYTES:
        raise NotStreamable("a line over the limit")
    body = raw[:-2] if raw.endswith(b"\r\n") else raw.rstrip(b"\n")
    if b"\r" in body:
        raise NotStreamable("a CR inside a line")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise NotStreamable("not UTF-8") from None
    if not checked and _BINARY_CONTROL.search(text):
        raise NotStreamable("control characters")
    return text


def regular_size(path: Path) -> int:
    try:
        info = os.stat(path)
    except OSError:
        raise NotStreamable("unreadable") from None
    if not stat.S_ISREG(info.st_mode):
        raise NotStreamable("not a regular file")
    return info.st_size


def stamp(path: Path, hasher: "hashlib._Hash") -> Stamp:
    info = os.stat(path)
    return Stamp(info.st_size, info.st_mtime_ns, hasher.hexdigest())


def changed(path: Path) -> InputError:
    return InputError(path, "changed while it was being imported; nothing was imported")


@contextmanager
def same_file(path: Path, before: Stamp) -> Iterator[None]:
    """Around pass 2 of one file: an error there from a file changed since
    pass 1 is reported as that change, not as what the new bytes hold."""
    try:
        yield
    except AnnotatorError:
        info = os.stat(path)
        if (info.st_size, info.st_mtime_ns) != (before.size, before.mtime_ns):
            raise changed(path) from None
        raise


@dataclass
class FirstUses:
    """What the label, layer and relation type checks of ``apply_import``
    look at, kept from pass 1 without the spans themselves: the first use
    of each layer and label (with every attribute key the label's spans
    use), and one relation per (type, source label, target label,
    undirected, across documents) at its first place in the files."""

    layers: dict[str, tuple[str, int]] = field(default_factory=dict)
    labels: dict[str, ParsedSpan] = field(default_factory=dict)
    relations: dict[tuple, tuple[tuple, ParsedRelation]] = field(default_factory=dict)

    def note_span(self, span: ParsedSpan, layer: str) -> None:
        self.layers.setdefault(layer, span.origin)
        known = self.labels.get(span.label)
        if known is None:
            self.labels[span.label] = ParsedSpan("", span.layer, 0, 1, span.label,
                                                 dict.fromkeys(span.attributes), origin=span.origin)
        else:
            for key in span.attributes:
                known.attributes.setdefault(key, None)

    def note_relation(self, relation: ParsedRelation, where: tuple, cross: bool) -> None:
        key = (relation.type, relation.source.label, relation.target.label, relation.undirected,
               cross)
        if key not in self.relations or where < self.relations[key][0]:
            source = ParsedSpan("a", None, 0, 1, relation.source.label)
            target = ParsedSpan("b" if cross else "a", None, 0, 1, relation.target.label)
            self.relations[key] = (where, ParsedRelation(relation.type, source, target,
                                                         origin=relation.origin,
                                                         undirected=relation.undirected))

    def shown(self) -> ParsedImport:
        """A ParsedImport holding only these first uses, in file order."""
        ordered = sorted(self.relations.values(), key=lambda item: item[0])
        return ParsedImport(spans=list(self.labels.values()), relations=[r for _, r in ordered])
