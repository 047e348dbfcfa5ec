import pytest

from annotator.core.text.boundaries import move_boundary, selection_to_span
from annotator.core.errors import ValidationError
from annotator.core.text.intervals import IntervalIndex, neighbour

TEXT = "قال الرئيسُ جو بايدن، اليوم."


def span_of(word: str) -> tuple[int, int]:
    i = TEXT.index(word)
    return i, i + len(word)


def test_selection_snaps_to_words_unless_precise():
    s, e = span_of("الرئيسُ")
    assert selection_to_span(TEXT, s + 2, s + 4) == (s, e)
    assert selection_to_span(TEXT, s + 2, s + 4, precise=True) == (s + 2, s + 4)
    # Precise never separates a letter from its damma.
    assert selection_to_span(TEXT, s + 2, e - 1, precise=True) == (s + 2, e)
    with pytest.raises(ValidationError, match="select some text first"):
        selection_to_span(TEXT, 3, 4)  # only a space


def test_end_moves_by_word():
    s, e = span_of("جو")
    assert move_boundary(TEXT, s, e, "end", 1) == (s, span_of("بايدن")[1])
    s2, e2 = move_boundary(TEXT, s, span_of("بايدن")[1], "end", -1)
    assert (s2, e2) == (s, e)


def test_start_moves_by_word():
    s, e = span_of("بايدن")
    assert move_boundary(TEXT, s, e, "start", -1) == (span_of("جو")[0], e)
    assert move_boundary(TEXT, span_of("جو")[0], e, "start", 1) == (s, e)


def test_char_steps_keep_harakat_and_can_drop_a_proclitic():
    s, e = span_of("الرئيسُ")
    assert move_boundary(TEXT, s, e, "start", 1, "char") == (s + 1, e)
    assert move_boundary(TEXT, s, e, "end", -1, "char") == (s, e - 2)  # سُ goes as one


def test_empty_span_is_refused():
    s, e = span_of("جو")
    with pytest.raises(ValidationError, match="the span would be empty"):
        move_boundary(TEXT, s, e, "end", -1)


def test_interval_index_finds_overlaps_with_long_and_nested():
    items = [(0, 5000, "long"), (10, 20, "a"), (12, 15, "b"), (30, 40, "c"), (4000, 4010, "d")]
    index = IntervalIndex(items)
    assert [it[2] for it in index.overlapping(14, 31)] == ["long", "a", "b", "c"]
    assert [it[2] for it in index.at(13)] == ["b", "a", "long"]
    assert index.overlapping(20, 30) == [(0, 5000, "long")]
    assert len(index) == 5


def test_neighbour_wraps():
    positions = [(0, 3), (5, 9), (12, 14)]
    assert neighbour(positions, (5, 9), 1) == 2
    assert neighbour(positions, (12, 14), 1) == 0
    assert neighbour(positions, (0, 3), -1) == 2
    assert neighbour(positions, None, 1) == 0
    assert neighbour(positions, (6, 7), -1) == 1


def test_interval_index_add_and_remove_in_place():
    index = IntervalIndex([(10, 20, "a"), (0, 5000, "long")])
    index.add((12, 30, "b"))
    index.add((0, 9000, "huge"))
    assert [it[2] for it in index.at(15)] == ["a", "b", "long", "huge"]
    assert index.remove(12, 30, "b") and index.remove(0, 9000, "huge")
    assert not index.remove(12, 30, "b")
    assert [it[2] for it in index.overlapping(0, 100)] == ["long", "a"]
    assert len(index) == 2


# -- edges at the ends of the document (issue 11: mutation gaps) -------------------


def test_start_moved_past_trailing_punctuation_at_the_end_is_refused_not_an_index_error():
    s, e = span_of("اليوم")  # the last word, before the final full stop
    with pytest.raises(ValidationError, match="the span would be empty"):
        move_boundary(TEXT, s, len(TEXT), "start", 1)
    with pytest.raises(ValidationError, match="the span would be empty"):
        move_boundary(TEXT, s, e, "start", 1)


def test_end_moved_past_trailing_punctuation_stops_at_the_end_of_the_text():
    s, e = span_of("اليوم")
    assert move_boundary(TEXT, s, e, "end", 1) == (s, len(TEXT))
    assert move_boundary(TEXT, s, len(TEXT), "end", 1) == (s, len(TEXT))
    assert move_boundary(TEXT, s, len(TEXT), "end", 1, "char") == (s, len(TEXT))


@pytest.mark.parametrize("unit", ["word", "char"])
def test_edges_at_offset_zero_and_at_the_end_stay_inside_the_text(unit):
    assert move_boundary(TEXT, 0, 3, "start", -1, unit) == (0, 3)
    assert move_boundary(TEXT, 0, len(TEXT), "end", 1, unit) == (0, len(TEXT))
    assert move_boundary(TEXT, 0, len(TEXT), "start", -1, unit) == (0, len(TEXT))


def test_edges_move_across_an_emoji_and_harakat_at_the_ends():
    text = "😀 قالَ"
    assert move_boundary(text, 0, 1, "end", 1) == (0, len(text))
    assert move_boundary(text, 2, len(text), "start", -1) == (0, len(text))
    assert move_boundary(text, 2, len(text), "end", -1, "char") == (2, 4)  # the haraka goes with ل
