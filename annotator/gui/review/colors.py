"""Colours of the review screens, in one place so the legend cannot drift.

Label colours are the underlines of the annotators' lanes; unit states are
backgrounds. A state colour of the same hue as a label colour (an amber "in
dispute" behind an orange CLAIM underline) makes both unreadable, and the
tag set is configurable, so the state hues are chosen per project: as near
as possible to a preferred hue but at least MIN_HUE_GAP degrees away from
every label colour and from each other. Decided units (accepted, rejected)
are not painted over the text with a solid colour: accepted units get a
thin rule above the line, rejected ones a faint grey.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtGui import QColor

from annotator.core.review.adjudication import UnitState

MIN_HUE_GAP = 40
# Preferred hues (degrees) for the states that still need a decision, and
# their saturation and value (0-255): magenta for a dispute, yellow-green
# for agreed-but-not-yet-gold with the default labels.
PREFERRED = {UnitState.DISPUTED: (292, 190, 225), UnitState.AGREED: (70, 200, 215)}
NEUTRAL = {UnitState.ACCEPTED: "#5c636a", UnitState.REJECTED: "#adb5bd"}
STATE_NAMES = {
    UnitState.AGREED: "agreed by all",
    UnitState.DISPUTED: "in dispute",
    UnitState.ACCEPTED: "accepted into gold",
    UnitState.REJECTED: "rejected",
}
# Fill opacity (0-255) of each state's background in the text; accepted
# units are drawn as a rule above the line instead of a fill.
FILL_ALPHA = {UnitState.DISPUTED: 95, UnitState.AGREED: 75, UnitState.ACCEPTED: 0,
              UnitState.REJECTED: 60}
CURRENT_FRAME = "#212529"


def hue_distance(a: int, b: int) -> int:
    d = abs(a - b) % 360
    return min(d, 360 - d)


def label_hues(colors: Iterable[str]) -> list[int]:
    """Hues of the colours that have one (greys and near-greys have none)."""
    hues = []
    for name in colors:
        color = QColor(name)
        if color.isValid() and color.hsvSaturation() >= 60 and color.hsvHue() >= 0:
            hues.append(color.hsvHue())
    return hues


def _pick(preferred: int, taken: list[int]) -> int:
    candidates = range(0, 360, 2)

    def gap(hue: int) -> int:
        return min((hue_distance(hue, t) for t in taken), default=180)

    # A little more than the gap: the hue moves a degree or two once the
    # colour is rounded to #rrggbb.
    clear = [h for h in candidates if gap(h) >= MIN_HUE_GAP + 3]
    if clear:
        return min(clear, key=lambda h: (hue_distance(h, preferred), h))
    return max(candidates, key=lambda h: (gap(h), -hue_distance(h, preferred)))


def state_colors(label_colors: Mapping[str, str] | Iterable[str]) -> dict[UnitState, str]:
    """A colour per unit state whose hue is clear of every label colour."""
    values = label_colors.values() if isinstance(label_colors, Mapping) else label_colors
    taken = label_hues(values)
    out: dict[UnitState, str] = {}
    for state, (hue, saturation, value) in PREFERRED.items():
        chosen = _pick(hue, taken)
        taken.append(chosen)
        out[state] = QColor.fromHsv(chosen, saturation, value).name()
    out.update(NEUTRAL)
    return {state: out[state] for state in UnitState}
