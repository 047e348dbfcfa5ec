"""Decoding into canonical text: every accepted encoding gives exactly the
same characters; every bad file is refused with a one-line error."""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.encoding import canonicalize, decode_bytes, sha256_text
from annotator.core.errors import InputError

ARABIC = "قالَ الرئيسُ إنّ القواتِ الأمريكيّة ستنسحبُ"
# Emoji (astral), harakat, tatweel, ZWNJ, NBSP, Latin and digits.
MIXED = "الخبر 😀 عاجـــل: مُحَمَّد\u200cی قال\u00a0CNN 2021-12-05 🇸🇦"


@pytest.mark.parametrize(
    "data, expected",
    [
        (MIXED.encode("utf-8"), MIXED),
        (codecs.BOM_UTF8 + "سطر\r\nثان\rثالث\n".encode("utf-8"), "سطر\nثان\nثالث\n"),
        ("سطر 😀\r\n".encode("utf-16"), "سطر 😀\n"),  # BOM + native order
        (codecs.BOM_UTF16_BE + "سطر\r\n".encode("utf-16-be"), "سطر\n"),
        (ARABIC.encode("cp1256"), ARABIC),
        (("مرحبا\r\n" * 3).encode("cp1256"), "مرحبا\n" * 3),
    ],
    ids=["utf8-mixed", "utf8-bom-crlf-cr", "utf16-bom", "utf16be-bom", "cp1256", "cp1256-crlf"],
)
def test_decodes_to_exact_canonical_text(data: bytes, expected: str) -> None:
    assert decode_bytes(data, "f.txt").text == expected


def test_reports_the_encoding_found() -> None:
    assert decode_bytes(ARABIC.encode("cp1256")).encoding == "cp1256"
    assert decode_bytes(ARABIC.encode("utf-8")).encoding == "utf-8"


def test_nothing_but_bom_and_line_ends_changes() -> None:
    # NBSP, ZWNJ, tatweel, harakat and presentation forms survive; no NFC.
    text = "e\u0301 \u00a0 \u200c ـ ﻻ مُ"
    assert canonicalize("\ufeff" + text) == text
    assert canonicalize("a\u2028b") == "a\u2028b"  # only CR and CRLF are line ends here


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"   \r\n\t\n", "empty file"),
        (codecs.BOM_UTF8, "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"text\x01\x02 with controls", "binary data"),
        ("Ceci est un texte français très léger.".encode("latin-1"), "not valid UTF-8"),
        (bytes(range(128, 256)) * 4, "not valid UTF-8"),
        (b"\xff\xfe\x41", "invalid UTF-16"),
    ],
    ids=["empty", "whitespace", "bom-only", "png", "controls", "latin1", "random-high", "odd-utf16"],
)
def test_bad_files_are_refused_with_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as info:
        decode_bytes(data, "in/bad.txt")
    text = str(info.value)
    assert text.startswith("in/bad.txt")
    assert message in text
    assert "\n" not in text


def test_undecodable_error_names_the_line() -> None:
    data = "سطر أول\nسطر ثان\n".encode("utf-8") + "é à".encode("latin-1")
    with pytest.raises(InputError, match="^x.txt:3: not valid UTF-8") as info:
        decode_bytes(data, "x.txt")
    assert info.value.line == 3
    assert str(info.value).startswith("x.txt:3:")


def test_sha256_is_of_utf8_canonical_text() -> None:
    import hashlib

    assert sha256_text("نص") == hashlib.sha256("نص".encode()).hexdigest()


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_any_unicode_round_trips_through_utf8_and_utf16(text: str) -> None:
    if not text.strip():
        return
    expected = canonicalize(text)
    if not expected.strip():
        return
    assert decode_bytes(text.encode("utf-8")).text == expected
    assert decode_bytes(text.encode("utf-16")).text == expected
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")).text == expected
