"""Arabic date expressions with their ISO 8601 value.

One compiled expression runs over the folded text (search.FoldedText:
harakat and tatweel dropped, letter variants unified, Arabic-Indic and
Persian digits read as ASCII), so spellings that readers see as the same
match alike; offsets are mapped back to code points of the original text.

Absolute dates (a year is written) get their value from the text alone.
Relative and vague ones (أمس، الاثنين، نهاية هذا العام، ثلاث سنوات مقبلة) are
proposed too; their value comes from the document's own date when it is
known (``Anchor``), and stays empty otherwise or when no single ISO value
says it (a duration, a week).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from hijridate import Hijri

from annotator.core.text.search import FoldedText
from annotator.core.text.segmentation import TATWEEL, cluster_end
from annotator.core.suggest import lexicon as lx
from annotator.core.suggest.patterns import trie_pattern


@dataclass(frozen=True)
class Anchor:
    """The date a document was written, and where it was read from."""

    date: dt.date
    source: str  # "meta" or "dateline"


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    value: str | None
    rule: str  # date.gregorian, date.numeric, date.hijri, date.year, date.relative
    absolute: bool  # the text alone fixes the value
    hijri: str | None = None  # the Hijri date as written, for Hijri dates
    remark: str = ""  # something the annotator should check (a weekday that does not fit)


def _alt(words: Any) -> str:
    # A trie, not a flat alternation: Python's re tries a flat one branch by
    # branch at every position of the text.
    return "(?:" + trie_pattern(words) + ")"


_GM, _HM, _WD = _alt(lx.GREGORIAN_MONTHS), _alt(lx.HIJRI_MONTHS), _alt(lx.WEEKDAYS)
_ORD, _PART, _REL = _alt(lx.ORDINAL_DAYS), _alt(lx.PERIOD_PARTS), _alt(lx.RELATIVE_WORDS)
_YEARKW = _alt(lx.YEAR_WORDS)
_HMARK = r"(?:\s*" + _alt(lx.HIJRI_MARKERS) + r"(?!\w))"
# A date starts a word, perhaps after a conjunction/preposition glued to it
# (وعام 2003: consumed, outside the span), or is a number after letters
# (عرب وعالم27-7-2021).
_START = r"(?:(?<!\w)[وف]?[بكل]?|(?=\d)(?<![\d/.\-]))"
_DAYPART = r"(?:" + _alt(lx.DAY_PARTS) + r"\s+)?"
_WEEKDAY = r"(?:" + _DAYPART + r"(?:يوم\s+)?(?P<{0}>" + _WD + r")\s*[،,]?\s*)?"
_YEAR_AFTER_MONTH = (r"\s*[،,]?\s*(?:(?:من\s+)?" + _YEARKW + r"\s+)?(?P<{0}>\d{{4}})(?!\d)")

_GREGORIAN = (
    r"(?P<g>(?:(?P<gpart>" + _PART + r")\s+)?" + _WEEKDAY.format("gwd")
    + r"(?:(?:(?:(?P<gd0>\d{1,2})\s*[-–]\s*)?(?P<gd>\d{1,2})\s+(?:من\s+)?|(?P<gord>" + _ORD + r")\s+من\s+)(?:شهر\s+)?"
    + r"|(?P<gshahr>شهر\s+))?"
    + r"(?P<gm1>" + _GM + r")(?:\s*[/\-–(]\s*(?P<gm2>" + _GM + r")\s*\)?)?"
    + r"(?:" + _YEAR_AFTER_MONTH.format("gy") + r"(?:\s*م(?!\w))?"
    + r"|\s+(?P<grel>" + _REL + r")(?!\w)|(?!\w)))"
)
_HIJRI = (
    r"(?P<h>" + _WEEKDAY.format("hwd")
    + r"(?:(?P<hd>\d{1,2})\s+|(?P<hord>" + _ORD + r")\s+من\s+)?(?:شهر\s+)?"
    + r"(?P<hm>" + _HM + r")" + _YEAR_AFTER_MONTH.format("hy") + r"(?P<hmark>" + _HMARK + r")?)"
)
_NUMERIC = (
    r"(?P<n>" + _WEEKDAY.format("nwd") + r"(?<![\d/.\-])"
    + r"(?:(?P<ny>\d{4})(?P<ns> ?[/\-.] ?)(?P<nm>\d{1,2})(?P=ns)(?P<nd>\d{1,2})"
    + r"|(?P<nd2>\d{1,2})(?P<ns2> ?[/\-.] ?)(?P<nm2>\d{1,2})(?P=ns2)(?P<ny2>\d{4}))"
    + r"(?!\d|[/\-.]\d)(?P<nmark>" + _HMARK + r")?)"
)
_YEAR = (
    r"(?P<y>(?:(?P<ypart>" + _PART + r")\s+)?(?:(?P<ykw>" + _YEARKW + r")\s+(?:(?P<yrel>"
    + _REL + r")\s+)?)?(?P<yy>\d{4})(?!\d)(?:(?P<ymark>" + _HMARK + r")|\s*م(?!\w))?)"
)
_NOUNS = _alt(lx.PERIOD_NOUNS)
_PERIOD = (
    r"(?P<p>(?:(?P<ppart>" + _PART + r")\s+)?(?:(?P<pthis>هذا|هذه)\s+(?P<pn1>" + _NOUNS
    + r")|(?P<pn2>" + _NOUNS + r")(?:\s+(?P<prel>" + _REL + r"))?)(?!\w))"
)
_DAYWORD = r"(?P<dd>" + _DAYPART + r"(?P<ddw>" + _alt(lx.DEICTIC_DAYS) + r"))(?!\w)"
_LONE_WEEKDAY = (r"(?P<w>" + _DAYPART + r"(?:يوم\s+)?(?P<wd>" + _WD + r")(?:\s+(?P<wrel>" + _REL + r"))?(?!\w))")
_DIRECTION = _alt(lx.DIRECTION_WORDS)
_DURATION = (
    r"(?P<u>(?:(?P<ughadun>غضون)\s+)?(?:(?:(?P<ucount>" + _alt(lx.COUNT_WORDS) + r"|\d{1,3})\s+)?"
    + r"(?P<uplural>" + _alt(lx.PLURAL_UNITS) + r")|(?P<udual>" + _alt(lx.DUAL_UNITS) + r"))"
    + r"(?:\s+(?P<udir>" + _DIRECTION + r"))?(?!\w)"
    + r"|ال(?P<udef>" + _alt(lx.PLURAL_UNITS) + r")(?:\s+" + _alt(lx.DEFINITE_COUNTS) + r")?"
    + r"\s+(?P<udefdir>" + _DIRECTION + r")(?!\w))"
)


def _first_words() -> set[str]:
    """Every word a date expression can begin with."""
    starters: list[str] = [
        *lx.PERIOD_PARTS, *lx.DAY_PARTS, *lx.WEEKDAYS, *lx.ORDINAL_DAYS, *lx.GREGORIAN_MONTHS,
        *lx.HIJRI_MONTHS, *lx.YEAR_WORDS, *lx.PERIOD_NOUNS, *lx.DEICTIC_DAYS, *lx.COUNT_WORDS,
        *lx.PLURAL_UNITS, *lx.DUAL_UNITS, *("ال" + unit for unit in lx.PLURAL_UNITS),
        "يوم", "شهر", "هذا", "هذه", "غضون",
    ]
    return {words.split()[0] for words in starters}


# Only where a word that can begin a date stands (or a number) are the
# alternatives tried: most words fail this one trie walk at once.
_GATE = r"(?=" + _alt(_first_words()) + r"(?![^\W\d_])|\d)"
# Order matters: a full date before its parts, a Hijri year before a year.
PATTERN = re.compile(
    _START + _GATE + "(?:" + "|".join(
        [_GREGORIAN, _HIJRI, _NUMERIC, _YEAR, _PERIOD, _DAYWORD, _LONE_WEEKDAY, _DURATION]
    ) + ")"
)
_YEAR_TRIGGER = re.compile(r"(?<!\w)[وف]?" + _alt(lx.YEAR_TRIGGERS) + r"\s+$")
_YEAR_PAUSE = re.compile(r"\s*(?:$|[^\w\s]|(?:و|ثم\s|حين\s|عندما\s|حيث\s))")
_NAMED_AFTER = re.compile(r"(?<!\w)[وفبل]?(?:ال)?" + _alt(lx.NAMED_AFTER_DATES) + r"\s+$")
_TRIGGER_BEFORE = re.compile(r"(?:^|(?<!\w))(?:[وف]?" + _alt(lx.MONTH_TRIGGERS) + r")\s+$")


def _key(text: str) -> str:
    return " ".join(text.split())


def _day(match: re.Match, digits: str, ordinal: str) -> int | None:
    if match.group(digits):
        return int(match.group(digits))
    if match.group(ordinal):
        return lx.ORDINAL_DAYS[_key(match.group(ordinal))]
    return None


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def _gregorian_year(year: int) -> bool:
    return 1000 <= year <= 2199


class _Reader:
    """Turns one regex match into a DateMatch (or None: not a date)."""

    def __init__(self, folded: str, anchor: Anchor | None) -> None:
        self.folded = folded
        self.anchor = anchor

    def read(self, m: re.Match) -> tuple[str | None, str, bool, str | None] | None:
        kind = m.lastgroup
        return getattr(self, f"_{kind}")(m)

    def _g(self, m: re.Match):
        month = lx.GREGORIAN_MONTHS[_key(m.group("gm1"))]
        day = _day(m, "gd", "gord")
        if m.group("gy"):
            year = int(m.group("gy"))
            if not _gregorian_year(year):
                return None
            if m.group("gd0"):
                # 15-17 مايو 2024: a range has no single ISO value.
                valid = _iso(year, month, int(m.group("gd0"))) and _iso(year, month, day)
                return (None, "date.gregorian", False, None) if valid else None
            value = _iso(year, month, day)
            return (value, "date.gregorian", True, None) if value else None
        bare = day is None and not m.group("gpart") and not m.group("gwd")
        if bare and not m.group("gshahr") and not m.group("grel"):
            if _key(m.group("gm1")) in lx.AMBIGUOUS_MONTHS:
                return None
            if not _TRIGGER_BEFORE.search(self.folded, max(0, m.start() - 20), m.start()):
                return None
        if day is not None and day > 31:
            return None
        if day is not None and _NAMED_AFTER.search(self.folded, max(0, m.start() - 20), m.start()):
            return None  # ملعب 5 جويلية, شارع 26 يوليو: a name, not a date
        step = lx.RELATIVE_WORDS[_key(m.group("grel"))] if m.group("grel") else 0
        return (self._month_value(month, day, step), "date.relative", False, None)

    def _month_value(self, month: int, day: int | None, step: int) -> str | None:
        if self.anchor is None:
            return None
        year = self.anchor.date.year
        here = (self.anchor.date.month, self.anchor.date.day)
        there = (month, day or 1)
        if step < 0 and there > here:
            year -= 1
        elif step > 0 and there < here:
            year += 1
        return _iso(year, month, day)

    def _h(self, m: re.Match):
        year = int(m.group("hy"))
        month = lx.HIJRI_MONTHS[_key(m.group("hm"))]
        day = _day(m, "hd", "hord")
        if not m.group("hmark") and not 1343 <= year <= 1500:
            return None
        written = m.group(0).strip()
        if day is None:
            return (None, "date.hijri", True, written)
        try:
            value = Hijri(year, month, day).to_gregorian().isoformat()
        except (ValueError, OverflowError):
            # Outside Umm al-Qura's table (1343-1500 AH) or no such day: the
            # span is still a date, its Gregorian value unknown.
            value = None
        return (value, "date.hijri", True, written)

    def _n(self, m: re.Match):
        if m.group("ny"):
            year, month, day = int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))
        else:
            year, month, day = int(m.group("ny2")), int(m.group("nm2")), int(m.group("nd2"))
        if m.group("nmark"):
            try:
                value = Hijri(year, month, day).to_gregorian().isoformat()
            except (ValueError, OverflowError):
                return None
            return (value, "date.hijri", True, m.group(0).strip())
        if not _gregorian_year(year):
            return None
        value = _iso(year, month, day)
        return (value, "date.numeric", True, None) if value else None

    def _y(self, m: re.Match):
        year = int(m.group("yy"))
        if m.group("ymark"):
            return (None, "date.hijri", True, m.group(0).strip())
        if not m.group("ykw") and not m.group("ypart"):
            # A bare year only right after منذ/حتى/في... and before a pause
            # (منذ 2014، / حتى 2030.): "قبل 2000 عام" and "في 2020 دولة" are counts.
            if not (1900 <= year <= 2099
                    and _YEAR_TRIGGER.search(self.folded, max(0, m.start() - 12), m.start())
                    and _YEAR_PAUSE.match(self.folded, m.end())):
                return None
        if not _gregorian_year(year):
            return None
        return (f"{year:04d}", "date.year", True, None)

    def _p(self, m: re.Match):
        noun = m.group("pn1") or m.group("pn2")
        if m.group("pn2") and not m.group("prel") and not m.group("ppart"):
            return None  # العام alone is "the year" of anything
        step = lx.RELATIVE_WORDS[_key(m.group("prel"))] if m.group("prel") else 0
        unit = lx.PERIOD_NOUNS[noun]
        value = None
        if self.anchor is not None:
            base = self.anchor.date
            if unit == "year":
                value = f"{base.year + step:04d}"
            elif unit == "month":
                index = base.year * 12 + base.month - 1 + step
                value = f"{index // 12:04d}-{index % 12 + 1:02d}"
        return (value, "date.relative", False, None)

    def _dd(self, m: re.Match):
        value = None
        if self.anchor is not None:
            step = lx.DEICTIC_DAYS[_key(m.group("ddw"))]
            value = (self.anchor.date + dt.timedelta(days=step)).isoformat()
        return (value, "date.relative", False, None)

    def _w(self, m: re.Match):
        value = None
        if self.anchor is not None:
            weekday = lx.WEEKDAYS[m.group("wd")]
            step = lx.RELATIVE_WORDS[_key(m.group("wrel"))] if m.group("wrel") else 0
            base = self.anchor.date
            back = (base.weekday() - weekday) % 7
            # News names a day of the week just past, or the same day.
            if step < 0 and back == 0:
                back = 7
            day = base - dt.timedelta(days=back)
            if step > 0:
                day = base + dt.timedelta(days=(weekday - base.weekday()) % 7 or 7)
            value = day.isoformat()
        return (value, "date.relative", False, None)

    def _u(self, m: re.Match):
        if m.group("uplural") and not (m.group("ughadun") or m.group("ucount") or m.group("udir")):
            return None  # أيام alone: not an expression of time one can value
        return (None, "date.relative", False, None)


def find_dates(text: str, anchor: Anchor | None = None,
               folded: FoldedText | None = None) -> list[DateMatch]:
    """Every date expression in ``text``, in order, none overlapping."""
    return [date for _, date in _scan(text, folded or FoldedText(text), anchor)]


def find_document_dates(text: str, meta: dict[str, Any] | None = None,
                        folded: FoldedText | None = None
                        ) -> tuple[list[DateMatch], Anchor | None]:
    """The dates of a document with relative ones valued from its own date
    (meta "date", else its dateline), scanning the text once."""
    ft = folded or FoldedText(text)
    scanned = _scan(text, ft, None)
    anchor = _meta_anchor(meta) or _dateline(text, [d for _, d in scanned if d.start < _HEAD])
    if anchor is None:
        return [d for _, d in scanned], None
    reader = _Reader(_matching(ft), anchor)
    dates = [d if d.absolute else _date(text, ft, m, reader.read(m)) for m, d in scanned]
    return dates, anchor


def iter_document_dates(text: str, meta: dict[str, Any] | None = None,
                        folded: FoldedText | None = None
                        ) -> Iterator[tuple[DateMatch, Anchor | None]]:
    """find_document_dates one date at a time, each with the anchor it was
    valued from: the dateline is read from the dates of the opening, which
    the scan finds first, so a 20 MB text (5.7 s of scanning) is never one
    list a worker cannot leave part way (issue 15)."""
    ft = folded or FoldedText(text)
    matching = _matching(ft)
    scan = _iter_scan(text, ft, matching)
    head: list[tuple[re.Match, DateMatch]] = []
    for m, date in scan:
        head.append((m, date))
        if date.start >= _HEAD:
            break
    anchor = _meta_anchor(meta) or _dateline(text, [d for _, d in head if d.start < _HEAD])
    reader = _Reader(matching, anchor) if anchor is not None else None
    for m, date in chain(head, scan):
        yield (date if reader is None or date.absolute else _date(text, ft, m, reader.read(m)),
               anchor)


def _iter_scan(text: str, ft: FoldedText, matching: str) -> Iterator[tuple[re.Match, DateMatch]]:
    reader = _Reader(matching, None)
    for m in PATTERN.finditer(matching):
        read = reader.read(m)
        if read is not None:
            yield m, _date(text, ft, m, read)


def _matching(ft: FoldedText) -> str:
    if _OTHER_DIGITS.search(ft.folded):
        return ft.folded.translate(lx.DIGITS)
    return ft.folded


def _scan(text: str, ft: FoldedText, anchor: Anchor | None) -> list[tuple[re.Match, DateMatch]]:
    matching = _matching(ft)
    reader = _Reader(matching, anchor)
    found = []
    for m in PATTERN.finditer(matching):
        read = reader.read(m)
        if read is not None:
            found.append((m, _date(text, ft, m, read)))
    return found


def _date(text: str, ft: FoldedText, m: re.Match, read: tuple) -> DateMatch:
    begin, finish = m.span(m.lastgroup)
    # Whitespace a pattern swallowed at its edges stays outside the span.
    piece = m.group(m.lastgroup)
    begin += len(piece) - len(piece.lstrip())
    finish -= len(piece) - len(piece.rstrip())
    start = ft.to_original(begin)
    end = cluster_end(text, ft.to_original(finish - 1) + 1)
    while end < len(text) and text[end] == TATWEEL:
        end = cluster_end(text, end + 1)  # هـ: the tatweel is part of the abbreviation
    value, rule, absolute, hijri = read
    remark = ""
    weekday = m.group(_WEEKDAY_GROUP[m.lastgroup]) if m.lastgroup in _WEEKDAY_GROUP else None
    if weekday and value and len(value) == 10:
        actual = dt.date.fromisoformat(value).weekday()
        said = lx.WEEKDAYS[weekday]
        if said != actual:
            remark = f"{lx.WEEKDAY_NAMES[said]} in the text, but {value} is a {lx.WEEKDAY_NAMES[actual]}"
    return DateMatch(start, end, value, rule, absolute, hijri and text[start:end], remark)


_WEEKDAY_GROUP = {"g": "gwd", "n": "nwd", "h": "hwd"}


_OTHER_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_META_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_HEAD = 600  # how far into a document its dateline may be
_STAMP = re.compile(r"\d{1,2}:\d{2}|نشر|تحديث")


def document_anchor(text: str, meta: dict[str, Any] | None = None) -> Anchor | None:
    """The document's own date: an import's meta "date" (ISO), else the
    dateline: a full date on a short line of the opening, preferring one
    stamped with a time or "نشر" (pages often print today's date above the
    article's own)."""
    return _meta_anchor(meta) or _dateline(text, find_dates(text[:_HEAD]))


def _meta_anchor(meta: dict[str, Any] | None) -> Anchor | None:
    raw = (meta or {}).get("date")
    if isinstance(raw, str):
        found = _META_DATE.match(raw.strip())
        if found:
            try:
                return Anchor(dt.date(*map(int, found.groups())), "meta")
            except ValueError:
                pass
    return None


def _dateline(text: str, dates: list[DateMatch]) -> Anchor | None:
    candidates = []
    for date in dates:
        if not (date.absolute and date.value and len(date.value) == 10):
            continue
        line_start = text.rfind("\n", 0, date.start) + 1
        line_end = text.find("\n", date.end)
        if (line_end if line_end >= 0 else len(text)) - line_start > 90:
            continue  # a date inside a sentence is what the news is about
        stamped = bool(_STAMP.search(text, line_start, line_end if line_end >= 0 else len(text)))
        candidates.append((not stamped, date.start, date.value))
    if not candidates:
        return None
    return Anchor(dt.date.fromisoformat(min(candidates)[2]), "dateline")
