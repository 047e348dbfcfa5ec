"""The DATE recogniser: our evaluation set, the seed articles checked by
hand, digit systems, relative values from the document's date, non-dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from annotator.core.suggest.dates import Anchor, document_anchor, find_dates
from annotator.core.suggest.evaluation import read_eval, score_dates

HERE = Path(__file__).resolve().parent.parent
SEEDS = HERE.parent / "seeds"
ANCHOR = Anchor(dt.date(2021, 7, 27), "meta")  # a Tuesday


def dates(text: str, anchor: Anchor | None = None) -> list[tuple[str, str | None]]:
    return [(text[d.start:d.end], d.value) for d in find_dates(text, anchor)]


def test_evaluation_set_meets_the_thresholds() -> None:
    records = read_eval(HERE / "data" / "dates_eval.jsonl")
    scores = score_dates(records)
    assert scores.gold_all >= 200 and scores.gold_absolute >= 180
    assert sum(1 for r in records if not r["dates"]) >= 20  # sentences without dates
    assert scores.precision >= 0.95, scores.errors
    assert scores.recall_absolute >= 0.95, scores.errors
    assert scores.value_accuracy >= 0.95, scores.errors


# Every absolute date in the seed articles, read by hand (text, ISO value).
SEED_DATES = {
    "000": [("السبت 29 يونيو 2024", "2024-06-29"), ("27-7-2021", "2021-07-27"),
            ("عام 2003", "2003"), ("عام 2011", "2011"), ("نهاية عام 2017", "2017"),
            ("عام 2014", "2014"), ("عام 1979", "1979")],
    "001": [("الثلاثاء 2021/07/27", "2021-07-27"), ("نهاية 2021", "2021"),
            ("مارس 2003", "2003-03"), ("الأول من مايو 2003", "2003-05-01")],
    "002": [],
    "003": [("2021/07/23", "2021-07-23"), ("2021/07/23", "2021-07-23"),
            ("الخميس 22 يوليو/تموز 2021", "2021-07-22"),
            ("5 يناير/كانون الثاني 2020", "2020-01-05"), ("أكتوبر/تشرين الأول 2019", "2019-10")],
    "004": [("نهاية العام الجاري 2021", "2021"), ("نوفمبر2021", "2021-11"),
            ("العام 2003", "2003"), ("عام 2011", "2011"), ("سبتمبر 2014", "2014-09"),
            ("3 يناير 2020", "2020-01-03")],
}


@pytest.mark.parametrize("prefix", sorted(SEED_DATES))
def test_seed_articles_get_every_absolute_date_with_its_value(prefix: str) -> None:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    found = [(text[d.start:d.end], d.value) for d in find_dates(text) if d.absolute]
    assert found == SEED_DATES[prefix]


def test_seed_datelines_are_the_articles_own_dates() -> None:
    anchors = {p.name[:3]: document_anchor(p.read_text(encoding="utf-8"))
               for p in sorted(SEEDS.glob("*.txt"))}
    # 000 prints the page's date (2024) above the article's stamp 27-7-2021 | 16:56.
    assert {k: a and a.date.isoformat() for k, a in anchors.items()} == {
        "000": "2021-07-27", "001": "2021-07-27", "002": None, "003": "2021-07-23", "004": None}


def test_meta_date_wins_over_the_dateline() -> None:
    anchor = document_anchor("الثلاثاء 2021/07/27\nنص", {"date": "2020-01-02T10:00"})
    assert anchor == Anchor(dt.date(2020, 1, 2), "meta")


@pytest.mark.parametrize("text, expected", [
    ("وقع في ٢٢ يوليو ٢٠٢١ في بغداد", [("٢٢ يوليو ٢٠٢١", "2021-07-22")]),
    ("وقع في ۲۲ تموز ۲۰۲۱ في بغداد", [("۲۲ تموز ۲۰۲۱", "2021-07-22")]),
    ("بتاريخ 23/07/2021 صدر", [("23/07/2021", "2021-07-23")]),
    ("في 2020-09-30.", [("2020-09-30", "2020-09-30")]),
    ("في 31 كانون الأول/ ديسمبر 2021", [("31 كانون الأول/ ديسمبر 2021", "2021-12-31")]),
    ("أعلن في 12 رمضان 1442 هـ عن", [("12 رمضان 1442 هـ", "2021-04-24")]),
    ("جانفي 2021 وغشت 2022 وشتنبر 2018", [("جانفي 2021", "2021-01"), ("غشت 2022", "2022-08"),
                                          ("شتنبر 2018", "2018-09")]),
    ("في 30 يونيه 2014", [("30 يونيه 2014", "2014-06-30")]),
    ("في 22\u00a0يوليو\u00a02021", [("22\u00a0يوليو\u00a02021", "2021-07-22")]),
    ("و\u200cعام 2003", [("عام 2003", "2003")]),
])
def test_month_systems_digits_and_forms(text: str, expected: list) -> None:
    assert dates(text) == expected


def test_harakat_tatweel_and_emoji_keep_offsets_exact() -> None:
    text = "😀 في ٥ يَنـايِر ٢٠٢٠ والقرار"
    [date] = find_dates(text)
    assert text[date.start:date.end] == "٥ يَنـايِر ٢٠٢٠"
    assert (date.start, date.value) == (5, "2020-01-05")


def test_hijri_text_is_kept_and_out_of_range_hijri_has_no_value() -> None:
    [date] = find_dates("في 1 محرم 1200 هـ كان")
    assert (date.value, date.hijri, date.rule) == (None, "1 محرم 1200 هـ", "date.hijri")


@pytest.mark.parametrize("text, expected", [
    ("التقى الوزير نظيره الاثنين في بغداد", [("الاثنين", "2021-07-26")]),
    ("قال أمس إن", [("أمس", "2021-07-26")]),
    ("بحلول نهاية هذا العام", [("نهاية هذا العام", "2021")]),
    ("في 26 يوليو الماضي", [("26 يوليو الماضي", "2021-07-26")]),
    ("في 31 كانون الأول/ ديسمبر المقبل", [("31 كانون الأول/ ديسمبر المقبل", "2021-12-31")]),
    ("في أكتوبر المقبل", [("أكتوبر المقبل", "2021-10")]),
    ("العام الماضي", [("العام الماضي", "2020")]),
    ("لمدة ثلاث سنوات مقبلة", [("ثلاث سنوات مقبلة", None)]),
    ("في غضون أشهر", [("غضون أشهر", None)]),
])
def test_relative_dates_take_their_value_from_the_document_date(text: str, expected: list) -> None:
    assert dates(text, ANCHOR) == expected
    assert all(value is None for _, value in dates(text))  # no document date: no value


@pytest.mark.parametrize("text", [
    "يوجد 2500 جندي و5.2 مليون دولار",
    "اتصل على 00964-770-123-4567 الآن",
    "مارس الرئيس ضغوطا على الحكومة",
    "بلغ 2000 شخص و1998 نقطة",
    "فاز 3-1 في المباراة عند 16:56",
    "الساعة 10/20 حالة",
    "على ملعب 5 جويلية الأولمبي",
    "رجب طيب أردوغان",
])
def test_numbers_and_words_that_are_not_dates_are_not_proposed(text: str) -> None:
    assert dates(text) == []


def test_document_dates_are_valued_from_the_dateline_in_one_scan() -> None:
    [path] = SEEDS.glob("001_*.txt")
    text = path.read_text(encoding="utf-8")
    from annotator.core.suggest.dates import find_document_dates

    found, anchor = find_document_dates(text)
    assert anchor == Anchor(dt.date(2021, 7, 27), "dateline")
    by_text = {text[d.start:d.end]: d.value for d in found}
    assert by_text["الاثنين"] == "2021-07-26"
    assert by_text["هذا الشهر"] == "2021-07"
    assert [(text[d.start:d.end], d.value) for d in found if d.absolute] == SEED_DATES["001"]


def test_a_glued_conjunction_stays_outside_and_words_are_not_split() -> None:
    assert dates("وعام 2003 ولعام 2004") == [("عام 2003", "2003"), ("عام 2004", "2004")]
    assert dates("الأعوام 2003") == []  # أعوام is no year word; no match inside it


@pytest.mark.parametrize("text, expected", [
    ("منذ 2014، تعيش البلاد", [("2014", "2014")]),
    ("حتى 2030.", [("2030", "2030")]),
    ("قبل 2000 عام", []),
    ("في 2020 قرية", []),
    ("صدر في ١٧ / ٠٣ / ٢٠٢١ القرار", [("١٧ / ٠٣ / ٢٠٢١", "2021-03-17")]),
    ("خلال الربع الأول من 2020", [("الربع الأول من 2020", "2020")]),
    ("يعقد في 15-17 مايو 2024 في عمان", [("15-17 مايو 2024", None)]),
])
def test_bare_years_spaced_numbers_quarters_and_ranges(text: str, expected: list) -> None:
    assert dates(text) == expected


def test_parts_of_a_day_stay_in_the_span() -> None:
    assert dates("أغلقت صباح اليوم وعادت مساء الأربعاء", ANCHOR) == [
        ("صباح اليوم", "2021-07-27"), ("مساء الأربعاء", "2021-07-21")]


def test_evaluation_jsonl_is_built_from_its_marked_source() -> None:
    import json
    import sys

    sys.path.insert(0, str(HERE.parent / "bench"))
    try:
        from make_dates_eval import build
    finally:
        sys.path.pop(0)
    lines = (HERE / "data" / "dates_eval.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == build(HERE / "data" / "dates_eval_source.txt")


def test_a_weekday_that_does_not_fit_the_date_is_remarked() -> None:
    right, wrong = find_dates("الخميس 22 يوليو 2021 ثم الخميس 23 يوليو 2021")
    assert (right.value, right.remark) == ("2021-07-22", "")
    assert (wrong.value, wrong.remark) == ("2021-07-23", "الخميس in the text, but 2021-07-23 is a الجمعة")


@pytest.mark.parametrize("meta", [None, {"date": "2020-01-15"}])
def test_dates_one_at_a_time_are_the_document_dates(meta) -> None:
    # The suggestion worker reads dates from a generator it can leave part
    # way; it must give what find_document_dates gives, dateline and all.
    from annotator.core.suggest.dates import find_document_dates, iter_document_dates

    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        text = text + "\n\nوفي الاثنين الماضي " + text  # dates past the opening too
        found, anchor = find_document_dates(text, meta)
        pairs = list(iter_document_dates(text, meta))
        assert [d for d, _ in pairs] == found
        assert all(a == anchor for _, a in pairs)
    assert list(iter_document_dates("لا تاريخ هنا")) == []
