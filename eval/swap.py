"""Documents for the name-swap audit: real CVs (extracted text) and Bloomberg's near-identical résumés with job ads."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from eval.corpus import Corpus
from eval.names import PersonName, mentions, swap_name
from vetting.kernel.errors import DocumentError
from vetting.kernel.settings import Settings

FAIRNESS_CVS = Path(__file__).resolve().parent / "fairness_cvs.yaml"


@dataclass(frozen=True)
class SwapDocument:
    """A document whose name can be swapped: its text, the name in it (None for a template) and a job ad if any."""

    id: str
    kind: str  # "real CV" or "Bloomberg résumé"
    source: Path
    text: str
    name: PersonName | None
    job: str | None = None

    def with_name(self, new: PersonName) -> str:
        """The same document naming `new` instead of its own name."""
        if self.name is None:
            return self.text.replace("{name}", new.full)
        return swap_name(self.text, self.name, new)

    def original(self) -> str | None:
        return self.text if self.name is not None else None


def real_cvs(corpus: Corpus, settings: Settings, count: int, seed: int) -> tuple[list[SwapDocument], list[str]]:
    """`count` real CVs drawn with the seed, as the app extracts them; a CV whose name cannot be swapped is left out."""
    from ingest.loaders import load_document

    listed = yaml.safe_load(FAIRNESS_CVS.read_text(encoding="utf-8"))
    picks = random.Random(seed).sample(listed, min(count, len(listed)))
    docs: list[SwapDocument] = []
    notes: list[str] = []
    probe = PersonName("Zelda", "Quixote")
    for entry in sorted(picks, key=lambda e: e["file"]):
        path = corpus.root / entry["file"]
        first, _, last = str(entry["name"]).partition(" ")
        name = PersonName(first, last)
        try:
            text = load_document(path, settings, filename=path.name).text
        except (DocumentError, OSError) as exc:
            notes.append(f"{path.name}: left out, it could not be read ({exc}).")
            continue
        if not mentions(text, name):
            notes.append(f"{path.name}: left out, the name '{name.full}' does not appear in its extracted text.")
            continue
        if mentions(swap_name(text, name, probe), name):
            notes.append(f"{path.name}: left out, part of the name survives the swap.")
            continue
        docs.append(SwapDocument(path.stem, "real CV", path, text, name))
    return docs, notes


def bloomberg_resumes(corpus: Corpus, per_job: int, seed: int) -> list[SwapDocument]:
    """`per_job` of the 8 near-identical résumés of each of Bloomberg's 4 jobs, drawn with the seed, with the job ad."""
    path = corpus.fairness_dir() / "bloomberg_2024" / "resumes_to_rank.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    docs: list[SwapDocument] = []
    for job in sorted(data):
        resumes = data[job]["resumes"]
        for index in sorted(rng.sample(range(len(resumes)), min(per_job, len(resumes)))):
            slug = re.sub(r"[^a-z0-9]+", "-", job.lower()).strip("-")
            docs.append(
                SwapDocument(f"{slug}-{index + 1}", "Bloomberg résumé", path, resumes[index], None, data[job]["jd"])
            )
    return docs


def mask_name(text: str, name: PersonName | None) -> str:
    """`text` with the name's parts replaced by a placeholder, so plans for different names can be compared."""
    if name is None:
        return text
    for part in (name.full, name.first, name.last):
        if len(part) >= 2:
            text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", "<NAME>", text, flags=re.IGNORECASE)
    return text
