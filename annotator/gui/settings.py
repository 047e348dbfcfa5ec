"""What the window remembers between runs, kept in QSettings.

The QSettings object is passed in (tests give a temporary INI file), never
looked up globally.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from annotator.gui.fonts import BASE_POINT_SIZE


class WindowSettings:
    def __init__(self, qsettings: QSettings) -> None:
        self.q = qsettings

    @property
    def annotator(self) -> str | None:
        value = self.q.value("annotator", "")
        return str(value) or None

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.q.setValue("annotator", name)

    @staticmethod
    def _project_key(project_path: Path) -> str:
        # QSettings treats "/" as a group separator: keep the path one key.
        return "last_document/" + str(Path(project_path).resolve()).replace("/", "|")

    def last_document(self, project_path: Path) -> int | None:
        value = self.q.value(self._project_key(project_path))
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    def set_last_document(self, project_path: Path, document_id: int) -> None:
        self.q.setValue(self._project_key(project_path), document_id)

    @property
    def point_size(self) -> float:
        try:
            return float(self.q.value("view/point_size", BASE_POINT_SIZE))
        except (TypeError, ValueError):
            return float(BASE_POINT_SIZE)

    @point_size.setter
    def point_size(self, size: float) -> None:
        self.q.setValue("view/point_size", size)

    @property
    def snap_to_words(self) -> bool:
        return str(self.q.value("view/snap_to_words", "true")).lower() == "true"

    @snap_to_words.setter
    def snap_to_words(self, value: bool) -> None:
        self.q.setValue("view/snap_to_words", "true" if value else "false")

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None, QByteArray | None]:
        return (self.q.value("window/geometry"), self.q.value("window/state"),
                self.q.value("window/splitter"))

    def set_window_state(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray) -> None:
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)
        self.q.setValue("window/splitter", splitter)
        self.q.sync()
