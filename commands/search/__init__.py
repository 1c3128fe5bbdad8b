"""Finding numbers Sinch offers: `search` (or its form), `check`, and the results with a request button."""

from slack_bolt import App

from bot.blockkit import ids
from commands.search import listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    for subcommand in listeners.SUBCOMMANDS:
        router.add(subcommand)
    app.view(ids.SEARCH_MODAL)(answering(listeners.search_submitted))
