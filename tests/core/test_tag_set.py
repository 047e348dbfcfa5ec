"""The tag set's own checks: colour, hotkey, attribute specs, position."""

from __future__ import annotations

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import Tag
from annotator.core.store import Project


def test_add_and_update_keep_what_was_asked(project: Project) -> None:
    added = project.add_tag(Tag("EVENT", "#AA00aa", "e", "Something that happened",
                                {"type": {"values": ["WAR", "VOTE"]}}))
    assert (added.color, added.hotkey, added.position) == ("#AA00aa", "e", 3)
    changed = project.update_tag("EVENT", color="#123456", hotkey=None, description="", position=0)
    assert project.tag("EVENT") == changed
    assert (changed.color, changed.hotkey, changed.position) == ("#123456", None, 0)


@pytest.mark.parametrize("changes, message", [
    ({"color": "red"}, "colour 'red' is not #RRGGBB"),
    ({"color": "#12345"}, "is not #RRGGBB"),
    ({"color": "#12345g"}, "is not #RRGGBB"),
    ({"hotkey": "ab"}, "must be a single character"),
    ({"hotkey": " "}, "must be a single character"),
    ({"hotkey": ""}, "must be a single character"),
    ({"hotkey": "2"}, "already used by ENTITY"),
    ({"position": -1}, "0 or more"),
    ({"attributes": {"type": {"values": []}}}, "non-empty list"),
    ({"attributes": {"type": {"values": ["A", "A"]}}}, "values repeat"),
    ({"attributes": {"value": {"format": "roman"}}}, "unknown format"),
    ({"attributes": {"unsure": {}}}, "reserved"),
])
def test_bad_changes_are_refused_and_change_nothing(project: Project, changes, message) -> None:
    before = project.tags()
    with pytest.raises(ValidationError, match=message):
        project.update_tag("CLAIM", **changes)
    project.forget_cached()
    assert project.tags() == before


def test_hotkeys_ignore_case_because_shortcuts_do(project: Project) -> None:
    project.update_tag("CLAIM", hotkey="c")
    with pytest.raises(ValidationError, match="'C' is already used by CLAIM"):
        project.add_tag(Tag("QUOTE", "#000000", "C"))
    assert project.update_tag("CLAIM", hotkey="C").hotkey == "C"  # its own key, other case


def test_a_bad_new_label_is_not_added(project: Project) -> None:
    with pytest.raises(ValidationError, match="not #RRGGBB"):
        project.add_tag(Tag("QUOTE", "blue", "q"))
    assert [t.name for t in project.tags()] == ["CLAIM", "ENTITY", "DATE"]
