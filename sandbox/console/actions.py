"""Numbered actions: every button the console shows gets a number a user can type (`/click 3`)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sandbox.console.render import Numberer
from sandbox.slack import Message, View
from sandbox.slack.block_kit import PlacedElement


@dataclass(frozen=True)
class Action:
    surface: Message | View
    """Where the element was shown (clicking sends its current version, as Slack does)."""
    placed: PlacedElement


class ActionBoard:
    """Numbers only grow: a number once shown keeps meaning that element, even after newer output."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._actions: dict[int, Action] = {}

    def numberer(self, surface: Message | View) -> Numberer:
        def number(placed: PlacedElement) -> int:
            with self._lock:
                assigned = len(self._actions) + 1
                self._actions[assigned] = Action(surface, placed)
                return assigned

        return number

    def get(self, number: int) -> Action | None:
        with self._lock:
            return self._actions.get(number)
