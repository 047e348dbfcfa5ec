"""line_files.array_items: a JSON array read an item at a time gives what
the whole read (reading.json_array_items) gives, line numbers included,
whatever the chunk size; what it cannot take exactly it hands back."""

import hashlib
import json

import pytest

from annotator.core.formats.imports import line_files as lf
from annotator.core.formats.imports.reading import json_array_items

ITEMS = [{"id": i, "text": "نص 😀 ـــ\u200c" * (i % 5), "n": [1, 2.5, None, True, -3e4]}
         for i in range(40)] + [1234567, "x", [], {}]


@pytest.mark.parametrize("indent", [None, 0, 2])
@pytest.mark.parametrize("chunk", [1, 3, 64, 1 << 20])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_items_lines_and_hash_are_the_whole_reads(tmp_path, indent, chunk, bom):
    text = json.dumps(ITEMS, ensure_ascii=False, indent=indent)
    path = tmp_path / "tasks.json"
    path.write_bytes(bom + text.encode())
    hasher = hashlib.sha256()
    got = [(line, item) for _, line, item in lf.array_items(path, hasher, chunk=chunk)]
    assert got == list(json_array_items(text, path))
    assert hasher.hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_empty_array_has_no_items(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text(" [ \n ] \n", encoding="utf-8")
    assert list(lf.array_items(path, hashlib.sha256(), chunk=2)) == []


@pytest.mark.parametrize("text", ['{"a": 1}', "[1, 2", '[{"a": 1},]', "[1] x", "", '[{"a": "\\ud800"}]',
                                  "[1,\r\n2]", "[1,\x012]", "[" + "[" * 5000 + "]" * 5000 + "]"])
def test_what_only_the_whole_read_may_take_or_refuse_is_handed_back(tmp_path, text):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(lf.NotStreamable):
        list(lf.array_items(path, hashlib.sha256(), chunk=2))


def test_a_file_not_in_utf8_is_handed_back(tmp_path):
    path = tmp_path / "cp1256.json"
    path.write_bytes(json.dumps([{"text": "نص"}], ensure_ascii=False).encode("cp1256"))
    with pytest.raises(lf.NotStreamable, match="not UTF-8"):
        list(lf.array_items(path, hashlib.sha256()))
