"""formats.tokens builds its regex classes from Unicode categories and asks
segmentation's predicates only about NOT_BY_CATEGORY: that is exact only
while every other character is decided by its category alone."""

import sys
import unicodedata

from annotator.core.text.segmentation import NOT_BY_CATEGORY, is_mark, is_word_char


def test_the_predicates_decide_every_other_character_by_its_category():
    wrong = []
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if ch in NOT_BY_CATEGORY:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cn", "Co", "Cs"):
            continue
        if is_word_char(ch) != (cat[0] in "LNM") or is_mark(ch) != (cat in ("Mn", "Mc", "Me")):
            wrong.append(f"U+{code:04X}")
    assert wrong == []
