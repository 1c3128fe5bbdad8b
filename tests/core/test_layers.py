"""The layer rules of the house (ARCHITECTURE.md, CONTRIBUTING.md), read from the code's own imports.

Arrows only point down: composition root (`bot/app.py`, `bot/runtime.py`, `bot/cli.py`) → workflows
(`commands`) → domain services (`bot.*`) → the Sinch client (`bot.sinch`) → storage. The sandboxes of Sinch
and Slack, and the small server everything serves through (`serving`), import nothing of the bot.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The composition root: it builds everything, and only it may import the workflows.
COMPOSITION_ROOT = {"bot/app.py", "bot/runtime.py", "bot/cli.py"}


def imports_of(folder: str) -> Iterator[tuple[str, str]]:
    """(file, imported module) for every import in the `.py` files under `folder` (relative to the repo)."""
    for path in sorted((ROOT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT).as_posix(), alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path.relative_to(ROOT).as_posix(), node.module


def crossings(folder: str, forbidden: tuple[str, ...], *, allowed: tuple[str, ...] = ()) -> list[str]:
    """Imports from `folder` into any of the `forbidden` packages (unless into one of `allowed`); the
    composition root, which builds everything, is exempt."""
    return [
        f"{file} imports {module}"
        for file, module in imports_of(folder)
        if _within(module, forbidden) and not _within(module, allowed) and file not in COMPOSITION_ROOT
    ]


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


@pytest.mark.parametrize(
    ("folder", "forbidden", "allowed"),
    [
        ("storage", ("bot", "commands", "sandbox", "serving", "bench", "tests"), ()),
        ("bot/sinch", ("bot", "commands", "storage", "sandbox", "serving", "bench", "tests"), ("bot.sinch",)),
        ("sandbox/sinch", ("bot", "commands", "storage", "bench", "tests"), ()),
        ("sandbox/slack", ("bot", "commands", "storage", "bench", "tests"), ()),
        ("serving", ("bot", "commands", "storage", "sandbox", "bench", "tests"), ()),
        ("commands", ("sandbox", "bench", "tests"), ()),
        ("bot", ("sandbox", "bench", "tests"), ()),
        ("bench", ("tests",), ()),
    ],
)
def test_a_layer_imports_nothing_above_it(
    folder: str, forbidden: tuple[str, ...], allowed: tuple[str, ...]
) -> None:
    assert crossings(folder, forbidden, allowed=allowed) == []


def test_only_the_composition_root_imports_the_workflows() -> None:
    # Benchmarks, like tests, may measure a workflow's own functions.
    outside = [
        f"{file} imports {module}"
        for folder in ("bot", "storage", "sandbox", "serving")
        for file, module in imports_of(folder)
        if _within(module, ("commands",)) and file not in COMPOSITION_ROOT
    ]
    assert outside == []


def test_the_sinch_client_is_imported_through_its_package_only() -> None:
    reaching_in = [
        f"{file} imports {module}"
        for folder in ("bot", "commands", "sandbox", "bench")
        for file, module in imports_of(folder)
        if _within(module, ("bot.sinch",)) and module != "bot.sinch" and not file.startswith("bot/sinch/")
    ]
    assert reaching_in == []
