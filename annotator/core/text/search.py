"""Find in a document, insensitive to what Arabic readers do not see as
different: harakat, tatweel, and the alef, ya and ta-marbuta variants.

Hits are reported as code-point offsets into the original text, end
exclusive; a hit that ends on a letter carries that letter's harakat.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from annotator.core.text.segmentation import TATWEEL, cluster_end

# Dropped before matching: the same marks segmentation keeps with their letter.
_IGNORED = (
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
    + [TATWEEL]
)
_IGNORED_RE = re.compile("[" + "".join(_IGNORED) + "]")
_VARIANTS = {
    # Alef with hamza above/below, madda, wasla -> bare alef.
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
    # Alef maksura and Farsi yeh -> yeh.
    "\u0649": "\u064a", "\u06cc": "\u064a",
    # Ta marbuta -> heh.
    "\u0629": "\u0647",
    # No-break space reads as a space.
    "\u00a0": " ",
}
# The reference definition of fold (tests compare against it); fold itself
# takes a faster path to the same result.
_TABLE = str.maketrans({**_VARIANTS, **{ch: None for ch in _IGNORED}})


def fold(text: str) -> str:
    """The matching form of ``text`` (marks dropped, variants unified, lower case)."""
    return _fold_with_removed(text)[0]


# Folding works on pieces cut just after a newline, so a worker thread folding
# a large document gives the interpreter lock back between pieces; a newline is
# neither cased nor case-ignorable, so str.lower (final sigma) sees the same
# context in a piece as in the whole text.
_PIECE = 1 << 18


def _pieces(text: str) -> list[tuple[int, str]]:
    if len(text) <= _PIECE:
        return [(0, text)]
    pieces, at = [], 0
    while at < len(text):
        cut = text.find("\n", at + _PIECE)
        end = len(text) if cut < 0 else cut + 1
        pieces.append((at, text[at:end]))
        at = end
    return pieces


_WHOLE_ARRAY = 1 << 20  # texts this long fold as one array (numpy), shorter ones by pieces


def _fold_with_removed(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and the offsets of the characters it dropped. Slicing
    around the dropped marks and replacing the few variant letters one by one
    is about three times faster than str.translate with a mapping, which
    looks every character up in a dict (1 s for 20 MB; issue 15); a long
    text goes through a lookup table in numpy instead (fold_table)."""
    if len(text) >= _WHOLE_ARRAY:
        from annotator.core.text.fold_table import fold_codes

        whole = fold_codes(text, _IGNORED, _VARIANTS)
        if whole is not None:
            return whole
    folded = _fold_pieces(text, lower=True)
    if folded is None:
        # str.lower lengthened a character (İ): keep offsets exact instead.
        folded = _fold_pieces(text, lower=False)
        assert folded is not None
    return folded


def _fold_pieces(text: str, lower: bool) -> tuple[str, list[int]] | None:
    """The fold piece by piece, each piece lowered as it is made (one copy
    of a 20 MB text at a time, not three); None when lowering changed a
    piece's length."""
    removed: list[int] = []
    kept: list[str] = []
    for base, piece in _pieces(text):
        parts, at = [], 0
        for m in _IGNORED_RE.finditer(piece):
            parts.append(piece[at:m.start()])
            removed.append(base + m.start())
            at = m.end()
        parts.append(piece[at:])
        part = "".join(parts)
        del parts
        for variant, plain in _VARIANTS.items():
            if variant in part:
                part = part.replace(variant, plain)
        if lower:
            lowered = part.lower()
            if len(lowered) != len(part):
                return None
            part = lowered
        kept.append(part)
    return "".join(kept), removed


class FoldedText:
    """A document folded once, so repeated searches are cheap."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, removed = _fold_with_removed(text)
        # For each dropped character j: the folded offset it would have had.
        self._gaps = [r - j for j, r in enumerate(removed)]

    def to_original(self, folded_offset: int) -> int:
        """Code-point offset in the original text of a folded character."""
        return folded_offset + bisect_right(self._gaps, folded_offset)

    def find_all(self, query: str) -> list[tuple[int, int]]:
        """Every non-overlapping hit of ``query``, in document order."""
        return list(self.hits(query))

    def hits(self, query: str) -> "Hits":
        """find_all's hits, each mapped to the original text when asked for."""
        needle = fold(query)
        if not needle.strip():
            return Hits(self, 0, array("q"))
        # A literal pattern's finditer is the same leftmost, non-overlapping
        # scan as a str.find loop, in C: 15 ms, not 120, for 19,000 hits in 20 MB.
        offsets = array("q", [m.start() for m in re.finditer(re.escape(needle), self.folded)])
        return Hits(self, len(needle), offsets)


class Hits(Sequence[tuple[int, int]]):
    """Hits of one query as (start, end) code points of the original text,
    end exclusive; kept as folded offsets, so the first find in a big
    document maps only the hits it shows (issue 15)."""

    def __init__(self, folded: FoldedText, length: int, offsets: array) -> None:
        self._folded, self._length, self._offsets = folded, length, offsets

    def __len__(self) -> int:
        return len(self._offsets)

    def _start(self, at: int) -> int:
        return self._folded.to_original(at)

    def _end(self, at: int) -> int:
        # A hit that ends on a letter carries that letter's harakat.
        return cluster_end(self._folded.text, self._folded.to_original(at + self._length - 1) + 1)

    def __getitem__(self, index):  # noqa: ANN001, ANN204 - int or slice, as a list
        if isinstance(index, slice):
            return [(self._start(at), self._end(at)) for at in self._offsets[index]]
        at = self._offsets[index]
        return self._start(at), self._end(at)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Hits, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def first_from(self, position: int) -> int:
        """Index of the first hit starting at or after ``position`` (len when none)."""
        return bisect_left(self._offsets, position, key=self._start)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """Hits meeting [start, end) of the original text, in order."""
        lo = bisect_right(self._offsets, start, key=self._end)
        hi = bisect_left(self._offsets, end, key=self._start)
        return self[lo:max(lo, hi)]


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Convenience for one search; use FoldedText to search a text repeatedly."""
    return FoldedText(text).find_all(query)
