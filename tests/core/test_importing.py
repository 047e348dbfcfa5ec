"""Plain imports: exact canonical text from every encoding; all or nothing."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest

from annotator.core.text.encoding import sha256_text
from annotator.core.errors import InputError
from annotator.core.formats.imports.plain_text import import_paths, import_seeds
from annotator.core.store import Project
from tests.conftest import SEEDS

EMOJI_CRLF = "عاجل 😀 الرئيس\r\nقال: CNN 🇸🇦\r\n"
VOCALISED = "قَالَ مُحَمَّدٌ إِنَّ الجَيْشَ عاجـــل مي\u200cخواهم\n"


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_every_encoding_gives_the_exact_canonical_text(tmp_path: Path, project: Project) -> None:
    files = tmp_path / "in"
    _write(files, "a_emoji_crlf_bom.txt", codecs.BOM_UTF8 + EMOJI_CRLF.encode())
    _write(files, "b_vocalised.txt", VOCALISED.encode())
    _write(files, "c_cp1256.txt", "الخبر العاجل\r\nمن بغداد".encode("cp1256"))
    _write(files, "sub/d_utf16.txt", "سطر 😀\r\nثان".encode("utf-16"))
    report = import_paths(project, [files])
    assert report.files == 4 and report.added == 4
    texts = {d.name: project.document(d.id).text for d in report.documents}
    assert texts == {
        "a_emoji_crlf_bom": "عاجل 😀 الرئيس\nقال: CNN 🇸🇦\n",
        "b_vocalised": VOCALISED,
        "c_cp1256": "الخبر العاجل\nمن بغداد",
        "sub/d_utf16": "سطر 😀\nثان",
    }
    for doc in report.documents:
        stored = project.document(doc.id)
        assert stored.sha256 == sha256_text(stored.text)


def test_seeds_import_byte_exact(project: Project) -> None:
    report = import_seeds(project)
    assert report.added == 5
    for doc in project.documents():
        raw = (SEEDS / f"{doc.name}.txt").read_bytes()
        assert project.document(doc.id).text.encode("utf-8") == raw
    assert import_seeds(project).added == 0


def test_jsonl_lines_with_id_name_meta(tmp_path: Path, project: Project) -> None:
    lines = [
        {"text": "نص أول\r\nسطر", "id": 7, "meta": {"source": "wire"}},
        {"text": "نص ثان", "name": "الثاني"},
        {"text": "نص أول\nسطر"},  # same canonical text as line 1
    ]
    path = _write(tmp_path, "docs.jsonl",
                  "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode() + b"\n\n")
    report = import_paths(project, [path])
    assert [d.added for d in report.documents] == [True, True, False]
    first = project.document(report.documents[0].id)
    assert (first.text, first.name, first.external_id, first.meta) == ("نص أول\nسطر", "7", "7", {"source": "wire"})
    assert project.document(report.documents[1].id).name == "الثاني"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty.txt: empty file"),
        ("bin.txt", b"\x00\x01\x02PK\x03\x04", "bin.txt: binary data"),
        ("latin.txt", "déjà vu, café".encode("latin-1"), "latin.txt:1: not valid UTF-8"),
        ("bad.jsonl", b'{"text": "a"}\n{"text": "b",}\n', "bad.jsonl:2: malformed JSON"),
        ("notext.jsonl", b'{"text": "a"}\n{"label": []}\n', 'bad.jsonl:2: missing "text"'.replace("bad", "notext")),
        ("array.jsonl", b'[1, 2]\n', "array.jsonl:1: expected a JSON object"),
        ("emptytext.jsonl", b'{"text": " "}\n', 'emptytext.jsonl:1: "text" is empty'),
        ("numtext.jsonl", b'{"text": 5}\n', 'numtext.jsonl:1: "text" must be a string'),
        ("blank.jsonl", b"\n\n", "blank.jsonl: empty file"),
    ],
)
def test_bad_file_leaves_project_byte_identical(tmp_path: Path, name: str, data: bytes,
                                               message: str) -> None:
    db = tmp_path / "p.db"
    with Project.open(db) as project:
        import_seeds(project)
    before = db.read_bytes()
    good = _write(tmp_path / "in", "good.txt", "نص جيد".encode())
    bad = _write(tmp_path / "in", name, data)
    with Project.open(db) as project:
        with pytest.raises(InputError, match=re.escape(message.split(":", 1)[0])) as info:
            import_paths(project, [good, bad])
        assert project.document_count() == 5
    # The path, the line where there is one, then the reason (which may say more).
    assert str(info.value).startswith(str(bad.parent / message))
    assert db.read_bytes() == before


def test_missing_path_and_empty_folder(tmp_path: Path, project: Project) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        import_paths(project, [tmp_path / "missing.txt"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="holds no .txt or .jsonl"):
        import_paths(project, [tmp_path / "empty"])
