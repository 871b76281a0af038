"""Key points of rubric criteria: every built-in criterion lists a few; files without them still load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rubrics import BUILTIN_DIR, Rubric, load_rubrics
from vetting.kernel.settings import Settings


def test_every_builtin_criterion_has_three_to_five_key_points() -> None:
    bank = load_rubrics(Settings())
    assert bank
    for rubric in bank.values():
        for c in rubric.criteria:
            assert 3 <= len(c.key_points) <= 5, f"{rubric.id}/{c.id}"
            for point in c.key_points:
                assert point[:1].isupper() and point.endswith("."), f"{rubric.id}/{c.id}: {point!r}"
                assert len(point.split()) >= 4, f"{rubric.id}/{c.id}: {point!r} is not a statement"
            assert len(set(c.key_points)) == len(c.key_points)


@pytest.mark.parametrize("path", sorted(BUILTIN_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_rubric_without_key_points_still_loads(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for c in data["criteria"]:
        c.pop("key_points", None)
    rubric = Rubric.model_validate(data)
    assert all(c.key_points == () for c in rubric.criteria)


def test_key_points_must_be_text() -> None:
    data = yaml.safe_load((BUILTIN_DIR / "backend-api.yaml").read_text(encoding="utf-8"))
    data["criteria"][0]["key_points"] = [{"nested": "mapping"}]
    with pytest.raises(ValueError, match="key_points"):
        Rubric.model_validate(data)
