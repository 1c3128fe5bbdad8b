"""The project's active numbers: `list` (with More), `show`, and `update` with its modal and what runs once
an approver says yes."""

from slack_bolt import App

from bot.blockkit import ids
from commands.active import listeners, update
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in (*listeners.SUBCOMMANDS, update.UPDATE_SUBCOMMAND):
        router.add(subcommand)
    app.action(ids.MORE_ACTIVE)(answering(listeners.more))
    app.view(ids.UPDATE_MODAL)(answering(update.submitted))
