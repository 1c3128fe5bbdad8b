"""The console's world: a local Slack workspace with a small team, and the real bot serving it.

The bot is the same `Runtime` that `numbot serve` starts; only its Slack settings point at the local
workspace (and its approvers and channels at the people and channels below).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from bot.runtime import Runtime
from sandbox.slack import LocalSlack, SlackChannel, SlackUser
from sandbox.slack.directory import dm_channel_id
from sandbox.slack.workspace import BotIdentity
from sandbox.world import serving

SIGNING_SECRET = "console-signing-secret"  # noqa: S105 (a placeholder only the local workspace checks)
BOT_TOKEN = "xoxb-console"  # noqa: S105

REQUESTER = SlackUser("U0RITA001", "rita", "Rita Requester")
APPROVER = SlackUser("U0ALEX001", "alex", "Alex Approver")
ADMIN = SlackUser("U0ADA0001", "ada", "Ada Admin")
PEOPLE = (REQUESTER, APPROVER, ADMIN)
# Roles a console user may type instead of a name (`/as approver`).
ROLES = {"requester": REQUESTER, "approver": APPROVER, "admin": ADMIN}

OPS = SlackChannel("C0OPS0001", "ops")
APPROVALS = SlackChannel("C0APPROVE", "approvals")
ALERTS = SlackChannel("C0ALERTS1", "numbers-alerts")
CHANNELS = (OPS, APPROVALS, ALERTS)
BOT_USER_ID = BotIdentity(team_id="").bot_user_id
FILES_FOLDER = "slack-files"


@dataclass(frozen=True)
class ConsoleWorld:
    slack: LocalSlack
    runtime: Runtime

    @property
    def files_dir(self) -> Path:
        """Where the files the bot uploads land."""
        return self.slack.files_dir


def local_workspace(files_dir: Path | None = None) -> LocalSlack:
    """`files_dir`: where uploads land (None: a temporary folder of the workspace's own)."""
    return LocalSlack(
        SIGNING_SECRET, bot_token=BOT_TOKEN, users=PEOPLE, channels=CHANNELS, files_dir=files_dir
    )


def console_settings(base: Settings, slack: LocalSlack, database: Path) -> Settings:
    """`base` (the user's env/.env) with Slack, people and channels pointing at the local workspace.

    Sinch stays as configured: the embedded sandbox unless the user set real credentials.
    """
    values = base.model_dump()
    values.update(
        slack_bot_token=SecretStr(slack.bot_token),
        slack_signing_secret=SecretStr(slack.signing_secret),
        slack_app_token=None,
        slack_api_url=slack.api_url,
        numbot_database=database,
        numbot_approvers=[APPROVER.id],
        numbot_admins=[ADMIN.id],
        numbot_approvals_channel=APPROVALS.id,
        numbot_notifications_channel=ALERTS.id,
        # Sinch callbacks must reach this process, not a public URL configured for a real deployment.
        numbot_public_url=None,
        numbot_http_host="127.0.0.1",
        numbot_http_port=0,
    )
    # model_validate, unlike Settings(...), validates without reading the environment again.
    return Settings.model_validate(values)


@contextmanager
def running_console_world(base: Settings, *, inventory: int = 0) -> Iterator[ConsoleWorld]:
    """Start the workspace and the bot; the database is `NUMBOT_DATABASE` if set, else a temporary file.

    Uploaded files land in the console's temporary folder (`ConsoleWorld.files_dir`), gone when it ends: a
    database folder the user named may not even exist, and creating folders there would hide that.
    An embedded Sinch sandbox starts with `inventory` numbers spread like a real team's.
    """
    with tempfile.TemporaryDirectory(prefix="numbot-console-") as scratch:
        database = (
            base.numbot_database
            if "numbot_database" in base.model_fields_set
            else Path(scratch) / "numbot.db"
        )
        slack = local_workspace(Path(scratch) / FILES_FOLDER).start()
        try:
            settings = console_settings(base, slack, database)
            with serving(slack, settings, sandbox_inventory=inventory) as runtime:
                yield ConsoleWorld(slack, runtime)
        finally:
            slack.stop()


def display_name(slack_id: str) -> str:
    """How people know a user, channel or the bot (ids the console does not know stay as they are)."""
    known = {person.id: person.name for person in PEOPLE} | {channel.id: channel.name for channel in CHANNELS}
    known |= {dm_channel_id(person.id): f"DM with {person.name}" for person in PEOPLE}
    known[BOT_USER_ID] = "numbot"
    return known.get(slack_id, slack_id)
