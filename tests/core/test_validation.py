"""The checks every span and tag edit passes (core/store/validation.py).

Written against the mutants mutmut left alive (issue 11): each test names
the rule it holds, and checks the whole message, since the message is what a
user reads."""

from __future__ import annotations

import re

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import Tag
from annotator.core.store.validation import (
    check_attribute_specs,
    check_attributes,
    check_iso8601,
    check_layer_name,
    check_offsets,
    check_tag,
    check_tag_name,
)

ENTITY = Tag("ENTITY", attributes={"type": {"values": ["PER", "ORG"]}, "value": {"format": "iso8601"}})


def refused(message: str):
    return pytest.raises(ValidationError, match=f"^{re.escape(message)}$")


# -- span attributes -------------------------------------------------------------


def test_unsure_does_not_end_the_checks_of_the_other_attributes() -> None:
    with refused("ENTITY type must be one of PER, ORG, got 'BOGUS'"):
        check_attributes(ENTITY, {"unsure": True, "type": "BOGUS"})


def test_a_cleared_attribute_does_not_end_the_checks_either() -> None:
    with refused("label ENTITY has no attribute 'colour' (allowed: type, unsure, value)"):
        check_attributes(ENTITY, {"type": None, "colour": "red"})


def test_attribute_messages_name_the_problem() -> None:
    with refused("attributes must be an object, got list"):
        check_attributes(ENTITY, ["type"])  # type: ignore[arg-type]
    with refused("attribute 'unsure' must be true or false"):
        check_attributes(ENTITY, {"unsure": "yes"})
    check_attributes(ENTITY, {"unsure": False, "type": "PER", "value": "2021-07"})


# -- ISO dates ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2021", "2021-12", "2021-12-05", "2021-12-05T14:30", "2021-12-05T23:59:59"])
def test_full_and_partial_dates_are_accepted(value: str) -> None:
    check_iso8601(value)


@pytest.mark.parametrize("value", ["2021-02-30", "2021-13", "2021-12-05T24:00", "2021-12-05T14:61:00",
                                   "2021-12-05T14:30:61"])
def test_impossible_dates_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match=f"^date value '{value}' is not a real date: "):
        check_iso8601(value)


@pytest.mark.parametrize("value", [5, None, "2021/12/05", "21-12-05"])
def test_a_date_that_is_not_iso_text_is_refused(value: object) -> None:
    with refused(f"date value {value!r} is not ISO 8601 (e.g. 2021, 2021-12, 2021-12-05)"):
        check_iso8601(value)  # type: ignore[arg-type]


# -- offsets, names ------------------------------------------------------------------


@pytest.mark.parametrize("start, end", [(1.5, 3), (1, 3.0), ("1", 3)])
def test_offsets_must_both_be_integers(start: object, end: object) -> None:
    with refused(f"offsets must be integers, got {start!r}, {end!r}"):
        check_offsets(start, end, 10)  # type: ignore[arg-type]


def test_offsets_from_zero_to_the_last_character_are_accepted() -> None:
    check_offsets(0, 10, 10)
    with refused("span [0, 11) outside the document (need 0 <= start < end <= 10)"):
        check_offsets(0, 11, 10)


@pytest.mark.parametrize("name, message", [
    ("", "annotator name must not be empty"),
    ("  ", "annotator name must not be empty"),
    (5, "annotator name must not be empty"),
    (" lina", "annotator name ' lina' has surrounding spaces"),
    ("li/na", "annotator name 'li/na' is . or .. or holds / or \\"),
    ("li\tna", "annotator name 'li\\tna' holds U+0009 (a control, bidi-control or surrogate character)"),
])
def test_bad_annotator_names_are_refused(name: object, message: str) -> None:
    with refused(message):
        check_layer_name(name)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["Xavier", "XX", "لينا", "lina-2"])
def test_ordinary_annotator_names_are_accepted(name: str) -> None:
    check_layer_name(name)


@pytest.mark.parametrize("name", ["", "TWO WORDS", 5])
def test_bad_label_names_are_refused(name: object) -> None:
    with refused(f"label name {name!r} must be non-empty without spaces"):
        check_tag_name(name)  # type: ignore[arg-type]


# -- the tag set ---------------------------------------------------------------------


@pytest.mark.parametrize("values", [[" "], [""], ["PER", " "], [1], []])
def test_attribute_values_must_be_non_blank_names(values: list) -> None:
    with refused("attribute 'type': values must be a non-empty list of names"):
        check_attribute_specs({"type": {"values": values}})


def test_attribute_spec_messages_name_the_problem() -> None:
    with refused("label attributes must be an object, got list"):
        check_attribute_specs([])  # type: ignore[arg-type]
    with refused("attribute 'type': expected an object, got list"):
        check_attribute_specs({"type": ["PER"]})
    with refused("attribute 'type': values repeat (PER, ORG, PER)"):
        check_attribute_specs({"type": {"values": ["PER", "ORG", "PER"]}})
    with refused("attribute 'when': unknown format 'date' (known: iso8601)"):
        check_attribute_specs({"when": {"format": "date"}})
    for key in (5, "", " ", "unsure"):
        with refused(f"attribute name {key!r} is empty or reserved"):
            check_attribute_specs({key: {}})
    check_attribute_specs({"type": {"values": ["PER"]}, "when": {"format": "iso8601"}, "free": {}})


def test_tag_description_and_position_are_checked() -> None:
    with refused("description of EVENT must be text"):
        check_tag(Tag("EVENT", description=None), [])  # type: ignore[arg-type]
    for position in (True, -1, 1.5):
        with refused(f"position {position!r} must be a whole number, 0 or more"):
            check_tag(Tag("EVENT", position=position), [])  # type: ignore[arg-type]
    check_tag(Tag("EVENT", position=0), [])
