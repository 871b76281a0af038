"""`vet score --batch`: one process, one output line per input line, bad lines reported and the rest scored."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from vetting.cli import main
from vetting.kernel.domain import CriterionScore, ScoreResult
from vetting.kernel.settings import Settings


class CountingScorer:
    """Stands in for the models: records each call and scores by answer length, so results differ per line."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.built: list[int] = []

    def score(self, rubric: Any, question: str, answer: str, **kwargs: Any) -> ScoreResult:
        self.calls.append({"rubric": rubric.id, "question": question, "answer": answer, **kwargs})
        if "explode" in answer:
            raise RuntimeError("model failure")
        chosen = [rubric.criterion(kwargs["criterion_id"])] if kwargs.get("criterion_id") else rubric.criteria
        level = float(min(rubric.scale.max, rubric.scale.min + len(answer) % 3))
        scores = [CriterionScore(c.id, level, "scored", 0.5, "r", [answer[:10]]) for c in chosen]
        return ScoreResult(rubric.id, rubric.version, (rubric.scale.min, rubric.scale.max), scores, "offline")


@pytest.fixture
def scorer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CountingScorer:
    from vetting.cli import common

    monkeypatch.setenv("VETTING_DATA_DIR", str(tmp_path / "data"))
    fake = CountingScorer()

    def services() -> Any:
        fake.built.append(1)
        return SimpleNamespace(settings=Settings(), scorer=fake)

    monkeypatch.setattr(common, "services", services)
    monkeypatch.setattr("vetting.cli.score_cmds.services", services)
    return fake


def _run(*args: str) -> int:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    return int(info.value.code or 0)


LINES = [
    {"id": "a1", "rubric": "backend-api", "criterion": "api-design", "question": "Q?", "answer": "Idempotency keys."},
    {"id": 2, "rubric": "backend-api", "question": "Q?", "answer": "Timeouts and retries.", "reference": "Ideal."},
    {"id": "bad-rubric", "rubric": "nope", "question": "Q?", "answer": "x"},
    {"id": "no-answer", "rubric": "backend-api", "question": "Q?"},
    {"id": "bad-criterion", "rubric": "backend-api", "criterion": "zzz", "question": "Q?", "answer": "x"},
    {"id": "typo", "rubric": "backend-api", "question": "Q?", "answer": "x", "refrence": "y"},
    {"id": "boom", "rubric": "backend-api", "question": "Q?", "answer": "explode"},
]


def test_batch_scores_every_good_line_and_reports_bad_ones(scorer: CountingScorer, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    text = "\n".join(json.dumps(line) for line in LINES[:2]) + "\n\nnot json\n"
    text += "\n".join(json.dumps(line) for line in LINES[2:]) + "\n"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out" / "results.jsonl"
    assert _run("score", "--batch", str(source), "--out", str(out)) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a1", 2, None, "bad-rubric", "no-answer", "bad-criterion", "typo", "boom"]
    first, second = rows[0], rows[1]
    assert first["rubric_id"] == "backend-api" and [c["criterion_id"] for c in first["criteria"]] == ["api-design"]
    assert len(second["criteria"]) == 6 and "error" not in second
    expected_keys = {"id", *ScoreResult("r", "1", (1, 4), [], "offline").to_dict()}
    assert set(first) == expected_keys and set(second) == expected_keys
    assert all(set(r) == {"id", "error"} for r in rows[2:])
    assert "line 4" in rows[2]["error"] and "JSON" in rows[2]["error"]
    assert "nope" in rows[3]["error"] and "answer" in rows[4]["error"] and "zzz" in rows[5]["error"]
    assert "refrence" in rows[6]["error"] and "RuntimeError" in rows[7]["error"]
    assert scorer.calls[1]["reference"] == "Ideal." and scorer.calls[0]["criterion_id"] == "api-design"
    assert len(scorer.built) == 1  # one set of services (and models) for the whole file


def test_batch_to_stdout(scorer: CountingScorer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + json.dumps(LINES[0]).encode() + b"\n\xff\xfe broken\n")
    assert _run("score", "--batch", str(source)) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["id"] == "a1" and rows[1] == {"id": None, "error": "line 2: not UTF-8 text"}


def test_unreadable_file_exits_1_and_writes_nothing(scorer: CountingScorer, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert _run("score", "--batch", str(tmp_path / "missing.jsonl"), "--out", str(out)) == 1
    assert not out.exists()


def test_batch_and_single_answer_flags_do_not_mix(scorer: CountingScorer, tmp_path: Path) -> None:
    assert _run("score", "--batch", str(tmp_path / "x.jsonl"), "--answer", "a") == 2
    assert _run("score", "--rubric", "backend-api", "--question", "q") == 2


def test_an_over_long_line_is_reported_and_skipped(scorer: CountingScorer, tmp_path: Path) -> None:
    from vetting.cli.batch import MAX_LINE_CHARS

    source = tmp_path / "in.jsonl"
    long_line = json.dumps({"id": "big", "rubric": "backend-api", "question": "Q", "answer": "x" * MAX_LINE_CHARS})
    source.write_text(long_line + "\n" + json.dumps(LINES[0]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert _run("score", "--batch", str(source), "--out", str(out)) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {"id": None, "error": f"line 1: longer than {MAX_LINE_CHARS:,} bytes"}
    assert rows[1]["id"] == "a1" and len(scorer.calls) == 1
