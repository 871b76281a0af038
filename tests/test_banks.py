"""The rubric and case banks: built-in content, errors naming file and field, user folders, `vet rubrics/cases`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from cases import get_case, load_cases
from rubrics import load_rubrics
from vetting.cli import main
from vetting.kernel.errors import InvalidCase, InvalidRubric
from vetting.kernel.settings import Settings

REQUIRED_RUBRICS = {"rag-case-study", "project-deep-dive"}
REQUIRED_CASES = {"rag-customer-support"}

USER_RUBRIC = """
id: data-engineering
title: Data engineering
version: 2
criteria:
  - id: pipelines
    name: Pipeline design
    description: Designs batch and streaming pipelines that are idempotent and observable.
    weight: 2
    levels: {1: No idea, 2: Basic, 3: Solid, 4: Expert}
    positive_signals: [Idempotent loads]
    negative_signals: [Manual reruns]
"""

USER_CASE = """
id: warehouse-migration
title: Warehouse migration
rubric: data-engineering
brief:
  context: A retailer moves from nightly CSV exports to a cloud warehouse.
  business_goal: Daily sales reports by 7 a.m.
  success_metric: Reports on time 99% of days for a quarter.
  technical_stack: [Python, dbt, BigQuery]
  first_milestone: One report migrated in two weeks.
prompt: How would you plan the migration?
follow_ups:
  - criterion: pipelines
    text: What happens when yesterday's export arrives twice?
"""


def _folder(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for filename, text in files.items():
        (folder / filename).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def test_every_built_in_file_loads_and_the_required_ones_exist(settings: Settings) -> None:
    rubrics, cases = load_rubrics(settings), load_cases(settings)
    assert set(rubrics) >= REQUIRED_RUBRICS and len(rubrics) >= 5
    assert set(cases) >= REQUIRED_CASES and len(cases) >= 6
    for case in cases.values():
        assert case.rubric in rubrics
        assert len(case.follow_ups) >= 3 and case.brief.key_contacts and case.brief.constraints


def test_rubric_anchors_and_signals_are_complete(settings: Settings) -> None:
    for rubric in load_rubrics(settings).values():
        assert rubric.scale.levels == [1, 2, 3, 4] and set(rubric.scale.labels) == {1, 2, 3, 4}
        for criterion in rubric.criteria:
            assert set(criterion.levels) == {1, 2, 3, 4}, (rubric.id, criterion.id)
            assert len(set(criterion.levels.values())) == 4  # a distinct behavioural anchor per level
            assert criterion.positive_signals and criterion.negative_signals and criterion.weight > 0
            assert criterion.facet is not None


def test_rag_case_study_has_the_six_expert_signals(settings: Settings) -> None:
    rubric = load_rubrics(settings)["rag-case-study"]
    names = [c.name.lower() for c in rubric.criteria]
    for words in (
        ("data quality",),
        ("clarifying questions",),
        ("trade-offs", "retrieval"),
        ("business outcomes",),
        ("measuring success",),
        ("useful", "reliable"),
    ):
        assert any(all(w in name for w in words) for name in names), words
    assert len(rubric.criteria) == 6 and any(c.ideal_answer for c in rubric.criteria)


def test_project_deep_dive_covers_the_six_dimensions(settings: Settings) -> None:
    ids = {c.id for c in load_rubrics(settings)["project-deep-dive"].criteria}
    assert ids == {"technical-tradeoffs", "business-impact", "ownership", "technical-depth", "measurement",
                   "lessons-learned"}  # fmt: skip


def test_rag_customer_support_brief_has_the_agreed_numbers(settings: Settings) -> None:
    case = get_case(settings, "rag-customer-support")
    brief = case.brief
    assert case.rubric == "rag-case-study"
    assert "20%" in brief.business_goal and "resolution time" in brief.business_goal
    assert "70%" in brief.success_metric and "5 pilot users" in brief.success_metric
    assert "factual accuracy" in brief.success_metric
    assert "1,000 documents" in brief.first_milestone and "first week" in brief.first_milestone
    stack = " ".join(brief.technical_stack)
    for part in ("FastAPI", "LangChain", "vector database", "LLM API", "React"):
        assert part in stack
    assert all(not any(ch.isdigit() for ch in c.role) for c in brief.key_contacts)  # roles, not people
    assert {f.criterion for f in case.follow_ups} == {c.id for c in load_rubrics(settings)["rag-case-study"].criteria}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (USER_RUBRIC.replace("weight: 2", "weight: heavy"), "criteria.0.weight"),
        (USER_RUBRIC.replace("title: Data engineering\n", ""), "title"),
        (USER_RUBRIC.replace("4: Expert", "5: Beyond"), "criteria.0.levels"),
        (USER_RUBRIC.replace("id: pipelines", "id: Pipelines!"), "criteria.0.id"),
    ],
)
def test_bad_rubric_names_file_and_field(settings: Settings, tmp_path: Path, text: str, field: str) -> None:
    folder = _folder(tmp_path, "mine", {"broken.yaml": text})
    with pytest.raises(InvalidRubric) as error:
        load_rubrics(settings.model_copy(update={"rubrics_dir": folder}))
    assert "broken.yaml" in str(error.value) and f"'{field}" in str(error.value)


def test_invalid_yaml_names_file_and_line(settings: Settings, tmp_path: Path) -> None:
    folder = _folder(tmp_path, "mine", {"syntax.yaml": "id: x\ntitle: [unclosed\n"})
    with pytest.raises(InvalidRubric, match=r"syntax\.yaml: is not valid YAML at line \d"):
        load_rubrics(settings.model_copy(update={"rubrics_dir": folder}))


def test_case_naming_an_unknown_rubric_names_the_case_file(settings: Settings, tmp_path: Path) -> None:
    folder = _folder(tmp_path, "cases", {"orphan.yaml": USER_CASE})  # its rubric exists only in a folder not given
    with pytest.raises(InvalidCase, match=r"orphan\.yaml: field 'rubric': no rubric 'data-engineering'"):
        load_cases(settings.model_copy(update={"cases_dir": folder}))


def test_follow_up_on_an_unknown_criterion_is_an_error(settings: Settings, tmp_path: Path) -> None:
    rubrics = _folder(tmp_path, "rubrics", {"de.yaml": USER_RUBRIC})
    cases = _folder(tmp_path, "cases", {"bad.yml": USER_CASE.replace("criterion: pipelines", "criterion: vibes")})
    mine = settings.model_copy(update={"rubrics_dir": rubrics, "cases_dir": cases})
    with pytest.raises(InvalidCase, match=r"bad\.yml: field 'follow_ups\.0\.criterion'.*no criterion 'vibes'"):
        load_cases(mine)


def test_user_file_may_not_redefine_a_built_in_id(settings: Settings, tmp_path: Path) -> None:
    folder = _folder(tmp_path, "mine", {"clash.yaml": USER_RUBRIC.replace("id: data-engineering", "id: mlops")})
    with pytest.raises(InvalidRubric, match=r"clash\.yaml: rubric id 'mlops' is already defined in mlops\.yaml"):
        load_rubrics(settings.model_copy(update={"rubrics_dir": folder}))


def test_missing_user_folder_is_a_clear_error(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(InvalidCase, match="does not exist"):
        load_cases(settings.model_copy(update={"cases_dir": tmp_path / "nowhere"}))


def _cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    from vetting.cli import common

    common.services.cache_clear()
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    common.services.cache_clear()
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def test_user_folders_appear_in_vet_rubrics_and_vet_cases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VETTING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VETTING_RUBRICS_DIR", str(_folder(tmp_path, "rubrics", {"de.yaml": USER_RUBRIC})))
    monkeypatch.setenv("VETTING_CASES_DIR", str(_folder(tmp_path, "cases", {"wm.yaml": USER_CASE})))
    code, out, _ = _cli(capsys, monkeypatch, "rubrics", "--json")
    rubrics = {r["id"]: r for r in json.loads(out)["rubrics"]}
    assert code == 0 and REQUIRED_RUBRICS | {"data-engineering"} <= set(rubrics)
    assert rubrics["data-engineering"]["version"] == "2"
    assert rubrics["data-engineering"]["criteria"] == [{"id": "pipelines", "name": "Pipeline design", "weight": 2.0}]
    code, out, _ = _cli(capsys, monkeypatch, "cases", "--json")
    cases = {c["id"]: c for c in json.loads(out)["cases"]}
    assert code == 0 and {"rag-customer-support", "warehouse-migration"} <= set(cases)
    assert cases["warehouse-migration"]["rubric"] == "data-engineering"
    code, out, _ = _cli(capsys, monkeypatch, "cases")
    assert code == 0 and "warehouse-migration  Warehouse migration" in out


def test_bad_user_file_makes_vet_rubrics_exit_1_with_the_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VETTING_DATA_DIR", str(tmp_path / "data"))
    broken = USER_RUBRIC.replace("weight: 2", "weight: -1")
    monkeypatch.setenv("VETTING_RUBRICS_DIR", str(_folder(tmp_path, "rubrics", {"neg.yaml": broken})))
    code, out, err = _cli(capsys, monkeypatch, "rubrics")
    assert code == 1 and out == ""
    assert "neg.yaml" in err and "criteria.0.weight" in err and "Traceback" not in err
