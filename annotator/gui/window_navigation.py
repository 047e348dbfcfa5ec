"""Moving through spans and documents in the annotation window: Alt+Up/Down
between spans, Ctrl+PgUp/PgDown between documents, Ctrl+Enter marks the
document done and opens the next one to do. A mixin of MainWindow."""

from __future__ import annotations



class NavigationActions:
    def step_span(self, step: int) -> None:
        table = self.spans
        current = self._selected()
        if current is None:
            # From the caret: a key of the same (start, -end) shape that sorts
            # before every span starting at the caret (its end lies past the
            # text), so the next span may start right here and the previous
            # one starts before it. (caret, -caret), a span of length 0,
            # would sort after them.
            caret = self.view.selection()[0]
            key = (caret, -(len(self.view.text) + 1))
        else:
            key = (current.start, -current.end)
        # Bisected in the table: a list of every position per keypress
        # cost 50 ms at 400,000 spans.
        index = table.neighbour(key, step)
        if index is not None:
            self.select_span(table.ids[index])
            self.view.setFocus()
        else:
            self.show_message("no spans in this document yet")

    def step_document(self, step: int) -> None:
        following = self.document_list.step_from(self.document.id if self.document else None, step)
        if following is None:
            return
        self.open_document(following)
        self.view.setFocus()

    def mark_done(self) -> None:
        if self.document is None:
            return
        document_id = self.document.id
        self.attribute_panel.commit_note()
        if not self._perform(lambda: self.workflow.mark_done(document_id)):
            return
        # Asked of the store: list order is id order, whatever the filter.
        following = self.project.next_listed_to_do(self.annotator, document_id)
        if following is None:
            self.show_message("Marked done; no documents left to do")
            return
        self.open_document(following)
        self.view.setFocus()
        self.show_message("Marked done; this is the next document to do")
