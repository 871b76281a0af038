"""Registry of generated files that hide text the way Word, PDF, Markdown and disguised instructions allow."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["TRICKS", "Trick", "tricks"]


@dataclass(frozen=True)
class Trick:
    """One generated file: `hidden` must never reach a chunk; a control is a visible look-alike never to be flagged."""

    name: str
    fmt: str  # 'pdf'|'docx'|'md'|'txt'|'json'
    hidden: str  # marker phrase that must never reach a chunk
    make: Callable[[], bytes]
    control: bool = False  # visible look-alike that must not be flagged
    flag: str = ""  # the flag kind expected ("" accepts any flag)
    clean: Callable[[], bytes] | None = None  # the same file without the hidden part, for comparing plans

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.fmt}"


_MODULES = ("eval.hiding.docx:DOCX_TRICKS", "eval.hiding.markdown:MD_TRICKS", "eval.hiding.injections:INJECTION_TRICKS",
            "eval.hiding.pdf:PDF_TRICKS")  # fmt: skip


def tricks() -> tuple[Trick, ...]:
    """Every trick of every family whose generator module is present (a missing family is simply not listed)."""
    found: list[Trick] = []
    for spec in _MODULES:
        module_name, attribute = spec.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        found.extend(getattr(module, attribute, ()))
    names = [t.name for t in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"trick names must be unique: {', '.join(duplicates)}")
    return tuple(found)


def __getattr__(name: str) -> tuple[Trick, ...]:
    """`TRICKS` is collected on first use, so the families can import `Trick` from here without a cycle."""
    if name == "TRICKS":
        return tricks()
    raise AttributeError(name)
