"""The regular-expression tokeniser gives exactly the tokens of the
per-character walk it replaced (issue 15). The walk is copied here unchanged
as the reference."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotator.core.formats.tokens import Token, tokenize
from annotator.core.text.segmentation import cluster_end, proclitic_splits, words


def reference_tokenize(text: str, *, split_proclitics: bool = False) -> list[Token]:
    tokens: list[Token] = []
    at = 0
    for start, end in words(text):
        _reference_symbols(text, at, start, tokens)
        if split_proclitics:
            cuts = [start, *proclitic_splits(text, start, end), end]
            tokens.extend(zip(cuts, cuts[1:]))
        else:
            tokens.append((start, end))
        at = end
    _reference_symbols(text, at, len(text), tokens)
    return tokens


def _reference_symbols(text: str, start: int, end: int, tokens: list[Token]) -> None:
    i = start
    while i < end:
        if text[i].isspace():
            i += 1
            continue
        j = min(cluster_end(text, i + 1), end)
        tokens.append((i, j))
        i = j


# Letters, harakat (and a stray one after a space), tatweel, ZWNJ, ZWJ,
# emoji with skin tone and variation selector, a flag, CRLF, BOM, NBSP,
# Arabic-Indic digits, Quranic marks, a Latin combining accent, private-use
# and unassigned code points, and the proclitics the splitter looks for.
PIECES = ["و", "ب", "ال", "ل", "ك", "ف", "عراق", "قال", "\u064e", "\u0651", "\u0670", "\u0640",
          "\u200c", "\u200d", "😀", "👍🏽", "\ufe0f", "🇸🇦", "👨\u200d👩", "\r\n", "\r", "\ufeff",
          "\u00a0", " ", "\t", "\u2029", "٣", "7", "x", "\u0301", "\u06dd", "\u06de", "\u06e5",
          "\ue000", "\U000e0000", "\u0378", ".", "،", "«", "»", "-", "\u200d "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.booleans())
@example("\u064eب", False)                 # a mark at the very start starts the word
@example(" \u064e\u064fب", False)          # stray marks after a space are a symbol
@example("😀\u200dب\u064e", False)         # the ZWJ cluster stops where the word starts
@example("😀\u200d \u064e.", False)         # a space joined by ZWJ stays in the cluster
@example("وبالعراق، ف\u0640لل\u064eعراق", True)
def test_regex_tokens_equal_the_character_walk(text: str, split: bool) -> None:
    expected = reference_tokenize(text, split_proclitics=split)
    assert tokenize(text, split_proclitics=split) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_regex_tokens_equal_the_character_walk_on_any_text(text: str, split: bool) -> None:
    expected = reference_tokenize(text, split_proclitics=split)
    assert tokenize(text, split_proclitics=split) == expected


def test_tokens_of_a_sentence_by_hand() -> None:
    text = "قالَ الوزيرُ: 😀👍🏽 وبالعراق\r\n"
    words = [text[s:e] for s, e in tokenize(text)]
    assert words == ["قالَ", "الوزيرُ", ":", "😀", "👍🏽", "وبالعراق"]
    split = [text[s:e] for s, e in tokenize(text, split_proclitics=True)]
    assert split[-4:] == ["و", "ب", "ال", "عراق"]
