"""move_boundary against a reference built from runs of word characters
(core/boundaries.py), on text with harakat, tatweel, ZWNJ, emoji and
punctuation at both ends."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from annotator.core.text.boundaries import move_boundary, selection_to_span
from annotator.core.errors import ValidationError
from annotator.core.text.segmentation import cluster_end, cluster_start, is_word_char

EMPTY = "^the span would be empty; delete it instead$"


def _runs(text: str) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, ch in enumerate(text + " "):
        word = i < len(text) and is_word_char(ch)
        if word and start is None:
            start = i
        elif not word and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _reference(text: str, pos: int, edge: str, step: int, unit: str) -> int:
    runs = _runs(text)
    if unit == "char":
        new = cluster_end(text, pos + 1) if step > 0 else cluster_start(text, pos - 1)
    elif edge == "end" and step > 0:  # the end of the next word (or of this one)
        new = min((e for s, e in runs if e > pos), default=len(text))
    elif edge == "end":  # the end of the word before the one the end is in
        back = max((s for s, e in runs if s < pos), default=0)
        new = max((e for s, e in runs if e <= back), default=0)
    elif step > 0:  # the start of the next word
        after = min((e for s, e in runs if e > pos), default=len(text))
        new = min((s for s, e in runs if s >= after), default=len(text))
    else:  # the start of this word, or of the one before
        new = max((s for s, e in runs if s < pos), default=0)
    return min(max(new, 0), len(text))


ALPHABET = ["ق", "ا", "ل", "َ", "ُ", "ّ", "ـ", "\u200c", " ", ".", "،", "😀", "a", "7", "\n"]
texts = st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=14).map("".join)


@example("ab . c de", 0, 2, "end", 1, "word")         # a one-letter word after punctuation
@example("ab c . de", 7, 9, "start", -1, "word")      # ... and before it
@example(". .", 2, 3, "start", -1, "word")            # no word at all: stop at 0, never wrap round
@example(". .", 0, 3, "end", -1, "word")
@example("قال", 1, 3, "start", -1, "word")            # one word from offset 0 to the end
@example(" قال الرئيس", 0, 4, "end", -1, "word")      # leading space: the end falls back to 0
@example("قال الرئيس", 0, 3, "end", -1, "word")       # first word: nothing before it
@example("ab cde fg", 0, 2, "end", 1, "word")          # an odd-length next word
@example("قال  .. الرئيس", 8, 14, "start", -1, "word")  # several non-word characters before
@example("قال الرئيس", 4, 10, "start", -1, "word")     # back to offset 0
@example("abc", 2, 3, "start", -1, "char")
@example("قالَ.", 0, 4, "start", 1, "word")            # trailing punctuation at the end
@given(texts, st.integers(0, 14), st.integers(1, 14), st.sampled_from(["start", "end"]),
       st.sampled_from([1, -1]), st.sampled_from(["word", "char"]))
def test_moves_match_the_reference(text, start, width, edge, step, unit) -> None:
    start = min(start, len(text) - 1)
    end = min(start + width, len(text))
    pos = start if edge == "start" else end
    new = _reference(text, pos, edge, step, unit)
    expected = (new, end) if edge == "start" else (start, new)
    if expected[0] >= expected[1]:
        with pytest.raises(ValidationError, match=EMPTY):
            move_boundary(text, start, end, edge, step, unit)
    else:
        assert move_boundary(text, start, end, edge, step, unit) == expected


def test_word_is_the_default_unit() -> None:
    text = "قال الرئيس جو"
    assert move_boundary(text, 0, 3, "end", 1) == move_boundary(text, 0, 3, "end", 1, "word") == (0, 10)


def test_a_selection_of_spaces_only_is_refused_with_the_whole_message() -> None:
    with pytest.raises(ValidationError, match=r"^select some text first \(the selection holds no word\)$"):
        selection_to_span("قال   الرئيس", 3, 6)
