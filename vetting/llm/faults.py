"""Endpoint faults in plain words: every failure of the wire becomes one `LLMError` a recruiter can act on."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from vetting.kernel.errors import LLMError

_CONTEXT_WORDS = re.compile(r"context[ _](?:length|window)|maximum context|too many tokens|prompt is too long", re.I)
_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|\bschema\b", re.IGNORECASE)


def public_url(url: str | None) -> str:
    """The endpoint as it may be shown and logged: no user, password or query string."""
    if not url:
        return "https://api.openai.com/v1"
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _status(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    return code if isinstance(code, int) else None


def _body_text(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    message = getattr(exc, "message", "")
    return f"{message} {body}" if body else str(message or exc)


def rejects_response_format(exc: BaseException) -> bool:
    """True when the endpoint refused the request because of the structured-output format it was asked for."""
    return _status(exc) in (400, 404, 422, 500, 501) and bool(_FORMAT_WORDS.search(_body_text(exc)))


def describe_fault(exc: BaseException, *, url: str, model: str, timeout_s: float, retries: int) -> LLMError:
    """One `LLMError` whose message says what went wrong with the endpoint and what to check; never a traceback."""
    import openai

    where = f"The language model at {public_url(url)}"
    tried = f" (after {retries + 1} tries)" if retries else ""
    code = _status(exc)
    if isinstance(exc, openai.APITimeoutError):
        text = (
            f"{where} did not answer within {timeout_s:g} seconds{tried}. It may be overloaded or the model too slow."
        )
    elif isinstance(exc, openai.APIConnectionError):
        text = f"{where} could not be reached{tried}: the server is down or the address is wrong."
    elif isinstance(exc, openai.AuthenticationError):
        text = f"{where} refused the API key (401). Check VETTING_LLM_API_KEY."
    elif isinstance(exc, openai.PermissionDeniedError):
        text = f"{where} denied access (403). The API key may lack access to model '{model}'."
    elif isinstance(exc, openai.NotFoundError):
        text = f"{where} does not know model '{model}' or the address is not an OpenAI-compatible endpoint (404)."
    elif isinstance(exc, openai.RateLimitError):
        text = f"{where} is limiting requests (429) and still refused{tried}. Wait a minute and try again."
    elif isinstance(exc, openai.InternalServerError) or (code is not None and code >= 500):
        text = f"{where} failed with a server error ({code}){tried}. Try again later or check the server's log."
    elif isinstance(exc, openai.APIStatusError) and _CONTEXT_WORDS.search(_body_text(exc)):
        text = f"{where} rejected the request ({code}): it is longer than the model's context window."
    elif isinstance(exc, openai.APIStatusError):
        text = f"{where} rejected the request ({code}). Check the model name and settings."
    elif isinstance(exc, openai.ContentFilterFinishReasonError):
        text = f"{where} withheld its answer (content filter)."
    else:
        text = f"{where} sent a reply that is not an OpenAI-compatible chat completion. Check that the address is "
        text += "the server's OpenAI-compatible base URL (usually ending in /v1)."
    return LLMError(text)
