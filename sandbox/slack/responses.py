"""What Slack does with a response to a user's action: a response_url post, or text/blocks in an ack body."""

from __future__ import annotations

from sandbox.slack.api_methods import message_content
from sandbox.slack.block_kit import JsonDict
from sandbox.slack.tickets import ResponseTarget
from sandbox.slack.workspace import Workspace


def post_response(workspace: Workspace, target: ResponseTarget, body: JsonDict) -> None:
    """Show, replace or delete per response_type / replace_original / delete_original (default: ephemeral).

    Raises ApiError (invalid_blocks, no_text) when Slack would refuse the body. Call inside a transaction.
    """
    conversations = workspace.conversations
    original = target.message_ts
    if body.get("delete_original"):
        if original is not None:
            if target.message_is_ephemeral:
                conversations.delete_ephemeral(target.user_id, original)
            else:
                conversations.delete(target.channel_id, original)
        return
    text, blocks = message_content(workspace, body)
    if body.get("replace_original") and original is not None:
        if target.message_is_ephemeral:
            conversations.update_ephemeral(target.user_id, original, text, blocks)
        else:
            conversations.update(target.channel_id, original, text, blocks)
        return
    if body.get("response_type") == "in_channel":
        # Responses in the channel need no membership: Slack posts them on behalf of the command.
        thread_ts = str(body["thread_ts"]) if body.get("thread_ts") else None
        conversations.post(target.channel_id, text, blocks, thread_ts)
    else:
        conversations.post_ephemeral(target.user_id, target.channel_id, text, blocks)
