"""The CLI with hostile names and destinations, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import NewDocument
from annotator.core.store import Project

TEXT = "قال الرئيس إن الوفد زار العراق"


def _one_line_error(capsys, code: int, where: str) -> str:
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"annotator: error: {where}"), err
    return lines[0]


def test_export_over_the_project_file_is_refused_and_the_project_kept(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    with Project.open(db) as project:
        project.add_documents([NewDocument("d", TEXT)])
    before = db.read_bytes()
    code = main(["export", "--format", "own", "-o", str(db), "--db", str(db)])
    _one_line_error(capsys, code, f"{db}: is the project file")
    assert db.read_bytes() == before
    assert main(["list", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["name"] == "d"


def test_list_escapes_terminal_control_sequences_in_names(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    hostile = "doc\x1b]0;pwned\x07\x1b[2J\u202eexe.txt"
    with Project.open(db) as project:
        project.add_documents([NewDocument("ok", TEXT)])
        # An older version stored such names: put one in as it would have.
        project.db.conn.execute("UPDATE documents SET name = ? WHERE id = 1", [hostile])
        project.db.conn.commit()
    assert main(["list", "--db", str(db), "--bidi", "off"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "doc\\x1b]0;pwned\\x07\\x1b[2J\\u202eexe.txt" in out
    assert main(["list", "--db", str(db), "--json"]) == 0  # JSON keeps the name exact (escaped by JSON)
    assert json.loads(capsys.readouterr().out)["name"] == hostile


@pytest.mark.parametrize("label", ["A\u202eB", "A\x00B", "L" * 100_000])
def test_add_labels_refuses_hostile_labels_in_one_short_line(tmp_path: Path, capsys, label) -> None:
    db = tmp_path / "p.db"
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": TEXT, "label": [[0, 3, label]]}) + "\n", encoding="utf-8")
    code = main(["import", "--db", str(db), "--format", "doccano", "--add-labels", str(path)])
    line = _one_line_error(capsys, code, f"{path}:1: label name")
    assert len(line) < 400
    with Project.open(db) as project:
        assert label not in {t.name for t in project.tags()}
