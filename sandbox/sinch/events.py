"""Publishes a number's events to its callback URL (or the default), signed with its project's secret."""

from __future__ import annotations

from sandbox.sinch.callbacks import Api, CallbackDispatcher, EventTarget, event_payload
from sandbox.sinch.models import ActiveNumber, ImportedNumber
from sandbox.sinch.state import SandboxState


class EventPublisher:
    def __init__(self, state: SandboxState, dispatcher: CallbackDispatcher, default_url: str | None) -> None:
        self._state = state
        self._dispatcher = dispatcher
        self._default_url = default_url

    def publish(
        self,
        api: Api,
        number: ActiveNumber | ImportedNumber,
        event_type: str,
        status: str = "SUCCEEDED",
        failure_code: str | None = None,
    ) -> None:
        url = number.callback_url or self._default_url
        if not url:
            return
        project = self._state.project(number.project_id)
        secret = project.numbers_hmac_secret if api is Api.NUMBERS else project.imported_hmac_secret
        target = EventTarget(api, number.project_id, number.phone_number, number.callback_url)
        self._dispatcher.send(url, event_payload(target, event_type, status, failure_code), secret)
