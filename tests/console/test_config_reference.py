"""README's configuration reference is the one generated from the settings model."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings

from bot.config_reference import configuration_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_shows_the_current_configuration_table() -> None:
    table = configuration_table()

    assert table in README.read_text(encoding="utf-8"), (
        "README.md's configuration reference is out of date; replace the table with:\n\n" + table
    )


def test_the_table_names_variables_defaults_and_descriptions() -> None:
    class Example(BaseSettings):
        api_token: str | None = Field(None, description="A token | with a pipe.")
        retries: int = Field(3, description="How often.")
        enabled: bool = Field(False, description="On or off.")
        ids: list[str] = Field(default_factory=list, description="Comma separated.")

    assert configuration_table(Example) == (
        "| Variable | Default | Description |\n"
        "|---|---|---|\n"
        "| `API_TOKEN` | — | A token \\| with a pipe. |\n"
        "| `RETRIES` | `3` | How often. |\n"
        "| `ENABLED` | `false` | On or off. |\n"
        "| `IDS` | — | Comma separated. |\n"
    )
