"""Letter clusters, words and span snapping for Arabic text (DESIGN §4).

Python's ``\\w`` splits a letter from its harakat; these rules keep them
together. All offsets are code points, end exclusive.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

ZWNJ = "\u200c"
ZWJ = "\u200d"
TATWEEL = "\u0640"
# Marks that attach to the preceding character even where Unicode data on an
# old Python would not say so: harakat, superscript alef, Quranic marks.
_ARABIC_MARKS = (
    {chr(c) for c in range(0x064B, 0x0660)}
    | {"\u0670"}
    | {chr(c) for c in range(0x06D6, 0x06EE)}
    | {chr(c) for c in range(0x0610, 0x061B)}
)
# Every character is_word_char or is_mark decides by more than its Unicode
# category; for all others the category alone decides (formats.tokens
# builds its classes on that).
NOT_BY_CATEGORY = frozenset(_ARABIC_MARKS | {ZWNJ, ZWJ, TATWEEL, "\ufe0f", "\ufe0e"}
                            | {chr(c) for c in range(0x1F3FB, 0x1F400)})
# Arabic proclitics an annotator may want outside an entity, in the order they
# stack: a conjunction, then a preposition, then the article (وبالعراق).
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ك", "ل")
ARTICLE = "ال"


def is_mark(ch: str) -> bool:
    """A character that belongs to the cluster of the one before it."""
    if ch in _ARABIC_MARKS or ch in (ZWJ, "\ufe0f", "\ufe0e"):
        return True
    if 0x1F3FB <= ord(ch) <= 0x1F3FF:  # emoji skin-tone modifiers
        return True
    return unicodedata.category(ch) in ("Mn", "Mc", "Me")


def is_word_char(ch: str) -> bool:
    """Letters, digits, marks, tatweel and joiners make up words."""
    if ch in (ZWNJ, ZWJ, TATWEEL) or ch in _ARABIC_MARKS:
        return True
    return unicodedata.category(ch)[0] in "LNM"


def _in_surrogate_like_join(text: str, i: int) -> bool:
    # An emoji ZWJ sequence: the character after a ZWJ joins the cluster.
    return text[i - 1] == ZWJ and i >= 2 and not is_word_char(text[i - 2])


def cluster_start(text: str, pos: int) -> int:
    """Largest cluster boundary <= pos."""
    while 0 < pos < len(text) and (is_mark(text[pos]) or _in_surrogate_like_join(text, pos)):
        pos -= 1
    return pos


def cluster_end(text: str, pos: int) -> int:
    """Smallest cluster boundary >= pos."""
    while 0 < pos < len(text) and (is_mark(text[pos]) or _in_surrogate_like_join(text, pos)):
        pos += 1
    return pos


def words(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every word: a maximal run of word characters.

    A mark after a non-word character (a stray haraka after a space) is not
    a word on its own; it stays with whatever precedes it.
    """
    start = None
    for i, ch in enumerate(text):
        if is_word_char(ch) and not (start is None and is_mark(ch) and i > 0):
            if start is None:
                start = i
        elif start is not None:
            yield start, i
            start = None
    if start is not None:
        yield start, len(text)


def word_at(text: str, pos: int) -> tuple[int, int] | None:
    """The word containing the character at ``pos``, if any."""
    if not 0 <= pos < len(text) or not is_word_char(text[pos]):
        return None
    start = pos
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    end = pos + 1
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return start, end


def _trim(text: str, start: int, end: int, keep) -> tuple[int, int]:
    while start < end and not keep(text[start]):
        start += 1
    while end > start and not keep(text[end - 1]):
        end -= 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Grow a selection to whole words and trim spaces and punctuation.

    Returns None when the selection holds no word. When it holds only
    symbols (an emoji, say) it falls back to whole, space-trimmed clusters.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    if start == end:
        word = word_at(text, start)
        return word
    first = word_at(text, start)
    if first is not None:
        start = first[0]
    last = word_at(text, end - 1)
    if last is not None:
        end = last[1]
    s, e = _trim(text, start, end, is_word_char)
    if s < e:
        return s, e
    return snap_to_clusters(text, start, end)


def snap_to_clusters(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Character precision that never splits a letter from its harakat;
    surrounding whitespace trimmed."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    start, end = cluster_start(text, start), cluster_end(text, end)
    s, e = _trim(text, start, end, lambda ch: not ch.isspace())
    return (s, e) if s < e else None


def proclitic_splits(text: str, start: int, end: int) -> list[int]:
    """Offsets inside the word [start, end) where a proclitic ends, outermost
    first: وبالعراق gives the offsets before بالعراق, العراق and عراق.

    A split is only made when at least two letters remain, so short words
    such as "بل" or "ول" stay whole. Harakat stay with their letter.
    """
    letters = [i for i in range(start, end) if not is_mark(text[i]) and text[i] != TATWEEL]
    word = "".join(text[i] for i in letters)
    splits: list[int] = []
    at = 0

    def take(prefix: str) -> bool:
        nonlocal at
        if word.startswith(prefix, at) and len(word) - at - len(prefix) >= 2:
            at += len(prefix)
            splits.append(letters[at])
            return True
        return False

    any(take(p) for p in CONJUNCTIONS)
    preposition = next((p for p in PREPOSITIONS if take(p)), None)
    if preposition == "ل" and word.startswith("ل", at):
        # لل: ل + the article with its alef elided (للعراق).
        take("ل")
    else:
        take(ARTICLE)
    return splits

