"""F1: the annotation guideline in the window, every label with its
description (from the tag set) and its keys, and the window's main keys."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from annotator.core.model import Tag

KEYS = [
    ("F6 / Shift+F6", "next / previous pane (documents, text, spans, relations, attributes)"),
    ("Ctrl+1", "back to the text"),
    ("Alt+Down / Alt+Up", "next / previous span"),
    ("F2", "edit the selected span's attributes (Enter returns to the text)"),
    ("Shift+F2", "edit the selected span's note (Esc returns to the text)"),
    ("Ctrl+U", "toggle unsure"),
    ("Delete", "delete the selected span"),
    ("Alt+Right/Left, Alt+Shift+Right/Left", "move the span's start / end edge by a word"),
    ("Ctrl+Enter", "mark the document done and open the next to do (also in the note)"),
    ("Esc (in the note)", "save the note and return to the text"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo"),
    ("Ctrl+F, F3", "find in the document"),
    ("Ctrl+Shift+D / Ctrl+Shift+S", "show or hide the document list / span panel"),
]


def guideline_html(tags: list[Tag]) -> str:
    rows = "".join(
        f"<tr><td><b style='color:{escape(t.color)}'>{escape(t.name)}</b></td>"
        f"<td>{escape(t.hotkey or '—')}{f', Alt+{escape(t.hotkey)}' if t.hotkey else ''}</td>"
        f"<td>{escape(t.description) or '<i>no description</i>'}"
        f"{'<br><small>' + escape(t.attribute_summary()) + '</small>' if t.attributes else ''}</td></tr>"
        for t in tags)
    keys = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in KEYS)
    return (f"<h3>Labels</h3><table cellpadding=4><tr><th>Label</th><th>Key</th>"
            f"<th>Guideline</th></tr>{rows}</table>"
            "<p>Select text, then press a label's key (Alt+key: exact characters).</p>"
            f"<h3>Keys</h3><table cellpadding=3>{keys}</table>")


def show_guidelines(tags: list[Tag], parent: QWidget | None = None) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("guidelines")
    dialog.setWindowTitle("Guidelines and keys")
    browser = QTextBrowser()
    browser.setHtml(guideline_html(tags))
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.resize(560, 520)
    dialog.show()  # not modal: it can stay open beside the text
    return dialog
