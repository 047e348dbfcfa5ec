"""fold's fast path (pieces cut after newlines, marks sliced out, variants
replaced) gives exactly what the reference str.translate definition gives,
whole or in pieces: Latin case (final sigma, dotted capital I), harakat,
tatweel, emoji, ZWNJ, CRLF, BOM."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.text import search
from annotator.core.text.search import FoldedText, fold

ALPHABET = list("اأإآٱىیةبت ") + ["\u064e", "\u0651", "\u0670", "\u0610", "\u06d6", "ـ", "\u00a0",
                                   "\n", "\r", "\ufeff", "\u200c", "😀", "Σ", "ς", "σ", "A",
                                   "a", "İ", "ΑΣ", " "]


def reference_fold(text: str) -> str:
    folded = text.translate(search._TABLE)
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded


def reference_gaps(text: str) -> list[int]:
    removed = [m.start() for m in search._IGNORED_RE.finditer(text)]
    return [r - j for j, r in enumerate(removed)]


@pytest.fixture(params=[1 << 18, 3], ids=["whole", "tiny pieces"])
def piece(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(search, "_PIECE", request.param)
    return request.param


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(ALPHABET), max_size=60))
def test_fold_matches_the_reference(parts: list[str]) -> None:
    text = "".join(parts)
    for size in (1 << 18, 1, 3, 7):
        search._PIECE = size
        try:
            assert fold(text) == reference_fold(text)
            folded = FoldedText(text)
            assert folded.folded == reference_fold(text)
            assert folded._gaps == reference_gaps(text)
        finally:
            search._PIECE = 1 << 18


@pytest.mark.parametrize("text", [
    "ΑΣ\nΑΣ ΟΔΟΣ\nكَتَبَ",            # final sigma at a piece end and mid-piece
    "İstanbul\nمدرسة",             # a lengthening lower(): nothing lowered anywhere
    "\ufeffAB\r\n" * 5 + "إلى",
])
def test_pieces_keep_case_context(piece: int, text: str) -> None:
    assert fold(text) == reference_fold(text)
    assert FoldedText(text)._gaps == reference_gaps(text)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.sampled_from(ALPHABET + ["\U00010400", "x\ud800"]), max_size=80))
def test_the_whole_array_fold_matches_the_reference(parts: list[str]) -> None:
    # Long texts fold through a numpy lookup table (core.text.fold_table):
    # the same folded text and dropped offsets, or None where only
    # str.lower's context can decide (final sigma, İ), and the piecewise
    # fold then does.
    from annotator.core.text.fold_table import fold_codes

    text = "".join(parts)
    whole = fold_codes(text, search._IGNORED, search._VARIANTS)
    if whole is None:
        assert "Σ" in text or "İ" in text
        return
    assert whole[0] == reference_fold(text)
    assert [r - j for j, r in enumerate(whole[1])] == reference_gaps(text)


def test_the_whole_array_fold_is_taken_for_long_text() -> None:
    from annotator.core.text.fold_table import fold_codes

    text = ("قَالَ الرئيـس 😀 CNN إلى مدرسة\u00a0" * 40_000)
    whole = fold_codes(text, search._IGNORED, search._VARIANTS)
    assert whole is not None
    assert whole[0] == reference_fold(text)
    assert fold_codes("ΑΣ", search._IGNORED, search._VARIANTS) is None
    assert fold_codes("İ", search._IGNORED, search._VARIANTS) is None
