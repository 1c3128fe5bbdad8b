"""Where a newcomer starts: the Home tab and `/numbers help`."""

from slack_bolt import App

from bot.blockkit import ids
from commands.home import listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    app.event("app_home_opened")(answering(listeners.home_opened))
    app.action(ids.HOME_REFRESH)(answering(listeners.refresh_clicked))
