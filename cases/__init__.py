"""Case-study one-pagers: YAML files in this folder (and an optional user folder), validated by pydantic."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from vetting.kernel.errors import InvalidCase
from vetting.kernel.settings import Settings
from vetting.kernel.yamlbank import load_folder

BUILTIN_DIR = Path(__file__).resolve().parent


class Contact(BaseModel):
    """A key contact of the case, by role only (never a real person)."""

    model_config = ConfigDict(extra="forbid")
    role: str
    cares_about: str = ""


class Brief(BaseModel):
    """The one-page brief an interviewer hands the candidate."""

    model_config = ConfigDict(extra="forbid")
    context: str
    business_goal: str
    success_metric: str
    technical_stack: list[str] = Field(min_length=1)
    constraints: list[str] = Field(default_factory=list)
    key_contacts: list[Contact] = Field(default_factory=list)
    first_milestone: str


class FollowUp(BaseModel):
    """A follow-up question probing one criterion of the case's rubric."""

    model_config = ConfigDict(extra="forbid")
    criterion: str
    text: str


class Case(BaseModel):
    """A case study: the brief, the question put to the candidate, follow-ups, and the rubric that scores answers."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    rubric: str = Field(description="Id of the rubric used to score answers to this case.")
    brief: Brief
    prompt: str = Field(description="The case question put to the candidate.")
    follow_ups: list[FollowUp] = Field(default_factory=list)


def case_folders(settings: Settings) -> list[Path]:
    return [BUILTIN_DIR] + ([settings.cases_dir] if settings.cases_dir else [])


def load_cases(settings: Settings) -> dict[str, Case]:
    """All cases, built-in first, then the user's folder; a bad file raises InvalidCase naming file and field.

    A case must name a rubric that exists, and each follow-up a criterion of that rubric.
    """
    from rubrics import load_rubrics

    rubrics = load_rubrics(settings)

    def check(path: Path, case: Case) -> None:
        rubric = rubrics.get(case.rubric)
        if rubric is None:
            raise InvalidCase(
                f"{path.name}: field 'rubric': no rubric '{case.rubric}'. Available: {', '.join(sorted(rubrics))}."
            )
        known = [c.id for c in rubric.criteria]
        for index, follow_up in enumerate(case.follow_ups):
            if follow_up.criterion not in known:
                raise InvalidCase(
                    f"{path.name}: field 'follow_ups.{index}.criterion': rubric '{rubric.id}' has no criterion "
                    f"'{follow_up.criterion}'. Its criteria: {', '.join(known)}."
                )

    return load_folder(case_folders(settings), Case, InvalidCase, "case", check)


def get_case(settings: Settings, case_id: str) -> Case:
    bank = load_cases(settings)
    if case_id not in bank:
        raise InvalidCase(f"No case '{case_id}'. Available: {', '.join(sorted(bank)) or 'none'}.")
    return bank[case_id]
