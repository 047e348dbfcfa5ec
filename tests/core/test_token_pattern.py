"""The token regex is shipped prebuilt (resources/token_pattern.json, issue 15):
building it asks every code point its category, 0.27 s per export process.
What is shipped must be what the code builds, and a Python whose Unicode
tables differ builds its own."""

from __future__ import annotations

import json
import unicodedata

import pytest

from annotator import resources
from annotator.core.formats import tokens

REGENERATE = ("regenerate: .venv/bin/python -c \"import json; from annotator.core.formats.tokens import "
              "pattern_resource; open('resources/token_pattern.json', 'w', encoding='utf-8')"
              ".write(json.dumps(pattern_resource(), indent=0) + '\\n')\"")


@pytest.fixture
def fresh_pattern():
    tokens._token_pattern.cache_clear()
    yield
    tokens._token_pattern.cache_clear()


def test_the_shipped_pattern_is_what_the_code_builds() -> None:
    shipped = resources.read_json(tokens.PATTERN_RESOURCE)
    assert shipped == tokens.pattern_resource(), REGENERATE


def test_the_shipped_pattern_is_the_one_used(fresh_pattern, monkeypatch) -> None:
    monkeypatch.setattr(tokens, "token_pattern_source",
                        lambda: pytest.fail("built although the shipped one fits"))
    assert tokens._token_pattern().pattern == resources.read_json(tokens.PATTERN_RESOURCE)["pattern"]


@pytest.mark.parametrize("shipped", [
    {"unidata_version": "1.0.0", "maxunicode": 1114111, "pattern": "x"},  # other Unicode tables
    {"unidata_version": unicodedata.unidata_version, "maxunicode": 65535, "pattern": "x"},
    {"unidata_version": unicodedata.unidata_version, "maxunicode": 1114111},  # no pattern
    ["not", "a", "map"],
])
def test_a_pattern_for_other_unicode_tables_is_rebuilt(fresh_pattern, monkeypatch, shipped) -> None:
    monkeypatch.setattr(resources, "read_json", lambda name: shipped)
    assert tokens._token_pattern().pattern == tokens.token_pattern_source()
    assert tokens.tokenize("قال 😀 وزير") == [(0, 3), (4, 5), (6, 10)]


def test_a_missing_or_unreadable_file_is_rebuilt(fresh_pattern, monkeypatch) -> None:
    def unreadable(name: str) -> object:
        raise json.JSONDecodeError("bad", "", 0)

    monkeypatch.setattr(resources, "read_json", unreadable)
    assert tokens._token_pattern().pattern == tokens.token_pattern_source()
