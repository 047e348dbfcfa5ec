"""The review text stays readable (issue 10): annotators' lanes lie below
the letters that descend furthest, unit state colours never share a hue
with a label colour, accepted units do not cover the text with colour, and
the unit list is titled for what it lists. Checked on rendered pixels."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from annotator.core.review.adjudication import UnitState
from annotator.core.model import NewDocument
from annotator.core.store import Project
from annotator.gui.review.colors import MIN_HUE_GAP, hue_distance, label_hues, state_colors
from annotator.gui.review.review_window import ReviewDialog

# Letters that descend below the line, with kasra and kasratan under them.
TEXT = "جِيمٍ يِيِ حِجٍّ ڇِ عِمٍّ"
DEFAULT_LABELS = {"CLAIM": "#d9480f", "ENTITY": "#1c7ed6", "DATE": "#2f9e44"}


def open_dialog(qtbot, project: Project, doc: int) -> ReviewDialog:
    dialog = ReviewDialog(project, doc)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 500)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def doc(project: Project) -> int:
    doc = project.add_documents([NewDocument("deep", TEXT)])[0].id
    for name in ("lina", "omar", "sara"):
        project.add_annotator(name)
        project.add_span(doc, name, 0, len(TEXT), "ENTITY")
    return doc


def rows_where(image, predicate) -> list[int]:
    return [y for y in range(image.height())
            if any(predicate(image.pixelColor(x, y)) for x in range(0, image.width()))]


def test_lanes_lie_below_the_lowest_letter(qtbot, project, doc) -> None:
    dialog = open_dialog(qtbot, project, doc)
    dialog.view.layer("units").set_highlights([])      # only text and lanes
    dialog.view.layer("current").set_highlights([])
    image = dialog.view.viewport().grab().toImage()
    entity = QColor(DEFAULT_LABELS["ENTITY"]).name()
    lane_rows = rows_where(image, lambda c: c.name() == entity)
    ink_rows = rows_where(image, lambda c: c.lightness() < 110 and c.name() != entity)
    assert len(lane_rows) >= 3 * 3                       # a lane per annotator, 3 px each
    assert ink_rows and min(lane_rows) > max(ink_rows)


def test_state_colours_are_clear_of_every_label_hue() -> None:
    for labels in (DEFAULT_LABELS.values(), ["#ae3ec9", "#d9480f", "#1c7ed6", "#94d82d"]):
        colors = state_colors(list(labels))
        taken = label_hues(labels)
        for state in (UnitState.DISPUTED, UnitState.AGREED):
            hue = QColor(colors[state]).hsvHue()
            assert min(hue_distance(hue, t) for t in taken) >= MIN_HUE_GAP, (state, labels)
    # The case: "in dispute" is no longer the orange of CLAIM.
    disputed = QColor(state_colors(DEFAULT_LABELS)[UnitState.DISPUTED]).hsvHue()
    assert hue_distance(disputed, QColor("#d9480f").hsvHue()) >= MIN_HUE_GAP


def test_accepted_units_leave_the_text_uncoloured(qtbot, project, doc) -> None:
    dialog = open_dialog(qtbot, project, doc)
    dialog.view.layer("tracks").set_highlights([])
    dialog.view.layer("current").set_highlights([])
    dialog.accept_version(1)
    assert dialog.review.state(dialog.review.units[0]) is UnitState.ACCEPTED
    decided = dialog.view.viewport().grab().toImage()
    dialog.view.layer("units").set_highlights([])
    plain = dialog.view.viewport().grab().toImage()
    changed = sum(decided.pixelColor(x, y) != plain.pixelColor(x, y)
                  for y in range(0, plain.height()) for x in range(0, plain.width(), 2))
    text_pixels = sum(plain.pixelColor(x, y).lightness() < 250
                      for y in range(0, plain.height()) for x in range(0, plain.width(), 2))
    # Only a thin rule above the line: far fewer pixels than the text has.
    assert 0 < changed < text_pixels / 4


def test_unit_list_title_says_what_it_lists(qtbot, project, doc) -> None:
    project.add_span(doc, "lina", 0, 5, "DATE")        # one dispute besides the agreed unit
    dialog = open_dialog(qtbot, project, doc)
    title = dialog.queue_title.text()
    assert "Disagreements" not in title
    assert "1 in dispute, 2 in all" in title
