"""Nested spans stay visible: a claim's underline and the entity's and
date's backgrounds inside it, checked on the rendered pixels."""

from __future__ import annotations

from view_geometry import char_box

from annotator.core.model import NewDocument

TEXT = "وفي هذا الصدد قال الرئيس جو بايدن يوم 27 يوليو إن القوات ستغادر العراق قريبا"
CLAIM = "الرئيس جو بايدن يوم 27 يوليو إن القوات ستغادر العراق"


def word_rect(view, word: str):
    start = TEXT.index(word)
    boxes = [char_box(view, TEXT, i) for i in range(start, start + len(word))]
    return (min(b[0] for b in boxes), max(b[1] for b in boxes),
            min(b[2] for b in boxes), max(b[3] for b in boxes))


def count(image, rect, predicate, rows=None) -> int:
    left, right, top, bottom = (round(v) for v in rect)
    ys = range(top, bottom) if rows is None else rows(top, bottom)
    hits = 0
    for y in ys:
        for x in range(left + 2, right - 2):
            c = image.pixelColor(x, y)
            hits += predicate(c.red(), c.green(), c.blue())
    return hits


def entity_blue(r, g, b):  # #1c7ed6 translucent over white, text pixels excluded
    return b > 200 and b - r > 40 and r > 120


def claim_orange(r, g, b):  # #d9480f underline
    return r > 180 and g < 130 and b < 90


def underline_rows(top, bottom):
    return range(bottom - 8, bottom)


def test_claim_underline_and_entity_background_both_drawn(qtbot, project, make_window):
    doc = project.add_documents([NewDocument("one", TEXT)])[0].id
    project.add_annotator("amal")
    claim_start = TEXT.index(CLAIM)
    project.add_span(doc, "amal", claim_start, claim_start + len(CLAIM), "CLAIM")
    entity = TEXT.index("جو بايدن")
    project.add_span(doc, "amal", entity, entity + len("جو بايدن"), "ENTITY")
    project.add_span(doc, "amal", TEXT.index("27 يوليو"), TEXT.index("27 يوليو") + 8, "DATE")
    window = make_window(project, size=(1400, 600))
    view = window.view
    assert view.document().firstBlock().layout().lineCount() == 1
    image = view.viewport().grab().toImage()

    inside = word_rect(view, "بايدن")  # entity inside the claim
    assert count(image, inside, entity_blue) > 100
    assert count(image, inside, claim_orange, underline_rows) > 20

    claim_only = word_rect(view, "القوات")  # in the claim, no entity
    assert count(image, claim_only, entity_blue) == 0
    assert count(image, claim_only, claim_orange, underline_rows) > 20

    outside = word_rect(view, "قريبا")  # neither
    assert count(image, outside, entity_blue) == 0
    assert count(image, outside, claim_orange, underline_rows) == 0

    date = word_rect(view, "يوليو")  # date background is green, under the claim line
    assert count(image, date, lambda r, g, b: g > 200 and g - r > 25 and g - b > 25) > 100
    assert count(image, date, claim_orange, underline_rows) > 20
