"""What the review screen says when a key does nothing (issue 10: Shift+U
and Shift+X did nothing and said nothing)."""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeySequence

NO_UNITS = "No units in this document: nothing to decide (Esc closes)"
WHAT_KEYS_DO = {
    "U": "accepts every unanimous unit", "X": "rejects all versions", "Del": "rejects all versions",
    "E": "edits the gold span", "N": "goes to the next unit", "P": "goes to the previous unit",
    "]": "goes to the next unit", "[": "goes to the previous unit",
    **{str(n): f"accepts annotator {n}'s version" for n in range(1, 10)},
    "R": "goes to the next relation (Shift+R: the previous one)",
}
SHORT_HELP = ("keys: 1–9 accept · U unanimous · E edit · X reject · N/P move · "
              "R/Shift+R, Ctrl+1–9, Ctrl+X relations · Ctrl+Z undo · Esc close")
_SILENT = {
    Qt.Key_Shift, Qt.Key_Control, Qt.Key_Alt, Qt.Key_Meta, Qt.Key_AltGr, Qt.Key_CapsLock,
    Qt.Key_NumLock, Qt.Key_ScrollLock, Qt.Key_Super_L, Qt.Key_Super_R, Qt.Key_Hyper_L,
    Qt.Key_Hyper_R, Qt.Key_Escape, Qt.Key_Tab, Qt.Key_Backtab, Qt.Key_unknown,
}


def unbound_key_message(key: int, modifiers: Qt.KeyboardModifier, bound: set[str]) -> str | None:
    """Why ``key`` with ``modifiers`` did nothing, or None for keys that are
    not commands at all (a modifier pressed alone, Esc, Tab)."""
    if Qt.Key(key) in _SILENT:
        return None
    modifiers = modifiers & ~Qt.KeypadModifier
    base = QKeySequence(Qt.Key(key)).toString()
    pressed = QKeySequence(QKeyCombination(modifiers, Qt.Key(key))).toString() or base
    if modifiers and base in bound:
        return f"{pressed} does nothing: {base} alone {WHAT_KEYS_DO.get(base, 'is the command')}"
    return f"{pressed or 'That key'} does nothing in review — {SHORT_HELP}"
