"""search.fold for a long text as one array operation: every code point
looked up in a table of what it folds to (dropped, a variant's plain letter,
lower case). A 20 MB document folded in 0.3-0.4 s of Python string passes
(eight replaces and a lower over four bytes a character, once an emoji is in
the text), all of it holding the interpreter lock while the window opened
the document; numpy's passes are faster and release the lock (issue 15).

Only texts where lowering one character at a time is what str.lower does
come here: a capital sigma (final form by context) or a character that
lowers to two (İ) sends the text back to the piecewise fold, which decides
for those.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

_DROP = 0xFFFFFFFF  # a character fold removes
_TWO = 0xFFFFFFFE  # a character whose lower case is longer than it


@lru_cache(maxsize=4)
def _table(ignored: tuple[str, ...], variants: tuple[tuple[str, str], ...]) -> np.ndarray:
    """What each BMP character folds to (built once, 65,536 lookups)."""
    plain = dict(variants)
    folds = [plain.get(chr(code), chr(code)).lower() for code in range(0x10000)]
    out = np.array([ord(f) if len(f) == 1 else _TWO for f in folds], dtype=np.uint32)
    out[[ord(ch) for ch in ignored]] = _DROP
    return out


def fold_codes(text: str, ignored: list[str], variants: dict[str, str]
               ) -> tuple[str, list[int]] | None:
    """(folded text, offsets of the dropped characters), or None when the
    text needs str.lower's context (see the module docstring)."""
    if "\u03a3" in text:
        return None
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = _table(tuple(ignored), tuple(variants.items()))
    astral = codes > 0xFFFF
    folded = table[np.where(astral, 0, codes)]
    if astral.any():
        # Outside the table: never dropped nor a variant; lowered one by one.
        wide = np.unique(codes[astral])
        lowered = [chr(int(c)).lower() for c in wide]
        if any(len(low) != 1 for low in lowered):
            return None
        lower = np.array([ord(low) for low in lowered], dtype=np.uint32)
        folded[astral] = lower[np.searchsorted(wide, codes[astral])]
    if (folded == _TWO).any():
        return None
    kept = folded != _DROP
    removed = np.flatnonzero(~kept)
    return (folded[kept].tobytes().decode("utf-32-le", "surrogatepass"),
            removed.tolist())
