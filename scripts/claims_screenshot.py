"""Save pictures of the claims view on the seed claims (issue 13).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/claims_screenshot.py docs

The seed articles get the claims of tests/data/seed_claims.jsonl with their
SAME_AS chains and the two contradictions (as the claim tests store them);
docs/claims.png shows the view on the first claim, docs/candidates.png the
candidates of "about 5,000 troops", hinted against 2,500.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.formats.imports.plain_text import import_seeds  # noqa: E402
from annotator.core.store import Project  # noqa: E402
from annotator.gui.claims_view import open_claims_view  # noqa: E402
from annotator.gui.fonts import register_arabic_font  # noqa: E402
from tests.core.test_claims import annotate_seed_claims  # noqa: E402


def main(folder: str) -> int:
    app = QApplication.instance() or QApplication([])
    register_arabic_font()
    out = Path(folder)
    with tempfile.TemporaryDirectory() as tmp, Project.open(Path(tmp) / "p.db") as project:
        import_seeds(project)
        clusters = annotate_seed_claims(project, "amal")
        # Opened from a main window, as the menu does, so it looks as it does there.
        from annotator.gui.main_window import MainWindow

        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.IniFormat)
        window = MainWindow(project, annotator="amal", settings=settings)
        window.show()
        view = open_claims_view(window)
        view.resize(1300, 760)
        for name, span_id in (("claims.png", min(clusters["end-of-year"])),
                              ("candidates.png", clusters["5000"][0])):
            view.select_claim(span_id)
            view.claims_table.scrollTo(view.claims_table.currentIndex())
            app.processEvents()
            view.grab().save(str(out / name))
            print(f"saved {out / name}")
        view.close()
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "docs"))
