"""CoNLL layouts real files use (issue 9): CoNLL-2003 with -DOCSTART- and
IOB1, nested levels as the Wojood corpus writes them, BIOES and BILOU,
--tag-column, and a POS column refused with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.formats.imports.dispatch import import_annotations
from annotator.core.store import Project
from tests.conftest import LOCAL_TESTDATA

CONLL = LOCAL_TESTDATA / "conll"


def _found(project: Project) -> list[tuple[str, str]]:
    texts = {d.id: project.document(d.id).text for d in project.documents()}
    return sorted((texts[s.document_id][s.start:s.end], s.label) for s in project.spans())


def test_conll2003_documents_iob1_and_the_last_column(project: Project) -> None:
    path = CONLL / "conll2003-iob1.txt"
    report = import_annotations(project, "conll", [path], add_labels=True)
    texts = sorted(project.document(d.id).text for d in project.documents())
    assert texts == ["أمطار في الموصل غزيرة",
                     "زار الوزير فؤاد حسين بغداد .\nوالتقى ممثلي الأمم المتحدة الاتحاد الأوروبي ."]
    # IOB1: I- opens an entity; B- splits two adjacent ones of one label.
    assert _found(project) == [("الأمم المتحدة", "ORG"), ("الاتحاد الأوروبي", "ORG"), ("الموصل", "LOC"),
                               ("بغداد", "LOC"), ("فؤاد حسين", "PER")]
    assert report.notes == [f"{path}: tags read from column 4; columns 2, 3 not imported "
                            "(--tag-column N picks others)"]


def test_tag_column_picks_the_chunk_column(project: Project) -> None:
    import_annotations(project, "conll", [CONLL / "conll2003-iob1.txt"], add_labels=True, tag_columns=[3])
    assert ("الوزير فؤاد حسين بغداد", "NP") in _found(project)


def test_a_pos_column_is_refused_with_a_hint(project: Project) -> None:
    with pytest.raises(InputError, match=r"conll2003-iob1\.txt:3: column 2 holds VBD, NN, NNP, \., "
                                         r"not BIO tags \(a POS column\?\); choose the tag column with "
                                         r"--tag-column N"):
        import_annotations(project, "conll", [CONLL / "conll2003-iob1.txt"], add_labels=True,
                           tag_columns=[2])
    assert project.documents() == []


def test_wojood_nested_levels_become_nested_spans(project: Project) -> None:
    path = CONLL / "wojood-nested.txt"
    report = import_annotations(project, "conll", [path], add_labels=True)
    # ORG inside ORG cannot be stored in one layer: counted, not refused.
    assert _found(project) == [
        ("12 أيار 2021", "DATE"), ("العراق", "GPE"), ("اليوم", "DATE"), ("جريدة فلسطين", "ORG"),
        ("فلسطين", "GPE"), ("محكمة حكومة العراق", "ORG"),
    ]
    assert report.notes == [f"{path}: 1 nested span(s) inside a span of the same label skipped (a layer "
                            "holds no two overlapping spans of one label)"]


@pytest.mark.parametrize("name", ["bioes.tsv", "bilou.txt"])
def test_bioes_and_bilou(project: Project, name: str) -> None:
    import_annotations(project, "conll", [CONLL / name], add_labels=True)
    expected = [("رئيس بلدية البصرة", "OCC"), ("عمّان", "GPE")]
    if name == "bioes.tsv":
        expected.insert(1, ("بلدية البصرة", "ORG"))
    assert _found(project) == sorted(expected)


def test_tag_column_outside_the_lines_is_refused(project: Project) -> None:
    with pytest.raises(InputError, match=r"bioes\.tsv: --tag-column 4: the lines have columns 1 to 3"):
        import_annotations(project, "conll", [CONLL / "bioes.tsv"], add_labels=True, tag_columns=[4])


def test_spaces_separate_like_tabs(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "x.conll"
    path.write_text("زار O\nبغداد   B-LOC\n", encoding="utf-8")
    import_annotations(project, "conll", [path], add_labels=True)
    assert _found(project) == [("بغداد", "LOC")]


def test_a_trailing_flag_column_and_a_token_number_column(project: Project, tmp_path: Path) -> None:
    # flair's column_with_whitespaces ends each line with a +/- space flag;
    # GermEval numbers the tokens, has comment lines and a nested column.
    flags = tmp_path / "flags.txt"
    flags.write_text("زار O +\nبغداد B-LOC -\n# O +\n", encoding="utf-8")  # "#" is a token here
    report = import_annotations(project, "conll", [flags], add_labels=True)
    assert _found(project) == [("بغداد", "LOC")]
    assert project.document(project.documents()[0].id).text == "زار بغداد #"
    assert report.notes == [f"{flags}: tags read from column 2; columns 3 not imported "
                            "(--tag-column N picks others)"]
    numbered = tmp_path / "germeval.tsv"
    numbered.write_text("#\thttp://example.org/wiki/Baghdad\t[2009-08-13]\n1\tجامعة\tB-ORG\tO\n"
                        "2\tبغداد\tI-ORG\tB-LOC\n3\tكبيرة\tO\tO\n", encoding="utf-8")
    report = import_annotations(project, "conll", [numbered], add_labels=True)
    texts = sorted(project.document(d.id).text for d in project.documents())
    assert "جامعة بغداد كبيرة" in texts
    assert ("جامعة بغداد", "ORG") in _found(project) and _found(project).count(("بغداد", "LOC")) == 2
    assert report.notes == [f"{numbered}: column 1 numbers the tokens; tokens read from column 2"]
