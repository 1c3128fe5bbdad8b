"""Who the approvers and admins are right now, with Slack user groups expanded.

Settings may name user groups (S...) so a team manages approvers in Slack itself; membership is read with
`usergroups.users.list` and cached briefly, so a click does not cost a Web API call every time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.approvals.policy import ApprovalRules

log = logging.getLogger(__name__)


class ApproverDirectory:
    def __init__(
        self,
        client: WebClient,
        approvers: Iterable[str],
        admins: Iterable[str],
        *,
        ttl_seconds: float = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._approvers = tuple(approvers)
        self._admins = tuple(admins)
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}

    def rules(self) -> ApprovalRules:
        return ApprovalRules(approvers=self._expand(self._approvers), admins=self._expand(self._admins))

    def _expand(self, ids: Iterable[str]) -> frozenset[str]:
        users: set[str] = set()
        for item in ids:
            users.update(self._group_members(item) if item.startswith("S") else {item})
        return frozenset(users)

    def _group_members(self, group_id: str) -> frozenset[str]:
        now = self._monotonic()
        with self._lock:
            cached = self._groups.get(group_id)
            if cached and now - cached[0] < self._ttl:
                return cached[1]
        try:
            response = self._client.usergroups_users_list(usergroup=group_id)
            members = frozenset(response.get("users") or [])
        except SlackApiError as exc:
            # Fail closed: an unreadable group grants nobody, but the last good answer still stands.
            log.warning("could not read user group %s: %s", group_id, exc.response.get("error"))
            return cached[1] if cached else frozenset()
        with self._lock:
            self._groups[group_id] = (now, members)
        return members
