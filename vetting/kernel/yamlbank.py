"""Loading folders of YAML files into validated pydantic models, with errors that name the file and the field."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from vetting.kernel.errors import VettingError

M = TypeVar("M", bound=BaseModel)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: several times faster
_parsed: dict[tuple[str, int, int, type[BaseModel]], BaseModel] = {}  # (path, mtime, size, model) -> validated model


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        field = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"field '{field}': {message}" if field else message)  # a whole-file rule names its own field
    return "; ".join(parts)


def load_model(path: Path, model: type[M], error: type[VettingError]) -> M:
    """Parse one YAML file into `model`; any problem raises `error` naming the file and the field.

    A file unchanged since it was last validated (same mtime and size) is not parsed again.
    """
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, model)
        if key in _parsed:
            return _parsed[key]  # type: ignore[return-value]
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a safe loader: plain data only
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path.name}: cannot be read ({exc.__class__.__name__}).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise error(f"{path.name}: is not valid YAML{where}.") from None
    if not isinstance(raw, dict):
        raise error(f"{path.name}: expected a mapping of fields at the top level.")
    try:
        item = model.model_validate(raw)
    except ValidationError as exc:
        raise error(f"{path.name}: {_describe(exc)}") from None
    _parsed[key] = item
    return item


def load_folder(
    folders: Iterable[Path],
    model: type[M],
    error: type[VettingError],
    what: str,
    check: Callable[[Path, M], None] | None = None,
) -> dict[str, M]:
    """Every `*.yaml`/`*.yml` in the folders, keyed by the model's `id`; later folders may not redefine an id.

    `check(path, item)` runs after validation for rules that span files; it raises `error` naming the file.
    """
    bank: dict[str, M] = {}
    origin: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            raise error(f"The {what} folder '{folder}' does not exist.")
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            item = load_model(path, model, error)
            if check is not None:
                check(path, item)
            key = str(getattr(item, "id"))  # noqa: B009 - every bank model has an id
            if key in bank:
                raise error(f"{path.name}: {what} id '{key}' is already defined in {origin[key].name}.")
            bank[key] = item
            origin[key] = path
    return bank
