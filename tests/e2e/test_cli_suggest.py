"""`annotator suggest` run as a user would."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.e2e.test_cli import annotator


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "p.db")
    assert annotator("import", str(SEEDS), "--db", path).returncode == 0
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO layers VALUES ('alice', 'annotator', 'x')")
    # Into the main file, so "byte-identical" below compares what a user has.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def test_json_lists_dates_with_values_and_rules(db: str) -> None:
    out = annotator("suggest", "--db", db, "--json", "--labels", "DATE", "--document", "4")
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    assert [(r["text"], r["attributes"].get("value"), r["rule"]) for r in records][3] == (
        "الخميس 22 يوليو/تموز 2021", "2021-07-22", "date.gregorian")
    assert {"document_id", "start", "end", "label", "attributes", "rule"} <= set(records[0])
    assert "7 suggestion(s) in 1 document(s) for layer alice" in out.stderr


def test_apply_stores_spans_once_and_reports(db: str, tmp_path: Path) -> None:
    gazetteer = tmp_path / "names.csv"
    gazetteer.write_text("الكاظمي,PER\n", encoding="utf-8")
    out = annotator("suggest", "--db", db, "--apply", "--gazetteer", str(gazetteer))
    assert out.returncode == 0, out.stderr
    assert "gazetteer: 1 name(s) added" in out.stderr
    stored = int(out.stderr.split("stored ")[1].split()[0])
    assert stored > 40
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT label, provenance, attributes FROM spans WHERE layer = 'alice'").fetchall()
    assert len(rows) == stored
    assert ("ENTITY", "suggested:entity.gazetteer", '{"type": "PER"}') in rows
    again = annotator("suggest", "--db", db, "--json")
    assert json.loads(again.stdout) == []
    assert f"{stored} span(s) of the layer came from accepted suggestions" in again.stderr


@pytest.mark.parametrize("args, message", [
    (["--labels", "CLAIM"], "--labels takes DATE, ENTITY; got 'CLAIM'"),
    (["--layer", "nobody"], "no layer 'nobody'"),
    (["--gazetteer", "BAD"], "BAD.csv:2: expected name,type; got 3 columns"),
])
def test_user_mistakes_are_one_line_and_leave_the_file_unchanged(db, tmp_path, args, message):
    bad = tmp_path / "BAD.csv"
    bad.write_text("name,type\nا,ب,ج\n", encoding="utf-8")
    args = [str(bad) if a == "BAD" else a for a in args]
    before = Path(db).read_bytes()
    out = annotator("suggest", "--db", db, "--apply", *args)
    assert out.returncode == 1
    assert message in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert Path(db).read_bytes() == before
