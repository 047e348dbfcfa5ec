"""The cyclic collector is paused for bulk work and always comes back."""

from __future__ import annotations

import gc

import pytest

from annotator.core.bulk import bulk, cyclic_gc_paused


def test_paused_inside_and_restored_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="inside the pause"):
        with cyclic_gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("inside the pause")
    assert gc.isenabled()


def test_nested_use_keeps_it_paused_until_the_outermost_ends() -> None:
    @bulk
    def inner() -> bool:
        return gc.isenabled()

    with cyclic_gc_paused():
        assert inner() is False
        assert not gc.isenabled()  # the inner block did not switch it back on
    assert gc.isenabled()


def test_an_import_leaves_the_collector_on(project, tmp_path) -> None:
    from annotator.core.formats.imports.dispatch import import_annotations

    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "قال", "label": [[0, 3, "CLAIM"]]}\n{oops\n', encoding="utf-8")
    with pytest.raises(Exception, match="malformed JSON"):
        import_annotations(project, "doccano", [path])
    assert gc.isenabled()
