"""Which unit another tool's offsets count, decided per document.

doccano's web UI counts UTF-16 code units (doccano issue #2290) while
doccano's own Python code and most scripts count code points; Label Studio
has done both. The two readings differ only after a character outside the
Basic Multilingual Plane (emoji, flags, some CJK), and there a wrong guess
shifts every later span by one per such character: a silent corruption.

``choose_units`` reads the spans of one document both ways. A reading that
puts a span outside the text or inside a surrogate pair is impossible; of
two possible readings, one is taken only when it puts every span on word
boundaries (or after a proclitic, و ب ال ...) and never inside a letter
cluster, and the other puts some span with neither end on one. Otherwise it returns None, and the
importer refuses the document and asks for ``--offset-units``: it guesses
only where a wrong guess would have to put real annotations off every
boundary and a shifted reading on all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from annotator.core.formats.textmap import OffsetMap, OffsetUnits
from annotator.core.text.segmentation import is_mark, is_word_char, proclitic_splits


def choose_units(mapping: OffsetMap, spans: Sequence[tuple[int, int]]) -> OffsetUnits | None:
    """The unit under which ``spans`` (raw start, end pairs) read best, or
    None when code points and UTF-16 code units are equally plausible."""
    if not _has_astral(mapping.raw):
        return OffsetUnits.CODEPOINTS  # the readings coincide
    as_cp = [mapping.valid_span(s, e, OffsetUnits.CODEPOINTS) for s, e in spans]
    as_u16 = [mapping.valid_span(s, e, OffsetUnits.UTF16) for s, e in spans]
    if as_cp == as_u16:
        return OffsetUnits.CODEPOINTS  # every span lies before the first astral character
    cp_fits, u16_fits = None not in as_cp, None not in as_u16
    if cp_fits != u16_fits:
        return OffsetUnits.CODEPOINTS if cp_fits else OffsetUnits.UTF16
    if not cp_fits:
        # Neither reading fits every span: the importer's own range check
        # names the first bad span; count which reading fits more.
        cp_count = sum(s is not None for s in as_cp)
        u16_count = sum(s is not None for s in as_u16)
        if cp_count == u16_count:
            return OffsetUnits.CODEPOINTS
        return OffsetUnits.CODEPOINTS if cp_count > u16_count else OffsetUnits.UTF16
    text = mapping.text
    cp_ends = [_good_ends(text, s, e) for s, e in as_cp]  # type: ignore[misc]
    u16_ends = [_good_ends(text, s, e) for s, e in as_u16]  # type: ignore[misc]
    # One reading must be clean and the other plainly wrong: a span with
    # neither end on a boundary (a shift moves both ends of a word).
    if all(n == 2 for n in cp_ends) and 0 in u16_ends:
        return OffsetUnits.CODEPOINTS
    if all(n == 2 for n in u16_ends) and 0 in cp_ends:
        return OffsetUnits.UTF16
    return None


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _has_astral(text: str) -> bool:
    # A regex scan in C: a generator over every character took a third of a
    # doccano import's time.
    return _ASTRAL.search(text) is not None


def _good_ends(text: str, start: int, end: int) -> int:
    """How many of the span's ends (0, 1, 2) fall where an annotator puts
    one: not inside a word (except after a proclitic), not inside a letter
    cluster, not on a space."""
    return int(_good_start(text, start)) + int(_good_end(text, end))


def _good_start(text: str, start: int) -> bool:
    ch = text[start]
    if ch.isspace() or is_mark(ch):
        return False
    if start == 0 or not (is_word_char(text[start - 1]) and is_word_char(ch)):
        return True
    word_start, word_end = start, start
    while word_start > 0 and is_word_char(text[word_start - 1]):
        word_start -= 1
    while word_end < len(text) and is_word_char(text[word_end]):
        word_end += 1
    return start in proclitic_splits(text, word_start, word_end)


def _good_end(text: str, end: int) -> bool:
    if text[end - 1].isspace():
        return False
    if end == len(text):
        return True
    ch = text[end]
    return not is_mark(ch) and not (is_word_char(text[end - 1]) and is_word_char(ch))
