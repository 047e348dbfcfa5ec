"""The open document's compact span table (core.span_table): the same
answers as the Span lists and interval index it replaces."""

from __future__ import annotations

import random

import pytest

from annotator.core.model import Span
from annotator.core.span_table import LONG, SpanTable
from annotator.core.text.intervals import IntervalIndex, neighbour


def _spans(n: int = 300, seed: int = 7) -> list[Span]:
    rng = random.Random(seed)
    spans, taken = [], set()
    while len(spans) < n:
        start = rng.randrange(0, 20_000)
        end = start + (rng.randrange(LONG + 1, 3 * LONG) if rng.random() < 0.03 else rng.randrange(1, 40))
        label = rng.choice(["CLAIM", "ENTITY", "DATE"])
        if (start, end, label) in taken:
            continue
        taken.add((start, end, label))
        attributes = {"type": "PER"} if label == "ENTITY" and rng.random() < 0.5 else {}
        note = "ملاحظة 😀" if rng.random() < 0.1 else ""
        spans.append(Span(len(spans) + 10, 3, "lina", start, end, label, attributes, note))
    return spans


def _order(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.id))


def test_rows_in_span_list_order_and_spans_by_id() -> None:
    spans = _spans()
    table = SpanTable.from_spans(3, "lina", spans)
    assert [table.span_at(r) for r in range(len(table))] == _order(spans)
    assert list(table) == [s.id for s in _order(spans)]
    for span in spans:
        assert table[span.id] == span
        assert span.id in table
        assert table.row_of(span.id) == _order(spans).index(span)
        assert table.bounds(span.id) == (span.start, span.end)
    assert 9 not in table and table.get(9) is None and table.row_of(9) is None
    assert table.bounds(9) is None
    with pytest.raises(KeyError, match="99999"):
        table[99999]
    assert table.label_counts() == {label: sum(s.label == label for s in spans)
                                    for label in ("CLAIM", "ENTITY", "DATE")}
    assert table.ids_with_label("DATE") == [s.id for s in _order(spans) if s.label == "DATE"]
    assert table.ids_with_label("EVENT") == []


def test_overlapping_and_at_agree_with_the_interval_index() -> None:
    spans = _spans()
    table = SpanTable.from_spans(3, "lina", spans)
    index = IntervalIndex((s.start, s.end, s.id) for s in spans)
    for start in range(0, 26_000, 97):
        for width in (1, 50, 700):
            got = [table.ids[r] for r in table.overlapping(start, start + width)]
            assert sorted(got) == sorted(it[2] for it in index.overlapping(start, start + width))
            assert got == [s.id for s in _order(spans) if s.start < start + width and s.end > start]
        inner = [table.ids[r] for r in table.at(start)]
        assert sorted(inner) == sorted(it[2] for it in index.at(start))
        lengths = [table[i].end - table[i].start for i in inner]
        assert lengths == sorted(lengths)


def test_neighbour_agrees_with_the_position_list() -> None:
    spans = _order(_spans(120))
    table = SpanTable.from_spans(3, "lina", spans)
    positions = [(s.start, -s.end) for s in spans]
    for current in [None, *positions[::7], (0, -1), (30_000, -30_001), (500, -10**9)]:
        for step in (1, -1):
            assert table.neighbour(current, step) == neighbour(positions, current, step)
    assert SpanTable(1, "x").neighbour(None, 1) is None


def test_edits_keep_both_orders() -> None:
    spans = _spans(200)
    table = SpanTable.from_spans(3, "lina", spans)
    rng = random.Random(3)
    live = list(spans)
    for k in range(150):
        if live and rng.random() < 0.5:
            gone = live.pop(rng.randrange(len(live)))
            row = table.row_of(gone.id)
            assert table.remove(gone.id) == row
            assert gone.id not in table
        else:
            start = rng.randrange(0, 20_000)
            new = Span(10_000 + k, 3, "lina", start, start + rng.choice([3, LONG + 5]), "EVENT",
                       {"value": "x"} if k % 2 else {}, "")
            row = table.insert(new)
            live.append(new)
            assert table.span_at(row) == new
    assert table.remove(123_456) is None
    assert [table.span_at(r) for r in range(len(table))] == _order(live)
    assert all(table[s.id] == s for s in live)
    rebuilt = SpanTable.from_spans(3, "lina", live)
    assert rebuilt.same(table) and table.same(rebuilt)
    wide = max(table.overlapping(0, 30_000), default=None)
    assert wide == len(table) - 1
    moved = SpanTable.from_spans(3, "lina", [*live[1:], Span(live[0].id, 3, "lina", live[0].start,
                                                              live[0].end + 1, live[0].label)])
    assert not moved.same(table)


def test_rows_in_the_store_index_order_come_out_in_position_order() -> None:
    # The store reads (start, end, label) order, which its index gives for
    # free; spans sharing a start must still come longest first.
    rng = random.Random(2)
    spans = _spans(200, seed=3)
    shared = [Span(1000 + k, 3, "lina", 500, 500 + rng.randrange(1, 30), label)
              for k, label in enumerate(["CLAIM", "ENTITY", "DATE", "CLAIM", "DATE"])]
    shared = list({(s.end, s.label): s for s in shared}.values())
    spans += shared + [Span(2000, 3, "lina", 0, 5, "DATE"), Span(2001, 3, "lina", 0, 9, "DATE")]
    index_order = sorted(spans, key=lambda s: (s.start, s.end, s.label))
    table = SpanTable.from_rows(3, "lina", ((s.id, s.start, s.end, s.label) for s in index_order))
    assert list(table) == [s.id for s in _order(spans)]
    assert [table.row_of(s.id) for s in _order(spans)] == list(range(len(spans)))


def test_spans_stored_in_text_order_are_found_by_id_too() -> None:
    # Ids increasing with position take a copying path for the id order.
    spans = [Span(100 + k, 3, "lina", 10 * k, 10 * k + 4, "DATE") for k in range(50)]
    table = SpanTable.from_spans(3, "lina", spans)
    assert all(table[s.id] == s and table.row_of(s.id) == k for k, s in enumerate(spans))
    assert table.bounds(130) == (300, 304) and 99 not in table
    table.insert(Span(7, 3, "lina", 1, 2, "ENTITY"))
    assert table.row_of(7) == 1 and table.row_of(101) == 2 and table[7].label == "ENTITY"
