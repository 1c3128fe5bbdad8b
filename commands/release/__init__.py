"""Giving a number back to Sinch: `release`, its confirmation of what stops working, and what runs once an
approver says yes."""

from slack_bolt import App

from bot.blockkit import ids
from commands.release import listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in listeners.SUBCOMMANDS:
        router.add(subcommand)
    app.view(ids.RELEASE_MODAL)(answering(listeners.submitted))
