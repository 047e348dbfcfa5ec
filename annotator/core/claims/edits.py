"""Undoable claim links for the window: workflow Edits (apply / revert) that
add or remove a SAME_AS / CONTRADICTS relation and report it as a
RelationChange, which is what the claims view follows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.errors import ValidationError
from annotator.core.model import Relation
from annotator.core.workflow import RelationChange

if TYPE_CHECKING:
    from annotator.core.store.project import Project
    from annotator.core.workflow import Change

LINK_TYPES = ("SAME_AS", "CONTRADICTS")


class LinkClaims:
    def __init__(self, project: "Project", layer: str, type: str, a: int, b: int) -> None:
        if type not in LINK_TYPES:
            raise ValidationError(f"claims are linked by {' or '.join(LINK_TYPES)}, not {type}")
        project.check_relation(layer, type, a, b)  # refused before it reaches the undo stack
        self.project, self.layer, self.type, self.a, self.b = project, layer, type, a, b
        self.description = f"Link claims {a} and {b} as {type}"
        self.relation: Relation | None = None

    def apply(self) -> list["Change"]:
        if self.relation is None:
            self.relation = self.project.add_relation(self.layer, self.type, self.a, self.b)
        else:
            self.project.restore_relation(self.relation)
        return [RelationChange(None, self.relation)]

    def revert(self) -> list["Change"]:
        assert self.relation is not None
        return [RelationChange(self.project.delete_relation(self.relation.id), None)]


class UnlinkClaims:
    def __init__(self, project: "Project", a: int, b: int) -> None:
        self.project = project
        self.relations = [r for r in project.relations(span_id=a)
                          if r.type in LINK_TYPES and {r.source_id, r.target_id} == {a, b}]
        if not self.relations:
            raise ValidationError(f"claims {a} and {b} are not linked")
        self.description = f"Unlink claims {a} and {b}"

    def apply(self) -> list["Change"]:
        with self.project.transaction():
            for relation in self.relations:
                self.project.delete_relation(relation.id)
        return [RelationChange(r, None) for r in self.relations]

    def revert(self) -> list["Change"]:
        with self.project.transaction():
            for relation in self.relations:
                self.project.restore_relation(relation)
        return [RelationChange(None, r) for r in self.relations]
