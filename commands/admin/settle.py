"""/numbers settle <request-id> done|failed <what you found> (admins): close a request numbot cannot.

A request whose Sinch answer was lost stays "executing" until Sinch is read back. For a rent-any nothing
can be read back (which number Sinch picked is exactly what the lost answer said), so an admin looks in
the Sinch dashboard or `/numbers list` and records the outcome here. Nothing is sent to Sinch.
"""

from __future__ import annotations

from bot import approvals
from bot.errors import UsageError
from bot.services import Services
from commands.shared.parsing import parse_args
from commands.shared.router import Invocation, Subcommand

USAGE = 'settle <request-id> done|failed "<what you found>"'
_OUTCOMES = {"done": True, "failed": False}
# As long as a rejection reason: it is shown on the card and in the thread.
NOTE_LIMIT = 500


def settle(invocation: Invocation, services: Services) -> None:
    words = parse_args(invocation.words, usage=USAGE).positionals
    if len(words) < 2:
        raise UsageError("Name the request and how it ended: done or failed.", USAGE)
    request_id, outcome, note = words[0].upper(), words[1].lower(), " ".join(words[2:]).strip()
    if outcome not in _OUTCOMES:
        raise UsageError(f"“{words[1]}” is not an outcome: say done or failed.", USAGE)
    if not note:
        raise UsageError(
            "Say what you found (the requester reads it), e.g. which number Sinch rented.", USAGE
        )
    if len(note) > NOTE_LIMIT:
        raise UsageError(f"Keep what you found under {NOTE_LIMIT} characters (it has {len(note)}).", USAGE)
    settled = approvals.settle_by_hand(
        services, request_id, invocation.user_id, ok=_OUTCOMES[outcome], note=note
    )
    text = f"Request {settled.id} is now {settled.state.value}; its card and the requester were told."
    invocation.reply(text, sandbox=services.sandbox)


SUBCOMMANDS = (
    Subcommand(
        "settle",
        USAGE,
        "Record how a request stuck executing ended, from what you found at Sinch (admins).",
        settle,
        examples=('settle R-7KQ2M done "Sinch shows +12025550134 rented at 10:02"',),
        group="Admin",
    ),
)
