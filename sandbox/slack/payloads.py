"""Build what Slack sends to the app: slash-command forms, interaction payloads and event callbacks."""

from __future__ import annotations

import secrets
import time

from sandbox.slack.block_kit import JsonDict
from sandbox.slack.models import Message, SlackUser, View
from sandbox.slack.workspace import BotIdentity

VERIFICATION_TOKEN = "local-verification-token"  # noqa: S105 (a deprecated, public field of every payload)


def slash_command_form(
    identity: BotIdentity,
    user: SlackUser,
    *,
    channel_id: str,
    channel_name: str,
    command: str,
    text: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": identity.team_id,
        "team_domain": identity.team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user.id,
        "user_name": user.name,
        "command": command,
        "text": text,
        "api_app_id": identity.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def view_payload(identity: BotIdentity, view: View, state_values: JsonDict | None = None) -> JsonDict:
    """A view as Slack reports it: in API responses and in interaction payloads."""
    payload: JsonDict = {
        **view.definition,
        "id": view.id,
        "team_id": identity.team_id,
        "type": view.type,
        "callback_id": view.callback_id,
        "private_metadata": view.private_metadata,
        "external_id": view.external_id,
        "hash": view.hash,
        "state": {"values": state_values or {}},
        "clear_on_close": bool(view.definition.get("clear_on_close", False)),
        "notify_on_close": view.notify_on_close,
        "root_view_id": view.root_view_id,
        "previous_view_id": view.previous_view_id,
        "app_id": identity.app_id,
        "app_installed_team_id": identity.team_id,
        "bot_id": identity.bot_id,
    }
    return payload


def _interaction_base(identity: BotIdentity, kind: str, user: SlackUser) -> JsonDict:
    return {
        "type": kind,
        "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": identity.team_id},
        "api_app_id": identity.app_id,
        "token": VERIFICATION_TOKEN,
        "team": {"id": identity.team_id, "domain": identity.team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def message_block_actions(
    identity: BotIdentity,
    user: SlackUser,
    message: Message,
    *,
    channel_name: str,
    action: JsonDict,
    trigger_id: str,
    response_url: str,
) -> JsonDict:
    payload = _interaction_base(identity, "block_actions", user)
    payload.update(
        {
            "container": {
                "type": "message",
                "message_ts": message.ts,
                "channel_id": message.channel,
                "is_ephemeral": message.ephemeral,
            },
            "trigger_id": trigger_id,
            "channel": {"id": message.channel, "name": channel_name},
            "state": {"values": {}},
            "response_url": response_url,
            "actions": [action],
        }
    )
    # Slack does not echo ephemeral messages back to the app.
    if not message.ephemeral:
        payload["message"] = message.as_payload(identity.bot_id)
    return payload


def view_block_actions(
    identity: BotIdentity, user: SlackUser, view: View, action: JsonDict, trigger_id: str
) -> JsonDict:
    payload = _interaction_base(identity, "block_actions", user)
    payload.update(
        {
            "container": {"type": "view", "view_id": view.id},
            "trigger_id": trigger_id,
            "view": view_payload(identity, view),
            "actions": [action],
        }
    )
    return payload


def view_submission(
    identity: BotIdentity, user: SlackUser, view: View, state_values: JsonDict, trigger_id: str
) -> JsonDict:
    payload = _interaction_base(identity, "view_submission", user)
    payload.update(
        {"trigger_id": trigger_id, "view": view_payload(identity, view, state_values), "response_urls": []}
    )
    return payload


def view_closed(identity: BotIdentity, user: SlackUser, view: View) -> JsonDict:
    payload = _interaction_base(identity, "view_closed", user)
    payload.update({"view": view_payload(identity, view), "is_cleared": False})
    return payload


def event_callback(identity: BotIdentity, event: JsonDict) -> JsonDict:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": identity.team_id,
        "api_app_id": identity.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": "Ev" + secrets.token_hex(6).upper(),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": identity.team_id,
                "user_id": identity.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def app_home_opened(user_id: str, dm_channel: str, home: JsonDict | None) -> JsonDict:
    event: JsonDict = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": dm_channel,
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    if home is not None:
        event["view"] = home
    return event


def action_ts() -> str:
    return f"{time.time():.6f}"
