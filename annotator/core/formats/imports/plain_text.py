"""Plain-text imports: .txt files, folders of them, and JSONL with "text".

An import is all or nothing: every file is read and checked before the
project is touched, then all documents go in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.formats.imports import json_input
from annotator.core.bulk import bulk
from annotator.core.text.encoding import canonicalize, check_text, decode_bytes, read_text_file
from annotator.core.errors import InputError, ValidationError
from annotator.core.model import NewDocument
from annotator.core.store.project import AddedDocument, Project
from annotator.core.store.validation import check_document_name

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


@dataclass
class ImportReport:
    files: int = 0
    documents: list[AddedDocument] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(1 for d in self.documents if d.added)

    @property
    def already_present(self) -> int:
        return sum(1 for d in self.documents if not d.added)

    def summary(self) -> str:
        return (f"imported {self.added} document(s) from {self.files} file(s); "
                f"{self.already_present} already in the project")


def _files(path: Path) -> Iterator[tuple[Path, str]]:
    """(file, document name) for a path; folders are walked recursively."""
    if path.is_dir():
        found = sorted(
            p for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not found:
            raise InputError(path, "folder holds no .txt or .jsonl files")
        for p in found:
            yield p, p.relative_to(path).with_suffix("").as_posix()
    elif path.exists():  # a file, or a FIFO or device that read_bytes refuses by name
        yield path, path.stem
    else:
        raise InputError(path, "no such file or folder")


def read_jsonl_documents(path: Path) -> list[NewDocument]:
    """Documents from JSONL lines {"text", "id"?, "name"?, "meta"?}."""
    decoded = read_text_file(path)
    documents = []
    for lineno, line in enumerate(decoded.text.split("\n"), start=1):
        if not line.strip():
            continue
        record = parse_json_line(line, path, lineno)
        text = record.get("text")
        if text is None:
            raise InputError(path, 'missing "text"', lineno)
        if not isinstance(text, str):
            raise InputError(path, f'"text" must be a string, got {type(text).__name__}', lineno)
        text = canonicalize(text)
        if not text.strip():
            raise InputError(path, '"text" is empty', lineno)
        check_text(text, path, lineno)
        meta = record.get("meta", {})
        if not isinstance(meta, dict):
            raise InputError(path, '"meta" must be an object', lineno)
        ext_id = record.get("id")
        name = record.get("name") or (str(ext_id) if ext_id is not None else f"{path.stem}:{lineno}")
        try:
            check_document_name(str(name))
        except ValidationError as exc:
            raise InputError(path, str(exc), lineno) from None
        documents.append(NewDocument(
            name=str(name), text=text, source=f"{path}:{lineno}",
            external_id=str(ext_id) if ext_id is not None else None, meta=meta,
        ))
    if not documents:
        raise InputError(path, "no documents (file holds only blank lines)")
    return documents


def parse_json_line(line: str, path: Path | str, lineno: int) -> dict:
    """One JSONL record, or an InputError naming file, line and column."""
    record = json_input.loads(line, path, lineno)
    if not isinstance(record, dict):
        raise InputError(path, f"expected a JSON object, got {type(record).__name__}", lineno)
    return record



@bulk
def read_documents(paths: Iterable[str | Path], *, as_jsonl: bool = False
                   ) -> tuple[list[NewDocument], int]:
    """Read every path (files, folders, JSONL) into documents, or raise.
    ``as_jsonl`` reads every named file as JSONL whatever its suffix."""
    documents: list[NewDocument] = []
    files = 0
    if as_jsonl:
        paths = list(paths)
        return [doc for p in paths for doc in read_jsonl_documents(Path(p))], len(paths)
    for raw in paths:
        for file, name in _files(Path(raw)):
            files += 1
            if file.suffix.lower() in JSONL_SUFFIXES:
                documents.extend(read_jsonl_documents(file))
            else:
                decoded = read_text_file(file)
                documents.append(NewDocument(
                    name=name, text=decoded.text, source=str(file),
                    meta={"encoding": decoded.encoding} if decoded.encoding != "utf-8" else {},
                ))
    return documents, files


def import_paths(project: Project, paths: Iterable[str | Path], *, as_jsonl: bool = False
                 ) -> ImportReport:
    """Read every path, then add the documents in one transaction."""
    documents, files = read_documents(paths, as_jsonl=as_jsonl)
    return ImportReport(files=files, documents=project.add_documents(documents))


def import_seeds(project: Project) -> ImportReport:
    """The sample corpus shipped with the package (first start)."""
    from importlib import resources

    seeds = resources.files("annotator.seeds")
    documents = []
    for entry in sorted(seeds.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            decoded = decode_bytes(entry.read_bytes(), entry.name)
            documents.append(NewDocument(name=entry.name[:-4], text=decoded.text, source=f"seeds/{entry.name}"))
    return ImportReport(files=len(documents), documents=project.add_documents(documents))
