"""Find before the fold is made: one regular expression over the original
text that matches exactly where search.FoldedText's literal search over the
folded text would (issue 15).

A 20 M-character document takes about 0.25 s to fold, and the fold started
as the document opens is not ready when the first query is typed (filling
the view holds the interpreter lock). Each folded query character becomes
the class of the original characters that fold to it (ا -> [اأإآٱ], a ->
[aA]) and an optional run of the marks the fold drops goes between them, so
the hits come out in original offsets with nothing to map.

Only queries whose fold is made of characters whose classes are known
exactly (Arabic letters, digits, space, ASCII) take this path; any other
query waits for the fold. The classes never hold a dropped mark, so the
pattern matches one way only and finditer's leftmost, non-overlapping scan
is the folded scan: a folded hit starts at a kept character, and the scan
resumes just after the hit's last letter, where only dropped marks (which
cannot start a hit) may come before the next kept character.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache

from annotator.core.text.search import _IGNORED, _VARIANTS, fold
from annotator.core.text.segmentation import cluster_end

_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Arabic letters a fold keeps as they are, or makes (ا ي ه); tatweel and the
# variant letters never appear in a folded query.
_ARABIC = "".join(chr(c) for c in range(0x0621, 0x064B)
                  if chr(c) not in _VARIANTS and chr(c) not in _IGNORED)
SAFE = frozenset(_ASCII_LETTERS + "0123456789" + "".join(chr(c) for c in range(0x0660, 0x066A))
                 + _ARABIC + " ")
# Characters outside ASCII that lower to an ASCII letter (checked against
# all of Unicode by the tests).
_LOWERS_TO_ASCII = {"k": "\u212a"}  # KELVIN SIGN
# The one character whose lower case is longer than itself: a text holding
# it is folded without lowering at all (search._fold_with_removed).
_LENGTHENS = "\u0130"
_MARKS = "[" + "".join(_IGNORED) + "]*"


@lru_cache(maxsize=len(SAFE))
def originals(folded: str) -> str:
    """Every character the fold turns into ``folded`` (a member of SAFE)."""
    found = {folded, folded.upper(), *(v for v, plain in _VARIANTS.items() if plain == folded)}
    found.update(_LOWERS_TO_ASCII.get(folded, ""))
    return "".join(sorted(ch for ch in found if len(ch) == 1))


def _class(folded: str) -> str:
    chars = originals(folded)
    return re.escape(chars) if len(chars) == 1 else "[" + re.escape(chars) + "]"


@lru_cache(maxsize=16)
def _pattern(needle: str) -> re.Pattern[str]:
    return re.compile(_MARKS.join(_class(ch) for ch in needle))


_MARK_SET = frozenset(_IGNORED)


# Arabic letters from most to least common in news text: the search jumps
# between occurrences of the rarest letter of the query that only itself
# folds to (a letter not listed, or a digit, counts as rarer still).
_BY_FREQUENCY = "البيمونهرتعدسفكقحجشصطزخثغضذظئءؤ"
_RANK = {ch: r for r, ch in enumerate(_BY_FREQUENCY)}


def _anchor(needle: str) -> int:
    """Index of the needle character the search jumps between: the rarest
    one that only itself folds to (len when there is none)."""
    single = [i for i, ch in enumerate(needle) if len(originals(ch)) == 1]
    if not single:
        return len(needle)
    return max(single, key=lambda i: (_RANK.get(needle[i], len(_RANK)), -i))


def _scan(text: str, needle: str) -> tuple[array, array]:
    """(starts, ends after the last letter) of every hit, leftmost and
    non-overlapping. A pattern that begins with a class is tried at every
    position of the text (180 ms at 20 M characters); one that begins with a
    single character jumps between its occurrences, fewer the rarer it is.
    So the search starts at the anchor and checks what comes before it
    backwards; hits come out in order, as a hit's start only grows with its
    anchor."""
    starts, ends = array("q"), array("q")
    k = _anchor(needle)
    if k == 0 or k == len(needle):
        for m in _pattern(needle).finditer(text):
            starts.append(m.start())
            ends.append(m.end())
        return starts, ends
    rest = _pattern(needle[k:])
    before = [frozenset(originals(ch)) for ch in reversed(needle[:k])]
    at, last_end = 0, 0
    while (m := rest.search(text, at)) is not None:
        start = _start_before(text, m.start(), before)
        if start is not None and start >= last_end:
            starts.append(start)
            ends.append(last_end := m.end())
            at = m.end()
        else:
            # Not a hit: another one may begin inside this match.
            at = m.start() + 1
    return starts, ends


def _start_before(text: str, anchor: int, before: list[frozenset[str]]) -> int | None:
    """Where a hit whose anchor character is at ``anchor`` starts: the
    classes in ``before`` (nearest first) read backwards, skipping dropped
    marks between them; None when they are not there."""
    at = anchor
    for chars in before:
        at -= 1
        while at >= 0 and text[at] in _MARK_SET:
            at -= 1
        if at < 0 or text[at] not in chars:
            return None
    return at


def unfolded_hits(text: str, query: str) -> "UnfoldedHits | None":
    """FoldedText(text).hits(query) found without folding ``text``, or None
    when this query (or this text) needs the fold."""
    needle = fold(query)
    if not needle.strip():
        return UnfoldedHits(text, array("q"), array("q"))
    if not SAFE.issuperset(needle):
        return None
    if any(ch in _ASCII_LETTERS for ch in needle) and _LENGTHENS in text:
        # That text is folded without lowering: A and a stay apart there.
        return None
    return UnfoldedHits(text, *_scan(text, needle))


class UnfoldedHits(Sequence[tuple[int, int]]):
    """Hits as (start, end) code points of the original text, end exclusive,
    with the interface of search.Hits; a hit that ends on a letter carries
    that letter's harakat, as there."""

    def __init__(self, text: str, starts: array, ends: array) -> None:
        self._text, self._starts, self._ends = text, starts, ends

    def __len__(self) -> int:
        return len(self._starts)

    def _end(self, raw: int) -> int:
        return cluster_end(self._text, raw)

    def __getitem__(self, index):  # noqa: ANN001, ANN204 - int or slice, as a list
        if isinstance(index, slice):
            return [(s, self._end(e)) for s, e in zip(self._starts[index], self._ends[index])]
        return self._starts[index], self._end(self._ends[index])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    def first_from(self, position: int) -> int:
        """Index of the first hit starting at or after ``position`` (len when none)."""
        return bisect_left(self._starts, position)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """Hits meeting [start, end) of the original text, in order."""
        lo = bisect_right(self._ends, start, key=self._end)
        hi = bisect_left(self._starts, end)
        return self[lo:max(lo, hi)]
