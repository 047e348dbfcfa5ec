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

from annotator.core.text.search import fold

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
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
    return fold(text.translate(_DIGITS))


def words(text: str, prepared: bool = False) -> list[str]:
    """The matching forms of the content words of ``text``, in order."""
    out = []
    for raw in _WORD_RE.findall(text if prepared else prepare(text)):
        if raw in _STOPWORDS:
            continue
        word = raw if raw[0].isdigit() else strip_clitics(raw)
        if word and word not in _STOPWORDS:
            out.append(word)
    return out


def numbers(text: str, prepared: bool = False) -> set[int]:
    """Quantities stated in ``text`` (digits of any script, number words),
    years excepted: those are time markers."""
    found: set[int] = set()
    raw = _WORD_RE.findall(text if prepared else prepare(text))
    # Scale words keep their alef: "الاف" (thousands) is no clitic plus "اف".
    tokens = [t if t in _SCALES else strip_clitics(t) for t in raw]
    for index, token in enumerate(tokens):
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        before = tokens[index - 1] if index else ""
        if token[0].isdigit():
            value = int(re.sub(r"[.,]", "", token)) if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+",
                                                                      token) else None
            if value is None or _is_year(value, after) or after in _MONTHS:
                continue
            found.add(value * _SCALES.get(after, 1))
        elif token in _UNITS and after not in _YEAR_WORDS and before not in _YEAR_WORDS:
            found.add(_UNITS[token] * _SCALES.get(after, 1))
        elif token in _SCALES and (index == 0 or tokens[index - 1] not in _UNITS
                                   and not tokens[index - 1][0].isdigit()):
            found.add(_SCALES[token])
    return found


def _is_year(value: int, after: str) -> bool:
    return 1900 <= value <= 2100 and after not in _SCALES


def time_markers(text: str, prepared: bool = False) -> set[str]:
    """What a claim says about when: ``year:2021``, ``end-of-year``, ``years:3``."""
    folded = text if prepared else prepare(text)
    markers = {f"year:{y}" for y in re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", folded)}
    if _END_OF_YEAR.search(folded):
        markers.add("end-of-year")
    tokens = [strip_clitics(t) for t in _WORD_RE.findall(folded)]
    for index, token in enumerate(tokens):
        if token in _YEAR_WORDS and token not in {"عام", "سنه"}:
            near = tokens[max(0, index - 1):index + 2]
            for other in near:
                if other in _UNITS:
                    markers.add(f"years:{_UNITS[other]}")
                elif other.isdigit() and int(other) < 100:
                    markers.add(f"years:{int(other)}")
    return markers
