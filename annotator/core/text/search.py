"""Find in a document, insensitive to what Arabic readers do not see as
different: harakat, tatweel, and the alef, ya and ta-marbuta variants.

Hits are reported as code-point offsets into the original text, end
exclusive; a hit that ends on a letter carries that letter's harakat.
"""

from __future__ import annotations

import re
from bisect import bisect_right

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
_TABLE = str.maketrans({**_VARIANTS, **{ch: None for ch in _IGNORED}})


def fold(text: str) -> str:
    """The matching form of ``text`` (marks dropped, variants unified, lower case)."""
    folded = text.translate(_TABLE)
    lowered = folded.lower()
    # str.lower may lengthen a few characters (İ); keep offsets exact instead.
    return lowered if len(lowered) == len(folded) else folded


class FoldedText:
    """A document folded once, so repeated searches are cheap."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        removed = [m.start() for m in _IGNORED_RE.finditer(text)]
        # For each dropped character j: the folded offset it would have had.
        self._gaps = [r - j for j, r in enumerate(removed)]

    def to_original(self, folded_offset: int) -> int:
        """Code-point offset in the original text of a folded character."""
        return folded_offset + bisect_right(self._gaps, folded_offset)

    def find_all(self, query: str) -> list[tuple[int, int]]:
        """Every non-overlapping hit of ``query``, in document order."""
        needle = fold(query)
        if not needle.strip():
            return []
        hits = []
        at = self.folded.find(needle)
        while at >= 0:
            start = self.to_original(at)
            end = cluster_end(self.text, self.to_original(at + len(needle) - 1) + 1)
            hits.append((start, end))
            at = self.folded.find(needle, at + len(needle))
        return hits


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Convenience for one search; use FoldedText to search a text repeatedly."""
    return FoldedText(text).find_all(query)
