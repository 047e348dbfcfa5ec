"""Code points <-> UTF-16 code units: the one conversion at the Qt boundary.

Stored and exported offsets are code points. Qt (QTextCursor positions,
QTextLayout) counts UTF-16 code units, which differ after any astral
character (emoji, flags). Convert here and nowhere else.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class Utf16Index:
    """The conversion pair for one text, precomputed: O(log n) per call,
    because the GUI converts thousands of offsets per repaint."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # A regex scan: a Python loop over a 1 MB text costs half a second.
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 start of each astral character.
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral_cp)]
        self.utf16_length = self.length + len(self._astral_cp)
        self.astral = bool(self._astral_cp)  # else both counts agree everywhere

    def to_utf16(self, cp: int) -> int:
        if not 0 <= cp <= self.length:
            raise IndexError(f"code point offset {cp} outside 0..{self.length}")
        return cp + bisect_left(self._astral_cp, cp)

    def to_cp(self, u16: int) -> int:
        if not 0 <= u16 <= self.utf16_length:
            raise IndexError(f"UTF-16 offset {u16} outside 0..{self.utf16_length}")
        # Astral characters starting before u16; one starting at u16 - 1
        # means u16 is inside its pair, which rounds down.
        return u16 - bisect_left(self._astral_u16, u16)
