"""Every way numbot answers the person in front of it, and the one place an error becomes that answer.

- `reply` / `reply_rendered`: to a slash command or a button on a message, ephemerally through its
  `response_url`.
- `tell`: after a modal closed (a submission has no `response_url`): ephemerally in the channel it was opened
  from, or as a DM when the bot cannot post there.
- `sent_text` / `sent_view`: "your request is waiting for a second person", as a message or as the modal.
- `answering`: the error boundary every listener is registered through. Listeners raise; it turns any
  exception into the user's message (with a reference to the log for unexpected ones) on whichever surface
  they are looking at.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block

from bot.blockkit.blocks import section, to_dicts, with_sandbox_note
from bot.errors import UsageError, describe
from bot.services import Services
from commands.shared.modal_flow import JsonView, notice
from storage.outbox import OutboxMessage
from storage.requests import Request

log = logging.getLogger(__name__)

# Where a listener's answer goes once its modal has closed: set with `answer_in` / `answer_through`.
_ANSWER_CHANNEL = "numbot_answer_channel"
_ANSWER_URL = "numbot_answer_url"


def reply(respond: Respond, text: str, *, sandbox: bool, blocks: Sequence[Block] | None = None) -> None:
    """Answer whoever typed the command or clicked the button, visible to them only: `blocks`, or `text` as a
    section (`text` is then also the notification and screen-reader fallback)."""
    shown = with_sandbox_note(blocks if blocks is not None else [section(text)], sandbox)
    respond(text=text, blocks=to_dicts(shown), response_type="ephemeral", replace_original=False)


def reply_rendered(
    respond: Respond, text: str, blocks: list[dict[str, Any]], *, replace: bool = False
) -> None:
    """Answer with a message already rendered (with its own sandbox note); `replace` puts it in place of the
    message whose button was clicked (the next page of a list)."""
    respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=replace)


def tell(
    client: WebClient,
    services: Services,
    *,
    channel: str,
    user: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
) -> None:
    """Show `text` (or `blocks`) to `user` only, in `channel`."""
    shown = blocks if blocks is not None else to_dicts(with_sandbox_note([section(text)], services.sandbox))
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=shown)
    except SlackApiError as exc:
        # E.g. not_in_channel: the modal was opened where the bot is not a member. A DM always works,
        # and the outbox makes sure it arrives even if Slack is briefly unavailable.
        log.info("ephemeral to %s in %s failed (%s); sending a DM", user, channel, exc.response.get("error"))
        services.notifier.post(OutboxMessage(channel=user, text=text, blocks=shown))


def answer_in(context: BoltContext, channel: str) -> None:
    """From here on, an error in this listener is told in `channel` (its modal has closed)."""
    context[_ANSWER_CHANNEL] = channel


def answer_through(context: BoltContext, response_url: str | None) -> None:
    """From here on, an error in this listener is told through `response_url` (the command that opened the
    modal), when there is one."""
    if response_url:
        context[_ANSWER_URL] = response_url


def sent_text(request: Request, services: Services) -> str:
    channel = services.settings.numbot_approvals_channel
    return (
        f":inbox_tray: Request *{request.id}* is waiting for a second person in <#{channel}>. "
        "You cannot approve it yourself; you will hear how it ends in the card's thread."
    )


def sent_view(request: Request, services: Services) -> JsonView:
    """What a modal turns into once its request is on its way to the approvers."""
    return notice(f"Sent: {request.id}", sent_text(request, services), sandbox=services.sandbox)


def error_view(title: str, error: Exception, services: Services) -> JsonView:
    """A modal that says why what it was for did not happen."""
    return notice(title, describe(error), sandbox=services.sandbox)


# What `answering` needs from Bolt besides what the listener itself asks for.
_BOUNDARY_ARGUMENTS = ("ack", "body", "respond", "client", "context")


def answering(listener: Callable[..., None]) -> Callable[..., None]:
    """`listener`, with anything it raises told to the user: the one error boundary of every listener.

    Bolt's own error handler cannot be it: when a listener raises after its ack, Bolt forgets the ack it
    was about to send, and Slack shows the user a timeout instead of the answer.
    """
    wanted = inspect.signature(listener).parameters

    def run(**arguments: Any) -> None:
        try:
            listener(**{name: value for name, value in arguments.items() if name in wanted})
        except Exception as error:  # noqa: BLE001 - the boundary: every failure becomes a message
            _answer_error(error, **{name: arguments[name] for name in _BOUNDARY_ARGUMENTS})

    # Bolt passes a listener the arguments its signature names: the listener's own, and the boundary's.
    extra = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        for name in _BOUNDARY_ARGUMENTS
        if name not in wanted
    ]
    run.__signature__ = inspect.Signature([*wanted.values(), *extra])  # type: ignore[attr-defined]
    run.__name__ = listener.__name__
    run.answers_errors = True  # type: ignore[attr-defined]
    return run


def _answer_error(
    error: Exception,
    ack: Ack,
    body: dict[str, Any],
    respond: Respond | None,
    client: WebClient,
    context: BoltContext,
) -> None:
    services: Services = context["services"]
    if ack.response is None and body.get("type") == "view_submission":
        # Not acked yet, and a submission has no response_url: the open modal is where the user looks.
        title = str(body["view"].get("title", {}).get("text") or "numbot")
        ack(response_action="update", view=error_view(title, error, services))
        return
    if ack.response is None:
        ack()
    text = describe(error)
    if "command" in body and isinstance(error, UsageError) and not error.usage:
        text += "\nType `/numbers help` for every command with examples."
    user = str(body.get("user_id") or body.get("user", {}).get("id") or "")
    if _ANSWER_URL in context:
        respond = Respond(response_url=context[_ANSWER_URL])
    if respond is not None and respond.response_url is not None:
        reply(respond, text, sandbox=services.sandbox)
    elif user:
        # A closed modal, or a button inside one: no response_url to answer through.
        tell(client, services, channel=context.get(_ANSWER_CHANNEL) or user, user=user, text=text)
    else:
        log.warning("no way to tell anyone: %s", text)
