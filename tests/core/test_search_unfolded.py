"""Find before the fold (issue 15): the regular expression over the original
text gives exactly the folded search's hits, for every query it accepts."""

from __future__ import annotations

import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotator.core.text.search import _IGNORED, FoldedText, fold
from annotator.core.text.search_unfolded import SAFE, originals, unfolded_hits

# Letters, their variants and marks, and what sits beside them in real text.
_ALPHABET = ("اأإآٱلرئيسىیهةبدنمو" + "ًٌٍَُِّْٰ" + "\u0640\u200c\u00a0 \r\n"
             + "aAbBkK\u212a\u0130Σσς" + "0123٤5" + "😀👍🏽")
_QUERY = "الرئيسيهبدنمو" + "ًَّ\u0640" + " aAbBkK" + "0123٤5" + "أإىة"


def _same(text: str, query: str) -> None:
    found = unfolded_hits(text, query)
    assert found is not None, (text, query)
    expected = FoldedText(text).find_all(query)
    assert list(found) == expected
    assert found[:] == expected
    assert [found[i] for i in range(len(found))] == expected


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=60), st.text(_QUERY, min_size=1, max_size=5))
@example("\u0130 A a", "a")
@example("ااَا", "اا")
@example("ًال", "ال")
def test_the_regex_path_finds_what_the_fold_finds(text, query):
    found = unfolded_hits(text, query)
    if found is None:
        # Only an ASCII letter in a text the fold does not lower waits.
        assert "\u0130" in text and any(ch.isascii() and ch.isalpha() for ch in fold(query))
        return
    _same(text, query)


@settings(max_examples=200, deadline=None)
@given(st.text(_ALPHABET, max_size=60), st.text(_QUERY, min_size=1, max_size=4),
       st.integers(0, 60), st.integers(0, 60))
def test_stepping_and_painting_read_the_same_hits(text, query, a, b):
    found = unfolded_hits(text, query)
    if found is None:
        return
    folded = FoldedText(text).hits(query)
    start, end = min(a, b), max(a, b)
    assert found.overlapping(start, end) == folded.overlapping(start, end)
    assert found.first_from(a) == folded.first_from(a)


def test_classes_hold_every_character_that_folds_to_them():
    # Checked against all of Unicode: a character missing from a class
    # would be a hit the fold finds and this path misses.
    by_fold: dict[str, set[str]] = {}
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        folded = fold(ch)
        if folded in SAFE:
            by_fold.setdefault(folded, set()).add(ch)
    assert set(by_fold) == SAFE
    for folded, chars in by_fold.items():
        assert set(originals(folded)) == chars, folded
        assert not chars & set(_IGNORED)


def test_variants_and_marks_inside_a_hit():
    text = "قالَ الرَّئِيسُ إنّ المـــدينة وإلى"
    _same(text, "الرئيس")
    assert [text[s:e] for s, e in unfolded_hits(text, "الرئيس")] == ["الرَّئِيسُ"]
    assert list(unfolded_hits(text, "المدينه")) == [(20, 30)]
    assert list(unfolded_hits(text, "الي")) == [(32, 35)]


def test_marks_before_the_first_letter_stay_outside_the_hit():
    text = "َّالولد"
    assert list(unfolded_hits(text, "الولد")) == [(2, 7)]


def test_leftmost_non_overlapping_after_a_failed_candidate():
    # "ال" begins at 0; "لال" is a hit only from 1; a rejected candidate
    # must not hide the one starting inside it.
    for text, query in [("اااا", "اا"), ("آاأا", "اا"), ("للال", "لال"), ("ملال ال", "مال"),
                        ("ىاىا", "ياي"), ("ملالال", "الال"), ("ابابا", "ابا"), ("ال ال", "ال ال"), ("ا\u00a0ا ا", "ا ا")]:
        _same(text, query)
    assert list(unfolded_hits("آاأا", "اا")) == [(0, 2), (2, 4)]
    assert list(unfolded_hits("ملالال", "الال")) == [(2, 6)]
    assert list(unfolded_hits("ابابا", "ابا")) == [(0, 3)]


def test_case_and_the_one_letter_that_stops_lowering():
    assert list(unfolded_hits("CNN and cnn \u212aM", "cnn")) == [(0, 3), (8, 11)]
    assert list(unfolded_hits("\u212am km", "km")) == [(0, 2), (3, 5)]
    # With İ in the text the fold keeps case: the fold must decide.
    assert unfolded_hits("İ CNN", "cnn") is None
    assert list(unfolded_hits("İ ٣ الرئيس", "الرئيس")) == [(4, 10)]


def test_queries_outside_the_safe_set_wait_for_the_fold():
    assert unfolded_hits("بايدن 😀", "😀") is None
    assert unfolded_hits("قال، ثم", "،") is None
    assert unfolded_hits("é", "é") is None
    assert list(unfolded_hits("نص", "َ")) == []
    assert list(unfolded_hits("نص", "   ")) == []


def test_offsets_after_an_emoji_and_a_crlf():
    text = "😀 قال\r\nبايدن 😀 بايدنَ"
    _same(text, "بايدن")
    assert [text[s:e] for s, e in unfolded_hits(text, "بايدن")] == ["بايدن", "بايدنَ"]
