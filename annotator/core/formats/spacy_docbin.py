"""spaCy DocBin (needs the optional ``spacy`` extra).

Each document and layer becomes a Doc built on our tokens (see ``tokens``;
the text is reproduced exactly, whitespace included, so Doc.text equals the
canonical text and offsets are the same code points). Every span goes in
through ``Doc.char_span`` into ``doc.spans[<group>]``; span groups may
overlap, so nothing is left out for overlapping, and a span that is not on
token boundaries (char_span gives None) is counted and reported. The
document id, name, SHA-256 and layer are in ``doc.user_data``. The file is
written as the Docs come (``spacy_stream``): one DocBin, byte for byte what
``DocBin.to_disk`` writes, in memory bounded by a batch of documents.

Spans of every label but CLAIM also go to ``doc.ents`` (what ``spacy train``
with an ``ner`` pipe and ``spacy debug data`` read), as many as do not
overlap: a span overlapping a longer one that starts no later stays in
``doc.spans`` only and is counted. ``ents_label="type"`` names an ent by its
``type`` attribute (PER, ORG, LOC) where it has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.formats import spacy_stream
from annotator.core.formats.exports.atomic import atomic_file
from annotator.core.formats.exports.contents import LayerRecord
from annotator.core.formats.tokens import AlignmentReport, LabelGroup, Token, tokenize


def available() -> bool:
    try:
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


ENTS_LABELS = ("label", "type")
# Claims contain entities and dates: they are never ents.
_NOT_ENTS = {"CLAIM"}


def write(records: Iterable[LayerRecord], target: Path, groups: list[LabelGroup], *,
          split_proclitics: bool = False, ents_label: str = "label") -> AlignmentReport:
    """Write the records' Docs to ``target`` (atomically) as one DocBin,
    streaming: the Docs of one batch are in memory at a time (issue 15)."""
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise AnnotatorError("spaCy export needs spaCy: pip install 'arabic-annotator[spacy]'") from None
    if ents_label not in ENTS_LABELS:
        raise ValueError(f"ents_label must be one of {ENTS_LABELS}")
    vocab = spacy.blank("ar").vocab
    report = AlignmentReport()
    docs = (build_doc(vocab, record, groups, report, split_proclitics=split_proclitics,
                      ents_label=ents_label) for record in records)
    with atomic_file(target, binary=True) as out, spacy_stream.encoders_looked_up_once():
        if not spacy_stream.same_layout():
            # A spaCy whose DocBin this writer does not know: its own, in memory.
            out.write(DocBin(store_user_data=True, docs=docs).to_bytes())
            return report
        with spacy_stream.StreamingDocBin(target.parent) as docbin:
            for doc in docs:
                docbin.add(doc)
            docbin.write(out)
    return report


def build_doc(vocab: Any, record: LayerRecord, groups: list[LabelGroup], report: AlignmentReport, *,
              split_proclitics: bool = False, ents_label: str = "label") -> Any:
    """One record's Doc: our tokens, its spans in ``doc.spans`` by group and
    in ``doc.ents``; what does not fit is counted in ``report``."""
    from spacy.tokens import Doc

    text = record.document.text
    words, spaces = _words(text, tokenize(text, split_proclitics=split_proclitics))
    # What doc.text is, without building a Token per word (15% of the export).
    assert "".join(w + " " if s else w for w, s in zip(words, spaces)) == text, \
        "tokens must reproduce the text"
    doc = Doc(vocab, words=words, spaces=spaces)
    doc.ents = _ents(doc, record, ents_label, report)
    for group in groups:
        found = []
        for span in record.spans:
            if span.label not in group.labels:
                continue
            char_span = doc.char_span(span.start, span.end, label=span.label)
            if char_span is None:
                report.misaligned[span.label] += 1
                report.details.append(
                    f"document {record.document.id} ({record.document.name}), layer {record.layer}: "
                    f"{span.label} [{span.start}, {span.end}) {text[span.start:span.end]!r}: "
                    "not on token boundaries")
                continue
            report.exported[span.label] += 1
            found.append(char_span)
        doc.spans[group.name] = found
    doc.user_data.update({"document_id": record.document.id, "name": record.document.name,
                          "sha256": record.document.sha256, "layer": record.layer})
    return doc


def _ents(doc: Any, record: LayerRecord, ents_label: str, report: AlignmentReport) -> list[Any]:
    ents: list[Any] = []
    end = -1
    for span in sorted(record.spans, key=lambda s: (s.start, -s.end)):
        if span.label in _NOT_ENTS:
            continue
        value = span.attributes.get("type") if ents_label == "type" else None
        ent = doc.char_span(span.start, span.end, label=value if isinstance(value, str) and value
                            else span.label)
        if ent is None:
            continue  # counted with the span groups below
        if span.start < end:
            report.not_ents[span.label] += 1
            continue
        ents.append(ent)
        end = span.end
    return ents


def _words(text: str, tokens: list[Token]) -> tuple[list[str], list[bool]]:
    """spaCy words and trailing-space flags that reproduce ``text``: one
    space after a token is its flag, any other whitespace a token itself."""
    words: list[str] = []
    spaces: list[bool] = []
    at = 0
    for start, end in [*tokens, (len(text), len(text))]:
        gap = text[at:start]
        if gap:
            if words and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        if start < end:
            words.append(text[start:end])
            spaces.append(False)
        at = end
    return words, spaces
