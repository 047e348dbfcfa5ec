"""The real application on a real X server (Xvfb), driven as an annotator
would with xdotool: first start (who is annotating?), a word selected by a
mouse drag on a wrapped right-to-left line, then keys only: tag, type, next
span, note, Ctrl+Enter in the note (saved, marked done, the next document
opens), undo. It waits on the lines the app logs with ANNOTATOR_DEBUG_LOG=1,
never on fixed sleeps, and reads the stored rows back with sqlite3."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.model import NewDocument
from annotator.core.text.segmentation import is_word_char
from annotator.core.store import Project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Xvfb runs on Linux")

PARAGRAPH = ("قال المتحدث باسم الحكومة في مؤتمر صحفي عقده اليوم إن الوزارة ستواصل العمل على "
             "تنفيذ الخطة الوطنية للإصلاح الاقتصادي وإن المفاوضات مع الشركاء الدوليين مستمرة "
             "حتى نهاية العام المقبل بحسب ما أعلنه المكتب الإعلامي للرئاسة في بيان رسمي. ")
TEXT = PARAGRAPH * 3 + "\n\nوأضاف أن الحكومة ستعلن تفاصيل الخطة الأسبوع المقبل."
TIMEOUT = 60


class App:
    """The app as a subprocess; its log lines are read on a thread."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "annotator", *args], env=env,
                                        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        self.reader.join(timeout=TIMEOUT)
        assert self.process.stderr is not None
        self.process.stderr.close()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, pattern: str) -> re.Match[str]:
        """The next log line matching pattern (lines before it are skipped)."""
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no log line {pattern!r} within {TIMEOUT} s; "
                                     f"last lines: {self.seen[-15:]}") from None
            if line is None:
                code = self.process.wait(timeout=TIMEOUT)  # negative: killed by that signal
                raise AssertionError(f"the app exited ({code}) before {pattern!r}: {self.seen[-15:]}")
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found


@pytest.fixture
def display() -> Iterator[str]:
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run scripts/setup.sh as root (or apt-get install "
                        "xvfb xdotool)")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()  # written once the server accepts clients
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def xdotool(display: str, *args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=TIMEOUT,
                   env={**os.environ, "DISPLAY": display})


def focus_window(display: str, title: str) -> None:
    # No window manager on Xvfb: give the X input focus directly.
    xdotool(display, "search", "--sync", "--onlyvisible", "--name", title, "windowfocus", "--sync")


def test_an_annotators_round_on_a_real_x_server(display: str, tmp_path: Path) -> None:
    db = tmp_path / "project.db"
    with Project.open(db) as project:
        project.add_documents([NewDocument("000_first", TEXT), NewDocument("001_second", "نص ثان"),
                               NewDocument("002_third", "نص ثالث")])
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "ANNOTATOR_DEBUG_LOG": "1"}
    app = App(["--db", str(db)], env)
    try:
        # First start: nobody is remembered, so the app asks.
        app.wait_for("asking who is annotating")
        focus_window(display, "Who is annotating")
        xdotool(display, "type", "--delay", "0", "amal")
        xdotool(display, "key", "Return")
        app.wait_for("document opened id=1 ")
        ready = app.wait_for(r"window ready view=(\d+),(\d+),(\d+),(\d+) line_height=(\d+) margin=(\d+)")
        x, y, width, height, line_height, margin = map(int, ready.groups())
        focus_window(display, "Arabic Annotator")

        # A drag across the middle of the paragraph's second (wrapped) line.
        row = y + margin + line_height * 3 // 2
        left, right = x + width * 45 // 100, x + width * 55 // 100
        xdotool(display, "mousemove", "--sync", str(right), str(row), "mousedown", "1")
        for step in range(1, 5):
            xdotool(display, "mousemove", "--sync", str(right - (right - left) * step // 4), str(row))
        xdotool(display, "mouseup", "1")
        selected = app.wait_for(r"selection made \[(\d+),(\d+)\) visual_line=(\d+)")
        start, end, visual_line = map(int, selected.groups())
        assert visual_line >= 1, "the drag was meant for a wrapped line"
        assert 0 < end - start < 40
        # Whole words: the view snapped both ends.
        assert not is_word_char(TEXT[start - 1]) and not is_word_char(TEXT[end])
        assert is_word_char(TEXT[start]) and is_word_char(TEXT[end - 1])

        # Keys only from here on.
        xdotool(display, "key", "2")
        added = app.wait_for(r"saved span added id=(\d+) \[(\d+),(\d+)\) ENTITY; status document=1 in_progress")
        span_id = int(added.group(1))
        assert (int(added.group(2)), int(added.group(3))) == (start, end)
        xdotool(display, "key", "F2")
        xdotool(display, "key", "p")  # the type box: PER
        app.wait_for(rf"saved span changed id={span_id} ")
        xdotool(display, "key", "1")  # the text has the keyboard again: nothing selected, nothing tagged
        app.wait_for("status: ⚠ select text to tag it CLAIM")
        xdotool(display, "key", "alt+Down")  # next span (wraps round to the only one)
        app.wait_for(rf"span selected id={span_id}$")
        xdotool(display, "key", "shift+F2")
        xdotool(display, "type", "--delay", "0", "checked")
        # Ctrl+Enter in the note: saved, document done, the next one opens.
        xdotool(display, "key", "ctrl+Return")
        app.wait_for(rf"saved span changed id={span_id} ")
        app.wait_for("saved status document=1 done")
        app.wait_for("document opened id=2 ")
        xdotool(display, "key", "ctrl+z")
        app.wait_for("saved status document=1 in_progress")
        xdotool(display, "key", "ctrl+q")
        app.wait_for("closed")
        assert app.process.wait(timeout=TIMEOUT) == 0
    finally:
        app.stop()

    with sqlite3.connect(db) as conn:
        spans = conn.execute('SELECT document_id, layer, start, "end", label, attributes, note'
                             " FROM spans").fetchall()
        statuses = conn.execute("SELECT document_id, layer, status FROM statuses").fetchall()
    assert [(d, layer, s, e, label, json.loads(attrs), note)
            for d, layer, s, e, label, attrs, note in spans] == [
        (1, "amal", start, end, "ENTITY", {"type": "PER"}, "checked")]
    assert statuses == [(1, "amal", "in_progress")]


def seed_article() -> str:
    return (Path(__file__).parents[2] / "seeds" / "000_cd82adee0b9fdb8a.txt").read_text("utf-8")


def test_speaker_and_time_linked_from_the_keyboard(display: str, tmp_path: Path) -> None:
    text = seed_article()
    db = tmp_path / "project.db"
    words = {"DATE": "27-7-2021", "ENTITY": "جو بايدن", "CLAIM": "القوات الأمريكية ستنهي مهمتها"}
    with Project.open(db) as project:
        doc = project.add_documents([NewDocument("000_seed", text)])[0].id
        project.add_annotator("amal")
        ids = {}
        for label, words_ in words.items():
            start = text.index(words_)
            ids[label] = project.add_span(doc, "amal", start, start + len(words_), label).id
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "ANNOTATOR_DEBUG_LOG": "1"}
    app = App(["--db", str(db), "--annotator", "amal"], env)
    try:
        app.wait_for("document opened id=1 ")
        app.wait_for("window ready")
        focus_window(display, "Arabic Annotator")
        # The spans in reading order: DATE, ENTITY, CLAIM.
        for _ in range(3):
            xdotool(display, "key", "alt+Down")
        app.wait_for(rf"span selected id={ids['CLAIM']}$")
        xdotool(display, "key", "s")
        xdotool(display, "key", "Return")
        app.wait_for(rf"saved relation added id=\d+ SPEAKER {ids['CLAIM']}->{ids['ENTITY']}")
        xdotool(display, "key", "t")
        xdotool(display, "key", "Tab")  # one candidate: Tab comes back to it
        xdotool(display, "key", "Return")
        app.wait_for(rf"saved relation added id=\d+ TIME {ids['CLAIM']}->{ids['DATE']}")
        xdotool(display, "key", "ctrl+q")
        app.wait_for("closed")
        assert app.process.wait(timeout=TIMEOUT) == 0
    finally:
        app.stop()

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT layer, type, source_id, target_id FROM relations"
                            " ORDER BY id").fetchall()
    assert rows == [("amal", "SPEAKER", ids["CLAIM"], ids["ENTITY"]),
                    ("amal", "TIME", ids["CLAIM"], ids["DATE"])]
