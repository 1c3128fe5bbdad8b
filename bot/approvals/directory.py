"""Who the approvers and admins are right now, with Slack user groups expanded.

Settings may name user groups (S...) so a team manages approvers in Slack itself; membership is read with
`usergroups.users.list`. A decision (approve, reject, settle) reads it afresh every time, so someone
removed from the group can no longer decide: a click is a person's action, a few a minute at most, far
below the method's Tier 2 limit (~20 a minute), and a stale answer is exactly what four eyes must not
trust. Only what merely shapes a view (the Home tab) uses an answer up to `ttl_seconds` old.

Nothing falls back to an older answer: when Slack cannot say who is in a group, nobody is taken to be.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.approvals.policy import ApprovalRules
from bot.errors import UserFacingError

log = logging.getLogger(__name__)

# Long enough that a Home tab opened by many people costs a handful of reads, short enough that a removal
# shows there within half a minute; decisions never use it.
VIEW_TTL_SECONDS = 30.0


class ApproversUnreadableError(UserFacingError):
    """Slack could not say who is in an approvers group, so nobody may decide until it can."""

    def __init__(self) -> None:
        super().__init__(
            "I couldn't check the approvers group in Slack just now, so nothing was approved; "
            "try again in a minute."
        )


class ApproverDirectory:
    def __init__(
        self,
        client: WebClient,
        approvers: Iterable[str],
        admins: Iterable[str],
        *,
        ttl_seconds: float = VIEW_TTL_SECONDS,
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
        """For views only: group members as read at most `ttl_seconds` ago."""
        return self._rules(self._ttl)

    def rules_now(self) -> ApprovalRules:
        """For decisions: group members as Slack says right now; ApproversUnreadableError if it cannot."""
        return self._rules(0.0)

    def _rules(self, max_age: float) -> ApprovalRules:
        return ApprovalRules(
            approvers=self._expand(self._approvers, max_age), admins=self._expand(self._admins, max_age)
        )

    def _expand(self, ids: Iterable[str], max_age: float) -> frozenset[str]:
        users: set[str] = set()
        for item in ids:
            users.update(self._group_members(item, max_age) if item.startswith("S") else {item})
        return frozenset(users)

    def _group_members(self, group_id: str, max_age: float) -> frozenset[str]:
        now = self._monotonic()
        with self._lock:
            cached = self._groups.get(group_id)
        if cached and now - cached[0] < max_age:
            return cached[1]
        try:
            response = self._client.usergroups_users_list(usergroup=group_id)
        except (SlackApiError, OSError) as exc:
            # Fail closed, and forget the old answer: a member removed meanwhile must not count.
            reason = exc.response.get("error") if isinstance(exc, SlackApiError) else exc
            log.warning("could not read user group %s: %s", group_id, reason)
            with self._lock:
                self._groups.pop(group_id, None)
            raise ApproversUnreadableError from exc
        members = frozenset(response.get("users") or [])
        with self._lock:
            self._groups[group_id] = (now, members)
        return members
