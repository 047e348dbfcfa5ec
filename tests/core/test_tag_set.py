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


def test_an_older_project_keeps_claim_underlined_and_in_its_own_column(tmp_path) -> None:
    """Before m006 the code drew CLAIM as an underline and gave it its own BIO
    column; migrating a file must keep both, and leave the others as they were."""
    import sqlite3

    from annotator.core.store import Project

    path = tmp_path / "old.db"
    with Project.open(path) as p:
        p.add_tag(Tag("EVENT"))
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("ALTER TABLE tags DROP COLUMN style")
        conn.execute("ALTER TABLE tags DROP COLUMN bio_group")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_tag_styles'")
        conn.execute("PRAGMA user_version = 5")
    conn.close()
    with Project.open(path) as p:
        assert {t.name: (t.style, t.bio_group) for t in p.tags()} == {
            "CLAIM": ("underline", "claim"), "ENTITY": ("background", ""),
            "DATE": ("background", ""), "EVENT": ("background", "")}


@pytest.mark.parametrize("changes, message", [
    ({"style": "dotted"}, "style 'dotted' of DATE must be one of background, underline"),
    ({"bio_group": "a-b"}, "BIO group 'a-b' of DATE must be empty"),
    ({"bio_group": "x" * 41}, "must be empty \\(the main column\\) or up to 40"),
])
def test_bad_style_or_bio_group_is_refused(project, changes, message) -> None:
    with pytest.raises(ValidationError, match=message):
        project.update_tag("DATE", **changes)
    assert (project.tag("DATE").style, project.tag("DATE").bio_group) == ("background", "")
