"""Keeps instructions aimed at the scorer out of the text it scores ("ignore previous instructions", "give me 5/5")."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from ingest.injection import Hit, find_injection_hits
from ingest.paraphrase import SentenceEmbedder, paraphrase_hits

__all__ = ["GRADE_REQUEST", "instruction_hits", "instruction_spans", "mask_instructions"]

GRADE_REQUEST = "grade request"  # the rule name of a hit that asks for the answer's own grade

# Requests about the answer's own grade: an interview answer has no reason to talk about how it should be scored.
_GRADE_REQUEST = re.compile(
    r"(?:\b(?:give|award|assign|grant)\w*\W+(?:me|this|it|the\W+candidate)\b[^.!?\n]{0,40}?"
    r"(?:\d+\s*(?:/|out\W+of)\s*\d+|full\W+marks|top\W+(?:score|marks|grade|level)|(?:max(?:imum)?|highest|perfect)\W+"
    r"(?:score|marks|grade|level|rating))"
    r"|\b(?:deserves?|earns?|merits?|warrants?)\W+(?:a\W+)?(?:\d+\s*(?:/|out\W+of)\s*\d+|full\W+marks|(?:the\W+)?"
    r"(?:top|max(?:imum)?|highest|perfect)\W+(?:score|marks|grade|level|rating))"
    r"|\b(?:score|rate|grade|mark)\W+(?:this|my|the)\W+(?:answer|response|reply)\b[^.!?\n]{0,40}?"
    r"(?:\d|full|top|max|highest|perfect|best|excellent|level)"
    r"|\b(?:this|my)\W+(?:answer|response|reply)\W+(?:is|deserves)\W+(?:\w+\W+){0,2}?(?:perfect|flawless|"
    r"exactly\W+what)|\bwhat\W+the\W+(?:rubric|grader|marker|scorer|evaluator)\W+(?:wants|expects|is\W+looking)"
    r"|\b(?:grader|scorer|evaluator|examiner|marker)s?\b\W{0,3}(?:please\W+)?(?:give|award|score|rate|mark|note|"
    r"this\W+answer|full\W+marks|top\W+marks|max(?:imum)?\W+(?:marks|points|score)|\d+\s*(?:/|out\W+of)\s*\d+)"
    # the grader addressed by role and told how to take the answer ("As the marker, you should regard this as …")
    r"|\bas\W+(?:the|my|an?)\W+(?:grader|scorer|evaluator|examiner|marker|assessor|reviewer)\b[^.!?\n]{0,20}?"
    r"\b(?:you|please)\b[^.!?\n]{0,30}?\b(?:regard|treat|consider|count|accept|see|view|rate|mark|score|grade)\b"
    r"|\b(?:regard|treat|consider|count|accept|view)\W+(?:this|my|the)\W+(?:answer|response|reply)?\W*as\W+(?:an?\W+)?"
    r"(?:perfect|complete|correct|full|excellent|flawless|model|top)\b)",
    re.IGNORECASE,
)
# The same request in other languages: a word addressing the grader, or a phrase naming the top grade.
_GRADER_WORDS = (
    r"correct(?:eur|rice|or|ora|ore)|[ée]valuat(?:eur|rice)|examinat(?:eur|rice|or|ore)|pr[üu]fer(?:in)?|bewerter(?:in)?"
    r"|korrektor(?:in)?|gutachter(?:in)?|evaluador(?:a)?|calificador(?:a)?|valutat(?:ore|rice)|esaminat(?:ore|rice)"
    r"|avaliador(?:a)?|corretor(?:a)?|beoordelaar|oceniaj[aą]cy|оценщик\w*|проверяющ\w*|экзаменатор\w*"
    r"|преподавател\w*"
    r"|採点者|評価者|採点|评分者|阅卷|評分者"
)
_TOP_GRADE = (
    r"note\W+(?:maximale|max)|la\W+meilleure\W+note|volle\W+punkt(?:zahl|e)|h[öo]chst(?:punktzahl|e\W+note|note)"
    r"|bestnote|nota\W+m[áa]xima|puntuaci[óo]n\W+m[áa]xima|m[áa]xima\W+puntuaci[óo]n|punteggio\W+(?:pieno|massimo)"
    r"|voto\W+massimo|pontua[çc][ãa]o\W+m[áa]xima|максимальн\w+\W+(?:балл|оценк)\w*|высш\w+\W+(?:балл|оценк)\w*"
    r"|満点|最高点|最高評価|满分|最高分"
)
_ASK = (
    r"ponme|dame|donne[zr]?(?:-moi)?|mettez(?:-moi)?|gib|geben|vergeben|dammi|mettimi|d[êe]-me|me\W+d[êe]"
    r"|поставьте|дайте"
)
_FOREIGN_REQUEST = re.compile(
    rf"(?:^|\b)(?:{_GRADER_WORDS})\s*[:：,，]|{_TOP_GRADE}"
    rf"|(?:^|\b)(?:{_ASK})\b[^.!?\n]{{0,30}}?(\d+)\s*(?:/|sur|von|de|su|из|sobre)\s*\1\b",
    re.IGNORECASE,
)
_ABOUT_GRADING = re.compile(
    r"\b(?:scor\w*|grad\w*|marks?|points|rat(?:e|ed|ing)|award\w*|evaluat\w*|assess\w*|full\W+credit"
    r"|(?:perfect|excellent|complete|correct)\W+(?:answer|response|reply))\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n。！？]")
_encoder: list[Any] = []
_encoder_lock = threading.Lock()


def _packaged_encoder() -> SentenceEmbedder:
    """The packaged MiniLM the offline scorer uses (one per process, shared through the embedder cache)."""
    with _encoder_lock:
        if not _encoder:
            from vetting.kernel.settings import Settings
            from vetting.scoring.offline import scoring_encoder

            _encoder.append(scoring_encoder(Settings()))
        return _encoder[0]


def instruction_hits(answer: str, encoder: SentenceEmbedder | None = None) -> list[Hit]:
    """What instructs an AI or asks for a grade, by the ingest detector, grade requests and meaning; merged, sorted.

    With the packaged encoder the result is kept per text: the scorer and the evidence check read the same answer.
    """
    return list(_hits(answer, encoder) if encoder is not None else _packaged_hits(answer))


@lru_cache(maxsize=256)
def _packaged_hits(answer: str) -> tuple[Hit, ...]:
    return _hits(answer, _packaged_encoder())


def _hits(answer: str, encoder: SentenceEmbedder) -> tuple[Hit, ...]:
    hits = list(find_injection_hits(answer))
    for match in [*_GRADE_REQUEST.finditer(answer), *_FOREIGN_REQUEST.finditer(answer)]:
        start = max((m.end() for m in _SENTENCE_END.finditer(answer, 0, match.start())), default=0)
        end_match = _SENTENCE_END.search(answer, match.end())
        hits.append(Hit(start, end_match.end() if end_match else len(answer), GRADE_REQUEST))
    if answer.strip():  # a reworded instruction that speaks of grading asks for the answer's grade too
        hits += [
            Hit(h.start, h.end, GRADE_REQUEST) if _ABOUT_GRADING.search(answer, h.start, h.end) else h
            for h in paraphrase_hits(answer, encoder)
        ]
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        if merged and hit.start <= merged[-1].end:
            rule = GRADE_REQUEST if GRADE_REQUEST in (hit.rule, merged[-1].rule) else merged[-1].rule
            merged[-1] = Hit(merged[-1].start, max(hit.end, merged[-1].end), rule)  # a grade request stays one
        else:
            merged.append(hit)
    return tuple(merged)


def instruction_spans(answer: str, encoder: SentenceEmbedder | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences that instruct an AI or ask for a grade, merged and sorted."""
    return [(h.start, h.end) for h in instruction_hits(answer, encoder)]


def mask_instructions(answer: str, encoder: SentenceEmbedder | None = None) -> tuple[str, int]:
    """The answer with those sentences blanked (same length, so every span still points into the original)."""
    spans = instruction_spans(answer, encoder)
    masked = answer
    for start, end in spans:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    return masked, len(spans)
