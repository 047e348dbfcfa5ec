"""Decoding into canonical text: every accepted encoding gives exactly the
same characters; every bad file is refused with a one-line error."""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.text.encoding import Decoded, canonicalize, decode_bytes, read_bytes, sha256_text
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


# -- edges the mutation run found untested (issue 11) --------------------------------


@pytest.mark.parametrize("codec, name", [("utf-32", "utf-32"), ("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig")])
def test_a_bom_names_the_encoding(codec: str, name: str) -> None:
    decoded = decode_bytes("نصٌّ 😀\r\nثانٍ".encode(codec))
    assert decoded == Decoded("نصٌّ 😀\nثانٍ", name)


def test_a_control_character_error_names_its_line() -> None:
    with pytest.raises(InputError, match=r"^x.txt:2: binary data \(control character U\+0001\); not a text file$"):
        decode_bytes("\nسطر\x01\nبعد\nو".encode("utf-8"), "x.txt")


def test_exactly_four_fifths_arabic_is_plausible_windows_1256() -> None:
    decoded = decode_bytes("قالوé".encode("cp1256"), "x.txt")
    assert decoded == Decoded("قالوé", "cp1256")


def test_del_is_not_counted_as_a_letter_when_judging_windows_1256() -> None:
    # Plausible Arabic, then refused for the control character, not for its encoding.
    with pytest.raises(InputError, match=r"^x.txt:1: binary data \(control character U\+007F\)"):
        decode_bytes("قالو".encode("cp1256") + b"\x7f\x7f", "x.txt")


@pytest.mark.parametrize("ch", ["\u0600", "\u06ff", "\ufb50", "\ufdff", "\ufe70", "\ufeff"])
def test_the_arabic_ranges_include_their_ends(ch: str) -> None:
    from annotator.core.text.encoding import _is_arabic

    assert _is_arabic(ch)
    assert not _is_arabic(chr(ord(ch) - 1) if ch in "\u0600\ufb50\ufe70" else chr(ord(ch) + 1))


def test_an_unreadable_file_is_one_line_naming_it(tmp_path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(InputError, match=f"^{re.escape(str(missing))}: No such file or directory$"):
        read_bytes(missing)


def test_the_hash_of_a_text_with_a_lone_surrogate_is_defined() -> None:
    # JSON may carry "\ud800"; its document still needs a SHA-256 (UTF-8 with surrogatepass).
    import hashlib

    assert sha256_text("a\ud800") == hashlib.sha256(b"a\xed\xa0\x80").hexdigest()


def test_nul_bytes_are_named_in_the_message() -> None:
    with pytest.raises(InputError, match=r"^x.txt: binary data \(NUL bytes\); not a text file$"):
        decode_bytes(b"text\x00more", "x.txt")
