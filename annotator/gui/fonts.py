"""Register the shipped OFL Arabic font; Qt otherwise picks a Latin family
and a machine without Arabic fonts shows boxes (DESIGN §4)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QFont, QFontDatabase

ARABIC_FAMILY = "Noto Sans Arabic"
BASE_POINT_SIZE = 15


@lru_cache(maxsize=1)
def register_arabic_font() -> str:
    """Add the packaged font to Qt; returns the family name to use."""
    import fontpkg

    path = fontpkg.path(ARABIC_FAMILY)
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        raise RuntimeError(f"could not load the Arabic font at {path}")
    return families[0]


def arabic_font(point_size: float = BASE_POINT_SIZE) -> QFont:
    font = QFont(register_arabic_font())
    font.setPointSizeF(point_size)
    return font
