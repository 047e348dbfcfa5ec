"""Independent screen geometry for tests: where a character is drawn,
from QTextLine.cursorToX (accurate), never from the view's own hit test."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from annotator.core.text.offsets import Utf16Index


def char_box(view, text: str, cp: int) -> tuple[float, float, float, float, int]:
    """(left, right, top, bottom, line number in block) of the character at
    code point cp, in viewport coordinates; for right-to-left characters
    not at a direction-run boundary."""
    u16 = Utf16Index(text)
    pos = u16.to_utf16(cp)
    block = view.document().findBlock(pos)
    layout = block.layout()
    origin = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
    rel = pos - block.position()
    line = layout.lineForTextPosition(rel)
    nxt = u16.to_utf16(cp + 1) - block.position()
    x1 = line.cursorToX(rel)[0]
    x2 = line.cursorToX(nxt)[0]
    top = origin.y() + line.y()
    return (origin.x() + min(x1, x2), origin.x() + max(x1, x2), top, top + line.height(),
            line.lineNumber())


def point_in_char(view, text: str, cp: int, fraction_from_right: float) -> QPoint:
    left, right, top, bottom, _ = char_box(view, text, cp)
    x = right - (right - left) * fraction_from_right
    return QPoint(round(x), round((top + bottom) / 2))
