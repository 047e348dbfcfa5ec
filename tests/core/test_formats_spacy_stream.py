"""The spaCy export streams (issue 15): its file is, byte for byte, what
``DocBin.to_bytes`` writes for the same Docs built in memory the old way,
wherever the batches are cut; its spools are gone after success and after
an interruption; and a spaCy whose DocBin layout differs is noticed."""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path

import pytest

from annotator.core.formats import spacy_docbin, spacy_stream
from annotator.core.formats.exports import selection
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions, Split, export_labels
from annotator.core.formats.exports.dispatch import FormatOptions, export_project
from annotator.core.formats.tokens import AlignmentReport, label_groups
from annotator.core.model import GOLD, NewDocument, NewSpan
from annotator.core.store import Project
from annotator.core.text.encoding import decode_bytes

spacy = pytest.importorskip("spacy")  # a dependency of the dev extra: always there in the suite
srsly = pytest.importorskip("srsly")
from spacy.tokens import DocBin  # noqa: E402

TEXTS = [
    "قال الرئيس 😀 إنَّ الاجتمـاع نا\u200cجح في بغداد يوم 22 تموز 2021.",
    "وصل الوفدُ إلى القاهرة\r\nثم غادر 👨‍👩‍👧 مساءً.\r\n",  # CRLF, made LF as an import does
    "الأمم المتحدة تقول: كلّ شيء على ما يرام.",
    "وثيقة بلا أي وسم فيها.",  # no spans
]


def _text(raw: str) -> str:
    return decode_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8")).text


@pytest.fixture
def varied(project: Project) -> Project:
    """Twenty documents (arrays of more than 15 entries), one long enough for
    a token array over 64 KiB, two layers, overlapping and misaligned spans."""
    texts = [_text(t) + f" رقم {i}" for i, t in enumerate(TEXTS * 5)]  # the store keeps one of twins
    texts[7] = " ".join(["كلمات", "إنَّ", "😀"] * 400) + " رقم 7"
    docs = [d.id for d in project.add_documents(NewDocument(f"d{i}", t) for i, t in enumerate(texts))]
    project.add_annotator("amal")
    spans = []
    for doc_id, text in zip(docs, texts):
        if "بلا" in text:
            continue
        for layer in (GOLD, "amal"):
            first = text.index(" ")
            last = list(re.finditer("[\u0621-\u064a]{3,}", text))[-1]
            spans += [
                NewSpan(doc_id, layer, 0, text.rindex(" رقم"), "CLAIM"),
                NewSpan(doc_id, layer, 0, first, "ENTITY", {"type": "PER"}),
                NewSpan(doc_id, layer, 0, first + 3, "DATE"),  # overlaps the entity, ends mid-word
                NewSpan(doc_id, layer, first + 1, text.index(" ", first + 1), "ENTITY", {"type": "LOC"}),
                NewSpan(doc_id, layer, last.start() + 1, last.end(), "ENTITY"),  # mid-word: misaligned
            ][: 5 if layer == GOLD else 2]
    project.add_spans(spans)
    return project


def _reference(project: Project, options: ExportOptions, fo: FormatOptions) -> bytes:
    """The old export: every Doc added to one DocBin in memory, then to_bytes."""
    records = selection.select_records(project, options)
    groups = label_groups(export_labels(project, options), fo.bio_groups,
                          {tag.name: tag.bio_group for tag in project.tags()})
    vocab = spacy.blank("ar").vocab
    docbin = DocBin(store_user_data=True)
    for record in records:
        docbin.add(spacy_docbin.build_doc(vocab, record, groups, AlignmentReport(),
                                          split_proclitics=fo.split_proclitics, ents_label=fo.ents_label))
    return docbin.to_bytes()


def _message(data: bytes) -> dict:
    return srsly.msgpack_loads(zlib.decompress(data))


def _docs(data: bytes) -> list[tuple]:
    found = []
    for doc in DocBin().from_bytes(data).get_docs(spacy.blank("ar").vocab):
        groups = {name: [(s.start_char, s.end_char, s.label_) for s in group]
                  for name, group in doc.spans.items()}
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        found.append((doc.text, groups, ents, dict(doc.user_data)))
    return found


def _assert_same(ours: bytes, reference: bytes) -> None:
    assert _message(ours) == _message(reference)  # a readable difference first
    assert ours == reference
    assert _docs(ours) == _docs(reference)


CASES = [
    (ExportOptions(), FormatOptions()),
    (ExportOptions(layer=ALL_LAYERS), FormatOptions(ents_label="type")),
    (ExportOptions(layer="amal"), FormatOptions(split_proclitics=True)),
]


@pytest.mark.parametrize("options, fo", CASES, ids=["gold", "all-layers-type", "amal-proclitics"])
def test_the_file_is_what_docbin_writes_in_memory(varied: Project, tmp_path: Path, options, fo) -> None:
    export_project(varied, "spacy", tmp_path / "x.spacy", options, fo)
    ours = (tmp_path / "x.spacy").read_bytes()
    _assert_same(ours, _reference(varied, options, fo))
    message = _message(ours)
    assert len(message["tokens"]) >= 1 << 16 and len(message["strings"]) >= 16  # the wide headers
    [text_docs] = {len(message["flags"]), len(message["user_data"]), len(message["span_groups"])}
    assert text_docs == len(selection.select_records(varied, options)) >= 20


def test_what_spacy_reads_back_is_the_project(varied: Project, tmp_path: Path) -> None:
    report = export_project(varied, "spacy", tmp_path / "x.spacy", ExportOptions(layer=ALL_LAYERS),
                            FormatOptions(ents_label="type"))
    docs = _docs((tmp_path / "x.spacy").read_bytes())
    records = selection.select_records(varied, ExportOptions(layer=ALL_LAYERS))
    assert [d[0] for d in docs] == [r.document.text for r in records]
    assert [(d[3]["document_id"], d[3]["layer"]) for d in docs] == [(r.document.id, r.layer) for r in records]
    [first] = [d for d in docs if d[3]["layer"] == GOLD and d[3]["document_id"] == records[0].document.id]
    text = first[0]
    space = text.index(" ")
    assert first[1]["claim"] == [(0, text.rindex(" رقم"), "CLAIM")]
    assert first[1]["entity_date"] == [(0, space, "ENTITY"), (space + 1, text.index(" ", space + 1), "ENTITY")]
    assert first[2] == [(0, space, "PER"), (space + 1, text.index(" ", space + 1), "LOC")]
    assert report.alignment is not None and report.alignment.misaligned["DATE"] == 16
    assert report.alignment.misaligned["ENTITY"] == 16


@pytest.mark.parametrize("texts", [[], [TEXTS[0]], [TEXTS[3]]], ids=["empty", "one", "one-without-spans"])
def test_small_projects(project: Project, tmp_path: Path, texts: list[str]) -> None:
    added = project.add_documents(NewDocument(f"d{i}", _text(t)) for i, t in enumerate(texts))
    if texts and "بلا" not in texts[0]:
        project.add_spans([NewSpan(added[0].id, GOLD, 0, 3, "ENTITY")])
    export_project(project, "spacy", tmp_path / "x.spacy")
    ours = (tmp_path / "x.spacy").read_bytes()
    _assert_same(ours, _reference(project, ExportOptions(), FormatOptions()))
    assert len(_docs(ours)) == len(texts)


@pytest.mark.parametrize("batch", [1, 3])
def test_batches_do_not_change_a_byte(varied: Project, tmp_path: Path, monkeypatch, batch: int) -> None:
    options = ExportOptions(layer=ALL_LAYERS, split=Split((0.5, 0.25, 0.25), seed=3))
    export_project(varied, "spacy", tmp_path / "whole.spacy", options)
    monkeypatch.setattr(spacy_stream, "SPOOL_DOCUMENTS", batch)
    monkeypatch.setattr(selection, "BATCH_DOCUMENTS", batch)
    export_project(varied, "spacy", tmp_path / "cut.spacy", options)
    for part in ("train", "dev", "test"):
        whole = (tmp_path / f"whole.{part}.spacy").read_bytes()
        assert (tmp_path / f"cut.{part}.spacy").read_bytes() == whole and _docs(whole)


def _open_files() -> set[str]:
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # closed since the listing (listdir's own descriptor)
            pass
    return found


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")


@needs_proc
def test_no_spool_is_left_after_success(varied: Project, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(spacy_stream, "SPOOL_DOCUMENTS", 2)
    before = _open_files()
    export_project(varied, "spacy", tmp_path / "x.spacy")
    assert sorted(os.listdir(tmp_path)) == ["project.db", "project.db-shm", "project.db-wal", "x.spacy"]
    assert _open_files() == before


@needs_proc
@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_export_leaves_the_old_file_and_no_spool(varied: Project, tmp_path: Path,
                                                                 monkeypatch, error) -> None:
    target = tmp_path / "x.spacy"
    target.write_bytes(b"an earlier export")
    monkeypatch.setattr(spacy_stream, "SPOOL_DOCUMENTS", 2)
    built = spacy_docbin.build_doc
    count = 0
    spooled = []

    def failing(*args, **kwargs):
        nonlocal count
        count += 1
        if count == 9:  # four batches spooled
            spooled.extend(f for f in _open_files() - before if f.startswith(str(tmp_path)))
            raise error("stop")
        return built(*args, **kwargs)

    monkeypatch.setattr(spacy_docbin, "build_doc", failing)
    before = _open_files()
    with pytest.raises(error, match="stop"):
        export_project(varied, "spacy", target)
    assert len(spooled) == 7  # six spools and the temporary output were open
    assert target.read_bytes() == b"an earlier export"
    assert sorted(os.listdir(tmp_path)) == ["project.db", "project.db-shm", "project.db-wal", "x.spacy"]
    assert _open_files() == before


def test_the_installed_spacy_writes_the_keys_we_write() -> None:
    """A spaCy that adds, drops or reorders a DocBin key fails here."""
    written = _message(DocBin(store_user_data=True).to_bytes())
    assert tuple(written) == spacy_stream.KEYS
    assert spacy_stream.same_layout()


def test_an_unknown_layout_falls_back_to_spacys_own_writer(varied: Project, tmp_path: Path,
                                                           monkeypatch) -> None:
    monkeypatch.setattr(spacy_stream, "KEYS", spacy_stream.KEYS[:-1])
    assert not spacy_stream.same_layout()
    monkeypatch.setattr(spacy_stream, "StreamingDocBin", lambda *_: pytest.fail("streamed an unknown layout"))
    export_project(varied, "spacy", tmp_path / "x.spacy")
    _assert_same((tmp_path / "x.spacy").read_bytes(), _reference(varied, ExportOptions(), FormatOptions()))


@pytest.mark.parametrize("count", [0, 1, 15, 16, 255, 256, 65535, 65536, 70000])
def test_headers_are_msgpacks_smallest(count: int) -> None:
    packed = srsly.msgpack_dumps(b"x" * count)
    assert packed == spacy_stream.bin_header(count) + b"x" * count
    assert srsly.msgpack_dumps([None] * count) == spacy_stream.array_header(count) + b"\xc0" * count
    assert srsly.msgpack_dumps({i: None for i in range(count)}).startswith(spacy_stream.map_header(count))
    assert len(spacy_stream.map_header(count)) == {0: 1, 1: 1, 15: 1, 16: 3, 255: 3, 256: 3, 65535: 3}.get(
        count, 5)


@pytest.mark.parametrize("fail", [False, True])
def test_srsly_looks_its_encoders_up_again_after_an_export(varied: Project, tmp_path: Path, monkeypatch,
                                                           fail: bool) -> None:
    from srsly.msgpack import msgpack_encoders

    looked_up = []
    original = type(msgpack_encoders).get_all
    monkeypatch.setattr(type(msgpack_encoders), "get_all",
                        lambda self: looked_up.append(1) or original(self))
    added = []
    add = spacy_stream.StreamingDocBin.add

    def counting(self, doc) -> None:
        before = len(looked_up)
        add(self, doc)
        added.append(len(looked_up) - before)

    monkeypatch.setattr(spacy_stream.StreamingDocBin, "add", counting)
    if fail:
        def failing(*args, **kwargs):
            raise RuntimeError("stop")

        monkeypatch.setattr(spacy_docbin, "build_doc", failing)
        with pytest.raises(RuntimeError, match="stop"):
            export_project(varied, "spacy", tmp_path / "x.spacy")
    else:
        export_project(varied, "spacy", tmp_path / "x.spacy")
        assert added == [0] * 20  # not three lookups a document
    assert "get_all" not in vars(msgpack_encoders)
    after = len(looked_up)
    srsly.msgpack_dumps({})
    assert len(looked_up) == after + 1
