"""Reading other tools' files: decoding and JSON with file:line errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.formats.imports import json_input
from annotator.core.text.encoding import decode_bytes, read_bytes, read_text_file
from annotator.core.errors import InputError
from annotator.core.formats.imports.plain_text import parse_json_line


def read_canonical(path: Path) -> str:
    """A text file's canonical text (DESIGN §3)."""
    return read_text_file(path).text


def read_raw(path: Path) -> str:
    """A file decoded but not canonicalised: another tool's offsets count
    its CRs and BOM, so they are mapped with textmap.OffsetMap."""
    data = read_bytes(path)
    decoded = decode_bytes(data, path)
    encoding = {"utf-8-sig": "utf-8"}.get(decoded.encoding, decoded.encoding)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace")


def json_lines(text: str, path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank JSONL line."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield lineno, parse_json_line(line, path, lineno)


def json_array_items(text: str, path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, item) for each item of a top-level JSON array (or the
    single top-level object), so errors can name the line an item starts on."""
    surrogates = json_input.may_hold_surrogates(text)
    index = _skip_space(text, 0)
    number = 0
    _line_at = _LineCounter(text)  # counting from the start each time was quadratic
    if text.startswith("[", index):
        index = _skip_space(text, index + 1)
        if text.startswith("]", index):
            return
        while True:
            start = index
            number += 1
            item, index = _decode(text, index, path, surrogates, f"item {number}: ")
            yield _line_at(text, start), item
            index = _skip_space(text, index)
            if text.startswith(",", index):
                index = _skip_space(text, index + 1)
                continue
            if text.startswith("]", index):
                index = _skip_space(text, index + 1)
                break
            raise InputError(path, "malformed JSON: expected ',' or ']'", _line_at(text, index))
    else:
        start = index
        item, index = _decode(text, index, path, surrogates, "")
        yield _line_at(text, start), item
        index = _skip_space(text, index)
    if index < len(text):
        raise InputError(path, "malformed JSON: extra data after the end", _line_at(text, index))


def _decode(text: str, index: int, path: Path, surrogates: bool, what: str) -> tuple[Any, int]:
    return json_input.decode_at(text, index, path, None, surrogates, what)


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


class _LineCounter:
    """Line number of an index, for indexes that only grow (items of an
    array in order): counts only the text since the last call."""

    def __init__(self, text: str) -> None:
        self.text, self.index, self.line = text, 0, 1

    def __call__(self, text: str, index: int) -> int:
        if index < self.index:  # never in order; stay correct anyway
            return text.count("\n", 0, index) + 1
        self.line += text.count("\n", self.index, index)
        self.index = index
        return self.line
