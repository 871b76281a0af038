"""Person names become a placeholder before any feature or model reads an answer: a name must never move a score."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

PLACEHOLDER = "[NAME]"

_WORD = r"[^\W\d_][\w'’.-]*"
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’-]*"
# phrases after which the next capitalised words are a person's name
_INTRO = re.compile(
    rf"(?:\b(?i:my name is|my name's|name is|call me|i am called|i'm called|signed|"
    rf"je m'appelle|me llamo|mi chiamo|ich heiße|ich heisse|meu nome é|mein name ist|mi nombre es)[ \t]*[:,]?[ \t]+)"
    rf"((?:{_CAP})(?:[ \t]+(?:{_CAP})){{0,2}})"
)
_CAP_RUN = re.compile(rf"{_CAP}(?:[ \t]+{_CAP}){{0,2}}")
_CLOSING = re.compile(
    r"(?:^|\n)[ \t]*(?i:best(?: regards| wishes)?|kind regards|regards|thanks|thank you|cheers|sincerely|"
    r"yours(?: truly| sincerely)?|warmly|cordially)[ \t]*[,!.]?[ \t]*(?:\n[ \t]*|[ \t]+)"
    rf"((?:{_CAP})(?:[ \t]+(?:{_CAP})){{0,2}})[ \t]*[.!]?[ \t]*$"
)
_SIGN_DASH = re.compile(rf"(?:^|\n)[ \t]*(?:--?|—|–)[ \t]*((?:{_CAP})(?:[ \t]+(?:{_CAP})){{0,2}})[ \t]*$")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text` (same length is not guaranteed; see `_folded`)."""
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        chars.append(folded)
        origin += [index] * len(folded)
    return "".join(chars), origin


def _given_spans(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of the given names (full forms and their parts of 2+ letters), case- and accent-insensitive."""
    forms: set[str] = set()
    for name in names:
        words = [w.strip(".,'’-") for w in fold(name).split()]
        words = [w for w in words if w]
        if not words:
            continue
        forms.add(" ".join(words))
        forms.update(w for w in words if len(w) >= 2)
        for part in words:
            forms.update(p for p in re.split(r"[-'’]", part) if len(p) >= 2)
    if not forms:
        return []
    folded, origin = _folded(text)
    ordered = sorted(forms, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in ordered) + r")(?!\w)"
    )
    spans = []
    for m in pattern.finditer(folded):
        if m.end() > m.start():
            spans.append((origin[m.start()], origin[m.end() - 1] + 1))
    return spans


def _pattern_spans(text: str) -> list[tuple[int, int]]:
    """Names the text introduces itself: "my name is X", sign-offs such as "Best, X", "— X" on the last line."""
    spans = []
    for regex in (_INTRO, _CLOSING, _SIGN_DASH):
        for m in regex.finditer(text):
            start, end = m.span(1)
            words = list(re.finditer(_CAP, text[start:end]))
            keep = [w for w in words if not is_technical(w.group(0))]
            if keep and keep[0].start() == 0:
                # stop at the first technical word: "my name is Ana and I use Kafka" keeps only "Ana"
                last = keep[0]
                for w in words[1:]:
                    if is_technical(w.group(0)):
                        break
                    last = w
                spans.append((start, start + last.end()))
    return spans


_TECHNICAL_TERMS = (
    """python java javascript typescript kotlin scala rust go golang ruby perl php swift julia haskell elixir erlang
    clojure dart lua matlab fortran cobol kafka redis docker kubernetes helm terraform ansible chef puppet jenkins
    spark flink hadoop hive airflow dagster prefect luigi celery django flask fastapi rails spring laravel react vue
    angular svelte node deno bun postgres postgresql mysql mongodb cassandra dynamodb elasticsearch opensearch kibana
    grafana prometheus datadog sentry nginx apache linux unix windows mac macos ios android aws azure gcp heroku
    vercel netlify pinecone weaviate milvus qdrant chroma faiss langchain llamaindex openai anthropic claude gemini
    llama mistral bert gpt pytorch tensorflow keras jax numpy pandas polars scikit sklearn xgboost lightgbm catboost
    mlflow kubeflow sagemaker vertex databricks snowflake bigquery redshift dbt looker tableau excel git github
    gitlab bitbucket jira confluence slack zoom teams notion figma graphql grpc rest kafka rabbitmq zeromq nats
    pulsar kinesis lambda fargate ec2 s3 celery sidekiq resque memcached varnish envoy istio linkerd consul vault
    nomad packer vagrant zookeeper etcd raft paxos cuda triton onnx hugging huggingface ollama vllm ray dask
    streamlit gradio jupyter colab sql nosql api http https json yaml xml csv html css"""
)
_TECHNICAL = frozenset(_TECHNICAL_TERMS.split())


def is_technical(word: str) -> bool:
    """True for the name of a language, tool, product or format, which is never masked as a person's name."""
    folded = fold(word.strip("'’.-"))
    return folded in _TECHNICAL or any(part in _TECHNICAL for part in re.split(r"[-'’.]", folded))


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans, and spans separated only by blanks ("Ana" + "Silva"), merged into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip(" \t")):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def name_spans(text: str, names: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Spans of `text` that are person names: the given ones and those the text itself reveals."""
    return _merge(_given_spans(text, names) + _pattern_spans(text), text)


def mask_person_names(text: str, names: Sequence[str] = ()) -> str:
    """`text` with every person name it contains (the given `names` and detected ones) replaced by "[NAME]"."""
    out, last = [], 0
    for start, end in name_spans(text, names):
        out += [text[last:start], PLACEHOLDER]
        last = end
    out.append(text[last:])
    return "".join(out)
