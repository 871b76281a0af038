"""What every `vet` command shares: the Typer app, the services, JSON output and error exits."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from typing import Any, NoReturn

import typer

from vetting.kernel.settings import Settings
from vetting.services import Services

app = typer.Typer(
    name="vet",
    help="Interview and vetting assistant: ingest candidate documents, plan interviews, score answers, evaluate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@lru_cache(maxsize=1)
def services() -> Services:
    """The process's services, built from the environment on first use."""
    return Services(Settings())


def emit_json(payload: Any) -> None:
    """Print exactly one JSON object on stdout."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    sys.exit(code)
