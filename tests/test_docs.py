"""The README documents every command and option of `annotator`, and its
round-trip example works as written (issue 11)."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from annotator.cli import build_parser
from annotator.core.formats.imports.plain_text import import_seeds
from annotator.core.store import Project
from tests.cli import annotator
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """(command words, parser) for the top level and every sub-command, depth first."""
    yield prefix, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*prefix, name))


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [max(action.option_strings, key=len) for action in parser._actions
            if action.option_strings and not isinstance(action, argparse._HelpAction)]


COMMANDS = list(_commands(build_parser()))
OPTIONS = sorted({(words, option) for words, parser in COMMANDS for option in _options(parser)})


def test_the_walk_finds_the_commands_and_options() -> None:
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"import", "export", "merge", "agreement", "list", "tags", "tags add", "tags set"} <= names
    assert ((), "--db") in OPTIONS and (("export",), "--output") in OPTIONS


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS if w], ids=" ".join)
def test_every_command_is_in_the_readme(words: tuple[str, ...]) -> None:
    assert re.search(rf"annotator {re.escape(' '.join(words))}\b|`{re.escape(' '.join(words))}`"
                     rf"|\b{re.escape(' '.join(words))} NAME", README), " ".join(words)


@pytest.mark.parametrize("words, option", OPTIONS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else v)
def test_every_option_is_in_the_readme(words: tuple[str, ...], option: str) -> None:
    # An option is documented when the README names it (as --name, not as part of --name-more).
    assert re.search(rf"{re.escape(option)}(?![\w-])", README), f"annotator {' '.join(words)} {option}"


def _round_trip_lines() -> list[str]:
    block = README.split("<!-- round trip -->", 2)
    assert len(block) == 3, "the README marks its round-trip example with <!-- round trip -->"
    return [line.split("#", 1)[0].strip() for line in block[1].splitlines()
            if line.startswith("annotator ")]


def test_the_round_trip_example_gives_the_same_file(tmp_path: Path, monkeypatch) -> None:
    default = tmp_path / "default.db"
    with Project.open(default) as project:
        import_seeds(project)
        project.add_annotator("lina")
        text = project.document(1).text
        project.add_span(1, "lina", 0, 5, "DATE", {"value": "2024-06-29"}, note="تاريخ")
        project.add_span(1, "gold", 0, len(text), "CLAIM")  # ends at the last character
        project.set_status(1, "lina", "done")
    monkeypatch.chdir(tmp_path)
    lines = _round_trip_lines()
    assert len(lines) >= 3
    for line in lines:
        out = annotator(*shlex.split(line)[1:], env={"ANNOTATOR_PROJECT": str(default)})
        assert out.returncode == 0, (line, out.stderr)
    first, *_, last = [Path(m) for line in lines for m in re.findall(r"-o (\S+)", line)]
    assert first != last and first.read_bytes() == last.read_bytes()
    assert b'"CLAIM"' in first.read_bytes()
