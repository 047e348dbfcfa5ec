"""CoNLL/BIO: one token per line, a tab, then one BIO tag per label group;
a blank line after each document (and layer).

    العراق<TAB>B-ENTITY<TAB>B-CLAIM

Export tokenises as ``tokens`` documents. Import reads one or more tag
columns (tab- or space-separated, IOB2: every entity starts with B-);
each blank-line-separated block becomes a document whose text is its tokens
joined by single spaces, as doccano does. ``-DOCSTART-`` lines are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

from annotator.core.errors import InputError
from annotator.core.formats.importer import ParsedImport, ParsedSpan
from annotator.core.formats.reading import read_canonical
from annotator.core.formats.selection import LayerRecord
from annotator.core.formats.tokens import AlignmentReport, LabelGroup, bio_columns, tokenize


def write(records: Iterable[LayerRecord], out: IO[str], groups: list[LabelGroup], *,
          split_proclitics: bool = False) -> AlignmentReport:
    report = AlignmentReport()
    for record in records:
        text = record.document.text
        tokens = tokenize(text, split_proclitics=split_proclitics)
        columns = bio_columns(record, tokens, groups, report)
        lines = [
            "\t".join([text[start:end], *(column[i] for column in columns)])
            for i, (start, end) in enumerate(tokens)
        ]
        out.write("\n".join(lines))
        out.write("\n\n" if lines else "\n")
    return report


def read(path: Path, parsed: ParsedImport) -> None:
    parsed.files += 1
    block: list[tuple[int, list[str]]] = []
    for lineno, line in enumerate(read_canonical(path).split("\n"), start=1):
        fields = line.split("\t") if "\t" in line else line.split()
        if not fields or not line.strip():
            _block(path, block, parsed)
            block = []
            continue
        if fields[0] == "-DOCSTART-":
            _block(path, block, parsed)
            block = []
            continue
        if len(fields) < 2:
            raise InputError(path, f"expected TOKEN<TAB>TAG, got {line.strip()!r}", lineno)
        if block and len(fields) != len(block[0][1]):
            raise InputError(path, f"{len(fields) - 1} tag column(s); the lines before have "
                                   f"{len(block[0][1]) - 1}", lineno)
        for tag in fields[1:]:
            if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
                raise InputError(path, f"invalid tag {tag!r} (expected O, B-LABEL or I-LABEL)", lineno)
        block.append((lineno, fields))
    _block(path, block, parsed)


def _block(path: Path, block: list[tuple[int, list[str]]], parsed: ParsedImport) -> None:
    if not block:
        return
    starts, at = [], 0
    for _, fields in block:
        starts.append(at)
        at += len(fields[0]) + 1
    text = " ".join(fields[0] for _, fields in block)
    first_line = block[0][0]
    key = parsed.add_document(text, f"{path.stem}:{first_line}", (str(path), first_line))
    for column in range(1, len(block[0][1])):
        open_span: tuple[int, str, int] | None = None  # (token index, label, line)
        for index, (lineno, fields) in enumerate(block):
            tag = fields[column]
            if tag.startswith("I-"):
                if open_span is None or open_span[1] != tag[2:]:
                    before = "O" if open_span is None else f"{block[index - 1][1][column]}"
                    raise InputError(path, f"invalid BIO: {tag} follows {before} "
                                           f"(an entity must start with B-{tag[2:]})", lineno)
                continue
            if open_span is not None:
                _close(path, parsed, key, block, starts, open_span, index)
                open_span = None
            if tag.startswith("B-"):
                open_span = (index, tag[2:], lineno)
        if open_span is not None:
            _close(path, parsed, key, block, starts, open_span, len(block))


def _close(path: Path, parsed: ParsedImport, key: str, block: list, starts: list[int],
           open_span: tuple[int, str, int], stop: int) -> None:
    first, label, lineno = open_span
    end = starts[stop - 1] + len(block[stop - 1][1][0])
    parsed.spans.append(ParsedSpan(key, None, starts[first], end, label, origin=(str(path), lineno)))
