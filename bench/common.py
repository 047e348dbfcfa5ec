"""Small helpers shared by the benchmarks: timing and table printing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of fn() in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def print_table(title: str, rows: list[tuple[str, float, float, str]]) -> None:
    """rows: (what, ours, floor, target) with times in seconds."""
    print(f"\n{title}")
    header = f"| {'measure':<48} | {'ours (median)':>14} | {'floor (median)':>14} | {'ratio':>6} | target"
    print(header)
    print("|" + "-" * 50 + "|" + "-" * 16 + "|" + "-" * 16 + "|" + "-" * 8 + "|" + "-" * 20)
    for what, ours, floor, target in rows:
        ratio = ours / floor if floor else float("nan")
        print(f"| {what:<48} | {fmt(ours):>14} | {fmt(floor):>14} | {ratio:>5.1f}x | {target}")


def raw_gesture(db: Path) -> Callable[[], None]:
    """The floor of a span keypress: one durable raw sqlite3 insert (WAL,
    synchronous=FULL, as the store) and one row appended to a Qt item model."""
    import sqlite3

    from PySide6.QtGui import QStandardItem, QStandardItemModel

    raw = sqlite3.connect(db)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, a INT, b INT, label TEXT)")
    model = QStandardItemModel()

    def gesture() -> None:
        with raw:
            raw.execute("INSERT INTO t (a, b, label) VALUES (1, 2, 'DATE')")
        model.appendRow(QStandardItem("DATE"))
    return gesture
