"""The Web API methods numbot uses, over the workspace state (each runs inside one transaction).

A handler returns the success body (web_api adds `"ok": true`) or raises ApiError with Slack's code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.slack.block_kit import JsonDict
from sandbox.slack.errors import ApiError
from sandbox.slack.limits import message_problems, view_problems
from sandbox.slack.models import View
from sandbox.slack.payloads import view_payload
from sandbox.slack.workspace import Workspace

Args = dict[str, Any]
Handler = Callable[[Workspace, Args], JsonDict]

MISSING_TEXT_WARNING = "missing_text_or_fallback_or_attachments"


def auth_test(workspace: Workspace, args: Args) -> JsonDict:
    identity = workspace.identity
    return {
        "url": f"https://{identity.team_domain}.slack.com/",
        "team": identity.team_domain,
        "user": identity.bot_name,
        "team_id": identity.team_id,
        "user_id": identity.bot_user_id,
        "bot_id": identity.bot_id,
        "is_enterprise_install": False,
    }


def chat_post_message(workspace: Workspace, args: Args) -> JsonDict:
    text, blocks = message_content(workspace, args)
    conversation = workspace.directory.postable_conversation(_required(args, "channel"))
    thread_ts = str(args["thread_ts"]) if args.get("thread_ts") else None
    message = workspace.conversations.post(conversation, text, blocks, thread_ts)
    body = {
        "channel": conversation,
        "ts": message.ts,
        "message": message.as_payload(workspace.identity.bot_id),
    }
    return _with_text_warning(body, args)


def chat_update(workspace: Workspace, args: Args) -> JsonDict:
    conversation = workspace.directory.conversation_id(_required(args, "channel"))
    ts = str(_required(args, "ts"))
    text = str(args["text"]) if "text" in args else None
    blocks = _checked_blocks(workspace, args) if "blocks" in args else None
    if text is None and blocks is None:
        raise ApiError("no_text")
    if workspace.conversations.get(conversation, ts).user != workspace.identity.bot_user_id:
        raise ApiError("cant_update_message")
    message = workspace.conversations.update(conversation, ts, text, blocks)
    body = {
        "channel": conversation,
        "ts": ts,
        "text": message.text,
        "message": message.as_payload(workspace.identity.bot_id),
    }
    return _with_text_warning(body, args)


def chat_post_ephemeral(workspace: Workspace, args: Args) -> JsonDict:
    text, blocks = message_content(workspace, args)
    conversation = workspace.directory.postable_conversation(_required(args, "channel"))
    user = workspace.directory.user(_required(args, "user"))
    message = workspace.conversations.post_ephemeral(user.id, conversation, text, blocks)
    return _with_text_warning({"message_ts": message.ts}, args)


def chat_get_permalink(workspace: Workspace, args: Args) -> JsonDict:
    conversation = workspace.directory.conversation_id(_required(args, "channel"))
    ts = str(_required(args, "message_ts"))
    workspace.conversations.get(conversation, ts)
    domain = workspace.identity.team_domain
    permalink = f"https://{domain}.slack.com/archives/{conversation}/p{ts.replace('.', '')}"
    return {"channel": conversation, "permalink": permalink}


def views_open(workspace: Workspace, args: Args) -> JsonDict:
    definition = _checked_view(workspace, args)
    user_id = workspace.triggers.exchange(_required(args, "trigger_id"))
    return _view_body(workspace, workspace.views.open(user_id, definition))


def views_push(workspace: Workspace, args: Args) -> JsonDict:
    definition = _checked_view(workspace, args)
    user_id = workspace.triggers.exchange(_required(args, "trigger_id"))
    return _view_body(workspace, workspace.views.push(user_id, definition))


def views_update(workspace: Workspace, args: Args) -> JsonDict:
    definition = _checked_view(workspace, args)
    if not args.get("view_id") and not args.get("external_id"):
        raise ApiError("invalid_arguments", ["view_id or external_id is required"])
    view = workspace.views.update(args.get("view_id"), args.get("external_id"), definition, args.get("hash"))
    return _view_body(workspace, view)


def views_publish(workspace: Workspace, args: Args) -> JsonDict:
    definition = _checked_view(workspace, args)
    if definition.get("type") != "home":
        raise ApiError(
            "invalid_arguments", ["views.publish takes a view of type home [json-pointer:/view/type]"]
        )
    user = workspace.directory.user(_required(args, "user_id"))
    return _view_body(workspace, workspace.views.publish(user.id, definition, args.get("hash")))


def users_info(workspace: Workspace, args: Args) -> JsonDict:
    user = workspace.directory.user(_required(args, "user"))
    return {"user": user.as_api_user(workspace.identity.team_id)}


def usergroups_users_list(workspace: Workspace, args: Args) -> JsonDict:
    return {"users": workspace.directory.usergroup_members(_required(args, "usergroup"))}


def conversations_info(workspace: Workspace, args: Args) -> JsonDict:
    return {"channel": workspace.directory.channel(_required(args, "channel")).as_api_channel()}


def conversations_join(workspace: Workspace, args: Args) -> JsonDict:
    return {"channel": workspace.directory.join(_required(args, "channel")).as_api_channel()}


def files_info(workspace: Workspace, args: Args) -> JsonDict:
    files = workspace.files
    return {
        "file": files.describe(files.get(_required(args, "file"))),
        "comments": [],
        "response_metadata": {"next_cursor": ""},
    }


def files_get_upload_url_external(workspace: Workspace, args: Args) -> JsonDict:
    name = str(_required(args, "filename"))
    try:
        length = int(_required(args, "length"))
    except ValueError as error:
        raise ApiError("invalid_arguments", ["length must be a whole number of bytes"]) from error
    file_id, upload_url = workspace.files.reserve(workspace.identity.bot_user_id, name, length)
    return {"upload_url": upload_url, "file_id": file_id}


def files_complete_upload_external(workspace: Workspace, args: Args) -> JsonDict:
    """Every file must have been uploaded and every conversation postable, or nothing happens."""
    files = workspace.files
    wanted = _files_to_complete(args)
    reservations = [files.completable(entry["id"]) for entry in wanted]
    channels = _share_targets(workspace, args)
    thread_ts = str(args["thread_ts"]) if args.get("thread_ts") else None
    if thread_ts is not None and len(channels) != 1:
        raise ApiError("invalid_arguments", ["thread_ts needs exactly one channel"])
    if thread_ts is not None:
        workspace.conversations.thread_parent(channels[0], thread_ts)
    comment = str(args.get("initial_comment") or "")
    stored = [
        files.complete(reservation, str(entry.get("title") or ""), channels, thread_ts, comment)
        for reservation, entry in zip(reservations, wanted, strict=True)
    ]
    described = [files.describe(one) for one in stored]
    for channel in channels:
        message = workspace.conversations.post(channel, comment, [], thread_ts, files=described)
        for one in stored:
            files.shared(one.id, channel, message.ts)
    return {"files": described}


def _files_to_complete(args: Args) -> list[JsonDict]:
    wanted = _required(args, "files")
    well_formed = isinstance(wanted, list) and all(isinstance(one, dict) and one.get("id") for one in wanted)
    if not well_formed:
        raise ApiError("invalid_arguments", ["files must be an array of objects with an id"])
    return list(wanted)


def _share_targets(workspace: Workspace, args: Args) -> tuple[str, ...]:
    """channel_id and/or channels (comma-separated), each resolved to a conversation the bot may post in."""
    named = [str(args["channel_id"])] if args.get("channel_id") else []
    named += [one.strip() for one in str(args.get("channels") or "").split(",") if one.strip()]
    resolved = [workspace.directory.postable_conversation(one) for one in named]
    return tuple(dict.fromkeys(resolved))


BOT_METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
    "users.info": users_info,
    "usergroups.users.list": usergroups_users_list,
    "conversations.info": conversations_info,
    "conversations.join": conversations_join,
    "files.info": files_info,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
}


def message_content(workspace: Workspace, args: Args) -> tuple[str, list[JsonDict]]:
    """Text and blocks of a message-shaped body (API args or a response_url post), or Slack's refusal."""
    blocks = _checked_blocks(workspace, args) if "blocks" in args else []
    text = str(args.get("text") or "")
    if not text and not blocks:
        raise ApiError("no_text")
    return text, blocks


def _checked_blocks(workspace: Workspace, args: Args) -> list[JsonDict]:
    blocks = args["blocks"]
    problems = message_problems(blocks) or workspace.files.slack_file_problems(blocks, "/blocks")
    if problems:
        raise ApiError("invalid_blocks", problems)
    return list(blocks or [])


def _checked_view(workspace: Workspace, args: Args) -> JsonDict:
    view = args.get("view")
    problems = view_problems(view)
    if problems:
        raise ApiError("invalid_arguments", problems)
    assert isinstance(view, dict)  # view_problems rejects anything else
    image_problems = workspace.files.slack_file_problems(view.get("blocks"), "/view/blocks")
    if image_problems:
        raise ApiError("invalid_blocks", image_problems)
    return view


def _view_body(workspace: Workspace, view: View) -> JsonDict:
    return {"view": view_payload(workspace.identity, view)}


def _required(args: Args, name: str) -> Any:
    if not args.get(name):
        raise ApiError("invalid_arguments", [f"missing required field: {name}"])
    return args[name]


def _with_text_warning(body: JsonDict, args: Args) -> JsonDict:
    # Slack accepts blocks without a fallback `text` but warns: notifications and screen readers show nothing.
    if args.get("text"):
        return body
    return {
        **body,
        "warning": MISSING_TEXT_WARNING,
        "response_metadata": {"warnings": [MISSING_TEXT_WARNING]},
    }
