"""Arabic for dumb terminals: only at that edge, only when asked or needed."""

from __future__ import annotations

import io

import pytest

from annotator.core.text.terminal import TerminalWriter, visual, wants_visual_order


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_visual_form_is_shaped_and_reversed() -> None:
    shown = visual("مرحبا 123")
    assert shown.startswith("123")
    assert "\ufe8e" in shown or any(0xFE70 <= ord(c) <= 0xFEFF for c in shown)  # presentation forms


def test_latin_only_text_is_untouched() -> None:
    assert visual("plain text 123") == "plain text 123"


@pytest.mark.parametrize(
    "stream, mode, env, expected",
    [
        (FakeTty(), "auto", {}, True),
        (FakeTty(), "auto", {"VTE_VERSION": "7200"}, False),
        (FakeTty(), "auto", {"KONSOLE_VERSION": "230800"}, False),
        (io.StringIO(), "auto", {}, False),  # a pipe or file: never converted
        (io.StringIO(), "on", {}, True),
        (FakeTty(), "off", {}, False),
    ],
)
def test_when_conversion_applies(monkeypatch, stream, mode, env, expected) -> None:
    for var in ("VTE_VERSION", "KONSOLE_VERSION", "MLTERM", "TERM_PROGRAM"):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert wants_visual_order(stream, mode) is expected


def test_writer_converts_each_line() -> None:
    out = io.StringIO()
    TerminalWriter(out, "on").line("سطر\nline")
    first, second = out.getvalue().splitlines()
    assert first == visual("سطر") and second == "line"
