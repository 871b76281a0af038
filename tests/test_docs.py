"""The README documents every setting, and documents nothing that is not a setting."""

from __future__ import annotations

import re

from tests.conftest import REPO
from vetting.kernel.settings import Settings


def _documented() -> set[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(VETTING_[A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))


def test_every_setting_is_in_the_readme() -> None:
    expected = {f"VETTING_{name.upper()}" for name in Settings.model_fields}
    missing = expected - _documented()
    assert not missing, f"settings missing from README.md: {sorted(missing)}"


def test_readme_documents_no_setting_that_does_not_exist() -> None:
    expected = {f"VETTING_{name.upper()}" for name in Settings.model_fields}
    stale = _documented() - expected
    assert not stale, f"README.md documents settings that no longer exist: {sorted(stale)}"


def test_every_setting_has_a_description() -> None:
    assert all(field.description for field in Settings.model_fields.values())
