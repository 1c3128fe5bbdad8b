"""The configuration reference table in README.md, generated from `Settings` so the two cannot drift."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from bot.config import Settings

UNSET = "—"


def configuration_table(settings: type[BaseSettings] = Settings) -> str:
    """A Markdown table: each environment variable, its default and what it is for, in model order."""
    rows = ["| Variable | Default | Description |", "|---|---|---|"]
    for name, field in settings.model_fields.items():
        description = _cell(field.description or "")
        rows.append(f"| `{name.upper()}` | {default_text(field)} | {description} |")
    return "\n".join(rows) + "\n"


def default_text(field: FieldInfo) -> str:
    default = field.get_default(call_default_factory=True)
    if default is None or default == []:
        return UNSET
    if isinstance(default, bool):
        value = str(default).lower()
    elif isinstance(default, Enum):
        value = str(default.value)
    elif isinstance(default, Path):
        value = default.as_posix()
    else:
        value = str(default)
    return f"`{_cell(value)}`"


def _cell(text: str) -> str:
    # A pipe would end the table cell.
    return text.replace("|", "\\|").replace("\n", " ")
