"""`annotator tags`: list, add and change labels, run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import annotator


@pytest.fixture
def db(tmp_path: Path) -> str:
    from annotator.core.store import Project

    path = tmp_path / "p.db"
    Project.open(path).close()
    return str(path)


def tags_json(db: str) -> list[dict]:
    out = annotator("tags", "--db", db, "--json")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_list_shows_the_default_tag_set_in_order(db: str) -> None:
    records = tags_json(db)
    assert [(r["name"], r["hotkey"], r["color"]) for r in records] == [
        ("CLAIM", "1", "#d9480f"), ("ENTITY", "2", "#1c7ed6"), ("DATE", "3", "#2f9e44")]
    assert records[1]["attributes"] == {"type": {"values": ["PER", "ORG", "LOC", "MISC"]}}
    assert records[2]["attributes"] == {"value": {"format": "iso8601"}}
    table = annotator("tags", "--db", db).stdout.splitlines()
    assert [line.split()[3] for line in table[1:4]] == ["CLAIM", "ENTITY", "DATE"]
    assert "type=PER|ORG|LOC|MISC" in table[2] and table[-1] == "3 label(s)"


def test_add_a_label_with_values(db: str) -> None:
    out = annotator("tags", "add", "EVENT", "--db", db, "--color", "#aa00aa", "--hotkey", "4",
                    "--description", "حدث", "--values", "WAR, VOTE")
    assert out.returncode == 0, out.stderr
    assert tags_json(db)[-1] == {
        "name": "EVENT", "color": "#aa00aa", "hotkey": "4", "description": "حدث",
        "attributes": {"type": {"values": ["WAR", "VOTE"]}}, "position": 3,
        "style": "background", "bio_group": ""}


def test_set_changes_only_what_is_given(db: str) -> None:
    out = annotator("tags", "set", "DATE", "--db", db, "--hotkey", "d", "--position", "0")
    assert out.returncode == 0, out.stderr
    date = next(r for r in tags_json(db) if r["name"] == "DATE")
    assert (date["hotkey"], date["position"], date["color"]) == ("d", 0, "#2f9e44")
    assert annotator("tags", "set", "DATE", "--db", db, "--hotkey", "").returncode == 0
    assert next(r for r in tags_json(db) if r["name"] == "DATE")["hotkey"] is None


@pytest.mark.parametrize("args, message", [
    (["set", "CLAIM", "--color", "red"], "colour 'red' is not #RRGGBB"),
    (["set", "CLAIM", "--color", "#d9480"], "is not #RRGGBB"),
    (["set", "CLAIM", "--hotkey", "2"], "hotkey '2' is already used by ENTITY"),
    (["add", "EVENT", "--hotkey", "3"], "hotkey '3' is already used by DATE"),
    (["set", "CLAIM", "--hotkey", "ab"], "must be a single character"),
    (["add", "CLAIM"], "label CLAIM already exists"),
    (["set", "EVENT", "--hotkey", "9"], "unknown label 'EVENT'"),
    (["set", "CLAIM"], "nothing to change"),
])
def test_refused_edit_is_one_line_and_changes_nothing(db: str, args: list[str], message: str) -> None:
    before = Path(db).read_bytes()
    out = annotator("tags", *args, "--db", db)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith("annotator: error: ") and message in out.stderr
    assert Path(db).read_bytes() == before


def relation_types_json(db: str) -> list[dict]:
    out = annotator("tags", "relations", "--db", db, "--json")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_relation_types_are_listed_added_and_changed(db: str) -> None:
    records = relation_types_json(db)
    assert [(r["name"], r["source_labels"], r["target_labels"], r["symmetric"],
             r["cross_document"]) for r in records] == [
        ("SPEAKER", ["CLAIM"], ["ENTITY"], False, False),
        ("TIME", ["CLAIM"], ["DATE"], False, False),
        ("SAME_AS", ["CLAIM"], ["CLAIM"], True, True),
        ("CONTRADICTS", ["CLAIM"], ["CLAIM"], True, True)]
    table = annotator("tags", "relations", "--db", db).stdout.splitlines()
    assert "CLAIM -> ENTITY" in table[1] and "CLAIM <-> CLAIM (across documents)" in table[3]
    assert table[-1] == "4 relation type(s)"
    out = annotator("tags", "relations", "add", "QUOTES", "--db", db, "--source", "CLAIM",
                    "--target", "ENTITY", "--hotkey", "q", "--description", "اقتباس")
    assert out.returncode == 0, out.stderr
    assert relation_types_json(db)[-1] == {
        "name": "QUOTES", "color": "#868e96", "hotkey": "q", "description": "اقتباس",
        "source_labels": ["CLAIM"], "target_labels": ["ENTITY"], "symmetric": False,
        "cross_document": False, "position": 4}
    out = annotator("tags", "relations", "set", "TIME", "--db", db, "--cross-document",
                    "--target", "")
    assert out.returncode == 0, out.stderr
    time = next(r for r in relation_types_json(db) if r["name"] == "TIME")
    assert (time["cross_document"], time["target_labels"], time["hotkey"]) == (True, [], "t")


@pytest.mark.parametrize("args, message", [
    (["relations", "set", "TIME", "--hotkey", "1"], "hotkey '1' is already used by CLAIM"),
    (["relations", "add", "QUOTES", "--source", "EVENT"], "unknown label(s) EVENT in source_labels"),
    (["relations", "add", "SPEAKER"], "relation type SPEAKER already exists"),
    (["relations", "set", "NOPE", "--color", "#000000"], "unknown relation type 'NOPE'"),
    (["relations", "set", "TIME"], "nothing to change"),
    (["add", "EVENT", "--hotkey", "s"], "hotkey 's' is already used by SPEAKER"),
])
def test_refused_relation_type_edit_is_one_line(db: str, args: list[str], message: str) -> None:
    before = Path(db).read_bytes()
    out = annotator("tags", *args, "--db", db)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert message in out.stderr
    assert Path(db).read_bytes() == before


def test_styles_and_bio_groups_are_tag_set_properties(db: str) -> None:
    claim = next(r for r in tags_json(db) if r["name"] == "CLAIM")
    assert (claim["style"], claim["bio_group"]) == ("underline", "claim")
    out = annotator("tags", "add", "EVENT", "--db", db, "--style", "underline", "--bio-group", "event")
    assert out.returncode == 0, out.stderr
    out = annotator("tags", "set", "CLAIM", "--db", db, "--style", "background", "--bio-group", "")
    assert out.returncode == 0, out.stderr
    by_name = {r["name"]: (r["style"], r["bio_group"]) for r in tags_json(db)}
    assert by_name == {"CLAIM": ("background", ""), "ENTITY": ("background", ""),
                       "DATE": ("background", ""), "EVENT": ("underline", "event")}
    table = annotator("tags", "--db", db).stdout
    assert "underline, BIO group event" in table


@pytest.mark.parametrize("args, message", [
    (["set", "CLAIM", "--bio-group", "a b"], "BIO group 'a b' of CLAIM must be empty"),
    (["add", "EVENT", "--style", "dotted"], "invalid choice: 'dotted'"),
])
def test_bad_styles_are_refused(db: str, args: list[str], message: str) -> None:
    before = Path(db).read_bytes()
    out = annotator("tags", *args, "--db", db)
    assert out.returncode != 0 and message in out.stderr
    assert Path(db).read_bytes() == before
