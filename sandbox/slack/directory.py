"""Who and where: users, channels (and whether the bot is in them), user groups, direct messages."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sandbox.slack.errors import ApiError
from sandbox.slack.models import SlackChannel, SlackUser


def dm_channel_id(user_id: str) -> str:
    """The id of the bot's direct-message conversation with a user (Slack's D… ids)."""
    return "D" + user_id.removeprefix("U")


class Directory:
    def __init__(
        self,
        users: Iterable[SlackUser],
        channels: Iterable[SlackChannel],
        usergroups: dict[str, list[str]],
        chat_write_public: bool,
    ) -> None:
        self._users = {user.id: user for user in users}
        self._channels = {channel.id: channel for channel in channels}
        self._usergroups = {group: list(members) for group, members in usergroups.items()}
        self._dms = {dm_channel_id(user_id): user_id for user_id in self._users}
        self.chat_write_public = chat_write_public

    def user(self, user_id: object) -> SlackUser:
        user = self._users.get(str(user_id))
        if user is None:
            raise ApiError("user_not_found")
        return user

    def channel(self, channel_id: object) -> SlackChannel:
        channel = self._channels.get(str(channel_id))
        if channel is None:
            raise ApiError("channel_not_found")
        return channel

    def conversation_id(self, channel_or_user: object) -> str:
        """Resolve a channel id, a DM id or a user id (posting to a user means their DM with the bot)."""
        key = str(channel_or_user)
        if key in self._users:
            return dm_channel_id(key)
        if key in self._dms or key in self._channels:
            return key
        raise ApiError("channel_not_found")

    def postable_conversation(self, channel_or_user: object) -> str:
        """The conversation the bot may post in, or Slack's reason why not."""
        conversation = self.conversation_id(channel_or_user)
        if conversation in self._dms:
            return conversation
        channel = self._channels[conversation]
        if channel.member or (self.chat_write_public and not channel.is_private):
            return conversation
        raise ApiError("not_in_channel")

    def channel_name(self, conversation: str) -> str:
        channel = self._channels.get(conversation)
        return channel.name if channel else "directmessage"

    def join(self, channel_id: object) -> SlackChannel:
        channel = self.channel(channel_id)
        if channel.is_private and not channel.member:
            raise ApiError("method_not_supported_for_channel_type")
        joined = dataclasses.replace(channel, member=True)
        self._channels[channel.id] = joined
        return joined

    def usergroup_members(self, usergroup: object) -> list[str]:
        members = self._usergroups.get(str(usergroup))
        if members is None:
            raise ApiError("no_such_subteam")
        return list(members)

    def set_usergroup_members(self, usergroup: str, user_ids: Iterable[str]) -> None:
        """Replace a group's members, as `usergroups.users.update` does (every id must be a known user)."""
        if usergroup not in self._usergroups:
            raise ApiError("no_such_subteam")
        members = [self.user(user_id).id for user_id in user_ids]
        self._usergroups[usergroup] = members
