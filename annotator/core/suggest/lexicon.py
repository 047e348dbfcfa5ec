"""Arabic words for dates, in their folded form (search.fold: no harakat,
no tatweel, bare alef, ya for alef maksura, heh for ta marbuta).

Tables are written in ordinary spelling and folded once at import, so the
recogniser matches every spelling the fold treats as the same.
"""

from __future__ import annotations

from annotator.core.text.search import fold


def _folded(table: dict[str, int]) -> dict[str, int]:
    return {fold(name): number for name, number in table.items()}


# Every month system Arabic newspapers print: Egyptian/Gulf (transliterated),
# Levantine/Iraqi (Syriac), Algerian/Tunisian (French) and Moroccan.
GREGORIAN_MONTHS = _folded({
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "ابريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6,
    "تموز": 7, "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "أوت": 8,
    "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
})
# Month names that are also ordinary words (مارس "practised", آب "father",
# ماي): proposed only with a day or a year beside them.
AMBIGUOUS_MONTHS = {fold(w) for w in ("مارس", "آب", "ماي", "أوت")}

HIJRI_MONTHS = _folded({
    "محرم": 1, "المحرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع الثاني": 4, "ربيع الآخر": 4,
    "جمادى الأولى": 5, "جمادى الأول": 5, "جمادى الآخرة": 6, "جمادى الثانية": 6,
    "جمادى الآخر": 6, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12,
})
HIJRI_MARKERS = [fold(w) for w in ("هجرية", "هجري", "للهجرة", "هـ")]

# Python's weekday(): Monday is 0.
WEEKDAY_NAMES = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
WEEKDAYS = _folded({
    "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3,
    "الجمعة": 4, "السبت": 5, "الأحد": 6,
})

_UNITS = ["", "الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع",
          "الثامن", "التاسع"]
_FIRST_TEN = ["", "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع",
              "الثامن", "التاسع", "العاشر"]


def _ordinals() -> dict[str, int]:
    table = {word: n for n, word in enumerate(_FIRST_TEN) if word}
    table["أول"] = 1
    for n in range(11, 20):
        table[f"{_UNITS[n - 10]} عشر"] = n
    for tens, word in ((20, "العشرين"), (30, "الثلاثين")):
        table[word] = tens
        for unit in range(1, 10):
            if tens + unit <= 31:
                table[f"{_UNITS[unit]} و{word}"] = tens + unit
    return table


ORDINAL_DAYS = _folded(_ordinals())

# Words before a period that narrow it (end of the year); kept in the span.
PERIOD_PARTS = [fold(w) for w in ("نهاية", "بداية", "مطلع", "منتصف", "أواخر", "أوائل", "أواسط",
                                  "أوسط", "ختام", "مستهل")] + [
    fold(f"{whole} {which} من") for whole, whichs in (
        ("الربع", ("الأول", "الثاني", "الثالث", "الرابع", "الأخير")),
        ("النصف", ("الأول", "الثاني")), ("الثلث", ("الأول", "الثاني", "الثالث", "الأخير")))
    for which in whichs]
# Parts of a day before a day (صباح اليوم، مساء الأربعاء); kept in the span.
DAY_PARTS = [fold(w) for w in ("صباح", "مساء", "ظهر", "فجر", "عصر", "ليل", "ليلة", "منتصف ليل",
                               "منتصف ليلة", "ظهيرة", "صبيحة", "عشية")]
# How a month or year is placed relative to the document's own date.
RELATIVE_WORDS = {fold(w): step for w, step in (
    ("الماضي", -1), ("المنصرم", -1), ("الفائت", -1), ("السابق", -1),
    ("المقبل", 1), ("القادم", 1), ("الحالي", 0), ("الجاري", 0),
    ("الماضية", -1), ("المنصرمة", -1), ("الفائتة", -1), ("السابقة", -1),
    ("المقبلة", 1), ("القادمة", 1), ("الحالية", 0), ("الجارية", 0),
)}
# A bare month is a date only after one of these (في أكتوبر, أواخر يونيو).
MONTH_TRIGGERS = [fold(w) for w in ("في", "منذ", "خلال", "حتى", "قبل", "بعد", "مع", "شهر",
                                    "من", "إلى", "الى", "حلول", "بحلول", "مطلع", "منذ")] + PERIOD_PARTS

# A bare year is a date after one of these, when a pause follows (منذ 2014،).
YEAR_TRIGGERS = [fold(w) for w in ("منذ", "حتى", "في", "قبل", "بعد", "خلال", "بحلول", "مطلع", "أوائل",
                                   "أواخر", "إلى", "الى")]
# Places and events named after a date (ملعب 5 جويلية، شارع 26 يوليو): a day
# and month after one of these, with no year, is a name.
NAMED_AFTER_DATES = [fold(w) for w in ("ملعب", "شارع", "ساحة", "ميدان", "جسر", "جامعة", "مستشفى",
                                       "حي", "ثورة", "مدينة", "مطار", "جادة", "نفق", "حركة")]
# Units of time for durations (ثلاث سنوات مقبلة, في غضون أشهر).
PLURAL_UNITS = [fold(w) for w in ("سنوات", "سنين", "أعوام", "أشهر", "شهور", "أيام", "أسابيع",
                                  "عقود")]
DUAL_UNITS = [fold(w) for w in ("عامين", "سنتين", "شهرين", "أسبوعين", "يومين", "عقدين")]
COUNT_WORDS = [fold(w) for w in ("ثلاث", "ثلاثة", "أربع", "أربعة", "خمس", "خمسة", "ست", "ستة",
                                 "سبع", "سبعة", "ثماني", "ثمانية", "تسع", "تسعة", "عشر", "عشرة",
                                 "بضع", "بضعة", "عدة")]
DEFINITE_COUNTS = [fold(w) for w in ("الثلاث", "الأربع", "الخمس", "الست", "السبع", "العشر",
                                     "القليلة", "العشرين")]
DIRECTION_WORDS = [fold(w) for w in ("المقبلة", "القادمة", "الماضية", "الأخيرة", "المقبلين",
                                     "الماضيين", "مقبلة", "قادمة", "ماضية", "الفائتة")]
# Deictic days, with their offset from the document's date.
DEICTIC_DAYS = {fold(w): step for w, step in (
    ("أول أمس", -2), ("أمس الأول", -2), ("أمس", -1), ("الأمس", -1), ("البارحة", -1), ("اليوم", 0),
    ("غدا", 1), ("بعد غد", 2),
)}
PERIOD_NOUNS = {fold(w): unit for w, unit in (
    ("العام", "year"), ("السنة", "year"), ("الشهر", "month"), ("الأسبوع", "week"),
)}
YEAR_WORDS = [fold(w) for w in ("عام", "العام", "سنة", "السنة")]

# Arabic-Indic and Persian digits read as ASCII; one character each, so
# offsets do not move.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
