"""Who may run a command, checked where it runs: membership is read now, not when the command was typed."""

from __future__ import annotations

from bot.approvals import policy
from bot.errors import UserFacingError
from bot.services import Services


def require_admin(user_id: str, services: Services) -> None:
    """Go on only for an admin (NUMBOT_ADMINS); anyone else is told who to ask, and nothing happens."""
    verdict = policy.may_admin(services.directory.rules(), user_id)
    if not verdict.allowed:
        raise UserFacingError(verdict.reason)
