"""Agreement on cross-document links (issue 13 item 6), worked by hand.

amal and badr both annotate claims in two articles and a DATE in the first.
amal: SAME_AS(c1, d1), CONTRADICTS(c2, d1), TIME(c1, date).
badr: SAME_AS(d1, c1) (the same link, the other way round), TIME(c1, date).
links (SAME_AS + CONTRADICTS): a = 2, b = 1, matches 1 -> F1 = 2 x 1 / 3.
micro (every type): a = 3, b = 2, matches 2 -> F1 = 2 x 2 / 5 = 0.8.
"""

from __future__ import annotations

import json

import pytest

from annotator.core.model import NewDocument
from annotator.core.review.relation_agreement import relation_agreement
from annotator.core.store import Project
from tests.cli import annotator

FIRST = "قال الوزير أمس إن المهمة القتالية تنتهي بنهاية العام وإن 2500 جندي يبقون"
SECOND = "المهمة القتالية تنتهي في 31 ديسمبر"


def build(project: Project) -> None:
    doc, other = (d.id for d in project.add_documents([NewDocument("a", FIRST),
                                                        NewDocument("b", SECOND)]))
    date = FIRST.index("أمس")
    c1 = (FIRST.index("المهمة"), FIRST.index(" وإن"))
    c2 = (FIRST.index("2500"), len(FIRST))
    for name in ("amal", "badr"):
        project.add_annotator(name)
        ids = {
            "c1": project.add_span(doc, name, *c1, "CLAIM").id,
            "c2": project.add_span(doc, name, *c2, "CLAIM").id,
            "d1": project.add_span(other, name, 0, len(SECOND), "CLAIM").id,
            "date": project.add_span(doc, name, date, date + 3, "DATE").id,
        }
        project.add_relation(name, "TIME", ids["c1"], ids["date"])
        if name == "amal":
            project.add_relation(name, "SAME_AS", ids["c1"], ids["d1"])
            project.add_relation(name, "CONTRADICTS", ids["c2"], ids["d1"])
        else:
            project.add_relation(name, "SAME_AS", ids["d1"], ids["c1"])


def test_links_are_pooled_per_pair(project: Project) -> None:
    build(project)
    report = relation_agreement(project)
    assert report.link_types == ("SAME_AS", "CONTRADICTS")
    figures = report.pairs[0].figures()
    assert figures["links"]["exact_f1"] == pytest.approx(2 / 3)
    assert figures["SAME_AS"]["exact_f1"] == 1.0 and figures["CONTRADICTS"]["exact_f1"] == 0.0
    assert figures["micro"]["exact_f1"] == pytest.approx(0.8)
    assert report.to_dict()["mean"]["links"]["exact_f1"] == pytest.approx(2 / 3)


def test_annotator_agreement_shows_links_per_pair(tmp_path, project: Project) -> None:
    build(project)
    project.close()
    out = annotator("agreement", "--db", project.path)
    assert out.returncode == 0, out.stderr
    rows = [line.split() for line in out.stdout.splitlines()]
    assert ["links", "0.667", "0.667"] in rows
    data = json.loads(annotator("agreement", "--db", project.path, "--json").stdout)
    assert data["relations"]["pairs"][0]["types"]["links"]["exact_f1"] == pytest.approx(2 / 3)
