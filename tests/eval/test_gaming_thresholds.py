"""`vet eval gaming` on the questions the shipped model never trained on passes every one of its thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gaming import GAMING_KINDS, PARAPHRASE
from vetting.cli import main


@pytest.mark.slow
def test_gaming_kinds_score_low_and_paraphrases_high_on_unseen_questions(
    shared_data: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "gaming", "--data", str(shared_data), "--json"])
    kinds = json.loads(capsys.readouterr().out)["kinds"]
    assert set(kinds) == {*GAMING_KINDS, PARAPHRASE}
    for kind in GAMING_KINDS:
        assert kinds[kind]["n"] >= 10 and kinds[kind]["mean_normalized"] <= 0.20, (kind, kinds[kind])
    assert kinds[PARAPHRASE]["mean_normalized"] >= 0.70 and kinds[PARAPHRASE]["insufficient_share"] <= 0.10
    assert exit_info.value.code == 0
