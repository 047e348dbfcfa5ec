"""Colours of the review screens, in one place so the legend cannot drift.

State colours are painted as translucent backgrounds and label colours as
underlines, so an amber "in dispute" background and an orange CLAIM
underline never stand for each other.
"""

from __future__ import annotations

from annotator.core.adjudication import UnitState

STATE_COLORS = {
    UnitState.AGREED: "#12b886",     # teal: all annotators agree, not yet in gold
    UnitState.DISPUTED: "#f59f00",   # amber: needs a decision
    UnitState.ACCEPTED: "#7048e8",   # violet: gold holds a version
    UnitState.REJECTED: "#868e96",   # grey: every version rejected
}
STATE_NAMES = {
    UnitState.AGREED: "agreed by all",
    UnitState.DISPUTED: "in dispute",
    UnitState.ACCEPTED: "accepted into gold",
    UnitState.REJECTED: "rejected",
}
CURRENT_FRAME = "#212529"
