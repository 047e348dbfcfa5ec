"""Arabic for terminals that cannot shape or order it (DESIGN §3).

Only ever applied to text written to such a terminal: never to --json
output, files, stored data or anything shown in Qt.
"""

from __future__ import annotations

import os
import re
from typing import Literal, TextIO

BidiMode = Literal["auto", "on", "off"]
_RTL_RANGES = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))
# What a terminal obeys instead of showing: C0/C1 controls (ESC starts a
# control sequence that can retitle the window, hide text or move the
# cursor) and bidi embeddings, overrides and isolates (they reorder the line).
_TERMINAL_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """``text`` with every control and bidi-control character shown as an
    escape (ESC as \\x1b), for names printed to a terminal."""
    return _TERMINAL_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def terminal_orders_bidi() -> bool:
    """Terminals known to shape and order Arabic themselves."""
    vte = os.environ.get("VTE_VERSION", "")
    if vte.isdigit() and int(vte) >= 5800:  # GNOME Terminal & co. since VTE 0.58
        return True
    if os.environ.get("KONSOLE_VERSION") or os.environ.get("MLTERM"):
        return True
    return os.environ.get("TERM_PROGRAM", "") in {"mintty"}


def wants_visual_order(stream: TextIO, mode: BidiMode = "auto") -> bool:
    if mode == "on":
        return True
    if mode == "off":
        return False
    isatty = getattr(stream, "isatty", lambda: False)
    return bool(isatty()) and not terminal_orders_bidi()


def has_rtl(text: str) -> bool:
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _RTL_RANGES)


def visual(text: str) -> str:
    """Shaped, visually ordered form of one line for a dumb terminal."""
    if not has_rtl(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


class TerminalWriter:
    """Writes lines, converting Arabic only when the terminal needs it."""

    def __init__(self, stream: TextIO, mode: BidiMode = "auto") -> None:
        self.stream = stream
        self.convert = wants_visual_order(stream, mode)

    def line(self, text: str = "") -> None:
        if self.convert:
            text = "\n".join(visual(part) for part in text.split("\n"))
        self.stream.write(text + "\n")
