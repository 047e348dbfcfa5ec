"""The compact suggestion table (core.suggest.table) against plain lists."""

from __future__ import annotations

import random

import pytest

from annotator.core.suggest.engine import Found
from annotator.core.suggest.table import SpanCover, SuggestionTable

TEXT = "😀 قَالَ الكاظمي في 22 يوليو ـ والكاظمي\r\n" * 40


def entity(start: int, end: int, name: str = "الكاظمي") -> Found:
    return Found(start, end, "ENTITY", "entity.propagated", {"type": "PER"}, "", name)


def date(start: int, end: int, value: str) -> Found:
    return Found(start, end, "DATE", "date.gregorian", {"value": value}, "hijri: x", None)


def runs(seed: int = 3) -> tuple[list[Found], list[Found]]:
    rng = random.Random(seed)
    entities = [entity(p, p + rng.randint(1, 9), rng.choice(["الكاظمي", "بغداد"]))
                for p in range(0, len(TEXT) - 10, 11)]
    dates = [date(p, p + rng.randint(2, 30), f"2021-07-{p % 28 + 1:02d}")
             for p in sorted(rng.sample(range(len(TEXT) - 40), 60))]
    return entities, dates


def table_of(entities, dates, shown=lambda s, e, lb: True) -> SuggestionTable:
    return SuggestionTable.build(7, TEXT, [dates, iter(entities)], shown)


def test_rows_come_out_in_text_order_with_what_each_carries() -> None:
    entities, dates = runs()
    table = table_of(entities, list(reversed(dates)))  # an unsorted run is sorted
    expected = sorted(entities + dates, key=lambda f: (f.start, f.end, f.label))
    assert [table.place(r) for r in range(len(table))] == [(f.start, f.end, f.label) for f in expected]
    for row, found in enumerate(expected):
        s = table.suggestion(row)
        assert (s.document_id, s.start, s.end, s.label, s.rule, s.text, s.attributes, s.note) == (
            7, found.start, found.end, found.label, found.rule, TEXT[found.start:found.end],
            found.attributes, found.note)


def test_overlapping_next_and_previous_match_a_scan_of_the_list() -> None:
    entities, dates = runs(5)
    hidden = {(f.start, f.end, f.label) for f in entities[::3]}
    table = table_of(entities, dates, lambda s, e, lb: (s, e, lb) not in hidden)
    places = [table.place(r) for r in range(len(table))]
    shown = [p for p in places if p not in hidden]
    assert table.shown_count == len(shown)
    for a in range(0, len(TEXT), 37):
        b = a + 25
        assert [places[r] for r in table.overlapping(a, b)] == [p for p in places if p[0] < b and p[1] > a]
        following = next((p for p in shown if p[0] > a), shown[0])
        assert places[table.next_shown(a)] == following
        before = next((p for p in reversed(shown) if p[1] < a), shown[-1])
        assert places[table.previous_shown(a)] == before


def test_insert_remove_and_flags_keep_the_order_and_the_count() -> None:
    entities, dates = runs(8)
    table = table_of(entities, dates)
    n = len(table)
    row = table.insert(entity(3, 5, "قال"), shown=False)
    assert table.place(row) == (3, 5, "ENTITY") and table.row_of(3, 5, "ENTITY") == row
    assert (len(table), table.shown_count) == (n + 1, n)
    assert table.set_shown(row, True) and not table.set_shown(row, True)
    assert table.shown_count == n + 1
    named = table.rows_named("بغداد")
    assert named and all(table.suggestion(r).attributes == {"type": "PER"} for r in named)
    table.remove_rows(named)
    assert table.rows_named("بغداد") == [] and len(table) == n + 1 - len(named)
    assert table.shown_count == len(table)
    keys = [table.place(r) for r in range(len(table))]
    assert keys == sorted(keys)
    table.remove(table.row_of(3, 5, "ENTITY"))
    assert table.row_of(3, 5, "ENTITY") is None


def test_a_suggestion_too_long_to_pack_is_refused() -> None:
    with pytest.raises(ValueError, match="a suggestion of"):
        table_of([entity(0, 1 << 20)], [])


def test_span_cover_answers_as_a_scan_even_for_nested_spans() -> None:
    rng = random.Random(1)
    spans = sorted((s, s + rng.randint(1, 400), rng.choice(["DATE", "CLAIM"]))
                   for s in rng.sample(range(5000), 300))
    names = ["CLAIM", "DATE"]
    cover = SpanCover([s for s, _, _ in spans], [e for _, e, _ in spans],
                      [names.index(lb) for _, _, lb in spans], names)
    for a in range(0, 5400, 7):
        for label in names + ["ENTITY"]:
            expected = any(lb == label and s < a + 3 and e > a for s, e, lb in spans)
            assert cover.covers(a, a + 3, label) == expected


def test_a_build_stops_when_told() -> None:
    from annotator.core.suggest.table import BuildCancelled

    many = (entity(p, p + 2) for p in range(0, 3 * 256 * 3, 3))
    asked = []
    with pytest.raises(BuildCancelled):
        SuggestionTable.build(7, TEXT, [many], lambda s, e, lb: True,
                              lambda: asked.append(1) or len(asked) > 1)
    assert len(asked) == 2  # asked every 256 rows, stopped at the second
    whole = SuggestionTable.build(7, TEXT, [[entity(0, 2)]], lambda s, e, lb: True, lambda: True)
    assert len(whole) == 1  # too short to be asked
