"""Label and relation type names from other tools, made fit for our tag set.

Label Studio and doccano let a label be any text ("said by", "Named
Entity"); our names hold no spaces, because brat and CoNLL exports write a
label as one whitespace-free token. Refusing such a file would refuse a
valid file for a feature we do not model, so each run of whitespace becomes
one "_" and the import report says which names were changed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any


def _spaceless(name: Any, renamed: dict[str, str]) -> Any:
    if not isinstance(name, str) or not any(c.isspace() for c in name):
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
    for span in parsed.spans:
        span.label = _spaceless(span.label, renamed)
    parsed.declared_labels = [_spaceless(label, renamed) for label in parsed.declared_labels]
    for relation in parsed.relations:
        relation.type = _spaceless(relation.type, renamed)
        relation.skip_as = _spaceless(relation.skip_as, renamed)
    declared = {}
    for name, kind in parsed.declared_relation_types.items():
        declared[_spaceless(name, renamed)] = replace(
            kind, name=_spaceless(kind.name, renamed),
            source_labels=tuple(_spaceless(label, renamed) for label in kind.source_labels),
            target_labels=tuple(_spaceless(label, renamed) for label in kind.target_labels))
    parsed.declared_relation_types = declared
    if not renamed:
        return []
    shown = ", ".join(f"{old!r} as {new!r}" for old, new in list(renamed.items())[:5])
    more = f" and {len(renamed) - 5} more" if len(renamed) > 5 else ""
    return [f"{len(renamed)} label or relation type name(s) held spaces, which names here "
            f"may not: read {shown}{more}"]
