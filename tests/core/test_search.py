from hypothesis import given
from hypothesis import strategies as st

from annotator.core.text.search import FoldedText, find_all, fold


def test_harakat_and_tatweel_are_ignored_both_ways():
    text = "قالَ الرَّئِيسُ إنّ المـــدينة"
    word = "الرَّئِيسُ"
    assert find_all(text, "الرئيس") == [(text.index(word), text.index(word) + len(word))]
    assert find_all(text, "المدينه") == [(20, 30)]
    assert find_all("الرئيس", "الرَّئِيس") == [(0, 6)]


def test_alef_ya_ta_marbuta_variants_match():
    text = "أحمد وإبراهيم وآمنة ذهبوا إلى المدرسة"
    assert find_all(text, "احمد") == [(0, 4)]
    assert find_all(text, "ابراهيم") == [(6, 13)]
    assert find_all(text, "امنه") == [(15, 19)]
    assert find_all(text, "الي") == [(26, 29)]
    assert find_all(text, "مدرسة") == [(32, 37)]


def test_hit_ends_with_the_harakat_of_its_last_letter():
    text = "كَتَبَ الولدُ"
    start, end = find_all(text, "الولد")[0]
    assert text[start:end] == "الولدُ"


def test_offsets_are_code_points_after_an_emoji():
    text = "😀 قال بايدن 😀 بايدن"
    assert [text[s:e] for s, e in find_all(text, "بايدن")] == ["بايدن", "بايدن"]
    assert find_all(text, "بايدن") == [(6, 11), (14, 19)]


def test_every_hit_latin_case_insensitive_and_empty_query():
    assert find_all("CNN and cnn", "Cnn") == [(0, 3), (8, 11)]
    assert find_all("نص", "") == []
    assert find_all("نص", "َ") == []  # a lone haraka folds to nothing


def test_fold_drops_marks():
    assert fold("مُحَمَّد") == "محمد"


@given(st.lists(st.sampled_from(list("ابتةىيأإ َُِّـ😀 x")), max_size=40),
       st.lists(st.sampled_from(list("ابتة")), min_size=1, max_size=3))
def test_hits_fold_back_to_the_query(chars, query_chars):
    text, query = "".join(chars), "".join(query_chars)
    for start, end in FoldedText(text).find_all(query):
        assert fold(text[start:end]) == fold(query)


def test_every_hit_is_found_in_order_not_only_the_first_and_last() -> None:
    text = "قال ثم قال ثم قال ثم قال"
    assert find_all(text, "قال") == [(0, 3), (7, 10), (14, 17), (21, 24)]


def test_fold_lowers_latin_case() -> None:
    assert fold("Reuters CNN") == "reuters cnn"


def test_a_letter_that_lowers_to_two_keeps_the_offsets_exact() -> None:
    text = "İstanbul: قال الرئيس"  # "İ".lower() is two code points
    assert find_all(text, "قال") == [(10, 13)]
    assert find_all(text, "stanbul") == [(1, 8)]



def test_lazy_hits_answer_as_a_scan_of_the_whole_list() -> None:
    # Hits maps folded offsets only when asked; overlapping and first_from
    # must agree with a plain scan of the list, with marks, emoji, tatweel,
    # NBSP and CRLF in the text.
    import random

    rng = random.Random(4)
    pieces = ["قال", "قَالَ", "قـال", "😀", "\u00a0", "\r\n", " ", "أحمد", "احمد", "x"]
    text = "".join(rng.choice(pieces) for _ in range(3000))
    folded = FoldedText(text)
    for query in ("قال", "احمد", "ل ق", "zz"):
        hits = folded.hits(query)
        listed = list(hits)
        assert len(hits) == len(listed) and hits[-3:] == listed[-3:]
        assert listed == [hits[i] for i in range(len(hits))]
        for start, end in listed:
            assert fold(text[start:end]) == fold(query)
        for a in range(0, len(text), 53):
            b = a + rng.randint(1, 40)
            assert hits.overlapping(a, b) == [(s, e) for s, e in listed if s < b and e > a]
            assert hits.first_from(a) == next((i for i, (s, _) in enumerate(listed) if s >= a),
                                              len(listed))
    assert len(folded.hits("قال")) > 100 and len(folded.hits("zz")) == 0
