"""doccano and Label Studio offsets: code points or UTF-16 code units,
decided per document, and never a silently shifted import (issue 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.core.formats.imports.dispatch import import_annotations
from annotator.core.formats.textmap import OffsetUnits
from annotator.core.text.offsets import Utf16Index
from annotator.core.store import Project

# Emoji, a flag, a skin tone, harakat, tatweel and ZWNJ: what real posts hold.
TEXT = "😀 قال الرئيسُ 🇮🇶 إن بغداد 👍🏽 تستقبل الوفـــد مي\u200cخواهم"
WORDS = ["الرئيسُ", "بغداد", "الوفـــد"]


def _jsonl(path: Path, *records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _spans_as(text: str, words: list[str], units: OffsetUnits) -> list[list]:
    index = Utf16Index(text)
    convert = index.to_utf16 if units is OffsetUnits.UTF16 else (lambda cp: cp)
    return [[convert(text.index(w)), convert(text.index(w) + len(w)), "ENTITY"] for w in words]


def _texts(project: Project) -> list[str]:
    texts = {d.id: project.document(d.id).text for d in project.documents()}
    return sorted(texts[s.document_id][s.start:s.end] for s in project.spans())


@pytest.mark.parametrize("units", list(OffsetUnits))
def test_doccano_default_reads_either_unit_right(project: Project, tmp_path: Path, units) -> None:
    path = _jsonl(tmp_path / "d.jsonl", {"id": 1, "text": TEXT, "label": _spans_as(TEXT, WORDS, units)},
                  {"id": 2, "text": "لا رموز هنا", "label": [[3, 7, "ENTITY"]]})
    report = import_annotations(project, "doccano", [path], add_labels=True)
    assert _texts(project) == sorted(WORDS + ["رموز"])
    utf16_notes = [n for n in report.notes if "read with UTF-16 offsets" in n]
    if units is OffsetUnits.UTF16:
        assert utf16_notes == [f"{path}: 1 document(s) read with UTF-16 offsets (as doccano's web UI "
                               "counts); --offset-units codepoints overrides"]
    else:
        assert utf16_notes == []


def test_doccano_equally_plausible_readings_are_refused_naming_the_document(
        project: Project, tmp_path: Path) -> None:
    # Between emoji every position is a boundary: [0, 2) is two emoji as code
    # points and one as UTF-16, both plausible.
    path = _jsonl(tmp_path / "d.jsonl", {"id": 1, "text": "قال 😀"}, {"id": 77, "text": "😀😀😀 رائع",
                                                                        "label": [[0, 2, "EMOJI"]]})
    with pytest.raises(InputError, match=r"d\.jsonl:2: document 77: .*do not tell code points from UTF-16 .*--offset-units"):
        import_annotations(project, "doccano", [path], add_labels=True)
    assert project.documents() == []
    import_annotations(project, "doccano", [path], add_labels=True, offset_units=OffsetUnits.UTF16)
    assert _texts(project) == ["😀"]


def test_doccano_explicit_units_are_obeyed(project: Project, tmp_path: Path) -> None:
    # Written as UTF-16, read as code points because the user said so: the
    # user's choice, and the one way to get a shifted reading.
    path = _jsonl(tmp_path / "d.jsonl", {"text": TEXT, "label": _spans_as(TEXT, WORDS[:1], OffsetUnits.UTF16)})
    import_annotations(project, "doccano", [path], add_labels=True, offset_units=OffsetUnits.CODEPOINTS)
    assert _texts(project) != WORDS[:1]


ARABIC_WORDS = st.sampled_from(["قال", "الرئيسُ", "بغداد", "و", "الوفـــد", "مي\u200cخواهم", "٢٠٢١", "،"])
EMOJI = st.sampled_from(["😀", "🇮🇶", "👍🏽", "𝐀", "👨\u200d👩\u200d👧"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(ARABIC_WORDS, EMOJI), min_size=1, max_size=12), st.data(),
       st.sampled_from(list(OffsetUnits)))
def test_doccano_auto_import_is_right_or_refused_never_shifted(tmp_path_factory, tokens, data, units) -> None:
    text = " ".join(tokens)
    starts = []
    at = 0
    for token in tokens:
        starts.append(at)
        at += len(token) + 1
    chosen = data.draw(st.lists(st.integers(0, len(tokens) - 1), max_size=4, unique=True))
    wanted = [(starts[i], starts[i] + len(tokens[i])) for i in chosen]
    index = Utf16Index(text)
    convert = index.to_utf16 if units is OffsetUnits.UTF16 else (lambda cp: cp)
    folder = tmp_path_factory.mktemp("auto")
    path = _jsonl(folder / "d.jsonl", {"text": text, "label": [[convert(s), convert(e), "X"] for s, e in wanted]})
    with Project.open(folder / "p.db") as project:
        try:
            import_annotations(project, "doccano", [path], add_labels=True)
        except InputError as exc:
            assert "--offset-units" in str(exc)
            return
        got = sorted((s.start, s.end) for s in project.spans())
        assert got == sorted(wanted)


def _task(text: str, *results: dict, task_id: int = 5) -> dict:
    return {"id": task_id, "data": {"text": text},
            "annotations": [{"id": 40, "completed_by": 1, "result": list(results)}]}


def _result(start: int, end: int, text: str | None = None, rid: str = "r1") -> dict:
    value: dict = {"start": start, "end": end, "labels": ["ENTITY"]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def _ls(path: Path, *tasks: dict) -> Path:
    path.write_text(json.dumps(list(tasks), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.mark.parametrize("units", list(OffsetUnits))
def test_label_studio_results_without_text_are_read_like_doccano(project: Project, tmp_path: Path,
                                                                 units) -> None:
    results = [_result(s, e, rid=f"r{i}") for i, (s, e, _) in enumerate(_spans_as(TEXT, WORDS, units))]
    import_annotations(project, "labelstudio", [_ls(tmp_path / "ls.json", _task(TEXT, *results))],
                       add_labels=True)
    assert _texts(project) == sorted(WORDS)


def test_label_studio_result_without_text_follows_the_units_its_task_proved(project: Project,
                                                                          tmp_path: Path) -> None:
    # Three emoji: a span of "😀😀" (as code points) could be "😀" as UTF-16;
    # the other result's text proves the task counts UTF-16.
    text = "😀😀😀 رائع"
    u16 = Utf16Index(text).to_utf16
    start = text.index("رائع")
    task = _task(text, _result(0, 2, rid="a"), _result(u16(start), u16(start + 4), "رائع", rid="b"))
    import_annotations(project, "labelstudio", [_ls(tmp_path / "ls.json", task)], add_labels=True)
    assert _texts(project) == ["رائع", "😀"]


def test_label_studio_ambiguous_result_without_text_is_refused_naming_it(project: Project,
                                                                        tmp_path: Path) -> None:
    task = _task("😀😀😀 رائع", _result(0, 2, rid="xyz"))
    with pytest.raises(InputError, match=r"ls\.json:2: task 5, annotation 1 \(id 40\), result 1 "
                                         r"\(id xyz\): no value\.text.*--offset-units"):
        import_annotations(project, "labelstudio", [_ls(tmp_path / "ls.json", task)], add_labels=True)
    assert project.documents() == []


# After an emoji, "ااا" holds the same letter at code point 3 and at UTF-16
# unit 3 (code point 2): the result's text alone cannot tell them apart.
REPEATED = "😀اااا رائع"


def test_label_studio_text_found_at_both_readings_follows_the_units_its_task_proved(
        project: Project, tmp_path: Path) -> None:
    u16 = Utf16Index(REPEATED).to_utf16
    start = REPEATED.index("رائع")
    task = _task(REPEATED, _result(3, 4, "ا", rid="a"),
                 _result(u16(start), u16(start + 4), "رائع", rid="b"))
    report = import_annotations(project, "labelstudio", [_ls(tmp_path / "ls.json", task)],
                                add_labels=True)
    assert sorted((s.start, s.end) for s in project.spans()) == [(2, 3), (start, start + 4)]
    assert not [n for n in report.notes if "--offset-units" in n]


def test_label_studio_text_found_at_both_readings_alone_is_read_as_code_points_and_said(
        project: Project, tmp_path: Path) -> None:
    task = _task(REPEATED, _result(3, 4, "ا", rid="a"))
    report = import_annotations(project, "labelstudio", [_ls(tmp_path / "ls.json", task)],
                                add_labels=True)
    assert [(s.start, s.end) for s in project.spans()] == [(3, 4)]
    assert [n for n in report.notes if "--offset-units utf16" in n] == [
        f"{tmp_path / 'ls.json'}: 1 span(s) read as code points whose text is also found counting "
        "UTF-16 code units; if the file counts those, import it again with --offset-units utf16"]


@pytest.mark.parametrize("stored", ["سطر\\nثان", "سطر\\r\\nثان", "سطر\nثان"])
def test_label_studio_escaped_line_breaks_in_value_text_match(project: Project, tmp_path: Path,
                                                              stored: str) -> None:
    text = "أول سطر\nثان\tو\"ثالث\" نهاية"
    start = text.index("سطر")
    tasks = [_task(text, _result(start, start + 7, stored)),
             _task(text + " ٢", _result(text.index("ثان"), text.index("ثان") + 11, 'ثان\\tو\\"ثالث\\"'),
                   task_id=6)]
    import_annotations(project, "labelstudio", [_ls(tmp_path / "ls.json", *tasks)], add_labels=True)
    assert _texts(project) == sorted(["سطر\nثان", 'ثان\tو"ثالث"'])


def test_label_studio_real_mismatch_names_task_annotation_and_result(project: Project,
                                                                     tmp_path: Path) -> None:
    text = "قال الرئيس\nإن بغداد"
    task = _task(text, _result(0, 3, "قال", rid="ok"), _result(4, 13, "الرئيس\\nإ", rid="bad"))
    task["annotations"][0]["result"][1]["value"]["text"] = "الرئيس\\nأ"
    with pytest.raises(InputError, match=r"task 5, annotation 1 \(id 40\), result 2 \(id bad\): "
                                         r"text 'الرئيس\\\\nأ' disagrees"):
        import_annotations(project, "labelstudio", [_ls(tmp_path / "ls.json", task)], add_labels=True)
    assert project.documents() == []


def test_doccano_spans_off_word_boundaries_in_both_readings_are_refused(project: Project,
                                                                         tmp_path: Path) -> None:
    # [3, 5) is "ال" inside قال as code points and "قا" as UTF-16: neither
    # reading is clean, so no guess is made.
    path = _jsonl(tmp_path / "d.jsonl", {"id": 9, "text": "😀 قال بغداد", "label": [[3, 5, "X"]]})
    with pytest.raises(InputError, match=r"document 9: .*--offset-units"):
        import_annotations(project, "doccano", [path], add_labels=True)
    assert project.documents() == []
