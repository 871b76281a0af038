"""`vet llm-check` and `vet audit` as a user runs them: real processes, a loopback endpoint, plain-word errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.llm.stub import StubServer

VET = Path(sys.executable).with_name("vet")


def vet(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VETTING_")}
    clean.update({"VETTING_DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run(
        [str(VET), *args], cwd=tmp_path, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_audit_and_export_through_the_command_line(tmp_path: Path) -> None:
    stub = StubServer().start()
    try:
        stub.reply('{"ready": true, "word": "ready"}')
        endpoint = {"VETTING_LLM_BASE_URL": stub.url, "VETTING_LLM_MODEL": "stub-model", "VETTING_LLM_API_KEY": "sk-x1"}
        checked = vet(tmp_path, "llm-check", "--json", **endpoint)
        assert checked.returncode == 0, checked.stderr
        report = json.loads(checked.stdout)
        assert report["engine"] == "llm:stub-model" and report["structured_output"] == "json_schema"
        assert report["personal_data"] == "redacted before sending"
    finally:
        stub.stop()

    down = vet(tmp_path, "llm-check", **endpoint, VETTING_LLM_MAX_RETRIES="0")
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert down.stderr.strip() == (
        f"Error: The language model at {stub.url} could not be reached: the server is down or the address is wrong."
    )

    listed = vet(tmp_path, "audit", "list")
    lines = listed.stdout.splitlines()
    assert listed.returncode == 0 and len(lines) == 3  # header, the failed call, the good call
    assert "error" in lines[1] and "could not be reached" in lines[1] and " ok " in lines[2]

    exported = vet(tmp_path, "audit", "export", "--format", "csv", "--output", "calls.csv")
    assert exported.returncode == 0 and exported.stdout.strip() == "Wrote 2 call(s) to calls.csv."
    rows = list(csv.DictReader(io.StringIO((tmp_path / "calls.csv").read_text(encoding="utf-8"))))
    assert [r["status"] for r in rows] == ["error", "ok"] and rows[1]["output"] == '{"ready": true, "word": "ready"}'
    assert "sk-x1" not in (tmp_path / "calls.csv").read_text(encoding="utf-8")


def test_offline_check_says_nothing_leaves_the_machine(tmp_path: Path) -> None:
    result = vet(tmp_path, "llm-check")
    assert result.returncode == 0 and "nothing leaves this machine" in result.stdout
    bad = vet(tmp_path, "audit", "export", "--format", "xml")
    assert bad.returncode == 2 and "use json or csv" in bad.stderr
