"""How much a text reads like a sentence: a bigram model over function words, every other word one class.

Words in random order ("of reference the words"), keyword bags and fragments break the patterns function words make
in real sentences ("the <word> of", "is a <word>"), whatever the topic. The table is learned from the graded answers,
references and questions by `make train-scorer` and shipped as `artifacts/fluency.json`.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from vetting.scoring.text import STOP_WORDS

ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "fluency.json"
SMOOTHING = 0.1
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?|[.,;:!?()]")
_PUNCTUATION = frozenset(".,;:!?()")


def classes(text: str) -> list[str]:
    """The text as classes: each function word and punctuation mark itself, a number <n>, any other word <w>."""
    out = ["<s>"]
    for token in _TOKEN.findall(text):
        t = token.lower().replace("’", "'")
        out.append(t if t in STOP_WORDS or t in _PUNCTUATION else ("<n>" if t.isdigit() else "<w>"))
    return [*out, "</s>"]


@dataclass(frozen=True)
class Fluency:
    """Bigram counts over classes; `score` is the mean log-probability of a text's transitions."""

    bigrams: dict[tuple[str, str], int]
    unigrams: dict[str, int]

    @classmethod
    def fit(cls, texts: Iterable[str]) -> Fluency:
        bigrams: Counter[tuple[str, str]] = Counter()
        unigrams: Counter[str] = Counter()
        for text in sorted(set(texts)):
            seq = classes(text)
            for a, b in pairwise(seq):
                bigrams[a, b] += 1
                unigrams[a] += 1
        return cls(dict(bigrams), dict(unigrams))

    def score(self, text: str) -> float:
        seq = classes(text)
        if len(seq) < 3:
            return 0.0
        vocabulary = len(self.unigrams) + 1
        logs = [
            math.log((self.bigrams.get((a, b), 0) + SMOOTHING) / (self.unigrams.get(a, 0) + SMOOTHING * vocabulary))
            for a, b in pairwise(seq)
        ]
        return sum(logs) / len(logs)

    def save(self, path: Path = ARTIFACT) -> None:
        rows = [[a, b, n] for (a, b), n in sorted(self.bigrams.items())]
        path.write_text(json.dumps({"bigrams": rows}, separators=(",", ":")) + "\n", encoding="utf-8")


_active: list[Fluency] = []


def activate(table: Fluency) -> None:
    """Use `table` in this process from now on (training, before the new one is shipped)."""
    _active[:] = [table]


def active_fluency() -> Fluency:
    """The table features use: the one activated in this process, else the shipped one."""
    return _active[0] if _active else load_fluency()


@lru_cache(maxsize=4)
def load_fluency(path: Path = ARTIFACT) -> Fluency:
    """The shipped table (counts of class bigrams)."""
    from vetting.scoring.model import ArtifactMissing

    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["bigrams"]
    except (OSError, ValueError, KeyError) as exc:
        raise ArtifactMissing(
            f"The fluency table {path.name} is missing or unreadable; run `make train-scorer`."
        ) from exc
    bigrams = {(a, b): int(n) for a, b, n in rows}
    unigrams: Counter[str] = Counter()
    for (a, _), n in bigrams.items():
        unigrams[a] += n
    return Fluency(bigrams, dict(unigrams))
