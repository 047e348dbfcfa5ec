"""The regular-expression tokeniser gives exactly the tokens of the
per-character walk it replaced (issue 15). The walk is copied here unchanged
as the reference."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotator.core.formats.tokens import Token, tokenize
from annotator.core.text.segmentation import cluster_end, proclitic_splits, words


def reference_tokenize(text: str, *, split_proclitics: bool = False) -> list[Token]:
    tokens: list[Token] = []
    at = 0
    for start, end in words(text):
        _reference_symbols(text, at, start, tokens)
        if split_proclitics:
            cuts = [start, *proclitic_splits(text, start, end), end]
            tokens.extend(zip(cuts, cuts[1:]))
        else:
            tokens.append((start, end))
        at = end
    _reference_symbols(text, at, len(text), tokens)
    return tokens


def _reference_symbols(text: str, start: int, end: int, tokens: list[Token]) -> None:
    i = start
    while i < end:
        if text[i].isspace():
            i += 1
            continue
        j = min(cluster_end(text, i + 1), end)
        tokens.append((i, j))
        i = j


# Letters, harakat (and a stray one after a space), tatweel, ZWNJ, ZWJ,
# emoji with skin tone and variation selector, a flag, CRLF, BOM, NBSP,
# Arabic-Indic digits, Quranic marks, a Latin combining accent, private-use
# and unassigned code points, and the proclitics the splitter looks for.
PIECES = ["و", "ب", "ال", "ل", "ك", "ف", "عراق", "قال", "\u064e", "\u0651", "\u0670", "\u0640",
          "\u200c", "\u200d", "😀", "👍🏽", "\ufe0f", "🇸🇦", "👨\u200d👩", "\r\n", "\r", "\ufeff",
          "\u00a0", " ", "\t", "\u2029", "٣", "7", "x", "\u0301", "\u06dd", "\u06de", "\u06e5",
          "\ue000", "\U000e0000", "\u0378", ".", "،", "«", "»", "-", "\u200d "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.booleans())
@example("\u064eب", False)                 # a mark at the very start starts the word
@example(" \u064e\u064fب", False)          # stray marks after a space are a symbol
@example("😀\u200dب\u064e", False)         # the ZWJ cluster stops where the word starts
@example("😀\u200d \u064e.", False)         # a space joined by ZWJ stays in the cluster
@example("وبالعراق، ف\u0640لل\u064eعراق", True)
def test_regex_tokens_equal_the_character_walk(text: str, split: bool) -> None:
    expected = reference_tokenize(text, split_proclitics=split)
    assert tokenize(text, split_proclitics=split) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_regex_tokens_equal_the_character_walk_on_any_text(text: str, split: bool) -> None:
    expected = reference_tokenize(text, split_proclitics=split)
    assert tokenize(text, split_proclitics=split) == expected


def test_tokens_of_a_sentence_by_hand() -> None:
    text = "قالَ الوزيرُ: 😀👍🏽 وبالعراق\r\n"
    words = [text[s:e] for s, e in tokenize(text)]
    assert words == ["قالَ", "الوزيرُ", ":", "😀", "👍🏽", "وبالعراق"]
    split = [text[s:e] for s, e in tokenize(text, split_proclitics=True)]
    assert split[-4:] == ["و", "ب", "ال", "عراق"]


def reference_bio_columns(record, tokens, groups, report):
    """bio_columns before issue 15 (a per-token owner list), unchanged."""
    from annotator.core.formats.tokens import _describe

    starts = {start: index for index, (start, _) in enumerate(tokens)}
    ends = {end: index for index, (_, end) in enumerate(tokens)}
    columns = []
    for group in groups:
        tags = ["O"] * len(tokens)
        owner = [None] * len(tokens)
        wanted = sorted((s for s in record.spans if s.label in group.labels),
                        key=lambda s: (s.start, -s.end, group.labels.index(s.label)))
        for span in wanted:
            first, last = starts.get(span.start), ends.get(span.end)
            if first is None or last is None:
                report.misaligned[span.label] += 1
                edge = "start" if first is None else "end"
                report.details.append(f"{_describe(record, span)}: {edge} is inside a token")
                continue
            clash = next((owner[i] for i in range(first, last + 1) if owner[i] is not None), None)
            if clash is not None:
                report.left_out[span.label] += 1
                report.details.append(
                    f"{_describe(record, span)}: overlaps {clash.label} [{clash.start}, {clash.end}) "
                    f"in column {group.name}; left out")
                continue
            tags[first] = f"B-{span.label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{span.label}"
            for i in range(first, last + 1):
                owner[i] = span
            report.exported[span.label] += 1
        columns.append(tags)
    return columns


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join),
       st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from(["CLAIM", "ENTITY", "DATE"])),
                max_size=12),
       st.booleans(), st.booleans())
def test_bio_columns_equal_the_owner_list_version(text, raw, split, one_column) -> None:
    from annotator.core.formats.exports.contents import ExportSpan, LayerRecord
    from annotator.core.formats.tokens import AlignmentReport, LabelGroup, bio_columns
    from annotator.core.model import Document, Status

    document = Document(1, "d", text, "sha", None, None)
    # Spans of one label may overlap across labels (and within, here: the
    # columns must cope with whatever a record holds); some miss token edges.
    spans = [ExportSpan(i, start, min(len(text), start + width), label, "{}", "", None, 1)
             for i, (start, width, label) in enumerate(raw) if start < len(text)]
    record = LayerRecord(document, "gold", Status.DONE, spans)
    groups = ([LabelGroup("all", ("CLAIM", "ENTITY", "DATE"))] if one_column
              else [LabelGroup("entity_date", ("ENTITY", "DATE")), LabelGroup("claim", ("CLAIM",))])
    tokens = tokenize(text, split_proclitics=split)
    ours, theirs = AlignmentReport(), AlignmentReport()
    assert bio_columns(record, tokens, groups, ours) == reference_bio_columns(record, tokens, groups, theirs)
    assert ours == theirs
