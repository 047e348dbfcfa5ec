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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
    shape = Shape()
    events = list(events_of(path, enumerate(read_canonical(path).split("\n"), start=1), shape))
    layout = decide(path, shape, tag_columns, parsed.notes)
    if layout is None:
        return
    nested = 0
    for document in documents_of(events, shape.docstart):
        nested += add_document(path, layout.shifted(document), layout.columns, layout.iob1, parsed)
    parsed.notes.extend(nested_note(path, nested))


def nested_note(path: Path, nested: int) -> list[str]:
    if not nested:
        return []
    return [f"{path}: {nested} nested span(s) inside a span of the same label "
            "skipped (a layer holds no two overlapping spans of one label)"]


DOCSTART = None  # the event of a -DOCSTART- line among the sentences


def events_of(path: Path, lines: Iterable[tuple[int, str]],
              shape: "Shape | None" = None) -> Iterator[list[Line] | None]:
    """Each sentence as a list of (line number, fields), and DOCSTART where
    a -DOCSTART- line is; ``shape`` learns the file's layout on the way."""
    sentence: list[Line] = []
    tabbed: int | None = None  # fields of the first tab-separated line
    for lineno, line in lines:
        fields = line.split("\t") if "\t" in line else line.split()
        if fields and fields[0] == "-DOCSTART-" or not line.strip():
            if sentence:
                if shape is not None:
                    shape.add(sentence)
                yield sentence
                sentence = []
            if line.strip():
                if shape is not None:
                    shape.docstart = True
                yield DOCSTART
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
        if shape is not None:
            shape.add(sentence)
        yield sentence


def documents_of(events: Iterable[list[Line] | None], docstart: bool) -> Iterator[list[list[Line]]]:
    """Documents as lists of sentences: between -DOCSTART- lines when the
    file has any, else every sentence a document of its own."""
    document: list[list[Line]] = []
    for event in events:
        if event is DOCSTART:
            if document:
                yield document
                document = []
        elif docstart:
            document.append(event)
        else:
            yield [event]
    if document:
        yield document


class _Column:
    """One field index's values over the file: how many, which are not
    tags (the first four kinds, the first place), and its IOB scheme."""

    def __init__(self) -> None:
        self.values = self.bad = 0
        self.first_bad: tuple[int, str] | None = None
        self.seen: dict[str, None] = {}
        self.tags: set[str] = set()  # values known to be tags
        self.opened_by_i = self.opened_by_b = False

    def add(self, lines: list[tuple[int, str | None]]) -> None:
        """One sentence's values (None: the line has no such field)."""
        present = [value for _, value in lines if value is not None]
        self.values += len(present)
        new = set(present) - self.tags
        if new:
            self.tags.update(v for v in new if is_tag(v))
            for lineno, value in lines:
                if value is not None and value not in self.tags:
                    self.bad += 1
                    if self.first_bad is None:
                        self.first_bad = (lineno, value)
                    if len(self.seen) < 4:
                        self.seen.setdefault(value)
        if not self.opened_by_b:  # once a B- opens an entity the column is not IOB1
            self._scheme(lines)

    def _scheme(self, lines: list[tuple[int, str | None]]) -> None:
        previous = "O"  # a sentence break ends any entity
        for _, value in lines:
            tag = "O" if value is None or value in _EMPTY else value
            if not (previous != "O" and previous[2:] == tag[2:]):  # opens an entity
                if tag.startswith("I-"):
                    self.opened_by_i = True
                elif tag.startswith("B-"):
                    self.opened_by_b = True
            previous = tag

    def is_iob1(self) -> bool:
        """Some I- opens an entity, and no B- opens one after O or another label."""
        return self.opened_by_i and not self.opened_by_b


class Shape:
    """What deciding the tag columns and their schemes needs of a whole
    file, learnt a sentence at a time (a streamed import's first pass)."""

    def __init__(self) -> None:
        self.docstart = False
        self.sentences = 0
        self.numbered = True  # every sentence counts 1, 2, 3 ... in column 1
        self.widest = 0
        self.columns: list[_Column] = []  # by field index; 0 (the token) unused
        self.last = _Column()  # each line's last field

    def add(self, sentence: list[Line]) -> None:
        self.sentences += 1
        if self.numbered and not all(len(fields) >= 3 and fields[0] == str(number)
                                     for number, (_, fields) in enumerate(sentence, 1)):
            self.numbered = False
        width = max(len(fields) for _, fields in sentence)
        if width > self.widest:
            self.widest = width
            self.columns.extend(_Column() for _ in range(width - len(self.columns)))
        for index in range(1, len(self.columns)):
            self.columns[index].add([(lineno, fields[index] if index < len(fields) else None)
                                     for lineno, fields in sentence])
        self.last.add([(lineno, fields[-1]) for lineno, fields in sentence])


@dataclass(frozen=True)
class Layout:
    """A file's decisions: ``skip`` leading fields (a token number), the
    tag ``columns`` (indexes after the skip) and which are IOB1."""

    skip: int
    columns: list[int]
    iob1: dict[int, bool]

    def shifted(self, document: list[list[Line]]) -> list[list[Line]]:
        if not self.skip:
            return document
        return [[(n, f[self.skip:]) for n, f in s] for s in document]


def decide(path: Path, shape: Shape, wanted: list[int] | None, notes: list[str]) -> Layout | None:
    """The tag columns and schemes of a file (see the module docstring);
    None for a file without lines. Raises InputError for a column that is
    not tags."""
    if not shape.sentences:
        return None
    skip = 0
    if shape.numbered:
        # GermEval and CoNLL-U put a token number first: the token is column 2.
        skip = 1
        wanted = [c - 1 for c in wanted] if wanted else None
        notes.append(f"{path}: column 1 numbers the tokens; tokens read from column 2")
    columns = _tag_columns(path, shape, skip, wanted, notes)
    # The scheme is the file's: one IOB1 sentence makes a broken IOB2 one valid.
    return Layout(skip, columns, {c: shape.columns[c + skip].is_iob1() for c in columns})


def _tag_columns(path: Path, shape: Shape, skip: int, wanted: list[int] | None,
                 notes: list[str]) -> list[int]:
    """0-based field indexes (after ``skip``) holding tags."""
    widest = shape.widest - skip
    stats = shape.columns[skip:]
    if wanted:
        for column in wanted:
            if not 2 <= column <= widest:
                raise InputError(path, f"--tag-column {column}: the lines have columns 1 to {widest} "
                                       "(the token is column 1)")
        columns = [c - 1 for c in dict.fromkeys(wanted)]
    elif all(not column.bad for column in stats[1:]):
        return list(range(1, widest))
    else:
        # The last column that holds tags (flair's files may end with a
        # whitespace flag); none: the last, refused below with the hint.
        tagged = [c for c in range(1, widest) if not stats[c].bad]
        columns = [tagged[-1]] if tagged else [-1]
    for column in columns:
        found = shape.last if column == -1 else stats[column]
        if not found.bad:
            continue
        number = widest if column == -1 else column + 1
        lineno, value = found.first_bad
        if found.bad * 2 > found.values:
            raise InputError(path, f"column {number} holds {', '.join(found.seen)}, not BIO tags "
                                   "(a POS column?); choose the tag column with --tag-column N "
                                   "(the token is column 1)", lineno)
        raise InputError(path, f"invalid tag {value!r} (expected O, or B-, I-, E-, S-, L-, U- "
                               "and a label)", lineno)
    if not wanted and widest > 2:
        chosen = widest if columns == [-1] else columns[0] + 1
        others = ", ".join(str(c) for c in range(2, widest + 1) if c != chosen)
        notes.append(f"{path}: tags read from column {chosen}; columns {others} not imported "
                     "(--tag-column N picks others)")
    return columns


def add_document(path: Path, sentences: list[list[Line]], columns: list[int], iob1: dict[int, bool],
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
