"""/numbers report [--imported]: the snapshot's numbers as a CSV, uploaded to the channel or DM it was asked
in.

Anyone may ask: the file shows what `/numbers list` shows anyone, plus who asked for and approved each number
numbot acquired, which every request's card already shows in the approvals channel.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.blockkit.blocks import SANDBOX_NOTE, mention
from bot.errors import UsageError, UserFacingError
from bot.inventory.report import CsvReport, inventory_report
from bot.services import Services
from commands.shared.router import Invocation, Subcommand
from storage import inventory
from storage.inventory import Source

USAGE = "report [--imported]"
IMPORTED_FLAG = "--imported"
# Slack's answers when the bot may not post where the command was typed.
CANNOT_POST = frozenset({"not_in_channel", "channel_not_found"})
LABELS = {Source.ACTIVE: "Active", Source.IMPORTED: "Imported"}


def report(invocation: Invocation, services: Services) -> None:
    source = _source(invocation.words)
    store = services.store
    as_of = inventory.refreshed_at(store, source)
    if as_of is None:
        inventory.mark_stale(store, services.clock())
        invocation.reply(
            ":hourglass_flowing_sand: The inventory is being read from Sinch; try again in a minute.",
            sandbox=services.sandbox,
        )
        return
    csv = inventory_report(store, source)
    _upload(invocation, csv, source, as_of, sandbox=services.sandbox)


def _source(words: list[str]) -> Source:
    if not words:
        return Source.ACTIVE
    if [word.lower() for word in words] == [IMPORTED_FLAG]:
        return Source.IMPORTED
    raise UsageError(f"`report` takes only `{IMPORTED_FLAG}`, not `{' '.join(words)}`.", usage=USAGE)


def _upload(
    invocation: Invocation, csv: CsvReport, source: Source, as_of: datetime, *, sandbox: bool
) -> None:
    """Share the file where the command was typed; say so plainly when the bot may not post there."""
    label = LABELS[source]
    day = f"{as_of:%Y-%m-%d}"
    comment = (
        f"{mention(invocation.user_id)} asked for the {label.lower()} numbers: {csv.rows:,} as of "
        f"{as_of:%Y-%m-%d %H:%M} UTC."
    )
    try:
        invocation.client.files_upload_v2(
            channel=invocation.channel_id,
            content=csv.content,
            filename=f"numbers-{source}-{day}.csv",
            title=f"{label} numbers {day} ({csv.rows:,})",
            initial_comment=f"{comment}\n{SANDBOX_NOTE}" if sandbox else comment,
        )
    except SlackApiError as error:
        if error.response.get("error") not in CANNOT_POST:
            raise
        raise UserFacingError(
            "I cannot post files in this conversation. Invite me with `/invite @numbot`, "
            "or ask for the report in a DM with me."
        ) from error


REPORT_SUBCOMMAND = Subcommand(
    name="report",
    usage=USAGE,
    summary="The inventory as a CSV file (one row per number), shared here; `--imported` for imported ones.",
    handler=report,
    examples=("report", "report --imported"),
)
