"""Approve, Reject and Cancel on approval cards, and the reject-reason modal."""

from slack_bolt import App

from bot.blockkit import ids
from commands.approvals import listeners
from commands.shared.replies import answering
from commands.shared.router import CommandRouter


def register(app: App, router: CommandRouter) -> None:
    app.action(ids.APPROVE)(answering(listeners.approve))
    app.action(ids.CANCEL)(answering(listeners.cancel))
    app.action(ids.REJECT)(answering(listeners.reject))
    app.view(ids.REJECT_MODAL)(answering(listeners.submit_reason))
