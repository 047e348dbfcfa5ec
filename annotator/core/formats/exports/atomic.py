"""Atomic output: a reader never sees a half-written export.

Each file is written to a temporary file in the same folder, flushed to disk,
then renamed over the target (a rename within one folder is atomic). A folder
(brat) is built beside the target and swapped in with two renames; the files
of the old folder that the export did not write (the user's notes) are hard
linked into the new one first, so they survive the swap and a kill at any
moment loses none of them. What a killed export leaves behind (hidden
``.NAME.PID.XXXX.tmp`` files and folders, a ``.NAME.old-PID`` folder) is
recovered or removed by the next export to the same name.

New files get the mode of the file they replace, else 0666 less the umask,
as any program's output does (tempfile would leave them 0600).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import IO

from annotator.core.errors import InputError, ValidationError

# Tells whether a folder was written by an earlier export (brat looks for
# its annotation.conf header), so that an export never replaces a folder of
# the user's own.
Owned = Callable[[Path], bool]
# Tells, for a path relative to an earlier export's folder, whether that
# export wrote it (and a new export may drop it); every other file is kept.
Written = Callable[[PurePath], bool]


def _umask() -> int:
    try:  # Linux: read it without changing it (another thread may create files)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def output_mode(path: Path, *, folder: bool = False) -> int:
    """The mode a new ``path`` gets: the replaced file's, else the umask's."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return (0o777 if folder else 0o666) & ~_umask()


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)


def clean_leftovers(path: Path) -> None:
    """Remove the temporaries a killed export to ``path`` left beside it
    (``.NAME.PID.XXXX.tmp``, or ``.NAME.XXXX.tmp`` from older versions),
    unless the process that made them still runs."""
    # tempfile's random part: 8 of [a-z0-9_]; so "x" never claims ".x.jsonl.…"
    _clean(path.parent, re.compile(rf"\.{re.escape(path.name)}\.(?:(\d+)\.)?[a-z0-9_]{{8}}\.tmp"))


def _clean(folder: Path, pattern: re.Pattern) -> None:
    """Remove the entries of ``folder`` that ``pattern`` matches whose
    process (group 1, if any) no longer runs."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and not (match.group(1) and _pid_alive(int(match.group(1)))):
            _remove(entry)


def _mkstemp(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")


@contextmanager
def atomic_file(path: str | Path, *, binary: bool = False) -> Iterator[IO]:
    """Open a temporary file for writing; it replaces ``path`` only when the
    block ends without an exception."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a folder; give a file name to export to")
    if not path.parent.is_dir():
        raise InputError(path, f"folder {path.parent} does not exist")
    clean_leftovers(path)
    mode = output_mode(path)
    fd, tmp = _mkstemp(path)
    try:
        os.chmod(tmp, mode)
        if binary:
            handle: IO = os.fdopen(fd, "wb")
        else:
            # newline="" : we write "\n" ourselves; no CRLF translation on Windows.
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_replaceable(path: Path, owned: Owned | None) -> None:
    """An export may only replace an empty folder or one an earlier export
    wrote; anything else is the user's and stays untouched."""
    if path.is_dir() and any(path.iterdir()) and not (owned is not None and owned(path)):
        raise InputError(path, "folder is not empty and holds no earlier export; "
                               "choose a new or empty folder")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # st_dev and st_ino: hard links too
    except OSError:
        return False


def check_not_project(target: Path, project: Path) -> None:
    """An export must never overwrite its own project: refuse the project
    file, its -wal, -shm and -journal, also by another name (a symlink or a
    hard link)."""
    files = [project, *(project.with_name(project.name + s) for s in ("-wal", "-shm", "-journal"))]
    real = os.path.realpath(target)
    for file in files:
        if os.path.realpath(file) == real or _same_file(target, file):
            which = ("the project file" if file == project
                     else f"the project's {file.name[len(project.name):]} file")
            raise InputError(target, f"is {which} ({project}); choose another name to export to")


def _old_name(path: Path, pid: int) -> Path:
    return path.with_name(f".{path.name}.old-{pid}")


def recover(path: Path) -> None:
    """Undo what a kill between the two renames of a folder swap left: the
    folder only under ``.NAME.old-PID``. Put it back (or, when ``path``
    exists again, remove the stale copy)."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.old-(\d+)")
    try:
        entries = sorted(path.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or _pid_alive(int(match.group(1))):
            continue
        if not os.path.lexists(path) and entry.is_dir() and not entry.is_symlink():
            os.replace(entry, path)
        else:
            _remove(entry)


def _carry_over(old: Path, new: Path, written: Written | None) -> None:
    """Hard link (or copy) into ``new`` every file of ``old`` that the
    earlier export did not write, at the same relative path."""
    for entry in sorted(old.rglob("*")):
        rel = entry.relative_to(old)
        if written is not None and written(rel):
            continue
        target = new / rel
        try:
            if entry.is_dir() and not entry.is_symlink():
                target.mkdir(exist_ok=True)
                continue
            if os.path.lexists(target):
                raise FileExistsError
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(entry, target, follow_symlinks=False)
            except OSError:  # a file system without hard links
                shutil.copy2(entry, target, follow_symlinks=False)
        except FileExistsError:
            raise InputError(entry, "has the name of a file or folder this export writes; "
                                    "move it out of the folder first") from None
        except OSError as exc:
            raise InputError(entry, f"cannot keep it in the new export: {exc.strerror}") from None


def install(built: Path, path: Path, owned: Owned | None = None,
            written: Written | None = None) -> None:
    """Move a finished file or folder over ``path``; a folder keeps the old
    folder's files that ``written`` does not claim."""
    if not built.is_dir():
        if path.is_dir():
            raise InputError(path, "is a folder; give a file name to export to")
        os.replace(built, path)
        return
    if path.exists() and not path.is_dir():
        raise InputError(path, "exists and is not a folder")
    check_replaceable(path, owned)
    if not path.exists():
        os.replace(built, path)
        return
    _carry_over(path, built, written)
    old = _old_name(path, os.getpid())
    os.replace(path, old)
    os.replace(built, path)  # a kill before this line: recover() undoes the first
    shutil.rmtree(old, ignore_errors=True)


def _real_folder(path: Path) -> Path:
    """A symlinked destination is exported into the folder it points to, and
    the link stays a link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextmanager
def atomic_folder(path: str | Path, owned: Owned, written: Written | None = None) -> Iterator[Path]:
    """Build a folder at a temporary sibling; it replaces ``path`` (an empty
    folder or an earlier export) only when the block ends without an exception."""
    path = _real_folder(Path(path))
    if not path.parent.is_dir():
        raise InputError(path, f"folder {path.parent} does not exist")
    recover(path)
    clean_leftovers(path)
    if path.exists() and not path.is_dir():
        raise InputError(path, "exists and is not a folder")
    check_replaceable(path, owned)  # before any work, not only at the end
    mode = output_mode(path, folder=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp"))
    try:
        os.chmod(tmp, mode)
        yield tmp
        install(tmp, path, owned, written)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


_STAGING = re.compile(r"\.export-staging-(?:(\d+)-)?[a-z0-9_]{8}")


@contextmanager
def staged(parent: Path, owned: Owned | None = None, written: Written | None = None) -> Iterator[Path]:
    """A temporary folder inside ``parent`` whose entries all move into
    ``parent`` when the block succeeds, or none of them (cancel, error): a
    split export never leaves train without dev and test."""
    # No suffix in the name: split_path() tells a folder target by its
    # missing suffix, and brat parts are built right inside this folder.
    _clean(parent, _STAGING)
    tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".export-staging-{os.getpid()}-"))
    try:
        yield tmp
        entries = sorted(tmp.iterdir())
        for entry in entries:
            if entry.is_dir():
                target = _real_folder(parent / entry.name)
                recover(target)
                check_replaceable(target, owned)
        for entry in entries:
            install(entry, _real_folder(parent / entry.name), owned, written)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def inside(root: Path, name: str) -> Path:
    """``root / name`` when that is provably inside ``root`` (one plain
    component that resolves below it), else an InputError: a layer named
    ".." must never make an export write beside its folder."""
    child = root / name
    if (not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name
            or PurePath(name).is_absolute() or len(PurePath(name).parts) != 1
            or len(name.encode("utf-8", "surrogatepass")) > 255):
        raise ValidationError(f"layer {name[:60]!r} cannot be a folder name inside the export "
                              "(rename the annotator)")
    base = Path(os.path.realpath(root))
    if not Path(os.path.realpath(child)).is_relative_to(base):
        raise ValidationError(f"layer {name[:60]!r} would be a folder outside the export")
    return child
