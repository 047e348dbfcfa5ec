"""CoNLL/BIO: one token per line, then its tags; a blank line after each
sentence (our export: after each document and layer).

    العراق<TAB>B-ENTITY<TAB>B-CLAIM

Export tokenises as ``tokens`` documents, one BIO column per label group.

Import reads the layouts real files use:

- columns separated by tabs, or by spaces (then a line may carry fewer tags
  than another, as the Wojood nested Arabic NER corpus writes one tag per
  nesting level: missing levels are O);
- CoNLL-2003 (token POS chunk NER): ``-DOCSTART-`` lines start a document
  (its sentences are joined by line breaks), ``-X-`` and ``_`` are empty;
  without ``-DOCSTART-`` every sentence is a document;
- tag schemes IOB2/BIO (every entity starts with B-), IOB1 (I- starts an
  entity; B- only between two adjacent entities of one label: a column in
  which no B- opens an entity after O or another label is read as IOB1),
  BIOES/BILOU (S-/U- a one-token entity, E-/L- its last token);
- tag columns: ``tag_columns`` (1-based, the token is column 1) picks them;
  by default every column when all of them hold tags (our export, nested
  levels), else the last column, with a note naming the columns left out.
  A picked column that is not tags (POS such as NNP, WRB) is refused with a
  hint naming ``--tag-column``.

The document text is the tokens joined by single spaces: CoNLL keeps no
original spacing, so punctuation and Arabic clitics stand apart as tokens.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

from annotator.core.errors import InputError
from annotator.core.formats.imports.apply import ParsedImport, ParsedSpan
from annotator.core.formats.imports.reading import read_canonical
from annotator.core.formats.exports.contents import LayerRecord
from annotator.core.formats.tokens import AlignmentReport, LabelGroup, bio_columns, tokenize


def write(records: Iterable[LayerRecord], out: IO[str], groups: list[LabelGroup], *,
          split_proclitics: bool = False) -> AlignmentReport:
    report = AlignmentReport()
    for record in records:
        text = record.document.text
        tokens = tokenize(text, split_proclitics=split_proclitics)
        columns = bio_columns(record, tokens, groups, report)
        # One line per token, joined in C by map and zip: a Python loop
        # over 2.7 M tokens was most of a 10k-document export (issue 15).
        words = [text[start:end] for start, end in tokens]
        out.write("\n".join(map("\t".join, zip(words, *columns))))
        out.write("\n\n" if words else "\n")
    return report


_PREFIXES = ("B", "I", "E", "S", "L", "U")
_EMPTY = ("O", "_", "-X-")
Line = tuple[int, list[str]]


def is_tag(value: str) -> bool:
    return value in _EMPTY or (len(value) > 2 and value[1] == "-" and value[0] in _PREFIXES)


def read(path: Path, parsed: ParsedImport, *, tag_columns: list[int] | None = None) -> None:
    parsed.files += 1
    documents = _documents(path)
    lines = [line for sentences in documents for sentence in sentences for line in sentence]
    if not lines:
        return
    if _numbered(documents):
        # GermEval and CoNLL-U put a token number first: the token is column 2.
        documents = [[[(n, f[1:]) for n, f in s] for s in d] for d in documents]
        lines = [(n, f[1:]) for n, f in lines]
        tag_columns = [c - 1 for c in tag_columns] if tag_columns else None
        parsed.notes.append(f"{path}: column 1 numbers the tokens; tokens read from column 2")
    columns = _tag_columns(path, lines, tag_columns, parsed)
    # The scheme is the file's: one IOB1 sentence makes a broken IOB2 one valid.
    sentences = [s for d in documents for s in d]
    iob1 = {c: _is_iob1(_column_tags(sentences, c)) for c in columns}
    nested = 0
    for document in documents:
        nested += _document(path, document, columns, iob1, parsed)
    if nested:
        parsed.notes.append(f"{path}: {nested} nested span(s) inside a span of the same label "
                            "skipped (a layer holds no two overlapping spans of one label)")


def _documents(path: Path) -> list[list[list[Line]]]:
    """Documents as lists of sentences of (line number, fields)."""
    documents: list[list[list[Line]]] = [[]]
    sentence: list[Line] = []
    tabbed: int | None = None  # fields of the first tab-separated line
    docstart = False
    for lineno, line in enumerate(read_canonical(path).split("\n"), start=1):
        fields = line.split("\t") if "\t" in line else line.split()
        if fields and fields[0] == "-DOCSTART-" or not line.strip():
            if sentence:
                documents[-1].append(sentence)
                sentence = []
            if line.strip():
                docstart = True
                if documents[-1]:
                    documents.append([])
            continue
        if line.startswith(("# ", "#\t")) and not any(map(is_tag, fields[1:])):
            continue  # a comment (GermEval's source lines, CoNLL-U's "# text = ...")
        if len(fields) < 2:
            raise InputError(path, f"expected TOKEN<TAB>TAG, got {line.strip()!r}", lineno)
        if "\t" in line:
            # Tab-separated files are tables: a line with other columns is broken.
            if tabbed is not None and len(fields) != tabbed:
                raise InputError(path, f"{len(fields) - 1} tag column(s); the lines before have "
                                       f"{tabbed - 1}", lineno)
            tabbed = len(fields)
        sentence.append((lineno, fields))
    if sentence:
        documents[-1].append(sentence)
    if not docstart:  # every sentence a document of its own
        return [[s] for document in documents for s in document]
    return [d for d in documents if d]


def _numbered(documents: list[list[list[Line]]]) -> bool:
    """Whether every sentence's first column counts 1, 2, 3 ... and a token
    and a tag follow it."""
    sentences = [s for d in documents for s in d]
    return bool(sentences) and all(
        len(fields) >= 3 and fields[0] == str(i) for s in sentences for i, (_, fields) in enumerate(s, 1))


def _tag_columns(path: Path, lines: list[Line], wanted: list[int] | None,
                 parsed: ParsedImport) -> list[int]:
    """0-based field indexes holding tags (see the module docstring)."""
    widest = max(len(fields) for _, fields in lines)
    if wanted:
        for column in wanted:
            if not 2 <= column <= widest:
                raise InputError(path, f"--tag-column {column}: the lines have columns 1 to {widest} "
                                       "(the token is column 1)")
        columns = [c - 1 for c in dict.fromkeys(wanted)]
    elif all(is_tag(v) for _, fields in lines for v in fields[1:]):
        return list(range(1, widest))
    else:
        # The last column that holds tags (flair's files may end with a
        # whitespace flag); none: the last, refused below with the hint.
        tagged = [c for c in range(1, widest)
                  if all(is_tag(fields[c]) for _, fields in lines if c < len(fields))]
        columns = [tagged[-1]] if tagged else [-1]
    for column in columns:
        values = [(lineno, fields[column]) for lineno, fields in lines if column < len(fields)]
        bad = [(lineno, v) for lineno, v in values if not is_tag(v)]
        if not bad:
            continue
        number = widest if column == -1 else column + 1
        if len(bad) * 2 > len(values):
            seen = ", ".join(list(dict.fromkeys(v for _, v in bad))[:4])
            raise InputError(path, f"column {number} holds {seen}, not BIO tags (a POS column?); "
                                   "choose the tag column with --tag-column N (the token is column 1)",
                             bad[0][0])
        raise InputError(path, f"invalid tag {bad[0][1]!r} (expected O, or B-, I-, E-, S-, L-, U- "
                               "and a label)", bad[0][0])
    if not wanted and widest > 2:
        chosen = widest if columns == [-1] else columns[0] + 1
        others = ", ".join(str(c) for c in range(2, widest + 1) if c != chosen)
        parsed.notes.append(f"{path}: tags read from column {chosen}; columns {others} not imported "
                            "(--tag-column N picks others)")
    return columns


def _document(path: Path, sentences: list[list[Line]], columns: list[int], iob1: dict[int, bool],
              parsed: ParsedImport) -> int:
    """Adds the document and its spans; returns how many nested spans of a
    label inside one of the same label were left out."""
    starts: list[int] = []
    pieces: list[str] = []
    at = 0
    for sentence in sentences:
        for _, fields in sentence:
            starts.append(at)
            at += len(fields[0]) + 1
        pieces.append(" ".join(fields[0] for _, fields in sentence))
    text = "\n".join(pieces)
    first_line = sentences[0][0][0]
    key = parsed.add_document(text, f"{path.stem}:{first_line}", (str(path), first_line))
    index, nested = 0, 0
    kept: dict[str, list[tuple[int, int]]] = {}
    for sentence in sentences:
        tokens = [(starts[index + i], starts[index + i] + len(fields[0]))
                  for i, (_, fields) in enumerate(sentence)]
        for column in columns:
            tags = [(lineno, _tag(fields, column)) for lineno, fields in sentence]
            for first, last, label, lineno in decode(path, tags, iob1=iob1[column]):
                start, end = tokens[first][0], tokens[last][1]
                same = kept.setdefault(label, [])
                if any(s < end and start < e and (s, e) != (start, end) for s, e in same):
                    nested += 1  # Wojood nests ORG in ORG; the store refuses that overlap
                    continue
                same.append((start, end))
                parsed.spans.append(ParsedSpan(key, None, start, end, label, origin=(str(path), lineno)))
        index += len(sentence)
    return nested


def _tag(fields: list[str], column: int) -> str:
    value = fields[column] if column < len(fields) else "O"
    return "O" if value in _EMPTY else value


def _column_tags(sentences: list[list[Line]], column: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for sentence in sentences:
        out.append((0, "O"))  # a sentence break ends any entity
        out.extend((lineno, _tag(fields, column)) for lineno, fields in sentence)
    return out


def _is_iob1(tags: list[tuple[int, str]]) -> bool:
    """Whether a column's tags are IOB1: some I- opens an entity, and no
    B- opens one after O or another label."""
    opened_by_i = opened_by_b = False
    previous = "O"
    for _, tag in tags:
        continues = previous != "O" and previous[2:] == tag[2:]
        if tag.startswith("I-") and not continues:
            opened_by_i = True
        if tag.startswith("B-") and not continues:
            opened_by_b = True
        previous = tag
    return opened_by_i and not opened_by_b


def decode(path: Path, tags: list[tuple[int, str]], *, iob1: bool = False) -> list[tuple[int, int, str, int]]:
    """(first token, last token, label, line) of each entity in one column."""
    spans: list[tuple[int, int, str, int]] = []
    open_span: tuple[int, str, int] | None = None  # (first token, label, line)

    def close(last: int) -> None:
        nonlocal open_span
        if open_span is not None:
            spans.append((open_span[0], last, open_span[1], open_span[2]))
            open_span = None

    for index, (lineno, tag) in enumerate(tags):
        prefix, label = tag[:1], tag[2:]
        inside = open_span is not None and open_span[1] == label
        if tag == "O":
            close(index - 1)
        elif prefix in "BSU":
            close(index - 1)
            open_span = (index, label, lineno)
            if prefix in "SU":
                close(index)
        elif inside:
            if prefix in "EL":
                close(index)
        elif iob1 and prefix == "I":
            close(index - 1)
            open_span = (index, label, lineno)
        else:
            before = tags[index - 1][1] if index else "O"
            raise InputError(path, f"invalid BIO: {tag} follows {before} "
                                   f"(an entity must start with B-{label})", lineno)
    close(len(tags) - 1)
    return spans
