"""Words and clusters that keep harakat with their letter."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.text.segmentation import (
    cluster_end,
    is_mark,
    proclitic_splits,
    snap_to_clusters,
    snap_to_words,
    word_at,
    words,
)

VOCALISED = "قَالَ مُحَمَّدٌ: إِنَّ الجَيْشَ"


def _inside_cluster(text: str, pos: int) -> bool:
    """Between a letter and its haraka (the only marks in these texts)."""
    return 0 < pos < len(text) and unicodedata.category(text[pos]) == "Mn"


def test_words_keep_harakat_and_tatweel() -> None:
    text = "عاجـــل مُحَمَّدٌ، نهاية"
    found = [text[s:e] for s, e in words(text)]
    assert found == ["عاجـــل", "مُحَمَّدٌ", "نهاية"]


def test_zwnj_stays_inside_a_word() -> None:
    text = "می\u200cخواهم بروم"
    assert [text[s:e] for s, e in words(text)] == ["می\u200cخواهم", "بروم"]


def test_snap_grows_to_whole_words_and_trims_punctuation() -> None:
    text = VOCALISED
    start = text.index("حَمَّ")  # mid-word, mid-harakat
    assert snap_to_words(text, start, start + 3) == (text.index("مُحَمَّدٌ"), text.index(":"))
    # Selecting "مُحَمَّدٌ: " including the colon and space trims them.
    s = text.index("مُ")
    assert snap_to_words(text, s, text.index("إِ")) == (s, text.index(":"))


def test_snap_never_ends_between_letter_and_haraka() -> None:
    text = VOCALISED
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            for snapped in (snap_to_words(text, start, end), snap_to_clusters(text, start, end)):
                if snapped is None:
                    continue
                s, e = snapped
                assert not _inside_cluster(text, s) and not _inside_cluster(text, e), (start, end)


def test_symbol_only_selection_falls_back_to_clusters() -> None:
    text = "قال 😀 الآن"
    s = text.index("😀")
    assert snap_to_words(text, s - 1, s + 2) == (s, s + 1)
    assert snap_to_words(text, 3, 4) is None  # a lone space


def test_emoji_zwj_sequence_is_one_cluster() -> None:
    family = "👨\u200d👩\u200d👧"
    text = f"قال {family} هنا"
    s = text.index(family)
    assert snap_to_clusters(text, s + 1, s + 2) == (s, s + len(family))


def test_collapsed_selection_picks_the_word_under_it() -> None:
    text = "في العراق اليوم"
    assert snap_to_words(text, 5, 5) == word_at(text, 5) == (3, 9)


def test_proclitic_split_keeps_its_harakat() -> None:
    text = "وَبالعراق"
    assert text[proclitic_splits(text, 0, len(text))[0]:] == "بالعراق"
    text = "بل"  # too short to be proclitic + word
    assert proclitic_splits(text, 0, 2) == []


@pytest.mark.parametrize(
    "word, parts",
    [
        ("وبالعراق", ["و", "ب", "ال", "عراق"]),
        ("فَالرئيس", ["فَ", "ال", "رئيس"]),
        ("للعراق", ["ل", "ل", "عراق"]),
        ("كالبحر", ["ك", "ال", "بحر"]),
        ("العراق", ["ال", "عراق"]),
        ("بغداد", ["ب", "غداد"]),
        ("ولد", ["و", "لد"]),
        ("بل", ["بل"]),
    ],
)
def test_proclitic_splits_stack_in_order(word: str, parts: list[str]) -> None:
    cuts = [0, *proclitic_splits(word, 0, len(word)), len(word)]
    assert [word[a:b] for a, b in zip(cuts, cuts[1:])] == parts


@given(st.text(alphabet=st.sampled_from(list("قال مُحَـ،.😀\u200c\u0651\u064e a1")), max_size=40), st.data())
def test_snapped_spans_are_trimmed_and_inside_text(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(0, len(text)))
    for snapped in (snap_to_words(text, start, end), snap_to_clusters(text, start, end)):
        if snapped is None:
            continue
        s, e = snapped
        assert 0 <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()


@pytest.mark.parametrize("word, parts", [
    ("بلبنان", ["ب", "لبنان"]),        # a lam after another preposition is the word's own
    ("لالعراق", ["ل", "ال", "عراق"]),  # ل then a written article (unusual spelling): both split
])
def test_the_lam_lam_rule_applies_only_after_the_preposition_lam(word: str, parts: list[str]) -> None:
    cuts = [0, *proclitic_splits(word, 0, len(word)), len(word)]
    assert [word[a:b] for a, b in zip(cuts, cuts[1:])] == parts


def test_a_selection_of_the_first_character_snaps_from_offset_zero() -> None:
    assert snap_to_words("و قال", 0, 1) == (0, 1)
    assert snap_to_clusters("😀 قال", 0, 1) == (0, 1)
    assert snap_to_clusters("قَال", 0, 1) == (0, 2)  # the haraka stays with its letter


@pytest.mark.parametrize("mark", ["\u0301", "\u093e", "\u20dd", "\u200d", "\ufe0f", "\U0001f3fb", "\U0001f3ff"])
def test_marks_of_every_category_join_the_cluster_before_them(mark: str) -> None:
    # Mn (acute), Mc (Devanagari aa), Me (enclosing circle), ZWJ, VS16, skin tones at both ends.
    assert is_mark(mark)
    assert snap_to_clusters("a" + mark + " b", 0, 1) == (0, 2)


@pytest.mark.parametrize("ch", ["\U0001f3fa", "\U0001f400", "a", "ـ", " "])
def test_characters_beside_the_skin_tones_are_not_marks(ch: str) -> None:
    assert not is_mark(ch)


def test_an_emoji_zwj_sequence_at_the_start_is_one_cluster() -> None:
    assert snap_to_clusters("👨\u200d👩 قال", 0, 1) == (0, 3)


def test_a_stray_haraka_at_offset_zero_starts_the_first_word() -> None:
    assert list(words("\u064eقال")) == [(0, 4)]
    assert list(words(" \u064eقال")) == [(2, 5)]  # after a space it belongs to no word
    assert cluster_end("\u064eقال", 0) == 0
