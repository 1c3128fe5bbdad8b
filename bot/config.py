"""Every setting numbot reads, from the environment or `.env`, validated once at start.

Names are the environment variables in upper case (`slack_bot_token` is `SLACK_BOT_TOKEN`). With no Sinch
credentials the bot runs against the embedded sandbox, and says so loudly.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.inventory.budget import BUDGET_EXAMPLE, parse_budget

SLACK_ID = re.compile(r"^[UWS][A-Z0-9]{2,}$")


class SinchAuthMode(StrEnum):
    OAUTH = "oauth"
    BASIC = "basic"


class ConfigError(Exception):
    """A setting is missing or contradicts another; the message names the variable."""


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return value


SlackIds = Annotated[list[str], NoDecode, Field(default_factory=list)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Slack
    slack_bot_token: SecretStr | None = Field(None, description="Bot token (xoxb-...).")
    slack_signing_secret: SecretStr | None = Field(
        None, description="Signing secret; required in HTTP mode, where Bolt verifies every request."
    )
    slack_app_token: SecretStr | None = Field(
        None, description="App-level token (xapp-..., connections:write); when set, the bot uses Socket Mode."
    )
    slack_api_url: str = Field("https://slack.com/api/", description="Slack Web API base URL.")

    # Sinch
    sinch_project_id: str | None = Field(None, description="Sinch project id; unset means the sandbox.")
    sinch_key_id: str | None = Field(None, description="Access key id.")
    sinch_key_secret: SecretStr | None = Field(None, description="Access key secret.")
    sinch_auth_mode: SinchAuthMode = Field(
        SinchAuthMode.OAUTH, description="`oauth` (client credentials) or `basic`."
    )
    sinch_numbers_url: str = Field("https://numbers.api.sinch.com", description="Numbers API base URL.")
    sinch_imported_url: str = Field(
        "https://imported.numbers.api.sinch.com", description="Imported Numbers API base URL."
    )
    sinch_auth_url: str = Field("https://auth.sinch.com/oauth2/token", description="OAuth2 token URL.")
    sinch_callback_secret: SecretStr | None = Field(
        None, description="HMAC secret Sinch signs callbacks with (the project's callbackConfiguration)."
    )

    # numbot
    numbot_database: Path = Field(Path("numbot.db"), description="SQLite database file.")
    numbot_approvers: SlackIds = Field(
        description="Who may approve: Slack user ids (U...) and/or user-group ids (S...), comma separated."
    )
    numbot_admins: SlackIds = Field(
        description="Admins (callback secret, status): user or user-group ids; admins may also approve."
    )
    numbot_approvals_channel: str | None = Field(None, description="Channel id where approval cards go.")
    numbot_notifications_channel: str | None = Field(
        None,
        description="Channel id for provisioning outcomes and events on numbers the bot did not request.",
    )
    numbot_approval_ttl_hours: float = Field(24.0, gt=0, description="Pending requests expire after this.")
    numbot_public_url: str | None = Field(
        None, description="Public base URL of this bot; enables Sinch callbacks at {url}/sinch/callbacks."
    )
    numbot_http_host: str = Field("0.0.0.0", description="HTTP listen address (events, callbacks, health).")  # noqa: S104
    numbot_http_port: int = Field(3000, ge=0, le=65535, description="HTTP listen port.")
    numbot_sandbox: bool = Field(
        False, description="Use the embedded Sinch sandbox even when Sinch credentials are set."
    )
    numbot_imported_service_plan_id: str | None = Field(
        None, description="Default servicePlanId filter for `imported list`."
    )
    numbot_imported_campaign_id: str | None = Field(
        None, description="Default campaignId filter for `imported list`."
    )
    numbot_legacy_rent: bool = Field(
        False,
        description="Keep the deprecated `rent` and `rent-any` (US LOCAL only) beside Number Orders.",
    )
    numbot_inventory_refresh_minutes: float = Field(
        15.0,
        ge=0,
        description=(
            "Minutes between reads of the whole inventory; numbot's own changes also start one. "
            "0 turns background reads off (the Home tab's Refresh still reads)."
        ),
    )
    numbot_log_level: str = Field("INFO", description="Python logging level.")
    numbot_monthly_budget: Annotated[dict[str, Decimal] | None, NoDecode] = Field(
        None,
        description=(
            f"Monthly budget per currency ({BUDGET_EXAMPLE}): approval cards warn when a request would "
            "take spend above it. Unset: no budget."
        ),
    )

    @field_validator("numbot_approvers", "numbot_admins", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        return _split_ids(value)

    @field_validator("numbot_approvers", "numbot_admins")
    @classmethod
    def _valid_ids(cls, value: list[str]) -> list[str]:
        bad = [item for item in value if not SLACK_ID.match(item)]
        if bad:
            raise ValueError(
                f"not Slack user or user-group ids: {', '.join(bad)} (expected U..., W... or S...)"
            )
        return value

    @field_validator("numbot_monthly_budget", mode="before")
    @classmethod
    def _budget(cls, value: object) -> object:
        return parse_budget(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if (self.sinch_key_id is None) != (self.sinch_key_secret is None):
            missing = "SINCH_KEY_SECRET" if self.sinch_key_secret is None else "SINCH_KEY_ID"
            raise ValueError(f"{missing} must be set together with the other Sinch key setting")
        if self.sinch_key_id and not self.sinch_project_id:
            raise ValueError("SINCH_PROJECT_ID is required when Sinch keys are set")
        _check_prefix("SLACK_BOT_TOKEN", self.slack_bot_token, "xoxb-")
        _check_prefix("SLACK_APP_TOKEN", self.slack_app_token, "xapp-")
        return self

    @property
    def approval_ttl(self) -> timedelta:
        return timedelta(hours=self.numbot_approval_ttl_hours)

    @property
    def uses_sinch_sandbox(self) -> bool:
        return self.numbot_sandbox or self.sinch_key_id is None

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def has_slack(self) -> bool:
        return self.slack_bot_token is not None

    def check_ready_to_serve(self) -> None:
        """What a real workspace needs beyond what parsing checks; raises ConfigError naming the variables."""
        problems = self.serve_problems()
        if problems:
            raise ConfigError("; ".join(problems))

    def serve_problems(self) -> list[str]:
        """Every setting serving a real workspace still lacks, one line each naming the variable."""
        problems = []
        if self.slack_bot_token is None:
            problems.append(
                "SLACK_BOT_TOKEN is required to serve a Slack workspace (or run `numbot console`)"
            )
        if not self.socket_mode and self.slack_signing_secret is None:
            problems.append(
                "SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)"
            )
        if not self.numbot_approvers:
            problems.append(
                "NUMBOT_APPROVERS is required: without approvers no request could ever be approved"
            )
        if not self.numbot_approvals_channel:
            problems.append("NUMBOT_APPROVALS_CHANNEL is required: approval cards need a channel")
        return problems


def _check_prefix(name: str, value: SecretStr | None, prefix: str) -> None:
    if value is not None and not value.get_secret_value().startswith(prefix):
        raise ValueError(f"{name} must start with {prefix!r}")


def load_settings(**overrides: object) -> Settings:
    """Settings from env/.env (overrides win), or ConfigError with one clear line per problem."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "settings"
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{field.upper()}: {message}" if field != "settings" else message)
    return "invalid configuration: " + "; ".join(lines)
