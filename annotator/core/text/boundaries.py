"""Turning selections into span offsets and moving span boundaries.

Code points, end exclusive. Word steps treat a letter and its harakat as
one; character steps never split a cluster either.
"""

from __future__ import annotations

from typing import Literal

from annotator.core.errors import ValidationError
from annotator.core.text.segmentation import (
    cluster_end,
    cluster_start,
    is_word_char,
    snap_to_clusters,
    snap_to_words,
)

Edge = Literal["start", "end"]
Unit = Literal["word", "char"]


def selection_to_span(text: str, start: int, end: int, *, precise: bool = False) -> tuple[int, int]:
    """Offsets for a span made from a selection: whole words by default,
    clusters when ``precise``. Raises ValidationError for an empty one."""
    snapped = snap_to_clusters(text, start, end) if precise else snap_to_words(text, start, end)
    if snapped is None:
        raise ValidationError("select some text first (the selection holds no word)")
    return snapped


def _next_word_end(text: str, pos: int) -> int:
    while pos < len(text) and not is_word_char(text[pos]):
        pos += 1
    while pos < len(text) and is_word_char(text[pos]):
        pos += 1
    return pos


def _previous_word_start(text: str, pos: int) -> int:
    while pos > 0 and not is_word_char(text[pos - 1]):
        pos -= 1
    while pos > 0 and is_word_char(text[pos - 1]):
        pos -= 1
    return pos


def _step(text: str, pos: int, edge: Edge, step: int, unit: Unit) -> int:
    if unit == "char":
        return cluster_end(text, pos + 1) if step > 0 else cluster_start(text, pos - 1)
    if edge == "end":
        # An end sits after a word: go to the end of the next word, or back
        # to the end of the word before the last one.
        if step > 0:
            return _next_word_end(text, pos)
        back = _previous_word_start(text, pos)
        while back > 0 and not is_word_char(text[back - 1]):
            back -= 1
        return back
    if step < 0:
        return _previous_word_start(text, pos)
    after = _next_word_end(text, pos)
    while after < len(text) and not is_word_char(text[after]):
        after += 1
    return after


def move_boundary(text: str, start: int, end: int, edge: Edge, step: int,
                  unit: Unit = "word") -> tuple[int, int]:
    """New (start, end) after moving one edge a word or a character
    later (step=1) or earlier (step=-1) in the text."""
    if edge == "start":
        new = min(max(_step(text, start, edge, step, unit), 0), len(text))
        start = new
    else:
        new = min(max(_step(text, end, edge, step, unit), 0), len(text))
        end = new
    if start >= end:
        raise ValidationError("the span would be empty; delete it instead")
    return start, end
