"""Names for name-swap audits (Bloomberg 2024, Bertrand & Mullainathan 2004) and swapping a name through a document."""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from vetting.kernel.errors import VettingError

BLOOMBERG_GROUPS = {"W": "White", "B": "Black", "A": "Asian", "H": "Hispanic"}
BM_SURNAME_POOL = 20  # B&M give first names only: each is paired with one of the 20 surnames most specific to its race


@dataclass(frozen=True)
class PersonName:
    """A first and last name, and the demographic group the name is associated with in its source study."""

    first: str
    last: str
    group: str = ""
    source: str = ""

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def race(self) -> str:
        return self.group.split(" ", 1)[0]

    @property
    def sex(self) -> str:
        return self.group.split(" ", 1)[1] if " " in self.group else ""


def _title(word: str) -> str:
    """Title-case a name written in capitals, keeping Mc/Mac/O' forms readable (MCDONALD -> McDonald)."""
    word = word.strip().capitalize()
    word = re.sub(r"^(Mc|O')([a-z])", lambda m: m.group(1) + m.group(2).upper(), word)
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


def bloomberg_names(fairness_dir: Path) -> list[PersonName]:
    """The 800 names of Bloomberg's 2024 GPT hiring test: 100 per race (W, B, A, H) and sex."""
    names: list[PersonName] = []
    for sex, file in (("men", "top_mens_names.json"), ("women", "top_womens_names.json")):
        path = fairness_dir / "bloomberg_2024" / file
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise VettingError(f"Cannot read the Bloomberg name list {path.name}: {exc.__class__.__name__}.") from None
        for code, race in BLOOMBERG_GROUPS.items():
            for full in data.get(code, []):
                first, _, last = full.partition(" ")
                names.append(PersonName(_title(first), _title(last), f"{race} {sex}", "Bloomberg 2024"))
    return names


def census_surnames(fairness_dir: Path) -> list[dict[str, str]]:
    """Rows of the 2010 Census top-1000 surnames (title and note rows skipped)."""
    path = fairness_dir / "bloomberg_2024" / "Names_2010Census_Top1000.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = handle.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("SURNAME,"))
    return [row for row in csv.DictReader(lines[start:]) if row.get("SURNAME") and row.get("RANK")]


def _share(row: dict[str, str], race: str) -> float:
    column = next(c for c in row if c.startswith("PERCENT") and race.upper() in c and "LATINO" in c)
    try:
        return float(row[column])
    except ValueError:
        return 0.0  # suppressed "(S)" cells


def bertrand_mullainathan_names(fairness_dir: Path, seed: int) -> list[PersonName]:
    """The 36 first names of Bertrand & Mullainathan (2004), each with a Census surname typical of its race (seeded)."""
    surnames = census_surnames(fairness_dir)
    pools = {
        race: [r["SURNAME"] for r in sorted(surnames, key=lambda r: -_share(r, race))[:BM_SURNAME_POOL]]
        for race in ("white", "black")
    }
    rng = random.Random(seed)
    path = fairness_dir / "bertrand_mullainathan_2004" / "first_names.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = []
    for row in rows:
        race, sex = row["race"].strip().lower(), row["sex"].strip().lower()
        last = _title(rng.choice(pools[race]))
        group = f"{race.capitalize()} {'men' if sex == 'male' else 'women'}"
        names.append(PersonName(row["first_name"].strip(), last, group, "Bertrand & Mullainathan 2004"))
    return names


def sample_by_group(names: list[PersonName], per_group: int, seed: int) -> list[PersonName]:
    """`per_group` names from each group, drawn with a fixed seed, in group order."""
    rng = random.Random(seed)
    groups: dict[str, list[PersonName]] = {}
    for name in names:
        groups.setdefault(name.group, []).append(name)
    chosen: list[PersonName] = []
    for group in sorted(groups):
        pool = groups[group]
        chosen += rng.sample(pool, min(per_group, len(pool)))
    return chosen


def _same_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template.islower():
        return word.lower()
    return word


def swap_name(text: str, old: PersonName, new: PersonName) -> str:
    """`text` with every mention of `old` (full, first, last, in e-mails, handles and URLs) replaced by `new`."""
    pairs = [(old.first, new.first), (old.last, new.last)]
    compact = [
        (f"{old.first}.{old.last}", f"{new.first}.{new.last}"),
        (f"{old.first}{old.last}", f"{new.first}{new.last}"),
        (f"{old.first[:1]}{old.last}", f"{new.first[:1]}{new.last}"),
        (old.first, new.first),
        (old.last, new.last),
    ]

    def in_token(match: re.Match[str]) -> str:
        token = match.group(0)
        for before, after in compact:
            if len(before) >= 3:
                token = re.sub(re.escape(before.lower()), after.lower().replace(" ", ""), token, flags=re.IGNORECASE)
        return token

    # e-mail addresses, URLs and handles first (lower-case compact forms), then whole words in the prose
    text = re.sub(r"\S*[@/]\S*|\b[\w.-]+\.(?:com|org|net|edu|io|dev|me)\b", in_token, text)
    for before, after in compact[:3]:  # bare handles such as "bwayne" or "brucewayne"
        text = re.sub(rf"(?<!\w){re.escape(before)}(?!\w)", after.lower(), text, flags=re.IGNORECASE)
    for before, after in pairs:
        text = re.sub(
            rf"(?<![\w@./-]){re.escape(before)}(?![\w@-])",
            lambda m, after=after: _same_case(m.group(0), after),  # type: ignore[misc]
            text,
            flags=re.IGNORECASE,
        )
    return text


def mentions(text: str, name: PersonName) -> int:
    """How many times the first or last name still appears as a whole word (0 after a complete swap)."""
    return sum(
        len(re.findall(rf"(?<!\w){re.escape(part)}(?!\w)", text, flags=re.IGNORECASE))
        for part in (name.first, name.last)
        if len(part) >= 2
    )
