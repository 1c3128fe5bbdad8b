"""Each user's stack of open modals (at most 3) and their Home tab, with Slack's update rules."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable

from sandbox.slack.block_kit import JsonDict, plain_text
from sandbox.slack.errors import ApiError
from sandbox.slack.models import View

MAX_STACK_DEPTH = 3


class ViewStacks:
    def __init__(self, next_id: Callable[[str], str]) -> None:
        self._next_id = next_id
        self._views: dict[str, View] = {}
        self._stacks: dict[str, list[str]] = {}
        self._homes: dict[str, str] = {}

    def open(self, user_id: str, definition: JsonDict) -> View:
        for view_id in self._stacks.get(user_id, []):
            del self._views[view_id]
        view = self._store(self._build(definition, user_id, self._next_id("V"), root=None, previous=None))
        self._stacks[user_id] = [view.id]
        return view

    def push(self, user_id: str, definition: JsonDict) -> View:
        stack = self._stacks.get(user_id, [])
        if not stack:
            raise ApiError("view_not_found")
        if len(stack) >= MAX_STACK_DEPTH:
            raise ApiError("push_limit_reached")
        below = self._views[stack[-1]]
        view = self._store(self._build(definition, user_id, self._next_id("V"), below.root_view_id, below.id))
        stack.append(view.id)
        return view

    def update(
        self, view_id: object, external_id: object, definition: JsonDict, expected_hash: object
    ) -> View:
        current = self._resolve(view_id, external_id)
        if expected_hash and expected_hash != current.hash:
            raise ApiError("hash_conflict")
        return self.replace(current.id, definition)

    def replace(self, view_id: str, definition: JsonDict) -> View:
        """New content in place (same id, new hash), as views.update and `response_action: update` do."""
        current = self.get(view_id)
        return self._store(
            self._build(
                definition, current.user_id, current.id, current.root_view_id, current.previous_view_id
            )
        )

    def publish(self, user_id: str, definition: JsonDict, expected_hash: object) -> View:
        current_id = self._homes.get(user_id)
        if current_id is None:
            home = self._store(self._build(definition, user_id, self._next_id("V"), root=None, previous=None))
            self._homes[user_id] = home.id
            return home
        if expected_hash and expected_hash != self._views[current_id].hash:
            raise ApiError("hash_conflict")
        return self.replace(current_id, definition)

    def set_errors(self, view_id: str, errors: dict[str, str]) -> View:
        return self._store(dataclasses.replace(self.get(view_id), errors=dict(errors)))

    def close(self, view_id: str) -> None:
        """Close a modal and those pushed above it; the one below (if any) shows again."""
        view = self.get(view_id)
        stack = self._stacks[view.user_id]
        for closed in stack[stack.index(view_id) :]:
            del self._views[closed]
        del stack[stack.index(view_id) :]

    def clear(self, user_id: str) -> None:
        for view_id in self._stacks.pop(user_id, []):
            del self._views[view_id]

    def get(self, view_id: object) -> View:
        view = self._views.get(str(view_id))
        if view is None:
            raise ApiError("view_not_found")
        return view

    def stack(self, user_id: str) -> list[View]:
        return [self._views[view_id] for view_id in self._stacks.get(user_id, [])]

    def home(self, user_id: str) -> View | None:
        home_id = self._homes.get(user_id)
        return self._views[home_id] if home_id else None

    def _resolve(self, view_id: object, external_id: object) -> View:
        if view_id:
            return self.get(view_id)
        for view in self._views.values():
            if external_id and view.external_id == external_id:
                return view
        raise ApiError("view_not_found")

    def _store(self, view: View) -> View:
        clash = any(
            other.external_id == view.external_id and other.id != view.id
            for other in self._views.values()
            if view.external_id
        )
        if clash:
            raise ApiError("duplicate_external_id")
        self._views[view.id] = view
        return view

    def _build(
        self, definition: JsonDict, user_id: str, view_id: str, root: str | None, previous: str | None
    ) -> View:
        normalised = _with_generated_ids(definition)
        submit, close = normalised.get("submit"), normalised.get("close")
        return View(
            id=view_id,
            type=str(normalised["type"]),
            user_id=user_id,
            hash=self._next_id("H"),
            callback_id=str(normalised.get("callback_id", "")),
            title=plain_text(normalised.get("title")),
            blocks=normalised.get("blocks", []),
            private_metadata=str(normalised.get("private_metadata", "")),
            external_id=str(normalised.get("external_id", "")),
            submit=plain_text(submit) if submit else None,
            close=plain_text(close) if close else None,
            notify_on_close=bool(normalised.get("notify_on_close", False)),
            root_view_id=root or view_id,
            previous_view_id=previous,
            definition=normalised,
        )


def _with_generated_ids(definition: JsonDict) -> JsonDict:
    """Slack fills in block_id and action_id where the app left them out; state.values is keyed by them."""
    normalised = copy.deepcopy(definition)
    for index, block in enumerate(normalised.get("blocks", [])):
        block.setdefault("block_id", f"block-{index}")
        inner = [block.get("element"), block.get("accessory"), *block.get("elements", [])]
        for position, element in enumerate(inner):
            if isinstance(element, dict) and element.get("type") not in (
                None,
                "mrkdwn",
                "plain_text",
                "image",
            ):
                element.setdefault("action_id", f"action-{index}-{position}")
    return normalised
