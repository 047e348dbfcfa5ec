"""Decoding files into canonical text (DESIGN §3).

Canonical text: decoded, leading BOM removed, CRLF and lone CR turned into LF.
Nothing else changes: no NFC, no reshaping, NBSP stays NBSP.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import InputError

# C0/C1 controls other than tab, LF, VT, FF, CR never occur in real text
# files; their presence means binary. A regex keeps this off the Python loop.
_BINARY_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Arabic script letters in the range cp1256 can produce.
_ARABIC_RANGES = ((0x0600, 0x06FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


@dataclass(frozen=True)
class Decoded:
    text: str  # canonical
    encoding: str  # what the bytes were


def canonicalize(text: str) -> str:
    """Strip one leading BOM, turn CRLF and lone CR into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_text(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of canonical text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _is_arabic(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _ARABIC_RANGES)


def _plausible_cp1256(text: str) -> bool:
    """Arabic text mis-read as cp1256 decodes to Arabic letters; French,
    Latin-1 or random bytes decode mostly to Latin accents or symbols."""
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii:
        return False
    arabic = sum(1 for c in non_ascii if _is_arabic(c) or c in "\u200c\u200d\u200e\u200f")
    return arabic >= 0.8 * len(non_ascii)


def _check_controls(text: str, source: str | Path | None) -> None:
    found = _BINARY_CONTROL.search(text)
    if found:
        lineno = text.count("\n", 0, found.start()) + 1
        raise InputError(
            source, f"binary data (control character U+{ord(found.group()):04X}); not a text file", lineno
        )


def decode_bytes(data: bytes, source: str | Path | None = None) -> Decoded:
    """Decode a text file's bytes into canonical text or raise InputError.

    Accepted: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1256
    when the result is plausibly Arabic. Anything else is refused.
    """
    if not data:
        raise InputError(source, "empty file")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    if encoding == "utf-8" and b"\x00" in data:
        raise InputError(source, "binary data (NUL bytes); not a text file")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise InputError(source, f"invalid {encoding.upper()} at byte {exc.start}") from None
        text = data.decode("cp1256", errors="replace")
        if "\ufffd" in text or not _plausible_cp1256(text):
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                source, "not valid UTF-8 and not Arabic Windows-1256; re-save the file as UTF-8", line
            ) from None
        encoding = "cp1256"
    text = canonicalize(text)
    _check_controls(text, source)
    if not text.strip():
        raise InputError(source, "empty file (no text after decoding)")
    return Decoded(text=text, encoding=encoding)


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes; an unreadable file is an InputError naming it."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None


def read_text_file(path: str | Path) -> Decoded:
    """Read and decode one file into canonical text; errors name the file."""
    return decode_bytes(read_bytes(path), path)
