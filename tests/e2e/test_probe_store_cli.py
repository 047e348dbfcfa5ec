"""The CLI against unlucky project files (issue 8, items 8 and 10): empty,
damaged, unreadable, read-only, on a full disk, and a refused import into a
new path. Every refusal is one line on stderr, exit 1, and leaves the file
byte-identical."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.model import NewDocument
from annotator.core.store import Project
from tests.conftest import REPO, SEEDS

TEXT = "قال الرئيس إن القوات ستنسحب من المدينة"
READ_COMMANDS = [["list"], ["list", "--json"], ["tags"], ["agreement"]]
NOBODY = 65534


def annotator(*args: str, user: int | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "annotator", *args]
    if user is not None and os.geteuid() == 0:
        # As root every file is writable: run as nobody to meet permissions at all.
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env,
                          cwd=cwd or REPO)


def one_line_error(out: subprocess.CompletedProcess, expected: str) -> None:
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), out.stderr
    assert expected in lines[0], lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_project(path: Path) -> Path:
    with Project.open(path) as p:
        p.add_annotator("lina")
        p.add_annotator("omar")
        doc = p.add_documents([NewDocument("d", TEXT)])[0].id
        p.add_span(doc, "lina", 0, 3, "ENTITY")
        p.add_span(doc, "omar", 0, 3, "ENTITY")
    return path


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-probe-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


# -- item 10: a zero-byte file is never made a project ------------------------------------------


@pytest.mark.parametrize("command", [
    ["list"], ["tags"], ["tags", "add", "EVENT"], ["agreement"],
    ["export", "--format", "own", "-o", "{dir}/out.jsonl"],
    ["import", str(SEEDS)], ["merge", "{dir}/copy.db"],
])
def test_zero_byte_project_is_refused_by_every_command(tmp_path: Path, command: list[str]) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    make_project(tmp_path / "copy.db")
    args = [part.replace("{dir}", str(tmp_path)) for part in command]
    out = annotator(*args, "--db", str(empty))
    one_line_error(out, "empty.db: empty file (0 bytes), not a project")
    assert empty.read_bytes() == b""
    assert not (tmp_path / "empty.db-wal").exists() and not (tmp_path / "out.jsonl").exists()


def test_zero_byte_copy_is_not_merged(tmp_path: Path) -> None:
    target = make_project(tmp_path / "p.db")
    (tmp_path / "copy.db").touch()
    before = digest(target)
    out = annotator("merge", str(tmp_path / "copy.db"), "--db", str(target))
    one_line_error(out, "copy.db: empty file (0 bytes), not a project")
    assert digest(target) == before and (tmp_path / "copy.db").read_bytes() == b""


def test_refused_annotation_import_into_a_new_path_leaves_no_file(tmp_path: Path) -> None:
    # The label is refused by the checks against the project, after it was created.
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"text": TEXT, "label": [[0, 3, "NOPE"]]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    out = annotator("import", "--format", "doccano", str(data), "--db", str(tmp_path / "new.db"))
    one_line_error(out, "unknown label 'NOPE'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.jsonl"]


# -- item 8: damaged files ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["tags", "add", "EVENT"],
                                     ["export", "--format", "own", "-o", "{dir}/out.jsonl"]])
def test_damaged_project_is_one_line_and_unchanged(tmp_path: Path, command: list[str]) -> None:
    path = make_project(tmp_path / "p.db")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page:3 * page] = bytes(range(256)) * (2 * page // 256)  # pages 2 and 3: the schema's tables
    path.write_bytes(bytes(data))
    args = [part.replace("{dir}", str(tmp_path)) for part in command]
    out = annotator(*args, "--db", str(path))
    one_line_error(out, "p.db: project file is damaged (")
    assert path.read_bytes() == bytes(data) and not (tmp_path / "out.jsonl").exists()


# -- item 8: permissions --------------------------------------------------------------------------


def test_unreadable_project_is_one_line(shared_dir: Path) -> None:
    path = make_project(shared_dir / "p.db")
    path.chmod(0o200)
    before = digest(path)
    out = annotator("list", "--db", str(path), user=NOBODY)
    one_line_error(out, "p.db: cannot read the project file (permission denied)")
    assert digest(path) == before


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_read_only_project_can_be_read_but_not_changed(shared_dir: Path, read_only: str) -> None:
    path = make_project(shared_dir / "p.db")
    out_dir = Path(tempfile.mkdtemp(prefix="annotator-out-"))
    out_dir.chmod(0o777)
    if os.geteuid() == 0:
        # nobody's own file and folder: only the mode of one of them stops it.
        os.chown(path, NOBODY, NOBODY)
        os.chown(shared_dir, NOBODY, NOBODY)
    path.chmod(0o444 if read_only == "file" else 0o644)
    if read_only == "folder":
        shared_dir.chmod(0o555)
    before = digest(path)
    try:
        for command in READ_COMMANDS:
            out = annotator(*command, "--db", str(path), user=NOBODY)
            assert out.returncode == 0 and "Traceback" not in out.stderr, (command, out.stderr)
        listed = annotator("list", "--json", "--db", str(path), user=NOBODY)
        assert json.loads(listed.stdout)["spans"] == {"lina": {"ENTITY": 1}, "omar": {"ENTITY": 1}}
        exported = annotator("export", "--format", "own", "-o", str(out_dir / "out.jsonl"),
                             "--db", str(path), user=NOBODY)
        assert exported.returncode == 0, exported.stderr
        assert TEXT in (out_dir / "out.jsonl").read_text(encoding="utf-8")
        refused = annotator("tags", "add", "EVENT", "--db", str(path), user=NOBODY)
        one_line_error(refused, f"p.db: cannot change the project: "
                                f"{'the file' if read_only == 'file' else 'its folder'} is read-only")
        assert digest(path) == before
    finally:
        shutil.rmtree(out_dir)


# -- item 8: a full disk --------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 384 KiB tmpfs (root only: elsewhere the SQLITE_FULL path is probed
    in tests/core/test_probe_store.py through max_page_count)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tiny filesystem needs root")
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=384k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_import_onto_a_full_disk_is_one_line_and_changes_nothing(tiny_disk: Path, tmp_path: Path) -> None:
    path = make_project(tiny_disk / "p.db")
    before = digest(path)
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as handle:
        for i in range(300):
            handle.write(json.dumps({"text": f"{TEXT} {i} " + "كلمة " * 300}, ensure_ascii=False) + "\n")
    out = annotator("import", str(big), "--db", str(path))
    one_line_error(out, "disk full; nothing was changed")
    assert digest(path) == before
    with Project.open(path) as p:
        assert p.document_count() == 1
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_export_onto_a_full_disk_is_one_line_and_leaves_nothing(tiny_disk: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Project.open(path) as p:
        p.add_documents([NewDocument(f"d{i}", f"{TEXT} {i} " + "كلمة " * 400) for i in range(200)])
    out = annotator("export", "--format", "own", "-o", str(tiny_disk / "out.jsonl"), "--db", str(path))
    one_line_error(out, "disk full; the file was not written")
    assert list(tiny_disk.iterdir()) == []
