"""Deep-dive questions a senior interviewer would ask about one claim for one rubric criterion, in the claim's words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rubrics import FACETS, Criterion
from vetting.planning import vocab
from vetting.planning.claims import NO_THING, Claim, ClaimKind
from vetting.planning.vocab import ARTEFACT_NOUNS, FACET_CUES, LEAD_VERBS, find_tech

# Words in a criterion's id, name and description that reveal its facet when the rubric does not set one.
_FACET_WORDS: dict[str, tuple[str, ...]] = {
    "tradeoffs": ("trade-off", "tradeoff", "alternative", "choice", "choos", "compar", "design", "decision"),
    "business": ("business", "impact", "outcome", "value", "cost", "revenue", "customer", "roi", "user value"),
    "ownership": ("ownership", "owner", "own ", "initiative", "accountab", "leadership", "human"),
    "depth": ("depth", "internals", "understand", "how it works", "technical", "reproducib", "tool"),
    "measurement": ("measur", "metric", "evaluat", "success", "test", "monitor"),
    "lessons": ("lesson", "learn", "reflect", "retrospect", "mistake", "hindsight"),
    "data": ("data", "quality", "feature", "label", "dataset"),
    "clarifying": ("clarif", "question", "requirement", "scope", "framing", "problem", "decompos"),
    "reliability": ("reliab", "production", "failure", "robust", "useful", "incident", "resilien"),
    "security": ("security", "privacy", "risk", "compliance", "guardrail", "safety"),
}

# How well a kind of claim lends itself to each facet (added to the retrieval score when pairing claims with criteria).
AFFINITY: dict[str, dict[ClaimKind, float]] = {
    "tradeoffs": {"decision": 0.35, "built": 0.2, "improved": 0.15, "metric": 0.1, "led": 0.05, "result": 0.05},
    "business": {"metric": 0.35, "result": 0.3, "improved": 0.25, "built": 0.1, "led": 0.05, "decision": 0.05},
    "ownership": {"led": 0.35, "built": 0.2, "decision": 0.15, "improved": 0.1, "metric": 0.1, "result": 0.0},
    "depth": {"built": 0.3, "decision": 0.25, "improved": 0.2, "metric": 0.1, "result": 0.1, "led": 0.0},
    "measurement": {"metric": 0.35, "result": 0.35, "improved": 0.25, "built": 0.1, "decision": 0.05, "led": 0.0},
    "lessons": {"improved": 0.2, "decision": 0.2, "built": 0.2, "led": 0.15, "metric": 0.1, "result": 0.05},
    "data": {"built": 0.2, "metric": 0.15, "improved": 0.15, "decision": 0.15, "result": 0.1, "led": 0.0},
    "clarifying": {"built": 0.2, "led": 0.15, "metric": 0.15, "decision": 0.1, "improved": 0.1, "result": 0.05},
    "reliability": {"built": 0.2, "improved": 0.2, "decision": 0.15, "metric": 0.15, "result": 0.1, "led": 0.0},
    "security": {"built": 0.2, "decision": 0.15, "improved": 0.1, "metric": 0.05, "led": 0.05, "result": 0.05},
}


@dataclass(frozen=True)
class Template:
    """A question about a whole quoted claim for one facet; its only slots are checked values of that claim."""

    text: str
    kinds: tuple[ClaimKind, ...] = ()  # empty: any kind
    artefact: bool = False  # the claim must be about something built (a system, model, app ...), not an activity
    not_kinds: tuple[ClaimKind, ...] = ()
    outcome: bool = False  # {metric} must be an outcome (20%, users), not a size (300 pods)

    @property
    def slots(self) -> set[str]:
        return set(re.findall(r"{(\w+)}", self.text))

    def fits(self, claim: Claim) -> bool:
        return (
            self.slots <= slot_values(claim).keys()
            and (not self.kinds or claim.kind in self.kinds or ("led" in self.kinds and leads(claim)))
            and claim.kind not in self.not_kinds
            and not ("led" in self.not_kinds and leads(claim))
            and (not self.artefact or is_artefact(claim))
            and (not self.outcome or not is_scale(claim))
        )


_T = Template
_LED: tuple[ClaimKind, ...] = ("led",)
# Every question refers back to the quoted claim ("there", "that work") instead of re-using a cut-out piece of it.
TEMPLATES: dict[str, tuple[Template, ...]] = {
    "tradeoffs": (
        _T("What did you decide against there, and what tipped the decision?", ("decision",)),
        _T("Why {tech} there? Which alternative did you rule out, and what did that choice cost you?"),
        _T("What did you have to give up to reach {metric}, and would you make that trade again?", ("metric",)),
        _T("Walk me through the main trade-off you made there: which design did you reject, and why?", artefact=True),
        _T("Which constraint shaped that work the most, and which option did it rule out?", not_kinds=_LED),
    ),
    "business": (
        _T(
            "What did {metric} mean for the business, and who relied on that number?",
            ("metric", "result"),
            outcome=True,
        ),
        _T("How much did that improve, measured how, and what did it change for the business?", ("improved",)),
        _T("Who used what you built there day to day, and what changed for them once it was live?", artefact=True),
        _T("Why was that work worth doing at the time, and how would you put a number on its value?", not_kinds=_LED),
    ),
    "ownership": (
        _T("Which decisions in that team were yours alone, and which one did you have to argue for?", _LED),
        _T("Which part of that did you personally design or build, and which parts came from others?", artefact=True),
        _T("What was the hardest call you made there without being asked to, and how did it play out?"),
    ),
    "depth": (
        _T("What had to hold technically to reach {metric}, and what broke first as it grew?", ("metric",)),
        _T("What was the hardest technical problem there, and how did {tech} help or get in the way?", artefact=True),
        _T("What was the hardest technical problem you hit there, and how did you solve it?"),
        _T("Where does that design reach its limits, and what would break first at ten times the load?", artefact=True),
    ),
    "measurement": (
        _T("How did you arrive at {metric}: what was the baseline, and how was it measured?", ("metric", "result")),
        _T("How did you know that worked: what did you measure, and against what baseline?"),
    ),
    "lessons": (
        _T("What went wrong along the way there, and what did you change in how you work afterwards?"),
        _T("Looking back at that work, what would you do differently today, and why?"),
    ),
    "data": (
        _T("Where did the data behind {metric} come from, and how did you check it was right?", ("metric", "result")),
        _T("What data did that depend on, and what problems did you find in it before you could trust it?"),
    ),
    "clarifying": (
        _T("What was unclear about the goal there at the start, and how did you pin it down?", not_kinds=_LED),
        _T("What did the team need to find out before building anything, and how did you get the answers?", _LED),
    ),
    "reliability": (
        _T(
            "What happened the first time it failed in use, and what did you build to catch or contain it?",
            artefact=True,
            not_kinds=_LED,
        ),
        _T("How did you keep that working as it grew: what did you monitor, and what did it catch?", artefact=True),
    ),
    "security": (
        _T("What were the security or privacy risks there, and what did you do about them?"),
        _T("Who could access what in that system, and how did you enforce it?", artefact=True),
    ),
}

LEAD_INS = ("You wrote: “{quote}”", "Your documents say: “{quote}”", "You mention: “{quote}”")
_GENERAL = ("tradeoffs", "depth", "measurement")
LAST_RESORT = Template(
    "What exactly was your part in that, which decision was hardest, and how did you know it worked?"
)
_SCALE = re.compile(
    r"pods|servers|nodes|clusters|requests|queries|records|rows|events|messages|transactions|documents|pages|images|"
    r"devices|calls|services|repositories"
)
MISFIT = 0.3  # the criterion's own questions do not suit the claim: prefer another pairing


def facet_of(criterion: Criterion) -> str:
    """The facet a criterion probes: set in the rubric, else inferred from its id, name and description."""
    if criterion.facet:
        return criterion.facet
    head = f"{criterion.id} {criterion.name}".lower().replace("-", " ")
    body = criterion.description.lower()
    scores = {
        facet: sum(3 * head.count(w.strip()) + body.count(w.strip()) for w in words)
        for facet, words in _FACET_WORDS.items()
    }
    best = max(FACETS, key=lambda f: (scores.get(f, 0), -FACETS.index(f)))
    return best if scores.get(best, 0) > 0 else "depth"


def is_artefact(claim: Claim) -> bool:
    """True when the claim's object is something built (a system, model, app ...) rather than an activity."""
    words = {w.lower().strip(",.") for w in claim.thing.split()}
    return bool(words & ARTEFACT_NOUNS) or bool(find_tech(claim.thing)) or claim.thing[:1].isupper()


def leads(claim: Claim) -> bool:
    """True when the claim is about leading people ("Led a team of 5 ..."), whatever else it reports."""
    return claim.verb in LEAD_VERBS


def is_scale(claim: Claim) -> bool:
    """True when the claim's figure measures size or load (pods, requests) rather than an outcome."""
    return bool(claim.metric and _SCALE.search(claim.metric))


def fits_facet(facet: str, claim: Claim) -> bool:
    """True when the facet itself (not a general fallback) has a question that suits the claim."""
    return any(t.fits(claim) for t in TEMPLATES.get(facet, ()))


def claim_fit(facet: str, claim: Claim) -> float:
    """How good a claim is for asking about a facet: kind affinity, cue words, concrete detail, a fitting question."""
    lowered = claim.quote.lower()
    cues = sum(1 for cue in FACET_CUES.get(facet, ()) if cue in lowered)
    detail = 0.05 * bool(claim.tech) + 0.05 * bool(claim.metric) + 0.05 * (claim.thing != NO_THING)
    misfit = 0.0 if fits_facet(facet, claim) else MISFIT
    return AFFINITY.get(facet, AFFINITY["depth"]).get(claim.kind, 0.0) + min(cues, 3) * 0.06 + detail - misfit


def slot_values(claim: Claim) -> dict[str, str]:
    """The values a question may name besides the whole quote, each a complete token the claim itself contains.

    {metric}: a whole figure the metric pattern matched in the claim ("30%", "50K+ transactions");
    {tech}: a technology name the claim names. Nothing cut out of the claim's prose is ever a slot.
    """
    values: dict[str, str] = {}
    if claim.metric and is_figure(claim.metric) and claim.metric in claim.quote:
        values["metric"] = f"“{claim.metric}”"
    tech = find_tech(claim.quote)
    if tech:
        values["tech"] = tech[0]
    return values


def usable_templates(facet: str, claim: Claim) -> list[Template]:
    """Templates of the facet the claim suits, most specific first; the general facets when none does."""
    for name in (facet, *_GENERAL):
        fitting = [t for t in TEMPLATES.get(name, ()) if t.fits(claim)]
        if fitting:
            return fitting
    return [LAST_RESORT]


def write_question(facet: str, claim: Claim, used: set[str], position: int) -> str:
    """The whole claim quoted, then one open question about it for the facet (no template twice in a plan)."""
    options = usable_templates(facet, claim)
    template = next((t for t in options if t.text not in used), options[0])
    used.add(template.text)
    lead = LEAD_INS[position % len(LEAD_INS)].format(quote=claim.quote)
    stop = " " if claim.quote[-1:] in ".!?" else ". "
    return f"{lead}{stop}{template.text.format(**slot_values(claim))}"


def is_figure(text: str) -> bool:
    """A whole match of the metric pattern that holds a number ("30%", "4M+ daily active users")."""
    return vocab.METRIC.fullmatch(text) is not None and re.search(r"\d", text) is not None
