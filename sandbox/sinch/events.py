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
        target = EventTarget(api, number.project_id, number.phone_number, number.callback_url)
        self._send(target, event_type, status, failure_code)

    def publish_order(self, project_id: str, order_id: str, callback_url: str, state: str) -> None:
        """A NUMBER_ORDER_PROCESSING event: `status` is the order's new state."""
        target = EventTarget(Api.NUMBERS, project_id, order_id, callback_url, resource_type="NUMBER_ORDER")
        self._send(target, "NUMBER_ORDER_PROCESSING", state, None)

    def _send(self, target: EventTarget, event_type: str, status: str, failure_code: str | None) -> None:
        url = target.callback_url or self._default_url
        if not url:
            return
        project = self._state.project(target.project_id)
        secret = project.numbers_hmac_secret if target.api is Api.NUMBERS else project.imported_hmac_secret
        self._dispatcher.send(url, event_payload(target, event_type, status, failure_code), secret)
