"""Label and relation type names from other tools, made fit for our tag set.

Label Studio and doccano let a label be any text ("said by", "Named
Entity"); our names hold no spaces, because brat and CoNLL exports write a
label as one whitespace-free token. Refusing such a file would refuse a
valid file for a feature we do not model, so each run of whitespace becomes
one "_" and the import report says which names were changed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

_SPACE = re.compile(r"\s")


def _spaceless(name: Any, renamed: dict[str, str]) -> Any:
    # \s is str.isspace()'s set; a regex keeps the per-span check off a Python loop.
    if not isinstance(name, str) or _SPACE.search(name) is None:
        return name
    fixed = "_".join(name.split())
    if not fixed:
        return name  # only spaces: refused later as an empty name, with its line
    renamed[name] = fixed
    return fixed


def join_spaces_in_names(parsed: Any) -> list[str]:
    """Rewrite, in place, every span label and relation type name of a
    ``ParsedImport`` that holds whitespace; returns the report's note (none
    when nothing changed)."""
    renamed: dict[str, str] = {}
    rename_spaces(parsed, renamed, renamed)
    return spaces_note(renamed)


def rename_spaces(parsed: Any, labels: dict[str, str], types: dict[str, str]) -> None:
    """``join_spaces_in_names`` for a part of an import (a streamed batch):
    the renamings are added to ``labels`` (span labels, declared labels)
    and ``types`` (relation types), in the order they are met."""
    for span in parsed.spans:
        span.label = _spaceless(span.label, labels)
    parsed.declared_labels = [_spaceless(label, labels) for label in parsed.declared_labels]
    for relation in parsed.relations:
        relation.type = _spaceless(relation.type, types)
        relation.skip_as = _spaceless(relation.skip_as, types)
    declared = {}
    for name, kind in parsed.declared_relation_types.items():
        declared[_spaceless(name, types)] = replace(
            kind, name=_spaceless(kind.name, types),
            source_labels=tuple(_spaceless(label, labels) for label in kind.source_labels),
            target_labels=tuple(_spaceless(label, labels) for label in kind.target_labels))
    parsed.declared_relation_types = declared


def spaces_note(renamed: dict[str, str]) -> list[str]:
    """The report's note on names that held spaces (none when none did)."""
    if not renamed:
        return []
    shown = ", ".join(f"{old!r} as {new!r}" for old, new in list(renamed.items())[:5])
    more = f" and {len(renamed) - 5} more" if len(renamed) > 5 else ""
    return [f"{len(renamed)} label or relation type name(s) held spaces, which names here "
            f"may not: read {shown}{more}"]
