"""What runs once a release is approved, and how a lost answer is read back from Sinch. It calls Sinch,
never Slack."""

from __future__ import annotations

from bot.approvals import Executor, Outcome
from bot.blockkit.dates import slack_date
from bot.services import Services
from bot.sinch import NotFound
from storage.requests import Request


def execute_release(services: Services, request: Request) -> Outcome:
    phone_number = str(request.payload["phone_number"])
    released = services.sinch.release(phone_number)
    until = f" Sinch keeps it billed until {slack_date(released.expire_at)}." if released.expire_at else ""
    text = f"Released {phone_number}.{until}"
    # The card shows `result["text"]` under its outcome, so approvers see it as well as the requester.
    return Outcome(True, text, {"text": text, "phone_number": phone_number})


def reconcile_release(services: Services, request: Request) -> Outcome | None:
    """Read the number back: gone means released; still active means the release did not happen."""
    phone_number = str(request.payload["phone_number"])
    try:
        services.sinch.get_active(phone_number)
    except NotFound:
        return Outcome(True, f"Released {phone_number} (confirmed: it is no longer active).")
    return Outcome(False, f"{phone_number} is still active: it was not released.")


RELEASE = Executor(describe="release a number", execute=execute_release, reconcile=reconcile_release)
