"""Instruction phrase families beyond the English core: six languages, paraphrases, grade requests, squashed forms."""

from __future__ import annotations

__all__ = ["EXTRA_PATTERNS", "SQUASHED_STEMS"]

_W = r"[\W_]+"
_ANY = rf"(?:{_W}\w+){{0,5}}?{_W}"  # up to five words in between
_SCORE = r"(?:\d+(?:[.,]\d+)?\s*(?:/|von|sur|de|di|van|out\W+of|su|op)\s*\d+)"

# Per language (matched on folded text: lower case, accents dropped): verbs of overriding, nouns for instructions,
# verbs of rating, words for the candidate and for a top score, and "you are now".
_LANGUAGES: dict[str, dict[str, str]] = {
    "de": {
        "override": r"ignorier\w*|vergiss|vergessen\s+sie|missacht\w*|uberschreib\w*|verwirf|auss?er\s+kraft",
        "instructions": r"anweisung\w*|instruktion\w*|anordnung\w*|befehl\w*|vorgabe\w*|richtlinie\w*|regeln|prompts?",
        "rate": r"bewerte\w*|benote\w*|gib|geben\s+sie|vergib",
        "candidate": r"kandidat\w*|bewerber\w*|lebenslauf\w*|person",
        "top": rf"hochst\w*|best\w*|volle\w*|maximal\w*|hervorragend\w*|{_SCORE}|10",
        "role": r"du\W+bist\W+(?:jetzt|nun|ab\W+sofort)|sie\W+sind\W+(?:jetzt|nun)|neue\W+anweisungen?\s*:",
    },
    "fr": {
        "override": (
            r"ignore[rz]|ignore(?=\W+(?:les|toutes|tout|ces|vos|tes)\b)|oublie[rz]?|neglige[rz]?|"
            r"ne\W+tenez\W+pas\W+compte\W+d\w*|fais\W+abstraction\W+d\w*"
        ),
        "instructions": r"instructions?|consignes?|directives?|regles|prompts?|indications?",
        "rate": r"(?:e|a)value[rz]?|note[rz]?|donne[rz]?|attribue[rz]?|accorde[rz]?|classe[rz]?",
        "candidate": r"candidat\w*|cv|profil|postulant\w*",
        "top": rf"maxim\w*|meilleur\w*|excellent\w*|parfait\w*|plus\W+haut\w*|{_SCORE}|20|10",
        "role": r"(?:tu\W+es|vous\W+etes)\W+(?:maintenant|desormais)|nouvelles?\W+instructions?\s*:",
    },
    "es": {
        "override": r"ignora[rd]?|olvida[rd]?|omite|descarta|haz\W+caso\W+omiso\W+de|no\W+sigas",
        "instructions": r"instrucciones|instruccion|indicaciones|directrices|ordenes|reglas|prompts?",
        "rate": r"califica\w*|puntua\w*|evalua\w*|valora\w*|da(?:le)?|otorga\w*|asigna\w*",
        "candidate": r"candidat[oa]s?|curriculum|cv|perfil|postulante",
        "top": rf"maxim\w*|mejor\w*|excelente\w*|perfect\w*|mas\W+alt\w*|{_SCORE}|10",
        "role": r"ahora\W+(?:eres|es\W+usted)|a\W+partir\W+de\W+ahora\W+eres|nuevas\W+instrucciones\s*:",
    },
    "pt": {
        "override": (
            r"ignorar|ignora|ignore(?=\W+(?:as|todas|os|todos)\b)|esquec[ae]r?|desconsider[ae]r?|despreza\w*|"
            r"nao\W+sig[ae]"
        ),
        "instructions": r"instrucoes|instrucao|orientacoes|diretrizes|ordens|regras|prompts?",
        "rate": r"avali[ae]r?|classifiqu?e|pontu[ae]r?|atribu[ai]\w*|conced[ae]",
        "candidate": r"candidat[oa]s?|curriculo|cv|perfil",
        "top": rf"maxim\w*|melhor\w*|excelente\w*|perfeit\w*|mais\W+alt\w*|{_SCORE}|10",
        "role": r"agora\W+(?:voce\W+e|es)|a\W+partir\W+de\W+agora\W+voce|novas\W+instrucoes\s*:",
    },
    "it": {
        "override": r"ignora(?:re)?|dimentica(?:re)?|trascura(?:re)?|non\W+seguire|scarta(?:re)?",
        "instructions": r"istruzioni|istruzione|indicazioni|direttive|regole|ordini|prompts?",
        "rate": r"valuta(?:re)?|classifica(?:re)?|assegna(?:re)?|dai|attribuisci|concedi",
        "candidate": r"candidat[oaie]|curriculum|cv|profilo",
        "top": rf"massim\w*|miglior\w*|eccellent\w*|perfett\w*|piu\W+alt\w*|{_SCORE}|10",
        "role": r"ora\W+sei|adesso\W+sei|d'?ora\W+in\W+poi\W+sei|nuove\W+istruzioni\s*:",
    },
    "nl": {
        "override": r"negeer|vergeet|negeren|vergeten|sla\W+\w+\W+over|volg\W+\w+\W+niet",
        "instructions": r"instructies?|aanwijzingen|opdrachten|richtlijnen|regels|prompts?",
        "rate": r"beoordeel|waardeer|geef|scoor|ken\W+\w+\W+toe",
        "candidate": r"kandida(?:at|te|ten)|sollicitant\w*|cv|profiel",
        "top": rf"hoogst\w*|best\w*|maximal\w*|uitstekend\w*|perfect\w*|{_SCORE}|10",
        "role": r"je\W+bent\W+nu|jij\W+bent\W+nu|u\W+bent\W+nu|vanaf\W+nu\W+ben\W+je|nieuwe\W+instructies\s*:",
    },
}


def _family(lang: str, words: dict[str, str]) -> dict[str, str]:
    o, i, r, c, t = words["override"], words["instructions"], words["rate"], words["candidate"], words["top"]
    return {
        f"override instructions ({lang})": rf"\b(?:{o})\b{_ANY}(?:{i})\b|\b(?:{i})\b{_ANY}(?:{o})\b(?=\W*(?:[.!]|$))",
        f"rate this candidate ({lang})": rf"\b(?:{r})\b{_ANY}(?:{c})\b{_ANY}(?:{t})\b",
        f"role change ({lang})": rf"\b(?:{words['role']})",
    }


_PRIOR = r"(?:previous|prior|earlier|above|preceding|original|former|old|initial|foregoing|existing)"
_NOUNS = r"(?:instructions?|guidance|guidelines|directions|directives?|rules|prompts?|orders|briefing|criteria)"
_VOID = (
    r"(?:(?:null\W+and\W+)?void|null|invalid|cancell?ed|revoked|rescinded|obsolete|superseded|overridden|withdrawn|"
    r"(?:no\W+longer|not)\W+(?:valid|apply|applies|applicable|in\W+(?:effect|force)|binding|relevant|matter|count))"
)

EXTRA_PATTERNS: dict[str, str] = {
    **{name: rx for lang, words in _LANGUAGES.items() for name, rx in _family(lang, words).items()},
    "instructions declared void": (
        rf"\b(?:all\W+|any\W+|the\W+|your\W+|my\W+)?{_PRIOR}{_W}(?:\w+{_W}){{0,2}}?{_NOUNS}\b{_W}(?:\w+{_W}){{0,4}}?"
        rf"(?:is|are|were|was|has{_W}been|have{_W}been|shall{_W}be|should{_W}be|must{_W}be)\b{_W}(?:now{_W}|hereby{_W}|"
        rf"henceforth{_W})?{_VOID}\b|"
        rf"\b{_NOUNS}\b(?:{_W}\w+){{0,3}}?{_W}you\b(?:{_W}\w+){{0,4}}?{_W}(?:is|are|were|was|has{_W}been|have{_W}been)"
        rf"\b{_W}(?:now{_W}|hereby{_W})?{_VOID}\b"
    ),
    "grade request": (
        r"\b(?:grader|scorer|evaluator|examiner|marker|assessor|reviewer|judge|ai|model|llm)s?\s*[:,\-–]\s*(?:please\W+)?"
        r"(?:(?:give|award|assign|grant)\w*\W+(?:(?:this|the|my)\W+(?:answer|response|candidate)\W+|me\W+|it\W+)?)?"
        rf"(?:a\W+)?(?:{_SCORE}|full\W+(?:marks|points|score|credit)|top\W+(?:score|marks|grade)|max(?:imum)?\W+"
        r"(?:score|marks|points|grade)|perfect\W+score|highest\W+(?:score|grade|mark)s?|(?:a\W+)?pass(?:ing\W+grade)?\b)"
    ),
}

# Instruction stems looked for in spaced-out letters once squashed together ("i g n o r e a l l" → "ignoreall").
SQUASHED_STEMS = (
    r"(?:ignore|disregard|forget|override|bypass)(?:all|any|the|your|every|of)*(?:previous|prior|above|earlier|system)*"
    r"(?:instruction|prompt|guidance|direction|rule)|(?:rate|score|grade|give)(?:this|the)(?:candidate|applicant|cv)|"
    r"youarenow|systemprompt|fullmarks|newinstructions|ignorieren?|ignorieresalles|vergissalles|oubliez?toutes"
)
