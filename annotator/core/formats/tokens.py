"""Arabic tokenisation and span alignment for the token formats (CoNLL/BIO,
Hugging Face rows, spaCy).

Tokenisation, in full:

- A word is a maximal run of letters, digits, harakat, tatweel and joiners
  (``segmentation.words``): a letter and its harakat are never separated,
  and nothing splits a word inside.
- Every other character that is not whitespace is a token of its own,
  together with the marks that attach to it (punctuation, symbols, an emoji
  with its skin-tone modifier).
- Whitespace only separates; it is never a token.
- With ``split_proclitics`` the leading proclitics of a word become tokens
  of their own, in the order they stack: a conjunction (و ف), a preposition
  (ب ك ل), the article (ال; the ل of لل). وبالعراق gives و ب ال عراق, so an
  entity marked as العراق or عراق inside it starts on a token boundary. The
  rule is ``segmentation.proclitic_splits`` (at least two letters must
  remain): it also splits words that merely begin with these letters
  (بيروت gives ب يروت); a span over the whole word still aligns, its tokens
  are just finer.

A span aligns when it starts where a token starts and ends where a token
ends. A span that does not is never stretched or dropped silently: it is
counted per label and listed in the ``AlignmentReport``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from annotator.core.formats.exports.contents import ExportSpan, LayerRecord
from annotator.core.text.segmentation import NOT_BY_CATEGORY, is_mark, is_word_char, proclitic_splits

Token = tuple[int, int]  # (start, end) code points into the text


def tokenize(text: str, *, split_proclitics: bool = False) -> list[Token]:
    """Tokens of ``text`` as (start, end) offsets, in order."""
    finditer = _token_pattern().finditer
    if not split_proclitics:
        return [match.span() for match in finditer(text)]
    tokens: list[Token] = []
    for match in finditer(text):
        start, end = match.span()
        if match.lastindex:  # a word (group 1), not a symbol
            cuts = [start, *proclitic_splits(text, start, end), end]
            tokens.extend(zip(cuts, cuts[1:]))
        else:
            tokens.append((start, end))
    return tokens


# Built once and shipped (resources/token_pattern.json): building it asks
# every code point its category, 0.27 s, which every export process paid
# before writing a line (issue 15). It depends only on the Unicode tables,
# so it is rebuilt when Python's differ; tests/core/test_token_pattern.py
# fails when the shipped one is not what token_pattern_source builds.
PATTERN_RESOURCE = "token_pattern.json"


def pattern_resource() -> dict[str, object]:
    """What resources/token_pattern.json holds for this Python's Unicode."""
    return {"unidata_version": unicodedata.unidata_version, "maxunicode": sys.maxunicode,
            "pattern": token_pattern_source()}


@cache
def _token_pattern() -> re.Pattern[str]:
    from annotator.resources import read_json

    try:
        shipped = read_json(PATTERN_RESOURCE)
    except (OSError, ValueError):
        shipped = None
    if isinstance(shipped, dict) and shipped.get("unidata_version") == unicodedata.unidata_version \
            and shipped.get("maxunicode") == sys.maxunicode and isinstance(shipped.get("pattern"), str):
        return re.compile(shipped["pattern"])
    return re.compile(token_pattern_source())


def token_pattern_source() -> str:
    """The tokenisation above as one regular expression, so that a 100,000
    document export runs no Python per character.

    The classes hold exactly the characters ``segmentation.is_word_char``
    and ``is_mark`` accept (asked of every assigned code point once, about
    0.3 s on first use; both refuse every unassigned, private-use and
    surrogate code point). A word starts at a word character that is not a
    mark (any word character at the very start of the text) and runs over
    word characters: ``segmentation.words``. Anything else that is not
    whitespace starts a symbol, which takes the marks after it and a
    character joined to a non-word character by ZWJ (``cluster_end``), but
    never a character that starts a word: there the old walk cut the
    cluster at the word.
    """
    word: list[int] = []
    mark: list[int] = []
    category = unicodedata.category
    skip, marks_ = ("Cn", "Co", "Cs"), ("Mn", "Mc", "Me")
    # One category lookup per code point, not the predicates' three: what
    # they answer from the category alone (see NOT_BY_CATEGORY), asked of
    # them only for the few they special-case.
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        cat = category(ch)
        if cat in skip:
            continue
        if ch in NOT_BY_CATEGORY:
            if is_word_char(ch):
                word.append(code)
            if is_mark(ch):
                mark.append(code)
            continue
        if cat[0] in "LNM":
            word.append(code)
        if cat in marks_:
            mark.append(code)
    marks = set(mark)
    starts = [code for code in word if code not in marks]
    w, m, s = _Class(word), _Class(mark), _Class(starts)
    return (f"(\\A{w.one}{w.run}|{s.one}{w.run})"
            f"|\\S(?:{m.one}|(?<={w.not_one}\\u200d){s.not_one})*")


_ASTRAL = "\\U00010000-\\U0010ffff"


class _Class:
    """A character class as regular-expression pieces that stay fast.

    ``re`` checks the characters of a class above U+FFFF as a list of
    ranges, one by one, for every character it tests, and the letters,
    digits and marks above U+FFFF are hundreds of ranges: a class holding
    them made the tokeniser slower than the walk it replaced. So each class
    is split: its BMP part is a bitmap, and its astral part is only tried
    once a cheap one-range test has seen an astral character."""

    def __init__(self, codes: list[int]) -> None:
        bmp = _ranges([code for code in codes if code <= 0xFFFF])
        astral = _ranges([code for code in codes if code > 0xFFFF])
        guard = f"(?=[{_ASTRAL}])"
        self.one = f"(?:[{bmp}]|{guard}[{astral}])" if astral else f"[{bmp}]"
        self.run = f"(?:[{bmp}]+|{guard}[{astral}])*" if astral else f"[{bmp}]*"
        # Not in the class: a BMP character outside its BMP part, or an
        # astral one outside its astral part (each alternative one character
        # wide, so this may stand in a lookbehind).
        outside = f"{guard}[^{astral}\\x00-\\uffff]" if astral else f"[{_ASTRAL}]"
        self.not_one = f"(?:[^{bmp}{_ASTRAL}]|{outside})"


def _ranges(codes: list[int]) -> str:
    """The body of a character class holding exactly ``codes`` (sorted)."""
    parts = []
    first = previous = None
    for code in [*codes, None]:
        if code is not None and previous is not None and code == previous + 1:
            previous = code
            continue
        if first is not None:
            parts.append(f"\\U{first:08x}" if first == previous
                         else f"\\U{first:08x}-\\U{previous:08x}")
        first = previous = code
    return "".join(parts)


@dataclass(frozen=True)
class LabelGroup:
    """Labels that share one BIO column (they may not overlap each other)."""

    name: str
    labels: tuple[str, ...]

    def tag_names(self) -> list[str]:
        """O, then B-/I- per label: the integer ids of the HF export."""
        return ["O"] + [f"{p}-{label}" for label in self.labels for p in ("B", "I")]


def label_groups(labels: list[str], groups: list[list[str]] | None = None,
                 bio_group_of: Mapping[str, str] | None = None) -> list[LabelGroup]:
    """Columns for ``labels`` (tag-set order). Default: the tag set's
    ``bio_group`` of each label (``bio_group_of``): the labels of the main
    group "" in the first column, every other group in a column of its own,
    in order of its first label (by default CLAIM apart: claims contain
    entities and dates). Given groups keep their order; labels they do not
    name share one more column."""
    if groups is None:
        of = bio_group_of or {}
        keys = list(dict.fromkeys(["", *(of.get(label, "") for label in labels)]))
        groups = [[label for label in labels if of.get(label, "") == key] for key in keys]
    else:
        named = {label for group in groups for label in group}
        groups = [[label for label in group if label in labels] for group in groups]
        groups.append([label for label in labels if label not in named])
    result = []
    for group in groups:
        if group:
            result.append(LabelGroup("_".join(label.lower() for label in group), tuple(group)))
    return result


@dataclass
class AlignmentReport:
    """Spans a token format could not carry, per label, with details."""

    exported: Counter[str] = field(default_factory=Counter)
    misaligned: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)  # overlapped another span in its column
    not_ents: Counter[str] = field(default_factory=Counter)  # spaCy: overlap kept them out of doc.ents
    details: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.misaligned and not self.left_out

    def lines(self, limit: int = 20) -> list[str]:
        out = []
        if self.misaligned:
            out.append("not on token boundaries (not exported): " + _counts(self.misaligned))
        if self.left_out:
            out.append("overlapping another span of their column (left out): " + _counts(self.left_out))
        if self.not_ents:
            out.append("overlapping another entity (in doc.spans only, not doc.ents): "
                       + _counts(self.not_ents))
        out.extend(self.details[:limit])
        if len(self.details) > limit:
            out.append(f"... and {len(self.details) - limit} more")
        return out


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{label} {n}" for label, n in sorted(counter.items()))


def _describe(record: LayerRecord, span: ExportSpan) -> str:
    text = record.document.text[span.start:span.end]
    return (f"document {record.document.id} ({record.document.name}), layer {record.layer}: "
            f"{span.label} [{span.start}, {span.end}) {text!r}")


def bio_columns(record: LayerRecord, tokens: list[Token], groups: list[LabelGroup],
                report: AlignmentReport) -> list[list[str]]:
    """One BIO tag list per group for ``tokens``; what cannot be tagged goes
    into ``report``."""
    # zip(*tokens) and dict(zip(...)) run in C: an export does this per record.
    firsts, lasts = zip(*tokens) if tokens else ((), ())
    starts = dict(zip(firsts, range(len(tokens))))
    ends = dict(zip(lasts, range(len(tokens))))
    columns = []
    for group in groups:
        tags = ["O"] * len(tokens)
        wanted = sorted((s for s in record.spans if s.label in group.labels),
                        key=lambda s: (s.start, -s.end, group.labels.index(s.label)))
        # Spans come in order of start and the kept ones never share a
        # token, so only the last kept span can reach a later span's first
        # token: that one is the clash, if any (no per-token owner list).
        kept: ExportSpan | None = None
        kept_last = -1
        for span in wanted:
            first, last = starts.get(span.start), ends.get(span.end)
            if first is None or last is None:
                report.misaligned[span.label] += 1
                edge = "start" if first is None else "end"
                report.details.append(f"{_describe(record, span)}: {edge} is inside a token")
                continue
            if kept is not None and kept_last >= first:
                report.left_out[span.label] += 1
                report.details.append(
                    f"{_describe(record, span)}: overlaps {kept.label} [{kept.start}, {kept.end}) "
                    f"in column {group.name}; left out")
                continue
            tags[first] = f"B-{span.label}"
            tags[first + 1:last + 1] = [f"I-{span.label}"] * (last - first)
            kept, kept_last = span, last
            report.exported[span.label] += 1
        columns.append(tags)
    return columns
