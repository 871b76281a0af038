"""The one seam to language models: chat models from settings, structured output, embeddings over the wire."""

from vetting.llm.callbacks import audited_chat_model
from vetting.llm.chat import fence, make_chat_model
from vetting.llm.embedder import OpenAIEmbedder
from vetting.llm.structured import EngineResult, LanguageModel, StructuredLLM, with_fallback
from vetting.llm.wire import schema_instructions

__all__ = [
    "EngineResult",
    "LanguageModel",
    "OpenAIEmbedder",
    "StructuredLLM",
    "audited_chat_model",
    "fence",
    "make_chat_model",
    "schema_instructions",
    "with_fallback",
]
