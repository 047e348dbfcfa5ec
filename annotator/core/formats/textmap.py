"""Offsets written against another tool's idea of the text, mapped to ours.

Other tools count offsets in the text as they received it: CRLF counts two,
a BOM may count one, and JavaScript tools (doccano, Label Studio) count UTF-16
code units. We store canonical text (DESIGN §3) and code points, so an
importer maps every foreign offset through one ``OffsetMap``.
"""

from __future__ import annotations

from bisect import bisect_right
from enum import Enum

from annotator.core.text.encoding import canonicalize
from annotator.core.text.offsets import Utf16Index


class OffsetUnits(str, Enum):
    """What a number in another tool's file counts."""

    CODEPOINTS = "codepoints"  # Python str indices: brat, spaCy, our files
    UTF16 = "utf16"  # JavaScript string indices: doccano's and Label Studio's web UIs


class OffsetMap:
    """Maps offsets into ``raw`` (a tool's text) to offsets into its
    canonical form. Returns None for an offset that has no place there
    (negative, past the end, inside a surrogate pair)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = canonicalize(raw)
        self._identity = self.text == raw
        # Raw offsets where a character was removed (BOM, the CR of CRLF).
        self._removed: list[int] = []
        if not self._identity:
            if raw.startswith("\ufeff"):
                self._removed.append(0)
            index = raw.find("\r\n")
            while index != -1:
                self._removed.append(index)
                index = raw.find("\r\n", index + 2)
        self._utf16: Utf16Index | None = None

    def to_canonical(self, offset: int, units: OffsetUnits = OffsetUnits.CODEPOINTS) -> int | None:
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            return None
        if units is OffsetUnits.UTF16:
            index = self._utf16_index()
            if offset > index.utf16_length:
                return None
            cp = index.to_cp(offset)
            if index.to_utf16(cp) != offset:
                return None  # inside a surrogate pair
            offset = cp
        if offset > len(self.raw):
            return None
        if self._identity:
            return offset
        # Between a CR and its LF maps to before the LF: the CR is gone.
        return offset - bisect_right(self._removed, offset - 1)

    def _utf16_index(self) -> Utf16Index:
        if self._utf16 is None:
            self._utf16 = Utf16Index(self.raw)
        return self._utf16

    def valid_span(self, start: int, end: int,
                   units: OffsetUnits = OffsetUnits.CODEPOINTS) -> tuple[int, int] | None:
        if self._identity and type(start) is int and type(end) is int and (
                units is OffsetUnits.CODEPOINTS or not self._utf16_index().astral):
            # What to_canonical gives on this common path (no CR, no BOM, and
            # UTF-16 counts code points when nothing is astral), without two
            # calls per span: an import maps hundreds of thousands.
            return (start, end) if 0 <= start < end <= len(self.raw) else None
        s, e = self.to_canonical(start, units), self.to_canonical(end, units)
        if s is None or e is None or not s < e:
            return None
        return s, e
