"""/numbers: emergency (E911) addresses."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from commands.router import CommandRouter


def register(app: App, services: Services, router: CommandRouter) -> None:
    """Placeholder until this workflow lands."""
