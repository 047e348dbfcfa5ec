"""The one code point <-> UTF-16 conversion pair."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.text.offsets import Utf16Index

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


def test_emoji_shifts_utf16_positions() -> None:
    text = "😀 قال"
    index = Utf16Index(text)
    assert index.to_utf16(2) == 3 and index.to_cp(3) == 2
    assert index.utf16_length == len(text.encode("utf-16-le")) // 2


def test_position_inside_a_surrogate_pair_rounds_down() -> None:
    text = "a😀b"
    assert Utf16Index(text).to_cp(2) == 1


def test_out_of_range_is_refused() -> None:
    index = Utf16Index("ab")
    with pytest.raises(IndexError, match="code point offset 3 outside 0..2"):
        index.to_utf16(3)
    with pytest.raises(IndexError, match="UTF-16 offset -1 outside 0..2"):
        index.to_cp(-1)


@given(any_text, st.data())
def test_matches_real_utf16_encoding(text: str, data: st.DataObject) -> None:
    index = Utf16Index(text)
    cp = data.draw(st.integers(0, len(text)))
    u16 = len(text[:cp].encode("utf-16-le")) // 2
    assert index.to_utf16(cp) == u16
    assert index.to_cp(u16) == cp


@given(any_text, st.data())
def test_every_utf16_position_maps_to_a_character_start(text: str, data: st.DataObject) -> None:
    index = Utf16Index(text)
    u16 = data.draw(st.integers(0, index.utf16_length))
    cp = index.to_cp(u16)
    assert cp == len(text.encode("utf-16-le")[: u16 * 2].decode("utf-16-le", "ignore"))
    assert index.to_utf16(cp) <= u16 <= index.to_utf16(cp) + 1
