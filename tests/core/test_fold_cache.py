"""The fold cache folds each text once, keeps the last few, and folds a
text it was asked to prefold in the background (issue 15 item 3)."""

from __future__ import annotations

import threading

from annotator.core.text.fold_cache import FoldCache
from annotator.core.text.search import FoldedText


def test_reopening_a_kept_text_folds_nothing() -> None:
    cache = FoldCache(keep=2)
    a, b, c = "قالَ الرَّئيسُ", "ذهبوا إلى المدرسة", "Σ ΟΔΟΣ"
    first = cache.get(a)
    cache.prefold(b)
    assert cache.get(a) is first
    cache.get(b)
    assert cache.folds_made == 2
    cache.get(c)  # evicts a, used least recently (b was used after it)
    assert cache.folds_made == 3
    cache.get(b)
    assert cache.folds_made == 3
    cache.get(a)
    assert cache.folds_made == 4
    cache.close()


def test_prefold_runs_off_the_calling_thread() -> None:
    threads: list[str] = []

    class Recording(FoldCache):
        def _fold(self, text: str) -> FoldedText:
            threads.append(threading.current_thread().name)
            return super()._fold(text)

    cache = Recording()
    cache.prefold("الرئيس")
    assert cache.get("الرئيس").find_all("الرئيس") == [(0, 6)]
    assert len(threads) == 1
    assert threads[0].startswith("fold") and threads[0] != threading.current_thread().name
    cache.close()
