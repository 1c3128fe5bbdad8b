"""A workspace member who types slash commands, clicks, submits and closes modals, and opens the Home tab."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from sandbox.slack.block_kit import JsonDict, PlacedElement, interactive_elements
from sandbox.slack.delivery import Transport, deliver_event
from sandbox.slack.directory import dm_channel_id
from sandbox.slack.element_values import Choice, element_value
from sandbox.slack.errors import ApiError
from sandbox.slack.models import Ack, ElementNotFoundError, Message, View
from sandbox.slack.payloads import (
    action_ts,
    app_home_opened,
    event_callback,
    message_block_actions,
    slash_command_form,
    view_block_actions,
    view_closed,
    view_payload,
    view_submission,
)
from sandbox.slack.responses import post_response
from sandbox.slack.tickets import ResponseTarget
from sandbox.slack.view_submissions import Attachment, apply_submission_ack, attach_files, submission_state
from sandbox.slack.workspace import Workspace


class SlackUserDriver:
    """Acts as one user; every action returns the app's Ack, as Slack received it."""

    def __init__(
        self,
        user_id: str,
        workspace: Workspace,
        transport: Callable[[], Transport],
        response_url: Callable[[str], str],
    ) -> None:
        self.user_id = user_id
        self._workspace = workspace
        self._transport = transport
        self._response_url = response_url

    def slash(self, command: str, text: str = "", channel: str | None = None) -> Ack:
        """Type `command text` in `channel` (the user's DM with the bot when None)."""
        workspace = self._workspace
        with workspace.transaction():
            user = workspace.directory.user(self.user_id)
            conversation = workspace.directory.conversation_id(channel or self.user_id)
            target = ResponseTarget(user.id, conversation)
            form = slash_command_form(
                workspace.identity,
                user,
                channel_id=conversation,
                channel_name=workspace.directory.channel_name(conversation),
                command=command,
                text=text,
                response_url=self._response_url(workspace.response_urls.issue(target)),
                trigger_id=workspace.triggers.issue(user.id),
            )
        ack = self._transport().send("slash_commands", form, None)
        if not ack.ok:
            reason = "operation_timeout" if ack.timed_out else "dispatch_failed"
            self._notify(conversation, f'{command} failed with the error "{reason}"')
            return ack
        return self._show_ack_body(target, ack)

    def click(
        self, target: Message | View, action_id: str, value: Choice = None, block_id: str | None = None
    ) -> Ack:
        """Click a button (by action_id or text; `value` picks among same-id buttons) or pick in a select."""
        workspace = self._workspace
        with workspace.transaction():
            user = workspace.directory.user(self.user_id)
            current = self._on_screen(target)
            placed = _find_element(current, action_id, value, block_id)
            action = {
                "type": placed.type,
                "action_id": placed.action_id,
                "block_id": placed.block_id,
                "action_ts": action_ts(),
                **element_value(placed.element, None if placed.type == "button" else value),
            }
            trigger_id = workspace.triggers.issue(user.id)
            if isinstance(current, View):
                payload = view_block_actions(workspace.identity, user, current, action, trigger_id)
                response_target = None
            else:
                response_target = ResponseTarget(user.id, current.channel, current.ts, current.ephemeral)
                response_url = self._response_url(workspace.response_urls.issue(response_target))
                channel_name = workspace.directory.channel_name(current.channel)
                payload = message_block_actions(
                    workspace.identity,
                    user,
                    current,
                    channel_name=channel_name,
                    action=action,
                    trigger_id=trigger_id,
                    response_url=response_url,
                )
        ack = self._transport().send("interactive", payload, None)
        if response_target is None or not ack.ok:
            return ack
        return self._show_ack_body(response_target, ack)

    def submit(self, view: View, values: Mapping[str, Choice | Attachment] | None = None) -> Ack:
        """Fill inputs (keyed by block_id or label) and press the modal's submit button.

        A file_input takes a FileUpload or a list of them: uploaded to Slack as the user picks them (a file
        over 10 MB, or one the input does not take, raises FileRefusedError and nothing is submitted).
        """
        workspace = self._workspace
        with workspace.transaction():
            user = workspace.directory.user(self.user_id)
            current = self._top_modal(view)
            if current.submit is None:
                raise ElementNotFoundError(f"view {current.id} has no submit button")
            state = submission_state(current, attach_files(workspace, current, values or {}))
            trigger_id = workspace.triggers.issue(user.id)
            payload = view_submission(workspace.identity, user, current, state, trigger_id)
        ack = self._transport().send("interactive", payload, None)
        if not ack.ok:
            return ack
        with workspace.transaction():
            problem = apply_submission_ack(workspace, current, ack.body)
        return dataclasses.replace(ack, problem=problem) if problem else ack

    def close(self, view: View) -> Ack | None:
        """Press the modal's close button; the app hears of it only if the view asked (notify_on_close)."""
        workspace = self._workspace
        with workspace.transaction():
            user = workspace.directory.user(self.user_id)
            current = self._top_modal(view)
            workspace.views.close(current.id)
        if not current.notify_on_close:
            return None
        return self._transport().send("interactive", view_closed(workspace.identity, user, current), None)

    def open_home(self) -> Ack:
        """Open the app's Home tab: an app_home_opened event (redelivered if the app fails)."""
        workspace = self._workspace
        with workspace.transaction():
            user = workspace.directory.user(self.user_id)
            home = workspace.views.home(user.id)
            shown = view_payload(workspace.identity, home) if home else None
            payload = event_callback(
                workspace.identity, app_home_opened(user.id, dm_channel_id(user.id), shown)
            )
        return deliver_event(self._transport(), payload)

    def _on_screen(self, target: Message | View) -> Message | View:
        """The current version of what the user looks at (Slack sends that, not what the test kept)."""
        workspace = self._workspace
        try:
            if isinstance(target, View):
                return workspace.views.get(target.id)
            if not target.ephemeral:
                return workspace.conversations.get(target.channel, target.ts)
        except ApiError as error:
            raise ElementNotFoundError(
                f"{type(target).__name__} is no longer shown ({error.error})"
            ) from error
        for message in workspace.conversations.ephemerals(self.user_id):
            if message.ts == target.ts:
                return message
        raise ElementNotFoundError(f"ephemeral message {target.ts} is no longer shown")

    def _top_modal(self, view: View) -> View:
        stack = self._workspace.views.stack(self.user_id)
        if not stack or stack[-1].id != view.id:
            raise ElementNotFoundError(f"view {view.id} is not the modal {self.user_id} has on top")
        return stack[-1]

    def _show_ack_body(self, target: ResponseTarget, ack: Ack) -> Ack:
        """Text or blocks in an ack body reach the user as an ephemeral message, like a response_url post."""
        body: JsonDict | None = {"text": ack.body} if isinstance(ack.body, str) else ack.body
        if not body or not {"text", "blocks"} & body.keys():
            return ack
        try:
            with self._workspace.transaction() as workspace:
                post_response(workspace, target, body)
        except ApiError as error:
            return dataclasses.replace(ack, problem=f"Slack refused the ack body: {error}")
        return ack

    def _notify(self, conversation: str, text: str) -> None:
        with self._workspace.transaction() as workspace:
            workspace.conversations.post_ephemeral(self.user_id, conversation, text, [], from_slackbot=True)


def _find_element(
    shown: Message | View, action_id: str, value: Choice, block_id: str | None
) -> PlacedElement:
    candidates = [
        placed
        for placed in interactive_elements(shown.blocks)
        if action_id in (placed.action_id, placed.text) and block_id in (None, placed.block_id)
    ]
    if len(candidates) > 1 and isinstance(value, str):
        candidates = [placed for placed in candidates if placed.element.get("value") == value]
    if len(candidates) == 1:
        return candidates[0]
    shown_ids = [placed.action_id for placed in interactive_elements(shown.blocks)]
    problem = "several elements match" if candidates else "no element matches"
    raise ElementNotFoundError(f"{problem} {action_id!r} (value {value!r}); action_ids shown: {shown_ids}")
