"""Emergency (E911) addresses: `e911 show | set | remove | coverage`, Sinch's verdict on an address, and
what runs once an approver says yes."""

from slack_bolt import App

from bot.blockkit import ids
from commands.e911 import listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in listeners.SUBCOMMANDS:
        router.add(subcommand)
    app.view(ids.E911_MODAL)(answering(listeners.address_submitted))
    app.action(ids.E911_EDIT)(answering(listeners.edit))
    app.action(ids.E911_COVERAGE_SET)(answering(listeners.set_from_coverage))
    app.view(ids.E911_RESULT_MODAL)(answering(listeners.verdict_accepted))
    app.view(ids.E911_REMOVE_MODAL)(answering(listeners.remove_confirmed))
