"""The `vet` command line: a thin door onto the same services the app uses. Commands live in `*_cmds.py` modules."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from vetting.cli.common import app, fail
from vetting.kernel.errors import VettingError


def _register_commands() -> None:
    """Import every `*_cmds` module in this package; each registers its commands on the shared `app`."""
    for module in pkgutil.iter_modules(__path__):
        if module.name.endswith("_cmds"):
            importlib.import_module(f"{__name__}.{module.name}")


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors exit 2, user-facing errors exit 1 with a message, never a traceback."""
    try:
        code = app(args=argv, prog_name="vet", standalone_mode=False)
    except typer.Abort:
        fail("Aborted.", code=130)
    except typer.TyperException as exc:  # the command line's own errors: usage errors exit 2
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"Error: {exc}", err=True)
        sys.exit(int(getattr(exc, "exit_code", 2)))
    except VettingError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("Interrupted.", code=130)
    except Exception as exc:  # last resort: a message, not a traceback
        fail(f"Unexpected error ({exc.__class__.__name__}): {exc}")
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]
