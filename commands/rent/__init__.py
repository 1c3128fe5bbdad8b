"""Renting a number: `rent`, `rent-any` and "Request this number", their request modal, and what runs once
an approver says yes (`execute`)."""

from slack_bolt import App

from bot.blockkit import ids
from commands.rent import listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in listeners.SUBCOMMANDS:
        router.add(subcommand)
    app.action(ids.REQUEST_NUMBER)(answering(listeners.request_number))
    app.view(ids.RENT_MODAL)(answering(listeners.rent_submitted))
