"""Name lists of the two studies, seeded sampling, and swapping a name through a whole document."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from eval.names import (
    PersonName,
    bertrand_mullainathan_names,
    bloomberg_names,
    mentions,
    sample_by_group,
    swap_name,
)
from eval.swap import mask_name

OLD = PersonName("Bruce", "Wayne")
NEW = PersonName("Lakisha", "Washington", "Black women")

CV = """BRUCE WAYNE
Bruce Wayne | bwayne@email.com | github.com/brucewayne | linkedin: bwayne | bruce.wayne@gmail.com
Mr. Wayne led the Wayne Enterprises data team. Bruce built dashboards; Wayne's reports went to the board.
Brucewaynefan is not a name and Bruceton is a town."""


def test_swap_replaces_every_form_of_the_name() -> None:
    swapped = swap_name(CV, OLD, NEW)
    assert swapped.splitlines()[0] == "LAKISHA WASHINGTON"
    assert "Lakisha Washington | lwashington@email.com | github.com/lakishawashington" in swapped
    assert "linkedin: lwashington |" in swapped
    assert "lakisha.washington@gmail.com" in swapped
    assert "Mr. Washington led the Washington Enterprises" in swapped
    assert "Lakisha built dashboards; Washington's reports" in swapped
    assert "Brucewaynefan is not a name and Bruceton is a town" in swapped  # other words are left alone
    assert mentions(swapped, OLD) == 0 and mentions(CV, OLD) == 10


def test_mask_name_hides_the_name_for_comparisons() -> None:
    assert mask_name("Ask Lakisha Washington about Lakisha's work", NEW) == "Ask <NAME> about <NAME>'s work"
    assert mask_name("unchanged", None) == "unchanged"


def test_bloomberg_list_has_100_names_per_group(shared_data: Path) -> None:
    names = bloomberg_names(shared_data / "fairness")
    counts = Counter(n.group for n in names)
    assert len(names) == 800 and set(counts.values()) == {100} and len(counts) == 8
    assert all(n.first[0].isupper() and n.first[1:].islower() for n in names[:50])


def test_bertrand_mullainathan_names_get_seeded_race_typical_surnames(shared_data: Path) -> None:
    first = bertrand_mullainathan_names(shared_data / "fairness", seed=7)
    again = bertrand_mullainathan_names(shared_data / "fairness", seed=7)
    assert first == again and len(first) == 36
    assert {n.group for n in first} == {"Black men", "Black women", "White men", "White women"}
    lakisha = next(n for n in first if n.first == "Lakisha")
    assert lakisha.group == "Black women" and lakisha.source == "Bertrand & Mullainathan 2004"


def test_sampling_is_per_group_and_reproducible(shared_data: Path) -> None:
    names = bloomberg_names(shared_data / "fairness")
    picked = sample_by_group(names, 3, seed=1)
    assert Counter(n.group for n in picked) == Counter({g: 3 for g in {n.group for n in names}})
    assert picked == sample_by_group(names, 3, seed=1) != sample_by_group(names, 3, seed=2)
