"""Arabic-aware word forms for claim matching.

Built on the search folding (harakat, tatweel, alef/ya/ta-marbuta), then
proclitics (و ف ب ل ك ال) are stripped and known spelling variants unified,
so that "والأميركية" and "الأمريكية" give one form. Numbers are read in
ASCII, Arabic-Indic and Persian digits and as common number words; years
and end-of-year / N-years phrases become time markers for the date hints.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from annotator.core.text.search import fold

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_EASTERN_DIGIT_RE = re.compile("[٠-٩۰-۹]")
_WORD_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+")
# After fold(): alef variants are bare alef, ta marbuta is heh, ya unified.
_SPELLINGS = (("اميرك", "امريك"), ("امركي", "امريكي"))
_STOPWORDS = frozenset(fold(w) for w in (
    "في من إلى على عن مع أن إن أنه أنها التي الذي الذين هذا هذه ذلك تلك كان كانت"
    " قد لم لن ما لا و أو ثم حتى هو هي هم بين خلال عند بعد قبل كل أي").split())
_UNITS = {"واحد": 1, "اثن": 2, "اثنين": 2, "اثنان": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4,
          "اربعه": 4, "خمس": 5, "خمسه": 5, "سته": 6, "ست": 6, "سبع": 7, "سبعه": 7,
          "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10}
_SCALES = {"الف": 1000, "الاف": 1000, "الفين": 2000, "الفان": 2000, "مليون": 10**6,
           "ملايين": 10**6, "مليار": 10**9, "مئه": 100, "ماءه": 100, "مائه": 100}
_YEAR_WORDS = {"سنوات", "سنين", "اعوام", "سنه", "عام", "عامين", "سنتين"}
# "عام" and "سنه" alone say "year", not "for N years".
_DURATION_WORDS = _YEAR_WORDS - {"عام", "سنه"}
# In quarters, so that the values stay integers.
_FRACTIONS = {"نصف": 2, "ربع": 1}
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_SCALES) | frozenset(_FRACTIONS)
_YEAR_RE = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_MONTHS = {fold(m) for m in (
    "يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"
    " كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين").split()}
_END_OF_YEAR = re.compile(r"نهايه\s+(?:عام\s+)?(?:19|20)\d\d|نهايه\s+(?:هذا\s+)?(?:ال)?عام|(?:31|٣١)\s+(?:كانون\s+الاول|ديسمبر)"
                          r"|نهايه\s+(?:ال)?سنه")


@lru_cache(maxsize=200_000)
def strip_clitics(word: str) -> str:
    """A folded word without its proclitics, kept when too little would remain."""
    for prefix in ("وال", "فال", "بال", "كال", "لل", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix):]
            break
    else:
        if len(word) >= 4 and word[0] in "وف":
            word = word[1:]
            if len(word) >= 4 and word[0] in "بل" and word[1:3] != "ا":
                word = word[1:]
    for variant, common in _SPELLINGS:
        word = word.replace(variant, common)
    return word


def prepare(text: str) -> str:
    """The folded form, ASCII digits: what words/numbers/time_markers read
    (fold once per claim, pass ``prepared=True`` to the three)."""
    # str.translate looks up every character; most claims have no such digit.
    return fold(text.translate(_DIGITS) if _EASTERN_DIGIT_RE.search(text) else text)


def _tokens(text: str, prepared: bool) -> list[str]:
    return _WORD_RE.findall(text if prepared else prepare(text))


@lru_cache(maxsize=200_000)
def _form(raw: str) -> str:
    """The matching form of one token, "" for a stopword (cached: claims
    reuse a small vocabulary, and this is most of an index build)."""
    if raw in _STOPWORDS:
        return ""
    word = raw if raw[0].isdigit() else strip_clitics(raw)
    return "" if word in _STOPWORDS else word


@lru_cache(maxsize=200_000)
def _number_form(raw: str) -> str:
    # Scale words keep their alef: "الاف" (thousands) is no clitic plus "اف".
    if raw in _SCALES:
        return raw
    if raw[0] in "وفبل" and raw[1:] in _FRACTIONS:  # بنصف, ونصف
        return raw[1:]
    return strip_clitics(raw)


def words(text: str, prepared: bool = False) -> list[str]:
    """The matching forms of the content words of ``text``, in order."""
    return _words(_tokens(text, prepared))


def _words(raw: list[str]) -> list[str]:
    return [form for form in map(_form, raw) if form]


class Piece(NamedTuple):
    """One whitespace-separated piece of a claim, analysed once: pieces
    repeat across claims far more than claims do (the index build is
    mostly this, 200,000 claims over a news vocabulary)."""

    folded: str
    raw: tuple[str, ...]  # tokens of the folded piece
    forms: tuple[str, ...]  # their matching forms, stopwords left out
    numeric: bool  # a digit or a number word: numbers must look
    duration: bool  # a years word: time markers must look
    timely: bool  # anything time_markers finds starts in such a piece


@lru_cache(maxsize=300_000)
def piece(text: str) -> Piece:
    """The analysis of one piece of text without whitespace."""
    folded = prepare(text)
    raw = tuple(_WORD_RE.findall(folded))
    numeric = any(t[0].isdigit() or _number_form(t) in _NUMBER_WORDS for t in raw)
    duration = any(strip_clitics(t) in _DURATION_WORDS for t in raw)
    timely = duration or "نهايه" in folded or "31" in folded or bool(_YEAR_RE.search(folded))
    return Piece(folded, raw, tuple(_words(list(raw))), numeric, duration, timely)


def analyse(text: str) -> tuple[list[str], set[int], set[str]]:
    """``words``, ``numbers`` and ``time_markers`` of ``text`` at once, the
    same as the three, read piece by piece from a cache."""
    pieces = [piece(p) for p in text.split()]
    forms = [f for p in pieces for f in p.forms]
    numeric = any(p.numeric for p in pieces)
    raw = [t for p in pieces for t in p.raw] if numeric else []
    return forms, _numbers(raw) if numeric else set(), pieces_time_markers(pieces)


def pieces_time_markers(pieces: list[Piece]) -> set[str]:
    """``time_markers`` of the text these pieces make (most have none)."""
    if not any(p.timely for p in pieces):
        return set()
    raw = [t for p in pieces for t in p.raw] if any(p.duration for p in pieces) else []
    # Whitespace runs become one space: every pattern reads them as \s+.
    return _time_markers(" ".join(p.folded for p in pieces), raw)


def numbers(text: str, prepared: bool = False) -> set[int]:
    """Quantities stated in ``text`` (digits of any script, number words),
    years excepted: those are time markers."""
    return _numbers(_tokens(text, prepared))


def _numbers(raw: list[str]) -> set[int]:
    found: set[int] = set()
    tokens = [_number_form(t) for t in raw]
    if _NUMBER_WORDS.isdisjoint(tokens) and not any(t[0].isdigit() for t in tokens):
        return found  # most claims: no number at all
    for index, token in enumerate(tokens):
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        before = tokens[index - 1] if index else ""
        # "مليون ونصف": a million and a half.
        half = _SCALES.get(after, 0) // 2 if index + 2 < len(tokens) and \
            tokens[index + 2] == "نصف" else 0
        if token[0].isdigit():
            value = int(re.sub(r"[.,]", "", token)) if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+",
                                                                      token) else None
            if value is None or _is_year(value, after) or after in _MONTHS:
                continue
            found.add(value * _SCALES.get(after, 1) + half)
        elif token in _UNITS and after not in _YEAR_WORDS and before not in _YEAR_WORDS:
            found.add(_UNITS[token] * _SCALES.get(after, 1) + half)
        elif token in _FRACTIONS and after in _SCALES:
            # "نصف مليون" is half a million, not a million.
            found.add(_SCALES[after] * _FRACTIONS[token] // 4)
        elif token in _SCALES and (index == 0 or before not in _UNITS
                                   and before not in _FRACTIONS
                                   and not before[0].isdigit()):
            half = _SCALES[token] // 2 if after == "نصف" else 0
            found.add(_SCALES[token] + half)
    return found


def _is_year(value: int, after: str) -> bool:
    return 1900 <= value <= 2100 and after not in _SCALES


def time_markers(text: str, prepared: bool = False) -> set[str]:
    """What a claim says about when: ``year:2021``, ``end-of-year``, ``years:3``."""
    folded = text if prepared else prepare(text)
    return _time_markers(folded, _WORD_RE.findall(folded))


def _time_markers(folded: str, raw: list[str]) -> set[str]:
    markers = {f"year:{y}" for y in _YEAR_RE.findall(folded)}
    # The pattern is slow to fail; both its branches hold one of these.
    if ("نهايه" in folded or "31" in folded) and _END_OF_YEAR.search(folded):
        markers.add("end-of-year")
    tokens = [strip_clitics(t) for t in raw]
    if _DURATION_WORDS.isdisjoint(tokens):
        return markers
    for index, token in enumerate(tokens):
        if token in _DURATION_WORDS:
            near = tokens[max(0, index - 1):index + 2]
            for other in near:
                if other in _UNITS:
                    markers.add(f"years:{_UNITS[other]}")
                elif other.isdigit() and int(other) < 100:
                    markers.add(f"years:{int(other)}")
    return markers
