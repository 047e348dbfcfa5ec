"""The folded form of the last few documents opened, each folded once.

Find folds the whole document (search.FoldedText); a 20 MB document takes
about 0.25 s, which the first find used to pay on every open (issue 15).
Here the fold starts in a worker thread as the document opens, so it is
ready, or nearly, when the first query arrives, and reopening one of the
last few documents folds nothing. Folding works on pieces
(search._fold_with_removed), so the worker hands the interpreter lock back
often and the window stays responsive while it runs.
"""

from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

from annotator.core.text.search import FoldedText


class FoldCache:
    """Folded texts keyed by the text itself (Python caches a str's hash, so
    a 20 MB key is hashed once); the ``keep`` most recently used are kept."""

    def __init__(self, keep: int = 3) -> None:
        self.keep = keep
        self._folds: OrderedDict[str, Future[FoldedText]] = OrderedDict()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fold")
        self.folds_made = 0

    def prefold(self, text: str) -> None:
        """Start folding ``text`` in the background unless it is kept already."""
        if text in self._folds:
            self._folds.move_to_end(text)
            return
        self._folds[text] = self._worker.submit(self._fold, text)
        while len(self._folds) > self.keep:
            self._folds.popitem(last=False)[1].cancel()

    def get(self, text: str) -> FoldedText:
        """The folded ``text``, waiting for a fold under way."""
        return self.future(text).result()

    def future(self, text: str) -> Future[FoldedText]:
        """The fold of ``text``, started if need be: another worker (the
        suggestions') waits on it instead of folding 20 MB a second time.
        Call from the thread that owns the cache."""
        self.prefold(text)
        return self._folds[text]

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
        self._folds.clear()

    def _fold(self, text: str) -> FoldedText:
        self.folds_made += 1
        return FoldedText(text)
