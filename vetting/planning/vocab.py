"""Word lists the claim extractor reads CVs with: action verbs, result cues and technology names."""

from __future__ import annotations

import re


def word_set(text: str) -> frozenset[str]:
    """A set of the whitespace-separated words of `text` (keeps long lists readable)."""
    return frozenset(text.split())


# Verbs that open a claim of work done ("Built ...", "Led ...", "We'll use ...").
BUILD_VERBS = word_set(
    """
    build built builds building develop developed develops developing design designed designs designing implement
    implemented implements implementing create created creates creating launch launched launches deploy deployed
    deploys migrate migrated migrates architect architected re-architected rearchitected write wrote writes written
    ship shipped ships introduce introduced introduces establish established establishes train trained trains fine-
    tuned finetuned integrate integrated integrates deliver delivered delivers engineer engineered prototype
    prototyped devise devised rebuild rebuilt redesign redesigned refactor refactored automate automated automates
    containerized containerised orchestrate orchestrated maintain maintained maintains set setup configured
    configure provisioned provision port ported extend extended contribute contributed author authored pioneer
    pioneered transform transformed consolidate consolidated standardize standardized standardise standardised unify
    unified enable enabled model modeled modelled collect collected process processed serve served evaluate
    evaluated benchmark benchmarked research researched analyze analyzed analyse analysed visualize visualized
    conduct conducted run ran test tested use used uses utilize utilized utilise utilised leverage leveraged apply
    applied add added made make creating assist assisted implementing worked work co-developed co-designed co-
    founded founded found discovered fixed fix debugged diagnosed investigated store stores cache caches index
    indexes shard shards partition partitions replicate queue queues crawl crawls parse parses compute computes
    calculate calculates invent invented co-invented realize realized realise realised perform performed
    participated collaborated involved formed form contributed organized organised
    """
)
LEAD_VERBS = word_set(
    "lead led leading leads manage managed manages managing mentor mentored mentoring head headed supervise supervised "
    "coach coached direct directed hire hired recruited recruit founded co-founded own owned owns drove drive drives "
    "coordinated coordinate"
)
IMPROVE_VERBS = word_set(
    "improve improved improves improving optimize optimized optimizes optimise optimised reduce reduced reduces "
    "reducing increase increased increases boost boosted accelerate accelerated cut cuts save saved saves "
    "streamline streamlined enhance enhanced speed sped scale scaled scales grow grew lower lowered raise raised "
    "decrease decreased halved doubled tripled modernize modernized modernised"
)
ACTION_VERBS = BUILD_VERBS | LEAD_VERBS | IMPROVE_VERBS

# Words that may come before the verb: "I built", "We'll use", "Successfully launched", "Also created".
LEAD_IN_WORDS = word_set(
    "i we it this they i'll we'll i’ll we’ll i'd we'd also then later successfully personally jointly independently "
    "single-handedly primarily mainly actively continuously together initially subsequently currently formerly "
    "recently regularly am was have has had also"
)
MODALS = word_set("could would should will can might may must")

# Sentences that open with these are not project claims (publications, awards, coursework).
NOT_CLAIM_VERBS = word_set("published won awarded received earned graduated studied attended presented")

# Sections whose lines are never project claims.
SKIP_SECTIONS = word_set(
    """
    education skills technical-skills skills-&-expertise languages interests hobbies references certifications
    certificates coursework relevant-coursework awards honors honors-&-awards publications contact contact-
    information personal-information personal-details courses activities extracurricular-activities
    """
)

ARTEFACT_NOUNS = word_set(
    """
    system systems service services pipeline pipelines model models platform platforms app apps application
    applications api apis tool tools tooling dashboard dashboards library libraries framework frameworks engine
    engines infrastructure architecture database databases cluster clusters feature features product products
    website site bar editor algorithm algorithms backend frontend server servers integration integrations workflow
    workflows module modules component components sdk cli bot chatbot agent agents prototype mvp solution solutions
    network networks experiment experiments test tests testing classifier classifiers recommender recommendations
    search index cache queue warehouse lake etl job jobs process processes policy policies strategy modules
    interface interfaces portal campaign campaigns survey surveys environment environments migration deployment
    deployments dataset datasets benchmark benchmarks
    """
)

# Words that mark a decision between options.
DECISION_CUES = (
    "rather than",
    "instead of",
    "in favour of",
    "in favor of",
    "chose ",
    "decided ",
    "trade-off",
    "tradeoff",
)
ALTERNATIVE = re.compile(r"\b(?:rather than|instead of)\s+(?P<alt>[^,.;:()]{3,80})", re.IGNORECASE)

_METRIC_UNITS = (
    r"users|customers|clients|requests|queries|transactions|downloads|students|pods|servers|nodes|records|documents|"
    r"events|visitors|subscribers|accounts|tickets|orders|members|daily active users|monthly active users|devices|"
    r"sites|services|microservices|models|countries|markets|teams|repositories|pages|images|rows|messages|calls"
)
METRIC = re.compile(
    r"(?:"
    r"\b\d[\d.,]*\s?(?:%|percent\b)"
    r"|\b\d[\d.,]*\s?[x×](?=\W|$)"
    r"|[$€£]\s?\d[\d.,]*\s?(?:[kKmMbB]\b|million\b|billion\b)?"
    r"|\b\d[\d.,]*\+?\s?(?:k|K|M|thousand|million|billion)?\+?\s?(?:" + _METRIC_UNITS + r")\b"
    r"|\b\d[\d.,]*\s?(?:ms|milliseconds|seconds|secs|minutes|mins|hours|hrs|days|weeks)\b"
    r"|\b\d[\d.,]*\+?\s?(?:thousand|million|billion)\b"
    r"|\b(?:hundreds|thousands|millions|billions) of\s(?:[\w-]+\s){0,3}?(?:" + _METRIC_UNITS + r")\b"
    r"|\bhigh degree of accuracy\b|\b(?:state-of-the-art|world record)\b"
    r")"
)
# Numbers that are not results: team sizes, durations of employment.
NOT_METRIC_CONTEXT = re.compile(r"\b(?:team of|group of|years? of|months? of)\s*$", re.IGNORECASE)

RESULT_CUES = word_set(
    "accuracy precision recall latency throughput uptime availability revenue conversion retention engagement "
    "cost costs savings adoption churn sign-up signup satisfaction nps error errors faster slower performance "
    "efficiency"
)

# Word stems hinting that a claim speaks to a facet (checked on the lower-cased claim; "|" separates cues).
_FACET_CUES = {
    "tradeoffs": "migrat|instead|rather|chose|replac|evaluat|compar|architect|versus| vs",
    "business": "revenue|cost|users|customer|sign up|retention|engagement|business|saved|conversion|sales|growth",
    "ownership": "led |lead |leading|owned|founded|founding|managed|mentor|team|initiat|drove|establish",
    "depth": "algorithm|architect|design|implement|model|distributed|optimi|engine|protocol|internals|performance",
    "measurement": "a/b|test|metric|accuracy|benchmark|evaluat|measur|kpi|coverage|%|experiment|precision|recall",
    "lessons": "re-architect|rearchitect|rebuil|redesign|migrat|fixed|bug|refactor|rewr|improv",
    "data": "data|dataset|etl|pipeline|label|schema|warehouse|ingest|crawl|log|sql|feature",
    "clarifying": "user|stakeholder|requirement|client|product team|survey|research|customer|discover",
    "reliability": "reliab|uptime|availability|monitor|latency|scal|production|deploy|incident|fault|coverage|cluster",
    "security": "secur|compliance|sso|auth|encrypt|gdpr|firewall|privacy|permission|identity|licen",
}
FACET_CUES: dict[str, tuple[str, ...]] = {facet: tuple(cues.split("|")) for facet, cues in _FACET_CUES.items()}

# Technology names matched case-insensitively (distinctive spellings) ...
_TECH_ANY_CASE = """
Python TypeScript JavaScript Java Kotlin Scala Golang C++ C# Ruby PHP Rust Swift Haskell Elixir Clojure MATLAB Julia
Perl Bash SQL NoSQL PostgreSQL Postgres MySQL SQLite MongoDB Cassandra DynamoDB Redis Memcached Elasticsearch
OpenSearch Kafka RabbitMQ Pulsar Kinesis SQS SNS Hadoop HDFS MapReduce Hive Presto Trino Snowflake BigQuery Redshift
Databricks Airflow Dagster Prefect Luigi dbt Dataduct PySpark TensorFlow PyTorch Keras scikit-learn Scikit-learn
sklearn XGBoost LightGBM CatBoost pandas NumPy SciPy Jupyter MLflow Kubeflow SageMaker Vertex ONNX Triton
HuggingFace Hugging Face Transformers LangChain LlamaIndex LangGraph OpenAI GPT-4 GPT-3 GPT ChatGPT Llama BERT RAG
FAISS Pinecone Weaviate Qdrant Milvus Chroma ChromaDB pgvector Docker Kubernetes Helm Terraform Ansible Pulumi
ArgoCD Argo Kustomize Istio Cilium Consul Jenkins GitHub Actions GitLab CircleCI Prometheus Grafana Datadog Sentry
OpenTelemetry Nginx GraphQL gRPC REST API FastAPI Django Flask Express Node.js NodeJS React Next.js Vue Angular
Svelte Redux Tailwind HTML CSS Spring Rails Laravel AWS GCP Azure EC2 S3 Lambda EKS ECS Fargate CloudFront
CloudFormation Route53 Route 53 Graviton Okta Heroku Vercel Firebase Supabase Linux Unix Git Webpack Selenium
Playwright Cypress pytest JUnit Tableau Power BI Looker Excel Android iOS Unity OpenCV CUDA TPU GPU Beam Apache Beam
Apache Spark Flink Storm Zookeeper Celery Nomad Vault Salesforce SAP Stripe Twilio WebSockets WebSocket Hooks NLP
LLM LLMs
"""
# ... and names that are also ordinary words, matched only as written.
_TECH_EXACT = sorted(
    word_set("R Go Spark Swift Rust Beam Express Vue Hooks Chroma Vertex Argo Storm Vault Nomad Lambda Excel")
)


def _tech_terms() -> list[str]:
    terms = {t for t in _TECH_ANY_CASE.split() if t not in _TECH_EXACT}
    terms |= {"Hugging Face", "GitHub Actions", "Power BI", "Route 53", "Apache Beam", "Apache Spark", "Node.js"}
    return sorted(terms, key=len, reverse=True)


def _pattern(terms: list[str]) -> str:
    return r"(?<![\w.+#-])(?:" + "|".join(re.escape(t) for t in terms) + r")(?![\w+#]|\.\w)"


TECH_ANY_CASE = re.compile(_pattern(_tech_terms()), re.IGNORECASE)
TECH_EXACT = re.compile(_pattern(sorted(_TECH_EXACT, key=len, reverse=True)))
_CANONICAL = {t.lower(): t for t in _tech_terms()}


def find_tech(text: str) -> tuple[str, ...]:
    """Technology names in `text`, canonical spelling, in order of first appearance, without repeats."""
    found: list[tuple[int, str]] = []
    for match in TECH_ANY_CASE.finditer(text):
        found.append((match.start(), _CANONICAL.get(match.group(0).lower(), match.group(0))))
    for match in TECH_EXACT.finditer(text):
        found.append((match.start(), match.group(0)))
    names: list[str] = []
    for _, name in sorted(found):
        if name not in names and name not in ("API", "REST", "NLP", "LLM", "LLMs", "GPT"):
            names.append(name)
    return tuple(names)
