"""The installed `annotator` command, run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator import __version__
from annotator.core.text.encoding import sha256_text
from tests.conftest import SEEDS
from tests.cli import annotator


def test_version() -> None:
    out = annotator("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"annotator {__version__}"


def test_import_then_list_json(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    out = annotator("import", str(SEEDS), "--db", db)
    assert out.returncode == 0, out.stderr
    assert "imported 5 document(s)" in out.stderr
    out = annotator("list", "--db", db, "--json")
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(records) == 5
    for record in records:
        raw = (SEEDS / f"{record['name']}.txt").read_text(encoding="utf-8")
        assert record["chars"] == len(raw)
        assert record["sha256"] == sha256_text(raw)
        assert record["spans"] == {}
    again = annotator("import", str(SEEDS), "--db", db)
    assert "imported 0 document(s)" in again.stderr and "5 already" in again.stderr


def test_list_counts_spans_per_layer_and_label(tmp_path: Path) -> None:
    from annotator.core.store import Project

    db = tmp_path / "p.db"
    annotator("import", str(SEEDS / "000_cd82adee0b9fdb8a.txt"), "--db", str(db))
    with Project.open(db) as project:
        project.add_annotator("alice")
        project.add_span(1, "alice", 0, 5, "DATE", {"value": "2024-06-29"})
        project.add_span(1, "alice", 0, 20, "CLAIM")
        project.add_span(1, "gold", 0, 5, "DATE")
    record = json.loads(annotator("list", "--db", str(db), "--json").stdout)
    assert record["spans"] == {"alice": {"CLAIM": 1, "DATE": 1}, "gold": {"DATE": 1}}
    table = annotator("list", "--db", str(db), "--bidi", "off").stdout
    assert "000_cd82adee0b9fdb8a" in table and "alice" in table


def test_arabic_names_reordered_only_when_asked(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text(json.dumps({"text": "نص", "name": "خبر عاجل"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    assert annotator("import", str(jsonl), "--db", db).returncode == 0
    plain = annotator("list", "--db", db).stdout  # a pipe: auto means off
    assert "خبر عاجل" in plain
    forced = annotator("list", "--db", db, "--bidi", "on").stdout
    assert "خبر عاجل" not in forced
    as_json = annotator("list", "--db", db, "--json", "--bidi", "on").stdout
    assert json.loads(as_json)["name"] == "خبر عاجل"


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"\x00\x01binary", "bin.txt: binary data"),
        (b"", "bin.txt: empty file"),
    ],
)
def test_bad_import_is_one_line_and_changes_nothing(tmp_path: Path, content: bytes, expected: str) -> None:
    db = tmp_path / "p.db"
    annotator("import", str(SEEDS), "--db", str(db))
    before = db.read_bytes()
    bad = tmp_path / "bin.txt"
    bad.write_bytes(content)
    out = annotator("import", str(SEEDS / "000_cd82adee0b9fdb8a.txt"), str(bad), "--db", str(db))
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert expected in out.stderr
    assert db.read_bytes() == before


def test_failed_import_creates_no_project(tmp_path: Path) -> None:
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"text": "ok"}\n{oops\n', encoding="utf-8")
    out = annotator("import", str(bad), "--db", str(tmp_path / "new.db"))
    assert out.returncode == 1 and f"{bad}:2: malformed JSON" in out.stderr
    assert not (tmp_path / "new.db").exists()


def test_list_of_missing_or_foreign_project(tmp_path: Path) -> None:
    out = annotator("list", "--db", str(tmp_path / "none.db"))
    assert out.returncode == 1 and "no such project file" in out.stderr
    not_db = tmp_path / "x.db"
    not_db.write_text("hello", encoding="utf-8")
    out = annotator("list", "--db", str(not_db))
    assert out.returncode == 1 and "not an annotator project" in out.stderr
    assert "Traceback" not in out.stderr


def test_default_project_lives_in_user_data_dir(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "ANNOTATOR_PROJECT": ""}
    out = annotator("import", str(SEEDS / "000_cd82adee0b9fdb8a.txt"), env=env)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "data" / "arabic-annotator" / "project.db").exists()
