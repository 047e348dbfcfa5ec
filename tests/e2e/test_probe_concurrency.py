"""Concurrent writers and kill -9 (issue 8, item 4 and the kill probes).

A driver runs the real CLI with a hook in the store's write transaction
that prints a line and waits on stdin at a chosen point (just before the
COMMIT, or just after it), so that a test kills the process exactly there,
or lets another writer in, without guessing with sleeps."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.model import NewDocument
from annotator.core.store import Project
from annotator.core.store.connection import StorageError
from tests.conftest import REPO

DRIVER = r"""
import contextlib, os, sys
from annotator.core.store import project as store_project

stage = os.environ["PROBE_STAGE"]
original = store_project.write_transaction
paused = False


def pause(line):
    global paused
    if not paused:
        paused = True
        print(line, flush=True)
        sys.stdin.readline()


@contextlib.contextmanager
def hooked(conn, path):
    outer = not conn.in_transaction
    if outer and stage == "begin":
        print("PROBE-BEGIN", flush=True)  # announced, not waited for
    with original(conn, path):
        yield
        if outer and stage == "before-commit":
            pause("PROBE-BEFORE-COMMIT")
    if outer and stage == "after-commit":
        pause("PROBE-AFTER-COMMIT")


store_project.write_transaction = hooked
if stage == "export-replace":
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        pause("PROBE-BEFORE-REPLACE")
        return real_replace(src, dst, *args, **kwargs)

    os.replace = replace
from annotator.cli import main
sys.exit(main(sys.argv[1:]))
"""
TEXT = "قال الرئيس إن القوات ستنسحب من المدينة"


def start(stage: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PROBE_STAGE": stage, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", DRIVER, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=REPO)


def wait_for(process: subprocess.Popen, line: str) -> None:
    """Read the driver's stdout until ``line`` (bounded by the process ending)."""
    assert process.stdout is not None
    for got in process.stdout:
        if got.strip() == line:
            return
    raise AssertionError(f"process ended before {line}: {process.wait()} {process.stderr.read()}")


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)  # reaps it and closes the pipes
    assert process.returncode == -signal.SIGKILL


def finish(process: subprocess.Popen) -> tuple[int, str]:
    _, err = process.communicate(input="\n", timeout=120)
    return process.returncode, err


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def make_project(path: Path) -> Path:
    with Project.open(path) as p:
        p.add_annotator("lina")
        doc = p.add_documents([NewDocument("d", TEXT)])[0].id
        p.add_span(doc, "lina", 0, 3, "ENTITY")
    return path


def saved(path: Path) -> tuple[int, list[tuple[int, int, str]]]:
    with Project.open(path, access="read-only") as p:
        return p.document_count(), [(s.start, s.end, s.layer) for s in p.spans()]


def jsonl(path: Path, n: int, tag: str, spans: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            text = f"{TEXT} {tag}{i} " + "كلمة " * (spans * 2 + 5)
            record = {"text": text, "label": [[k * 10, k * 10 + 4, "ENTITY"] for k in range(spans)]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# -- kill -9 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage, documents", [("before-commit", 1), ("after-commit", 21)])
def test_kill_during_import_keeps_everything_saved(tmp_path: Path, stage: str, documents: int) -> None:
    path = make_project(tmp_path / "p.db")
    data = jsonl(tmp_path / "d.jsonl", 20, "k", spans=3)
    process = start(stage, "import", "--format", "doccano", str(data), "--annotator", "lina",
                    "--db", str(path))
    wait_for(process, f"PROBE-{stage.upper()}")
    kill(process)
    assert integrity(path) == "ok"
    count, spans = saved(path)
    assert count == documents and (0, 3, "lina") in spans
    assert len(spans) == 1 + 3 * (documents - 1)


@pytest.mark.parametrize("stage, layers", [("before-commit", ["lina"]), ("after-commit", ["lina", "omar"])])
def test_kill_during_merge_keeps_everything_saved(tmp_path: Path, stage: str, layers: list[str]) -> None:
    path = make_project(tmp_path / "p.db")
    copy = tmp_path / "copy.db"
    with Project.open(copy) as p:
        p.add_annotator("omar")
        doc = p.add_documents([NewDocument("d", TEXT), NewDocument("e", TEXT + " ثانية")])[1].id
        p.add_span(doc, "omar", 0, 3, "DATE")
    copy_bytes = copy.read_bytes()
    process = start(stage, "merge", str(copy), "--db", str(path))
    wait_for(process, f"PROBE-{stage.upper()}")
    kill(process)
    assert integrity(path) == "ok" and copy.read_bytes() == copy_bytes
    with Project.open(path, access="read-only") as p:
        assert p.annotators() == layers and p.document_count() == len(layers)


def test_kill_during_export_keeps_the_earlier_export(tmp_path: Path) -> None:
    path = make_project(tmp_path / "p.db")
    out = tmp_path / "out.jsonl"
    out.write_text("an earlier export\n", encoding="utf-8")
    process = start("export-replace", "export", "--format", "own", "-o", str(out), "--db", str(path))
    wait_for(process, "PROBE-BEFORE-REPLACE")
    kill(process)
    assert out.read_text(encoding="utf-8") == "an earlier export\n"
    assert integrity(path) == "ok" and saved(path) == (1, [(0, 3, "lina")])


# -- two writers ------------------------------------------------------------------------------------


def test_two_concurrent_imports_both_succeed(tmp_path: Path) -> None:
    """The second importer reads before it writes; with a deferred BEGIN it
    died at once ("database is locked") when the first committed."""
    path = make_project(tmp_path / "p.db")
    first = start("before-commit", "import", str(jsonl(tmp_path / "a.jsonl", 300, "a")), "--db", str(path))
    wait_for(first, "PROBE-BEFORE-COMMIT")  # holds the write lock now
    second = start("begin", "import", str(jsonl(tmp_path / "b.jsonl", 300, "b")), "--db", str(path))
    wait_for(second, "PROBE-BEGIN")
    time.sleep(0.3)  # let the second reach SQLite's lock wait; either way it must succeed
    code, err = finish(first)
    assert code == 0 and "imported 300 document(s)" in err
    code, err = finish(second)
    assert code == 0 and "imported 300 document(s)" in err, err
    assert saved(path)[0] == 601 and integrity(path) == "ok"


def test_import_beside_an_edit_loop(tmp_path: Path) -> None:
    """Edits (the window's, say) and a big import: the import succeeds, and
    each edit either is saved or is refused with the one-line busy error."""
    path = make_project(tmp_path / "p.db")
    data = jsonl(tmp_path / "big.jsonl", 2000, "e", spans=20)
    process = start("none", "import", "--format", "doccano", str(data), "--annotator", "lina",
                    "--db", str(path))
    saved_edits: set[int] = set()  # DATE spans the loop believes stored
    done = refused = 0
    with Project.open(path) as p:
        while process.poll() is None:  # until the import has finished, writes included
            try:
                if saved_edits:
                    span_id = next(iter(saved_edits))
                    p.delete_span(span_id)
                    saved_edits.discard(span_id)
                else:
                    saved_edits.add(p.add_span(1, "lina", 4, 5, "DATE").id)
                done += 1
            except StorageError as exc:
                assert "project file is busy" in str(exc)
                refused += 1
    code, err = finish(process)
    assert code == 0 and "imported 2000 new document(s)" in err, err
    assert done > 0
    with Project.open(path, access="read-only") as p:
        stored = {s.id for s in p.spans(document_id=1, layer="lina", label="DATE")}
        assert stored == saved_edits
        assert p.document_count() == 2001 and len(p.spans(layer="lina")) == 1 + 40000 + len(saved_edits)
    assert integrity(path) == "ok"
