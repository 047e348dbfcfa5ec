"""Exports never destroy or leak: not the project, not the user's files,
not a byte outside the destination; killed exports are recovered."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.core.errors import InputError, ValidationError
from annotator.core.formats import brat
from annotator.core.formats.exports.dispatch import export_project
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions, Split
from annotator.core.model import GOLD, NewDocument, NewSpan
from annotator.core.store import Project

TEXT = "قال الرئيس إن الوفد زار العراق"


@pytest.fixture
def filled(project: Project) -> Project:
    docs = project.add_documents([NewDocument(f"d{i}", f"{TEXT} {i}") for i in range(6)])
    project.add_annotator("Lisa")
    project.add_spans([NewSpan(docs[0].id, GOLD, 0, 3, "CLAIM"), NewSpan(docs[1].id, "Lisa", 4, 10, "ENTITY")])
    return project


def _snapshot(project: Project) -> dict[str, bytes]:
    base = project.path
    return {p.name: p.read_bytes() for p in base.parent.iterdir() if p.name.startswith(base.name)}


# -- item 1: the destination is the project ----------------------------------------

@pytest.mark.parametrize("fmt", ["own", "doccano", "hf", "conll", "labelstudio"])
@pytest.mark.parametrize("how", ["same", "wal", "shm", "symlink", "hardlink", "dotted"])
def test_an_export_onto_the_project_file_is_refused(filled: Project, tmp_path: Path, fmt, how) -> None:
    db = filled.path
    target = {"same": db, "wal": Path(f"{db}-wal"), "shm": Path(f"{db}-shm"),
              "symlink": tmp_path / "link.jsonl", "hardlink": tmp_path / "hard.jsonl",
              "dotted": tmp_path / "sub" / ".." / db.name}[how]
    if how == "symlink":
        target.symlink_to(db)
    elif how == "hardlink":
        os.link(db, target)
    elif how == "dotted":
        (tmp_path / "sub").mkdir()
    before = _snapshot(filled)
    with pytest.raises(InputError, match=r"is the project(?:'s -wal| file|'s -shm)"):
        export_project(filled, fmt, target)
    assert _snapshot(filled) == before
    assert filled.document_count() == 6


def test_a_split_part_named_like_the_project_is_refused(tmp_path: Path) -> None:
    with Project.open(tmp_path / "data.train.jsonl") as project:
        project.add_documents([NewDocument(f"d{i}", f"{TEXT} {i}") for i in range(6)])
        before = _snapshot(project)
        with pytest.raises(InputError, match=r"data.train.jsonl: is the project file"):
            export_project(project, "own", tmp_path / "data.jsonl",
                           ExportOptions(split=Split((0.5, 0.25, 0.25), seed=1)))
        assert _snapshot(project) == before
        assert not (tmp_path / "data.dev.jsonl").exists()


def test_hf_names_file_named_like_the_project_is_refused(tmp_path: Path) -> None:
    with Project.open(tmp_path / "rows.labels.json") as project:
        project.add_documents([NewDocument("d", TEXT)])
        with pytest.raises(InputError, match=r"rows.labels.json: is the project file"):
            export_project(project, "hf", tmp_path / "rows.jsonl")
        assert not (tmp_path / "rows.jsonl").exists()


@pytest.mark.parametrize("split", [None, Split((0.5, 0.25, 0.25), seed=1)])
def test_a_brat_export_onto_the_project_is_refused(filled: Project, split) -> None:
    before = _snapshot(filled)
    with pytest.raises(InputError, match="project file|not a folder"):
        export_project(filled, "brat", filled.path, ExportOptions(split=split))
    assert _snapshot(filled) == before


# -- item 2: hostile names never reach outside the destination ----------------------

@pytest.mark.parametrize("layer", ["..", ".", "../escape", "a/../../b", "x\x00y", "L" * 300,
                                   "/tmp/abs"])
def test_a_legacy_hostile_layer_name_writes_nothing_outside(filled: Project, tmp_path: Path,
                                                            layer) -> None:
    # An older version accepted such names: put one in as it would have.
    filled.db.conn.execute("INSERT INTO layers (name, kind, created_at) VALUES (?, 'annotator', '')",
                           [layer])
    filled.db.conn.execute(
        'INSERT INTO spans (document_id, layer, start, "end", label, attributes, note, created_at, '
        "updated_at) VALUES (3, ?, 0, 3, 'CLAIM', '{}', '', '', '')", [layer])
    filled.db.conn.commit()
    area = tmp_path / "area"
    (area / "dest").mkdir(parents=True)
    before_tmp = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(ValidationError, match=r"cannot be a folder name inside the export"):
        export_project(filled, "brat", area / "dest", ExportOptions(layer=ALL_LAYERS))
    assert [p.name for p in area.rglob("*")] == ["dest"]  # nothing beside it, nothing in it
    assert sorted(p.name for p in tmp_path.iterdir()) == before_tmp


def test_hostile_document_names_stay_inside_the_brat_folder(project: Project, tmp_path: Path) -> None:
    names = ["../../up", "/etc/passwd", "..", "a/b/c", "con", "a:b*c?", "ع" * 900]
    added = project.add_documents([NewDocument(n, f"{TEXT} {i}") for i, n in enumerate(names)])
    project.add_spans([NewSpan(added[0].id, GOLD, 0, 3, "CLAIM")])
    area = tmp_path / "area"
    area.mkdir()
    export_project(project, "brat", area / "dest")
    inside = [p for p in area.rglob("*")]
    assert all(p == area / "dest" or p.parent == area / "dest" for p in inside)
    assert len([p for p in inside if p.suffix == ".txt"]) == len(names)


# -- item 3: re-export keeps the user's files; kills are recovered -------------------

def test_brat_re_export_keeps_the_users_files(filled: Project, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    export_project(filled, "brat", out, ExportOptions(layer=ALL_LAYERS))
    (out / "my_notes.md").write_text("ملاحظاتي", encoding="utf-8")
    (out / "Lisa" / "lisa_notes.txt").write_text("x", encoding="utf-8")
    (out / "drafts").mkdir()
    (out / "drafts" / "old version.ann").write_text("keep me", encoding="utf-8")
    stale = out / GOLD / "00099-gone.txt"
    stale.write_text("an export of a document since deleted", encoding="utf-8")
    export_project(filled, "brat", out, ExportOptions(layer=ALL_LAYERS, labels=frozenset({"CLAIM"})))
    assert (out / "my_notes.md").read_text(encoding="utf-8") == "ملاحظاتي"
    assert (out / "Lisa" / "lisa_notes.txt").read_text(encoding="utf-8") == "x"
    assert (out / "drafts" / "old version.ann").read_text(encoding="utf-8") == "keep me"
    assert not stale.exists()  # ours: replaced by the new export
    assert "ENTITY" not in (out / "annotation.conf").read_text(encoding="utf-8").split("[relations]")[0]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_users_folder_named_like_an_exported_file_is_a_clear_error(filled: Project,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "brat"
    export_project(filled, "brat", out)
    (out / "00001-d0.txt").unlink()
    (out / "00001-d0.txt").mkdir()
    (out / "00001-d0.txt" / "mine").write_text("x")
    with pytest.raises(InputError, match=r"00001-d0.txt/mine: has the name of a file or folder"):
        export_project(filled, "brat", out)
    assert (out / "00001-d0.txt" / "mine").read_text() == "x"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_symlinked_brat_destination_stays_a_link_and_leaves_nothing(filled: Project,
                                                                      tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    export_project(filled, "brat", link)
    export_project(filled, "brat", link)
    assert link.is_symlink() and (real / brat.CONF).is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "project.db"
                  and not p.name.startswith("project.db")) == ["link", "real"]


_KILL_SECOND_RENAME = textwrap.dedent("""
    import os, sys
    from annotator.core.formats.exports import atomic as output
    from annotator.core.formats.exports.dispatch import export_project
    from annotator.core.store import Project
    calls = []
    real = os.replace
    def replace(a, b):
        calls.append(a)
        if str(b) == sys.argv[2] and len([c for c in calls if ".tmp" in str(c)]) >= 1:
            os._exit(9)  # killed between the two renames
        real(a, b)
    output.os.replace = replace
    with Project.open(sys.argv[1]) as project:
        export_project(project, "brat", sys.argv[2])
""")


def test_a_kill_between_the_two_renames_is_recovered_on_the_next_run(filled: Project,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "brat"
    export_project(filled, "brat", out)
    (out / "my_notes.md").write_text("mine", encoding="utf-8")
    filled.close()
    killed = subprocess.run([sys.executable, "-c", _KILL_SECOND_RENAME, str(filled.path), str(out)],
                            capture_output=True, text=True)
    assert killed.returncode == 9, killed.stderr
    assert not out.exists()  # the old export is only under .brat.old-PID now
    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".brat."))
    assert any(".old-" in h for h in hidden) and any(h.endswith(".tmp") for h in hidden)
    with Project.open(filled.path) as project:
        export_project(project, "brat", out)
    assert (out / "my_notes.md").read_text(encoding="utf-8") == "mine"
    assert (out / "00001-d0.ann").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_leftover_temporaries_of_killed_exports_are_cleaned(filled: Project, tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    (tmp_path / ".x.jsonl.ab12cd34.tmp").write_text("half")  # an older version's name
    (tmp_path / f".x.jsonl.{dead}.ab12cd34.tmp").write_text("half")
    (tmp_path / f".brat.{dead}.zz12ab34.tmp").mkdir()
    (tmp_path / f".brat.{dead}.zz12ab34.tmp" / "00001-a.txt").write_text("half")
    (tmp_path / f".x.jsonl.{os.getpid()}.busy1234.tmp").write_text("a live export's")
    (tmp_path / f".x.jsonl.{dead}.ab12cd34.tmp.keep").write_text("not a temporary")
    (tmp_path / f".export-staging-{dead}-ab12cd34").mkdir()  # a killed --split export
    (tmp_path / ".export-staging-ab12cd34").mkdir()  # the same from an older version
    export_project(filled, "own", tmp_path / "s.jsonl", ExportOptions(split=Split((0.5, 0.25, 0.25))))
    export_project(filled, "own", tmp_path / "x.jsonl")
    export_project(filled, "brat", tmp_path / "brat")
    export_project(filled, "brat", tmp_path / "x")  # never claims x.jsonl's temporaries
    assert {p.name for p in tmp_path.iterdir() if p.name.startswith(".")} == {
        f".x.jsonl.{dead}.ab12cd34.tmp.keep", f".x.jsonl.{os.getpid()}.busy1234.tmp"}


# -- item 12: file modes --------------------------------------------------------------

@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("fmt, name", [("own", "x.jsonl"), ("hf", "rows.jsonl"), ("conll", "x.conll")])
def test_exports_honour_the_umask_and_keep_a_replaced_files_mode(filled: Project, tmp_path: Path,
                                                                 umask_022, fmt, name) -> None:
    target = tmp_path / name
    export_project(filled, fmt, target)
    assert _mode(target) == 0o644
    target.chmod(0o640)
    export_project(filled, fmt, target)
    assert _mode(target) == 0o640


def test_brat_folders_honour_the_umask(filled: Project, tmp_path: Path, umask_022) -> None:
    out = tmp_path / "brat"
    export_project(filled, "brat", out, ExportOptions(layer=ALL_LAYERS))
    assert _mode(out) == 0o755 and _mode(out / "Lisa") == 0o755
    assert _mode(out / brat.CONF) == 0o644
