"""The approval card and the thread replies, rendered from the stored request alone (pure functions).

The card is re-rendered after every state change and replaces itself in place: buttons while pending, the
outcome afterwards, so nobody can click a decision that was already made.

A request's summary (title, fields, warnings) and a reject reason are stored as typed or as Sinch sent them
and escaped here, once, when they become mrkdwn; an outcome's text is mrkdwn already (its builder escapes
what it quotes), since it may hold the bot's own mentions and dates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.approvals.spend import spend_of
from bot.blockkit import ids
from bot.blockkit.blocks import context, fields, header, mention, money, section, to_dicts, with_sandbox_note
from bot.blockkit.dates import slack_date
from bot.blockkit.metadata import OrderAgain, RequestRef
from bot.blockkit.text import escape
from storage.request_types import RequestKind, RequestState
from storage.requests import Request

_STATE_LINES = {
    RequestState.PENDING: ":hourglass_flowing_sand: *Waiting for approval*",
    RequestState.APPROVED: ":arrows_counterclockwise: *Approved by {decider}*, running now…",
    RequestState.EXECUTING: ":arrows_counterclockwise: *Approved by {decider}*, running now…",
    RequestState.DONE: ":white_check_mark: *Approved by {decider} and done.*",
    RequestState.FAILED: ":x: *Approved by {decider}, but it failed.*",
    RequestState.REJECTED: ":no_entry_sign: *Rejected by {decider}.*",
    RequestState.EXPIRED: ":hourglass: *Expired*: nobody decided in time. Nothing was done.",
    RequestState.CANCELLED: ":leftwards_arrow_with_hook: *Cancelled by {decider}.* Nothing was done.",
}

# A number order's request lives as long as the reservation of its numbers, so its expiry is that lapse.
_RESERVATION_LAPSED = "the number reservation lapsed before anyone approved it"
# A rejected or cancelled order is never submitted: Sinch lets its reservation lapse, unpaid.
_LEFT_TO_LAPSE = "The order is left to lapse: its numbers were reserved, never ordered, and cost nothing."
_DECLINED = frozenset({RequestState.REJECTED, RequestState.CANCELLED})


def _state_line(request: Request, decider: str) -> str:
    if request.kind is RequestKind.NUMBER_ORDER and request.state is RequestState.EXPIRED:
        return f":hourglass: *Expired*: {_RESERVATION_LAPSED}. Nothing was ordered."
    line = _STATE_LINES[request.state].format(decider=decider)
    if request.kind is RequestKind.NUMBER_ORDER and request.state in _DECLINED:
        return f"{line.removesuffix(' Nothing was done.')} {_LEFT_TO_LAPSE}"
    return line


def render_card(request: Request, *, now: datetime, sandbox: bool) -> tuple[str, list[dict[str, Any]]]:
    summary = request.summary
    title = str(summary.get("title", request.kind))
    decider = mention(request.decided_by) if request.decided_by else "someone"
    status = _state_line(request, decider)
    blocks: list[Block] = [header(f"{request.id}: {title}")]
    pairs = [
        ("Requested by", mention(request.requester)),
        *[(escape(str(k)), escape(str(v))) for k, v in summary.get("fields", [])],
    ]
    if request.setup_cost is not None or request.monthly_cost is not None:
        pairs.append(("Setup", money(request.setup_cost, request.currency)))
        pairs.append(("Monthly", money(request.monthly_cost, request.currency)))
    blocks.extend(fields(pairs))
    spend = spend_of(summary)
    if spend is not None:
        blocks.append(section("\n".join(spend.card_lines())))
    blocks.extend(section(f":warning: {escape(str(warning))}") for warning in summary.get("warnings", []))
    blocks.append(section(status + _detail(request)))
    if request.state is RequestState.PENDING:
        blocks.append(_buttons(request))
        blocks.append(context(f"Expires {slack_date(request.expires_at)} · the requester cannot approve"))
    text = f"{request.id} {escape(title)}: {request.state.value} (requested by {mention(request.requester)})"
    return text, to_dicts(with_sandbox_note(blocks, sandbox))


def render_outcome_reply(
    request: Request, detail: str | None, *, sandbox: bool
) -> tuple[str, list[dict[str, Any]]]:
    """The thread reply that tells the requester how their request ended."""
    decider = mention(request.decided_by) if request.decided_by else "someone"
    lead = {
        RequestState.DONE: f"your request {request.id} was approved by {decider} and is done",
        RequestState.FAILED: f"your request {request.id} was approved by {decider} but failed",
        RequestState.REJECTED: f"your request {request.id} was rejected by {decider}",
        RequestState.EXPIRED: (
            f"your request {request.id} expired: {_RESERVATION_LAPSED}; nothing was ordered"
            if request.kind is RequestKind.NUMBER_ORDER
            else f"your request {request.id} expired before anyone decided; nothing was done"
        ),
        RequestState.EXECUTING: (
            f"your request {request.id} was approved by {decider}; numbot is checking with Sinch whether it "
            "went through and will report here"
        ),
    }.get(request.state, f"your request {request.id} is {request.state.value}")
    if request.kind is RequestKind.NUMBER_ORDER and request.state in _DECLINED:
        lead += f". {_LEFT_TO_LAPSE.removesuffix('.')}"
    text = f"{mention(request.requester)} {lead}." + (f"\n{detail}" if detail else "")
    blocks: list[Block] = [section(text)]
    again = _start_again(request)
    if again is not None:
        blocks.append(again)
    return text, to_dicts(with_sandbox_note(blocks, sandbox))


def _start_again(request: Request) -> ActionsBlock | None:
    """After a number order's reservation lapsed unapproved: a fresh form for the same order (what it was
    is kept in the payload under `again`, see `OrderAgain`)."""
    if request.kind is not RequestKind.NUMBER_ORDER or request.state is not RequestState.EXPIRED:
        return None
    try:
        again = OrderAgain.model_validate(request.payload.get("again"))
    except ValidationError:
        return None
    button = ButtonElement(
        text="Start again", action_id=ids.ORDER_AGAIN, value=again.encode(), style="primary"
    )
    return ActionsBlock(block_id=f"again:{request.id}", elements=[button])


def _detail(request: Request) -> str:
    if request.state is RequestState.REJECTED and request.reason:
        return f"\n>{escape(request.reason)}"
    if request.state is RequestState.FAILED and request.error:
        return f"\n{request.error}"
    if request.state is RequestState.DONE and request.result and request.result.get("text"):
        return f"\n{request.result['text']}"
    return ""


def _buttons(request: Request) -> ActionsBlock:
    value = RequestRef(request_id=request.id).encode()
    return ActionsBlock(
        block_id=f"decide:{request.id}",
        elements=[
            ButtonElement(text="Approve", action_id=ids.APPROVE, value=value, style="primary"),
            ButtonElement(text="Reject", action_id=ids.REJECT, value=value, style="danger"),
            ButtonElement(text="Cancel request", action_id=ids.CANCEL, value=value),
        ],
    )
