"""The one way a Web API method of the local workspace says no: Slack's error code plus its explanations."""

from __future__ import annotations


class ApiError(Exception):
    """Answered `{"ok": false, "error": ...}`; `messages` go to `response_metadata.messages` like Slack's."""

    def __init__(self, error: str, messages: list[str] | None = None) -> None:
        super().__init__(error if not messages else f"{error}: {'; '.join(messages)}")
        self.error = error
        self.messages = messages or []
