"""spaCy DocBin (needs the optional ``spacy`` extra).

Each document and layer becomes a Doc built on our tokens (see ``tokens``;
the text is reproduced exactly, whitespace included, so Doc.text equals the
canonical text and offsets are the same code points). Every span goes in
through ``Doc.char_span`` into ``doc.spans[<group>]``; span groups may
overlap, so nothing is left out for overlapping, and a span that is not on
token boundaries (char_span gives None) is counted and reported. The
document id, name, SHA-256 and layer are in ``doc.user_data``.

Spans of every label but CLAIM also go to ``doc.ents`` (what ``spacy train``
with an ``ner`` pipe and ``spacy debug data`` read), as many as do not
overlap: a span overlapping a longer one that starts no later stays in
``doc.spans`` only and is counted. ``ents_label="type"`` names an ent by its
``type`` attribute (PER, ORG, LOC) where it has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from annotator.core.errors import AnnotatorError
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


def docbin_bytes(records: Iterable[LayerRecord], groups: list[LabelGroup], *,
                 split_proclitics: bool = False, ents_label: str = "label") -> tuple[bytes, AlignmentReport]:
    try:
        import spacy
        from spacy.tokens import Doc, DocBin
    except ImportError:
        raise AnnotatorError("spaCy export needs spaCy: pip install 'arabic-annotator[spacy]'") from None
    vocab = spacy.blank("ar").vocab
    docbin = DocBin(store_user_data=True)
    report = AlignmentReport()
    if ents_label not in ENTS_LABELS:
        raise ValueError(f"ents_label must be one of {ENTS_LABELS}")
    for record in records:
        text = record.document.text
        words, spaces = _words(text, tokenize(text, split_proclitics=split_proclitics))
        doc = Doc(vocab, words=words, spaces=spaces)
        assert doc.text == text, "tokens must reproduce the text"
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
        docbin.add(doc)
    return docbin.to_bytes(), report


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
