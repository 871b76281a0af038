"""Imports point one way: doors → eval → services → ingest steps, banks, LLM seam → kernel; lazy imports included."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

# The allowed graph, written once. A module belongs to the longest component that prefixes its dotted name; it may
# import its own component and the components listed for it, nothing else of the project. `bench` and `tests` are free.
KERNEL = {"vetting.kernel"}
STEPS = KERNEL | {"ingest", "rubrics", "cases", "vetting.llm"}
SERVICES = STEPS | {"vetting"}
DOORS = KERNEL | {"rubrics", "cases", "vetting", "eval"}  # services and the banks they list; no step, no LLM seam
ALLOWED: dict[str, set[str]] = {
    "vetting.kernel": set(),
    "ingest": KERNEL,
    "rubrics": KERNEL,
    "cases": KERNEL | {"rubrics"},
    "vetting.llm": KERNEL,
    "vetting": STEPS,
    "eval": SERVICES,
    "ui": DOORS,
    "vetting.cli": DOORS,
    "app": {"ui"},
}
PROJECT = {"vetting", "ingest", "rubrics", "cases", "eval", "ui", "app", "bench", "tests"}
FREE = {"bench", "tests"}
STREAMLIT_ALLOWED = {"app", "ui"}
IMPORT_FREE = {"vetting", "vetting.kernel"}  # package markers: importing `vetting` must load nothing else


def component(module: str) -> str | None:
    """The component a dotted module name belongs to (None when it is not part of the project's graph)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in ALLOWED or prefix in FREE:
            return prefix
    return None


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module an AST imports, anywhere (top level, functions, TYPE_CHECKING blocks, import_module calls)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"import_module", "__import__"} and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def violations(root: Path) -> list[str]:
    """Every import under `root` that the graph does not allow, as `file:line: a -> b` lines."""
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0].startswith(".") or relative.parts[0] in {"data", "build"}:
            continue
        module = module_name(root, path)
        own = component(module)
        if own in FREE:
            continue
        if own is None:
            problems.append(f"{relative}: module {module} is in no component of the layering graph")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges = imported(tree, module, path.name == "__init__.py")
        if module in IMPORT_FREE and edges:
            problems.append(f"{relative}:{edges[0][0]}: {module} must import nothing")
        for line, target in edges:
            top = target.split(".")[0]
            if top == "streamlit" and own not in STREAMLIT_ALLOWED:
                problems.append(f"{relative}:{line}: {module} -> streamlit (only app.py and ui/ may)")
            if top not in PROJECT:
                continue
            theirs = component(target)
            if theirs != own and theirs not in ALLOWED[own]:
                problems.append(f"{relative}:{line}: {module} ({own}) -> {target} ({theirs})")
    return sorted(set(problems))


def test_no_import_points_the_wrong_way() -> None:
    problems = violations(REPO)
    assert not problems, "imports against the layering graph:\n" + "\n".join(problems)


def test_the_graph_names_only_real_components() -> None:
    for name in ALLOWED:
        assert (REPO / f"{name.replace('.', '/')}").is_dir() or (REPO / f"{name}.py").is_file(), name


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_wrong_import_is_caught_wherever_it_hides(tmp_path: Path) -> None:
    _write(tmp_path, "vetting/__init__.py", "")
    _write(tmp_path, "vetting/kernel/__init__.py", "")
    _write(tmp_path, "vetting/kernel/bad.py", "import vetting.store\n")
    _write(tmp_path, "ingest/lazy.py", "def f():\n    from vetting.services import Services\n    return Services\n")
    _write(tmp_path, "ingest/relative.py", "from ..vetting import journal\n")
    _write(tmp_path, "ingest/good.py", "from vetting.kernel.domain import Chunk\nfrom ingest import lazy\n")
    _write(tmp_path, "rubrics/__init__.py", "if TYPE_CHECKING:\n    from cases import Case\n")
    _write(tmp_path, "vetting/store.py", "import importlib\nimportlib.import_module('eval.corpus')\n")
    _write(tmp_path, "vetting/audit.py", "import streamlit as st\n")
    _write(tmp_path, "eval/corpus.py", "from ui import resources\n")
    _write(tmp_path, "ui/page.py", "import streamlit\nfrom vetting.cli import main\n")
    _write(tmp_path, "ui/upload.py", "from ingest.loaders import load_document\n")
    _write(tmp_path, "elsewhere/tool.py", "")
    found = "\n".join(violations(tmp_path))
    for expected in [
        "vetting.kernel.bad (vetting.kernel) -> vetting.store (vetting)",
        "ingest.lazy (ingest) -> vetting.services (vetting)",
        "rubrics (rubrics) -> cases (cases)",
        "vetting.store (vetting) -> eval.corpus (eval)",
        "vetting.audit -> streamlit",
        "eval.corpus (eval) -> ui (ui)",
        "ui.page (ui) -> vetting.cli (vetting.cli)",
        "ui.upload (ui) -> ingest.loaders (ingest)",
        "module elsewhere.tool is in no component",
    ]:
        assert expected in found, f"not caught: {expected}\n{found}"
    assert "ingest.good" not in found and "ui.page -> streamlit" not in found
    assert "ingest/relative.py" in found  # a relative import is resolved and checked like any other


def dict_assignments(root: Path) -> list[str]:
    """`x.__dict__[...] = ...` anywhere: dependencies go through the composition root's overrides instead."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                value = target.value if isinstance(target, ast.Subscript) else None
                if isinstance(value, ast.Attribute) and value.attr == "__dict__":
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_dependency_is_swapped_through_dunder_dict(tmp_path: Path) -> None:
    assert dict_assignments(REPO) == []
    _write(tmp_path, "pkg/mod.py", "services.__dict__['embedder'] = object()\n")
    assert dict_assignments(tmp_path) == ["pkg/mod.py:1"]
