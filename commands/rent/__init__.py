"""Renting a number directly (deprecated, US LOCAL only, behind `numbot_legacy_rent`): `rent`, `rent-any`
and the request modal "Request this number" opens for a US LOCAL number while the setting is on (the
button itself is wired by `commands.orders`), and what runs once an approver says yes (`execute`)."""

from slack_bolt import App

from bot.blockkit import ids
from commands.rent import listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in listeners.SUBCOMMANDS:
        router.add(subcommand)
    app.view(ids.RENT_MODAL)(answering(listeners.rent_submitted))
