"""`/numbers digest`: an admin posts the weekly inventory digest now, instead of waiting for its schedule."""

from slack_bolt import App

from commands.digest import listeners
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in listeners.SUBCOMMANDS:
        router.add(subcommand)
