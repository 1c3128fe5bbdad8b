"""Numbers hosted elsewhere whose SMS Sinch handles: `imported list | show | add | update | remove`, their
forms, and what runs once an approver says yes."""

from slack_bolt import App

from bot.blockkit import ids
from commands.imported import listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in listeners.SUBCOMMANDS:
        router.add(subcommand)
    app.view(ids.IMPORT_MODAL)(answering(listeners.import_submitted))
    app.view(ids.IMPORTED_REMOVE_MODAL)(answering(listeners.remove_confirmed))
