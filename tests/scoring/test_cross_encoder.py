"""The shipped cross-encoder: loads from the package without torch, reads pairs jointly, int8 and described."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vetting.scoring.cross_encoder import CROSS_META, CROSS_MODEL

REPO = Path(__file__).resolve().parents[2]


def test_the_model_is_int8_onnx_and_describes_its_training() -> None:
    assert CROSS_MODEL.is_file() and CROSS_MODEL.stat().st_size < 40 * 1024 * 1024
    meta = json.loads(CROSS_META.read_text(encoding="utf-8"))
    assert meta["base_model"] == "all-MiniLM-L6-v2" and meta["precision"] == "int8"
    assert meta["int8_mean_abs_drift"] <= 0.03 and meta["max_tokens"] == 128
    assert {"negated", "keyword_bag", "copied_question", "shuffled", "off_topic", "padded", "graded"} <= set(
        meta["pairs"]
    )


def test_scores_pairs_in_a_fresh_process_without_importing_torch(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from vetting.scoring.cross_encoder import load_cross_encoder\n"
        "ce = load_cross_encoder()\n"
        "ref = 'A leaf is a node of a tree that has no children.'\n"
        "s = ce.predict([(ref, ref), (ref, 'I enjoy hiking in the mountains at the weekend.'), (ref, ref)])\n"
        "assert ((0 <= s) & (s <= 1)).all() and s[0] == s[2]\n"
        "assert s[0] > s[1] + 0.2, s\n"
        "assert 'torch' not in sys.modules\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETTING_")} | {"PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
