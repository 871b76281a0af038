"""Word lists behind name detection: first and last names of many locales (Faker), dictionary and technical words."""

from __future__ import annotations

import importlib
import pkgutil
import re
import unicodedata
from functools import lru_cache

_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’-]{2,}$")

_UNDECOMPOSED = str.maketrans("ĐđØøŁłĦħ", "DdOoLlHh")  # letters NFKD does not split into base + accent

TECHNICAL_TERMS = """
python java javascript typescript kotlin scala rust go golang ruby perl php swift julia haskell elixir erlang
clojure dart lua matlab fortran cobol ada pascal crystal elm nim zig ocaml apex kafka redis docker kubernetes
helm terraform ansible chef puppet salt jenkins travis spark flink hadoop hive pig airflow dagster prefect
luigi celery django flask fastapi rails spring laravel express nest nuxt next remix astro ember backbone
jquery bootstrap tailwind webpack vite babel react vue angular svelte node deno bun postgres postgresql mysql
mongodb cassandra dynamodb dynamo elasticsearch elastic opensearch kibana logstash lucene solr grafana
prometheus datadog sentry nginx apache tomcat jetty maven gradle bazel linux unix windows mac macos ios
android aws azure gcp heroku vercel netlify pinecone weaviate milvus qdrant chroma vespa faiss annoy langchain
llamaindex haystack ragas openai anthropic claude sonnet opus haiku gemini gemma llama mistral falcon phi qwen
grok copilot alexa siri watson bert gpt pytorch tensorflow keras jax numpy pandas polars scikit sklearn
xgboost lightgbm catboost optuna mlflow kubeflow sagemaker vertex databricks snowflake bigquery redshift
athena aurora neptune glue dbt looker tableau superset metabase excel git github gitlab bitbucket jira
confluence slack zoom teams notion figma graphql grpc rest rabbitmq zeromq nats pulsar kinesis lambda fargate
beanstalk consul vault nomad packer vagrant zookeeper etcd raft paxos cuda triton onnx huggingface ollama vllm
ray dask arrow parquet avro delta iceberg hudi presto trino druid pinot clickhouse impala hbase phoenix oracle
teradata spanner bigtable firebase firestore supabase cockroach vitess argo flux istio envoy linkerd keda
knative pulumi spinnaker tekton buildkite teamcity bamboo octopus sonar snyk trivy falco splunk dynatrace
honeycomb jaeger zipkin loki thanos cortex nagios zabbix pagerduty opsgenie jupyter colab streamlit gradio
plotly bokeh dash shiny jasmine mocha jest karma cypress selenium playwright puppeteer sql nosql api http
https json yaml xml csv html css oauth saml jwt max min
"""


def fold(word: str) -> str:
    """Lower-case, accents removed: the form in which lexicon entries and words of a text are compared."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


TECHNICAL = frozenset(TECHNICAL_TERMS.split())


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Words an English dictionary (Webster's 2nd, via english-words) lists in lower case: "will", "link", "hence"."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False) if w.islower()) | TECHNICAL


def is_common(word: str) -> bool:
    """True for a dictionary word (or its plural): a name-like one ("Mark") counts as a name only before a surname."""
    folded = fold(word)
    words = common_words()
    return folded in words or (folded.endswith("s") and folded[:-1] in words)


def _attribute(provider: type, attr: str) -> object:
    for klass in provider.__mro__:
        if attr in klass.__dict__:
            value = klass.__dict__[attr]
            return None if isinstance(value, property) else value
    return None


@lru_cache(maxsize=1)
def person_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """Folded first names and last names of every Faker locale written in Latin script (about 0.7 s, once)."""
    import faker.providers.person as person

    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        if provider is None:
            continue
        for attr, into in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("first_romanized_names", first),
            ("last_names", last),
            ("last_romanized_names", last),
        ):
            value = _attribute(provider, attr)
            if isinstance(value, dict | list | tuple | set | frozenset):
                into.update(fold(str(n)) for n in value if _LATIN.match(str(n)))
    return frozenset(first), frozenset(last)
