"""What admins and auditors type: the audit log, Sinch's callback secret, and settling a stuck request."""

from slack_bolt import App

from commands.admin import audit, callbacks, settle
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in (*audit.SUBCOMMANDS, *callbacks.SUBCOMMANDS, *settle.SUBCOMMANDS):
        router.add(subcommand)
