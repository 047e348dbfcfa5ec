"""The open document's spans as highlights, read from its SpanTable for
the lines on screen only: no Highlight object is kept per span (a 20 MB
document has 400,000 of them; issue 15)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from annotator.core.model import Span, Tag
from annotator.core.span_table import SpanTable
from annotator.core.workflow import label_style
from annotator.gui.highlights import Highlight, Style, TablePainter

def span_style(tag: Tag | None) -> tuple[str, Style]:
    """How the tag set draws a label's spans (an unknown label: grey background)."""
    underline = label_style(tag) == "underline"
    return (tag.color if tag else "#888888", Style.UNDERLINE if underline else Style.BACKGROUND)


def span_highlight(span: Span, tag: Tag | None) -> Highlight:
    """The span as the tag set draws it."""
    return Highlight(span.start, span.end, *span_style(tag), key=span.id)


# label -> (colour, style): how the tag set draws it.
StyleOf = Callable[[str], tuple[str, Style]]


def _grey(_label: str) -> tuple[str, Style]:
    return "#888888", Style.BACKGROUND


class SpanTablePainter(TablePainter):
    """A highlight layer over a SpanTable."""

    def __init__(self) -> None:
        self.style_of: StyleOf = _grey
        super().__init__(lambda: SpanTable(0, ""))

    def show(self, table: SpanTable, style_of: StyleOf) -> None:
        self.table, self.style_of = table, style_of

    def __len__(self) -> int:
        return len(self.table)

    def highlight(self, row: int) -> Highlight:
        table = self.table
        color, style = self.style_of(table.label_of(row))
        return Highlight(table.starts[row], table.ends[row], color, style, key=table.ids[row])

    def highlights_at(self, pos: int) -> list[Highlight]:
        return [self.highlight(r) for r in self.table.at(pos)]

    def overlapping(self, start: int, end: int) -> list[Highlight]:
        return [self.highlight(r) for r in self.table.overlapping(start, end)]


class HighlightsView(Mapping[int, Highlight]):
    """span id -> its highlight, built when asked (tests, the tag set dialog)."""

    def __init__(self, painter: SpanTablePainter) -> None:
        self.painter = painter

    def __getitem__(self, span_id: int) -> Highlight:
        row = self.painter.table.row_of(span_id)
        if row is None:
            raise KeyError(span_id)
        return self.painter.highlight(row)

    def __iter__(self) -> Iterator[int]:
        return iter(self.painter.table)

    def __len__(self) -> int:
        return len(self.painter.table)
