"""`annotator import --format ...` and `annotator export`, run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import Result, annotator
from tests.conftest import SEEDS, DataSet


def _one_line_error(out: Result, where: str) -> None:
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"annotator: error: {where}"), out.stderr


def test_brat_in_own_out_and_back_is_byte_identical(tmp_path: Path, testdata: DataSet) -> None:
    db, again = tmp_path / "p.db", tmp_path / "q.db"
    out = annotator("import", "--db", db, "--format", "brat", "--add-labels", testdata / "brat-4-annotators")
    assert out.returncode == 0, out.stderr
    assert testdata.brat_layer_counts in out.stderr
    assert annotator("export", "--db", db, "--format", "own", "--layer", "all",
                     "-o", tmp_path / "one.jsonl").returncode == 0
    assert annotator("import", "--db", again, "--format", "own", "--add-labels",
                     tmp_path / "one.jsonl").returncode == 0
    out = annotator("export", "--db", again, "--format", "own", "--layer", "all", "-o", tmp_path / "two.jsonl")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    lines = (tmp_path / "one.jsonl").read_text().splitlines()
    assert len(lines) == testdata.brat_documents * len(testdata.brat_annotators)  # documents x layers


@pytest.mark.parametrize("fmt, output", [("doccano", "d.jsonl"), ("labelstudio", "ls.json"),
                                          ("brat", "brat"), ("conll", "x.conll"), ("hf", "hf.jsonl")])
def test_every_format_exports_from_the_cli(tmp_path: Path, testdata: DataSet, fmt: str, output: str) -> None:
    db = tmp_path / "p.db"
    annotator("import", "--db", db, "--format", "brat", "--add-labels", testdata / "brat-4-annotators")
    out = annotator("export", "--db", db, "--format", fmt, "--layer", testdata.brat_annotators[0],
                    "-o", tmp_path / output,
                    "--split", "0.6,0.2,0.2", "--seed", "3")
    assert out.returncode == 0, out.stderr
    stem, suffix = Path(output).stem, Path(output).suffix
    for part in ("train", "dev", "test"):
        assert (tmp_path / (f"{stem}.{part}{suffix}" if suffix else f"{stem}/{part}")).exists()
    if fmt in ("conll", "hf"):
        # Lisa's brat spans all fall on our token boundaries; the summary says so.
        assert "every span is on token boundaries" in out.stderr


@pytest.mark.parametrize("fmt, output", [("conll", "x.conll"), ("hf", "hf.jsonl")])
def test_spans_off_token_boundaries_are_counted_per_label(tmp_path: Path, fmt: str, output: str) -> None:
    from annotator.core.store import Project

    db = tmp_path / "p.db"
    assert annotator("import", "--db", db, SEEDS / "000_cd82adee0b9fdb8a.txt").returncode == 0
    with Project.open(db) as project:
        project.add_span(1, "gold", 1, 4, "ENTITY")  # inside the first word, السبت
        project.add_span(1, "gold", 0, 5, "DATE", {"value": "2024-06-29"})
    out = annotator("export", "--db", db, "--format", fmt, "-o", tmp_path / output)
    assert out.returncode == 0, out.stderr
    assert "not on token boundaries (not exported): ENTITY 1" in out.stderr
    assert "every span is on token boundaries" not in out.stderr


def test_bad_input_gives_one_line_naming_file_and_line(tmp_path: Path, testdata: DataSet) -> None:
    db = tmp_path / "p.db"
    assert annotator("import", "--db", db, SEEDS).returncode == 0
    before = db.read_bytes()
    invalid = testdata / "doccano" / "import_labeling.invalid.conll"
    _one_line_error(annotator("import", "--db", db, "--format", "conll", "--add-labels", invalid),
                    f"{invalid}:1: invalid tag")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "قال", "label": [[0, 3, "CLAIM"]]}\n{"text": "x", "label": [[0, 1,\n',
                   encoding="utf-8")
    _one_line_error(annotator("import", "--db", db, "--format", "doccano", bad), f"{bad}:2: malformed JSON")
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text('{"text": "قال الرئيس", "label": [[0, 3, "RUMOUR"]]}\n', encoding="utf-8")
    _one_line_error(annotator("import", "--db", db, "--format", "doccano", unknown),
                    f"{unknown}:1: unknown label 'RUMOUR'")
    assert db.read_bytes() == before


def test_export_errors_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    annotator("import", "--db", db, SEEDS)
    _one_line_error(annotator("export", "--db", db, "--format", "own", "--layer", "nobody",
                              "-o", tmp_path / "x.jsonl"), "unknown layer 'nobody'")
    _one_line_error(annotator("export", "--db", db, "--format", "own", "--split", "1,2",
                              "-o", tmp_path / "x.jsonl"), "--split '1,2'")
    _one_line_error(annotator("export", "--db", db, "--format", "own", "--status", "finished",
                              "-o", tmp_path / "x.jsonl"), "--status")
    assert not (tmp_path / "x.jsonl").exists()


def test_plain_text_import_is_still_the_default(tmp_path: Path) -> None:
    out = annotator("import", "--db", tmp_path / "p.db", SEEDS)
    assert out.returncode == 0 and "imported 5 document(s)" in out.stderr
    out = annotator("export", "--db", tmp_path / "p.db", "--format", "doccano", "-o", tmp_path / "d.jsonl",
                    "--doccano-shape", "entities")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5 and all(line["entities"] == [] and line["relations"] == [] for line in lines)
