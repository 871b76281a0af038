"""Every setting of the assistant, in one typed place, read from VETTING_* variables and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of the whole product; the README documents each field (a test keeps them in step)."""

    model_config = SettingsConfigDict(env_prefix="VETTING_", env_file=".env", extra="ignore")

    # --- storage -------------------------------------------------------------------------------------------------
    data_dir: Path = Field(Path("data"), description="Directory for the vector store, stored uploads and the database.")
    database_url: str | None = Field(
        None, description="SQLAlchemy database URL; default is a SQLite file `vetting.db` in the data directory."
    )
    chroma_host: str | None = Field(
        None, description="Chroma server host; when set, the store uses `HttpClient` instead of the embedded store."
    )
    chroma_port: int = Field(8000, description="Chroma server port (used with `VETTING_CHROMA_HOST`).")
    store_lock_timeout_s: float = Field(
        60.0, description="Seconds a writer waits for the embedded store before reporting 'store busy'."
    )

    # --- embeddings and chunking -----------------------------------------------------------------------------------
    embedding_model: str = Field(
        "all-MiniLM-L6-v2",
        description="Embedding model: `all-MiniLM-L6-v2` (weights shipped as a package), a local model directory, "
        "or a model name served by the OpenAI-compatible embeddings endpoint.",
    )
    embedding_backend: Literal["sentence-transformers", "openai"] = Field(
        "sentence-transformers",
        description="`sentence-transformers` runs locally; `openai` calls `/embeddings` at `VETTING_LLM_BASE_URL`.",
    )
    embedding_precision: Literal["fp32", "int8"] = Field(
        "fp32", description="`int8` uses a locally quantised ONNX export of the model (faster on CPU)."
    )
    embedding_batch_size: int = Field(32, ge=1, description="Chunks embedded per batch.")
    chunk_tokens: int = Field(200, ge=32, le=256, description="Chunk size in the embedding model's own tokens.")
    chunk_overlap: int = Field(40, ge=0, description="Tokens shared by consecutive chunks.")

    # --- uploads -----------------------------------------------------------------------------------------------------
    max_upload_mb: float = Field(20.0, gt=0, description="Largest accepted document, in megabytes.")
    max_pages: int = Field(60, ge=1, description="Most pages accepted in one PDF.")
    parse_timeout_s: float = Field(
        30.0, gt=0, description="Seconds allowed to parse one document before it is rejected."
    )

    # --- rubrics and cases -------------------------------------------------------------------------------------------
    rubrics_dir: Path | None = Field(None, description="Extra folder of rubric YAML files, added to the built-in ones.")
    cases_dir: Path | None = Field(
        None, description="Extra folder of case one-pager YAML files, added to the built-in ones."
    )

    # --- language model (optional) -----------------------------------------------------------------------------------
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp server); unset = offline engine."
    )
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the endpoint.")
    llm_api_key: SecretStr | None = Field(None, description="API key for the endpoint (never logged).")
    llm_temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature for LLM calls.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Seconds before an LLM call is abandoned.")
    llm_max_retries: int = Field(2, ge=0, description="Retries (with backoff) after a transient endpoint fault.")
    llm_max_tokens: int = Field(1024, ge=16, description="Most tokens an LLM reply may use.")
    llm_fallback: Literal["offline", "error"] = Field(
        "offline", description="What to do when the endpoint keeps failing: use the offline engine, or report an error."
    )
    llm_send_pii: bool = Field(
        False, description="Send names, e-mails, phones, URLs and addresses to the LLM unredacted (off by default)."
    )
    llm_max_attempts: int = Field(
        3, ge=1, le=10, description="Replies asked for per LLM task before giving up (an unusable one is sent back)."
    )
    llm_json_mode: Literal["auto", "json_schema", "json_object", "none"] = Field(
        "auto",
        description="Structured output: `json_schema` (OpenAI, vLLM, Ollama), `json_object` with a schema (llama.cpp), "
        "`none` (prompt only); `auto` tries them in that order.",
    )
    llm_system_messages: bool = Field(
        True, description="Send instructions as a system message; false folds them into the first user message."
    )

    @property
    def llm_enabled(self) -> bool:
        """True when an OpenAI-compatible endpoint is configured."""
        return bool(self.llm_base_url) or self.llm_api_key is not None

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force (SQLite under the data directory by default)."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'vetting.db').resolve()}"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings(...)` instead)."""
    return Settings()
