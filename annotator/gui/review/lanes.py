"""Room for the annotators' lanes below the letters, and the painters of
the review text.

QPlainTextEdit ignores a block's line height, so there is no setting that
puts space between wrapped lines; a line is exactly as tall as its font's
ascent + descent + line gap (leading). Lanes drawn inside that box cut
through the letters that descend below the line (ي ر و, kasra). So the
review view uses a copy of the shipped Arabic font whose line gap is made
large enough for one lane per annotator plus gold, registered under a name
of its own, and draws the lanes in that gap, below the font's descent,
where no glyph ever reaches. The copy is made in memory from the packaged
font file: nothing is downloaded or written to disk.
"""

from __future__ import annotations

import math
import struct
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontInfo, QFontMetricsF, QImage, QPainter

from annotator.core.review.adjudication import UnitState
from annotator.core.text.offsets import Utf16Index
from annotator.gui.fonts import ARABIC_FAMILY, BASE_POINT_SIZE, arabic_font, register_arabic_font
from annotator.gui.highlights import UNDERLINE_WIDTH, HighlightPainter, Style, VisibleLine
from annotator.gui.review.colors import FILL_ALPHA

LANE_GAP = 1.5  # pixels between two lanes
LANE_STEP = UNDERLINE_WIDTH + LANE_GAP
ACCEPTED_RULE = 2.0  # pixels: the rule above an accepted unit's line
# The font's descent and ascent leave room for marks stacked deeper and
# higher than running text needs; lanes start below the lowest ink of these
# words (letters with harakat below and above), measured by drawing them:
# QFontMetrics.tightBoundingRect leaves the marks out.
SAMPLE = "بِسْمِ جِيمٍ إِنَّ عِمٍّ حِجٍّ يِيِ ٱللَّهِ كُلُّ ڇِ ئٍ ﷲ ﷺ gjpqy ÉÂ ١٢٣"
# Tall letters without marks: the accepted rule goes just above them (a
# mark over a tall letter may touch it; the letters themselves never do).
TALL_LETTERS = "ألكطظ آ bdfhkl"


def _ink(sample: str) -> tuple[float, float]:
    """Pixels of ink above and below the baseline when ``sample`` is drawn
    in the Arabic font at the base size."""
    font = arabic_font(BASE_POINT_SIZE)
    metrics = QFontMetricsF(font)
    width = int(metrics.horizontalAdvance(sample)) + 40
    height = int(metrics.height() * 3)
    baseline = int(metrics.height() * 1.5)
    image = QImage(width, height, QImage.Format_Grayscale8)
    image.fill(255)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(QPointF(20, baseline), sample)
    painter.end()
    inked = [y for y in range(height) if min(image.constScanLine(y)[:width]) < 160]  # type: ignore[index]
    if not inked:
        return metrics.ascent(), metrics.descent()
    return baseline - inked[0] + 1, inked[-1] - baseline + 2


@lru_cache(maxsize=1)
def ink_extent() -> tuple[float, float, float]:
    """How far running text reaches, as fractions of the font's ascent and
    descent: (highest mark, top of the tall letters, lowest mark), a pixel
    of margin included."""
    metrics = QFontMetricsF(arabic_font(BASE_POINT_SIZE))
    above, below = _ink(SAMPLE)
    letters, _ = _ink(TALL_LETTERS)
    ascent, descent = metrics.ascent(), metrics.descent()
    return min(1.0, above / ascent), min(1.0, letters / ascent), min(1.0, below / descent)


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    count = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        out[tag] = (offset, length)
    return out


def _renamed(name_table: bytes, old: str, new: str) -> bytes:
    # Same-length names keep every offset in the name table valid.
    assert len(old) == len(new)
    for encoding in ("utf-16-be", "latin-1"):
        name_table = name_table.replace(old.encode(encoding), new.encode(encoding))
    return name_table


@lru_cache(maxsize=16)
def _lane_family(lanes: int) -> str | None:
    """Register the font with a line gap for ``lanes`` lanes; its family
    name, or None when the packaged font is not a plain TrueType file this
    code understands (the caller then keeps the normal font)."""
    import fontpkg

    register_arabic_font()
    try:
        data = bytearray(fontpkg.path(ARABIC_FAMILY).read_bytes())
        tables = _tables(data)
        head, hhea, os2, name = (tables[t] for t in (b"head", b"hhea", b"OS/2", b"name"))
    except (OSError, KeyError, struct.error):
        return None
    units_per_em = struct.unpack(">H", data[head[0] + 18:head[0] + 20])[0]
    base = arabic_font(BASE_POINT_SIZE)
    em_pixels = QFontInfo(base).pixelSize() or 20
    unused_descent = QFontMetricsF(base).descent() * (1 - ink_extent()[2])
    room = max(0.0, lanes * LANE_STEP + 3 - unused_descent)
    gap = min(32767, math.ceil(room / em_pixels * units_per_em))
    # hhea lineGap, and OS/2 sTypoLineGap (used when USE_TYPO_METRICS is set).
    struct.pack_into(">h", data, hhea[0] + 8, gap)
    struct.pack_into(">h", data, os2[0] + 72, gap)
    family = f"Noto Lanes{lanes % 100:02d}Arab"
    start, length = name
    data[start:start + length] = _renamed(
        _renamed(bytes(data[start:start + length]), "Noto Sans Arabic", family),
        "NotoSansArabic", f"NotoLane{lanes % 100:02d}Arab")
    font_id = QFontDatabase.addApplicationFontFromData(bytes(data))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


def lane_font(point_size: float, lanes: int) -> QFont:
    """The Arabic font at ``point_size`` with room for ``lanes`` lanes
    below every line (the normal font if that room cannot be made)."""
    family = _lane_family(max(1, lanes))
    if family is None:
        return arabic_font(point_size)
    font = QFont(family)
    font.setPointSizeF(point_size)
    return font


class LanePainter(HighlightPainter):
    """Underlines in lanes below the descent: lane 0 just under the lowest
    point any letter reaches, the next below it."""

    def paint_over_text(self, painter: QPainter, offsets: Utf16Index,
                        lines: list[VisibleLine]) -> None:
        painter.setRenderHint(QPainter.Antialiasing, False)
        below = ink_extent()[2]
        for hl, rect, ln in self._rects(offsets, lines, {Style.UNDERLINE}):
            y = rect.top() + ln.line.ascent() + ln.line.descent() * below + 1 + hl.lane * LANE_STEP
            painter.fillRect(QRectF(rect.left(), y, rect.width(), UNDERLINE_WIDTH), QColor(hl.color))


class UnitPainter(HighlightPainter):
    """Unit states behind the text: a translucent fill for units still
    waiting (disputed, agreed), a faint one for rejected units, and for
    accepted units only a thin rule above the line, so that a paragraph of
    decided units stays as readable as plain text. ``key`` is the state."""

    def paint_under_text(self, painter: QPainter, offsets: Utf16Index,
                         lines: list[VisibleLine]) -> None:
        painter.setPen(Qt.NoPen)
        above, letters, below = ink_extent()
        for hl, rect, ln in self._rects(offsets, lines, {Style.BACKGROUND}):
            color = QColor(hl.color)
            # The band the letters occupy: the lanes below it stay white.
            baseline = rect.top() + ln.line.ascent()
            top = baseline - ln.line.ascent() * above
            bottom = baseline + ln.line.descent() * below
            if hl.key is UnitState.ACCEPTED:
                rule = baseline - ln.line.ascent() * letters - 2 - ACCEPTED_RULE
                painter.fillRect(QRectF(rect.left(), rule, rect.width(), ACCEPTED_RULE), color)
                continue
            color.setAlpha(FILL_ALPHA.get(hl.key, 80))  # type: ignore[call-overload]
            painter.fillRect(QRectF(rect.left(), top, rect.width(), bottom - top), color)
