"""`/numbers report`: the inventory as a CSV file, shared where it was asked for."""

from slack_bolt import App

from commands.report import listeners
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    router.add(listeners.REPORT_SUBCOMMAND)
