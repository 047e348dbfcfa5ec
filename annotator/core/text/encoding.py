"""Decoding files into canonical text (DESIGN §3).

Canonical text: decoded, leading BOM removed, CRLF and lone CR turned into LF.
Nothing else changes: no NFC, no reshaping, NBSP stays NBSP.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import InputError

# C0/C1 controls other than tab, LF, VT, FF, CR never occur in real text
# files; their presence means binary. A regex keeps this off the Python loop.
_BINARY_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Lone surrogates (U+D800-U+DFFF) are not Unicode text: SQLite cannot store
# them as UTF-8. Only a JSON \uD800 escape can produce one.
_SURROGATE = re.compile("[\ud800-\udfff]")
# No file we read is ever this big; a larger one (or a device that never
# ends) is refused before it fills memory.
MAX_FILE_BYTES = 512 * 1024 * 1024
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


def bad_character(text: str) -> str | None:
    """Why ``text`` cannot be a document's text or a name, or None: the
    control characters a .txt import refuses (NUL, ESC, ...) and lone
    surrogates. Shared by every importer so JSON carries what .txt does."""
    found = _BINARY_CONTROL.search(text) or _SURROGATE.search(text)
    if found is None:
        return None
    kind = "lone surrogate" if _SURROGATE.match(found.group()) else "control character"
    return f"{kind} U+{ord(found.group()):04X} at character {found.start()}"


def check_text(text: str, source: str | Path | None, line: int | None = None,
               what: str = "text") -> None:
    """InputError naming file and line when ``text`` holds a character
    that :func:`bad_character` refuses."""
    problem = bad_character(text)
    if problem is not None:
        raise InputError(source, f"{what} has a {problem}; not text", line)


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


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit`` of them; a FIFO, device or
    folder (also behind a symlink), a larger file or an unreadable one is
    an InputError naming it."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat
        # below refuses it (checking the open descriptor, not the name,
        # leaves no window for swapping the file).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "is a folder" if stat.S_ISDIR(info.st_mode) else \
                "is not a regular file (a FIFO, device or socket)"
            raise InputError(path, f"{kind}; give a file")
        if info.st_size > limit:
            raise InputError(path, f"file is {info.st_size:,} bytes; the limit is {limit:,}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 24, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if size > limit:  # grew while we read it
        raise InputError(path, f"file is over the limit of {limit:,} bytes")
    return b"".join(chunks)


def read_text_file(path: str | Path) -> Decoded:
    """Read and decode one file into canonical text; errors name the file."""
    return decode_bytes(read_bytes(path), path)
