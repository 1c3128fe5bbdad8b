"""The Number Order API (KYC): requirements, orders that reserve numbers, registration, documents, review.

Life of an order: CREATED (numbers reserved until `expireTime`, no longer offered by search or rent) →
submit → IN_REVIEW → COMPLETED (numbers become active numbers) | REJECTED | BLOCKED; CREATED and BLOCKED
orders still waiting on the customer at `expireTime` become EXPIRED. REJECTED and EXPIRED orders give
their numbers back to the stock. Every change of state after CREATED is a signed NUMBER_ORDER_PROCESSING
callback to the order's callbackUrl (or the sandbox default).

The review is deterministic, and ends `order_review_seconds` after the submit:
- any string in the registration data containing "REJECT" (capitals, typed on purpose) → REJECTED, with
  the review team's message in the registration `logs`;
- otherwise any string containing "BLOCK" → BLOCKED, with a message asking for a local contact number;
  the customer may PUT a new registration (and documents) and submit again;
- otherwise → COMPLETED.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sandbox.sinch import views
from sandbox.sinch.backend import Backend, Call
from sandbox.sinch.callbacks import new_event_id
from sandbox.sinch.changes import ChangeSignal
from sandbox.sinch.config import SandboxConfig
from sandbox.sinch.errors import Violations, invalid_field, not_found
from sandbox.sinch.events import EventPublisher
from sandbox.sinch.inventory import offering_for
from sandbox.sinch.linking import SmsRequest, VoiceRequest
from sandbox.sinch.models import VOICE_ID_FIELD, AvailableNumber, Capability, NumberType
from sandbox.sinch.provisioning import Provisioner
from sandbox.sinch.requirements import REQUIREMENTS, Requirements, check_registration, requirements_for
from sandbox.sinch.scheduler import TimerQueue
from sandbox.sinch.state import SandboxState
from sandbox.sinch.uploads import ReceivedUpload, read_upload
from sandbox.sinch.validation import (
    callback_url,
    capabilities,
    enum_value,
    json_object,
    number_pattern,
    require_e164,
    sms_request,
    string_field,
    voice_request,
)

SEARCH_PATTERNS = ("START", "CONTAINS", "END")
MAX_QUANTITY = 100
REJECT_MARKER = "REJECT"
BLOCK_MARKER = "BLOCK"
REJECTED_MESSAGE = (
    "Dear Customer, we are unable to approve this request: the business could not be verified. "
    "Thank you. Regards, Sinch Service Implementation Team"
)
BLOCKED_MESSAGE = (
    "Dear Customer, please provide a local contact number and check the business details, then submit "
    "again. Thank you. Regards, Sinch Service Implementation Team"
)
# Magic bytes of the document formats the requirements name; other types are taken at their word.
_MAGIC = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
    "application/rtf": b"{\\rtf",
}


class OrderState(StrEnum):
    CREATED = "CREATED"
    IN_REVIEW = "IN_REVIEW"
    BLOCKED = "BLOCKED"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


_WAITING_ON_CUSTOMER = (OrderState.CREATED, OrderState.BLOCKED)


@dataclass
class StoredAttachment:
    attachment_id: str
    upload: ReceivedUpload
    create_time: datetime
    update_time: datetime


@dataclass
class Order:
    order_id: str
    project_id: str
    region_code: str
    number_type: NumberType
    offers: list[AvailableNumber]
    requirements: Requirements
    sms: SmsRequest | None
    voice: VoiceRequest | None
    callback_url: str
    create_time: datetime
    expire_time: datetime
    state: OrderState = OrderState.CREATED
    update_time: datetime = field(init=False)
    request_details: dict[str, Any] | None = None
    attachments: dict[str, StoredAttachment] = field(default_factory=dict)
    logs: list[tuple[str, datetime]] = field(default_factory=list)
    # Bumped on every submit, so a review timer of an earlier submit does nothing.
    review: int = 0

    def __post_init__(self) -> None:
        self.update_time = self.create_time

    @property
    def phone_numbers(self) -> list[str]:
        return [offer.phone_number for offer in self.offers]


class OrderDesk:
    """Keeps every project's orders and moves them along; callers hold the state lock."""

    def __init__(
        self,
        config: SandboxConfig,
        state: SandboxState,
        *,
        provisioner: Provisioner,
        events: EventPublisher,
        timers: TimerQueue,
        changes: ChangeSignal,
    ) -> None:
        self._config = config
        self._state = state
        self._provisioner = provisioner
        self._events = events
        self._timers = timers
        self._changes = changes
        self._orders: dict[tuple[str, str], Order] = {}
        self._reviews = itertools.count(1)

    def add(self, order: Order) -> None:
        for offer in order.offers:
            self._state.inventory.take(offer.phone_number)
        self._orders[(order.project_id, order.order_id)] = order
        self._schedule_expiry(order)

    def get(self, project_id: str, order_id: str) -> Order:
        order = self._orders.get((project_id, order_id))
        if order is None:
            raise not_found("NumberOrder", order_id)
        return order

    def submit(self, order: Order) -> None:
        order.review = next(self._reviews)
        self._move(order, OrderState.IN_REVIEW)
        review = order.review
        self._timers.call_later(self._config.order_review_seconds, lambda: self._finish_review(order, review))

    def _finish_review(self, order: Order, review: int) -> None:
        with self._state.lock:
            if order.review != review or order.state is not OrderState.IN_REVIEW:
                return
            texts = list(_strings(order.request_details))
            if any(REJECT_MARKER in text for text in texts):
                order.logs.append((REJECTED_MESSAGE, views.utc_now()))
                self._release(order)
                self._move(order, OrderState.REJECTED)
            elif any(BLOCK_MARKER in text for text in texts):
                order.logs.append((BLOCKED_MESSAGE, views.utc_now()))
                self._move(order, OrderState.BLOCKED)
                # The reservation clock kept running during the review (it starts at create).
                self._schedule_expiry(order)
            else:
                self._activate(order)
                self._move(order, OrderState.COMPLETED)

    def _schedule_expiry(self, order: Order) -> None:
        delay = (order.expire_time - views.utc_now()).total_seconds()
        self._timers.call_later(delay, lambda: self._expire(order))

    def _expire(self, order: Order) -> None:
        with self._state.lock:
            if order.state in _WAITING_ON_CUSTOMER:
                self._release(order)
                self._move(order, OrderState.EXPIRED)

    def _release(self, order: Order) -> None:
        for phone_number in order.phone_numbers:
            self._state.inventory.give_back(phone_number)

    def _activate(self, order: Order) -> None:
        now = views.utc_now()
        for offer in order.offers:
            number = self._state.activate(order.project_id, offer, now)
            number.callback_url = order.callback_url
            if order.sms and order.sms.service_plan_id:
                self._provisioner.start_sms(number, order.sms.service_plan_id, order.sms.campaign_id or "")
            if order.voice and order.voice.target:
                self._provisioner.start_voice(number, order.voice.type, order.voice.target)

    def _move(self, order: Order, state: OrderState) -> None:
        order.state = state
        order.update_time = views.utc_now()
        self._events.publish_order(order.project_id, order.order_id, order.callback_url, state.value)
        self._changes.notify()


# Handlers.


def lookup_requirements(backend: Backend, call: Call) -> dict[str, Any]:
    body = json_object(call.body)
    violations = Violations()
    region, number_type = _region_and_type(body, violations, known=REQUIREMENTS)
    violations.raise_if_any()
    assert region is not None and number_type is not None  # guaranteed by the violations above
    return _requirements(region, number_type).view()


def create_order(backend: Backend, call: Call) -> dict[str, Any]:
    body = json_object(call.body)
    violations = Violations()
    region, number_type = _region_and_type(body, violations)
    specific = body.get("numberOrderOption")
    quantity = body.get("quantityOrderOption")
    if (specific is None) == (quantity is None):
        violations.add("numberOrderOption", "Give exactly one of numberOrderOption and quantityOrderOption")
    sms = sms_request(body, violations)
    voice = voice_request(body, violations)
    url = callback_url(body, violations)
    violations.raise_if_any()
    assert region is not None and number_type is not None  # guaranteed by the violations above
    needed = _needed_capabilities(sms, voice)
    with backend.state.lock:
        if specific is not None:
            offers = [_specific_offer(backend, specific, region, number_type)]
        else:
            offers = _quantity_offers(backend, quantity, region, number_type, needed)
        _check_capable(offers, needed)
        now = views.utc_now()
        order = Order(
            order_id=new_event_id(),
            project_id=call.project_id,
            region_code=region,
            number_type=number_type,
            offers=offers,
            requirements=_requirements(region, number_type),
            sms=sms,
            voice=voice,
            callback_url=url or "",
            create_time=now,
            expire_time=now + timedelta(seconds=backend.config.order_reservation_seconds),
        )
        backend.orders.add(order)
        return _order_view(order)


def get_order(backend: Backend, call: Call) -> dict[str, Any]:
    with backend.state.lock:
        return _order_view(backend.orders.get(call.project_id, call.order_id))


def update_registration(backend: Backend, call: Call) -> dict[str, Any]:
    body = json_object(call.body)
    details = json_object(body.get("requestDetails"), "requestDetails")
    with backend.state.lock:
        order = _waiting_order(backend, call)
        violations = Violations()
        check_registration(order.requirements, details, order.phone_numbers, violations)
        violations.raise_if_any()
        order.request_details = details
        order.update_time = views.utc_now()
        return _registration_view(order)


def get_registration(backend: Backend, call: Call) -> dict[str, Any]:
    with backend.state.lock:
        return _registration_view(backend.orders.get(call.project_id, call.order_id))


def upload_attachment(backend: Backend, call: Call) -> dict[str, Any]:
    with backend.state.lock:
        order = _waiting_order(backend, call)
        document = order.requirements.document(call.attachment_id)
        if document is None:
            raise not_found("Attachment", call.attachment_id)
    assert call.upload is not None  # the route is declared multipart
    # Read outside the lock: a slow upload must not stall every other request.
    upload = read_upload(call.upload.content_type, call.upload.stream, backend.config.attachment_max_bytes)
    _check_document(upload, document.mime_types, document.document_types)
    with backend.state.lock:
        order = _waiting_order(backend, call)
        now = views.utc_now()
        previous = order.attachments.get(call.attachment_id)
        created = previous.create_time if previous else now
        order.attachments[call.attachment_id] = StoredAttachment(call.attachment_id, upload, created, now)
        order.update_time = now
    return {}


def submit_order(backend: Backend, call: Call) -> dict[str, Any]:
    with backend.state.lock:
        order = _waiting_order(backend, call)
        violations = Violations()
        if order.requirements.sections and order.request_details is None:
            violations.add("requestDetails", "Required: PUT the registration before submitting")
        for document in order.requirements.documents:
            if document.mandatory and document.id not in order.attachments:
                violations.add(f"attachments.{document.id}", f"Required: upload {document.title}")
        violations.raise_if_any()
        backend.orders.submit(order)
        return _order_view(order)


# Helpers.


def _requirements(region: str, number_type: NumberType) -> Requirements:
    offering = offering_for(region, number_type)
    return requirements_for(region, number_type, offering is not None and offering.documents_required)


def _region_and_type(
    body: dict[str, Any], violations: Violations, known: Mapping[tuple[str, NumberType], object] = {}
) -> tuple[str | None, NumberType | None]:
    """The region and type of a request; one the sandbox has no stock of is refused unless `known`."""
    region = string_field(body, "regionCode", violations)
    raw_type = body.get("numberType")
    number_type = enum_value(NumberType, raw_type, "numberType", violations) if raw_type is not None else None
    if not region:
        violations.add("regionCode", "Required")
    if raw_type is None:
        violations.add("numberType", "Required")
    if (
        region
        and number_type is not None
        and (region, number_type) not in known
        and offering_for(region, number_type) is None
    ):
        violations.add("regionCode", f"Sinch offers no {number_type} numbers in {region!r}")
    return region, number_type


def _waiting_order(backend: Backend, call: Call) -> Order:
    """The order, if it still waits on the customer (CREATED or BLOCKED); 400 otherwise."""
    order = backend.orders.get(call.project_id, call.order_id)
    if order.state not in _WAITING_ON_CUSTOMER:
        raise invalid_field("state", f"The order is {order.state}; only CREATED or BLOCKED orders can change")
    return order


def _specific_offer(backend: Backend, option: Any, region: str, number_type: NumberType) -> AvailableNumber:
    option = json_object(option, "numberOrderOption")
    phone_numbers = option.get("phoneNumbers")
    field_name = "numberOrderOption.phoneNumbers"
    if (
        not isinstance(phone_numbers, list)
        or len(phone_numbers) != 1
        or not isinstance(phone_numbers[0], str)
    ):
        raise invalid_field(field_name, "Exactly one phone number per order is supported")
    phone_number = require_e164(phone_numbers[0], field_name)
    offer = backend.state.inventory.lookup(phone_number)
    if offer is None or not backend.state.inventory.is_available(phone_number):
        raise invalid_field(field_name, f"{phone_number} is not available")
    if (offer.region_code, offer.type) != (region, number_type):
        raise invalid_field(field_name, f"{phone_number} is not a {region} {number_type} number")
    return offer


def _quantity_offers(
    backend: Backend, option: Any, region: str, number_type: NumberType, needed: frozenset[Capability]
) -> list[AvailableNumber]:
    option = json_object(option, "quantityOrderOption")
    prefix = "quantityOrderOption."
    violations = Violations()
    requested = option.get("requestedQuantity")
    if not isinstance(requested, int) or isinstance(requested, bool) or not 1 <= requested <= MAX_QUANTITY:
        violations.add(f"{prefix}requestedQuantity", f"Required: a whole number from 1 to {MAX_QUANTITY}")
    raw_capabilities = option.get("capabilities") or []
    if not isinstance(raw_capabilities, list):
        violations.add(f"{prefix}capabilities", "Expected a list")
        raw_capabilities = []
    wanted = capabilities(raw_capabilities, f"{prefix}capabilities", violations)
    raw_pattern = option.get("numberPattern") or {}
    pattern = None
    if isinstance(raw_pattern, dict):
        pattern = number_pattern(
            raw_pattern.get("pattern"),
            raw_pattern.get("searchPattern"),
            SEARCH_PATTERNS,
            violations,
            f"{prefix}numberPattern.",
        )
    else:
        violations.add(f"{prefix}numberPattern", "Expected an object")
    sequential = option.get("sequential", False)
    if not isinstance(sequential, bool):
        violations.add(f"{prefix}sequential", "Expected true or false")
    violations.raise_if_any()
    assert isinstance(requested, int)
    matching = [
        offer
        for offer in backend.state.inventory.search(region, number_type, wanted | needed)
        if pattern is None or pattern.matches(offer.phone_number)
    ]
    chosen = _consecutive(matching, requested) if sequential else matching[:requested]
    if len(chosen) < requested:
        kind = "consecutive numbers" if sequential else "numbers"
        raise invalid_field(
            f"{prefix}requestedQuantity", f"Only {len(chosen)} matching {kind} are available, not {requested}"
        )
    return chosen


def _consecutive(offers: list[AvailableNumber], count: int) -> list[AvailableNumber]:
    """The first run of `count` numerically consecutive numbers, or the longest run found."""
    ordered = sorted(offers, key=lambda offer: int(offer.phone_number[1:]))
    best: list[AvailableNumber] = []
    run: list[AvailableNumber] = []
    for offer in ordered:
        if run and int(offer.phone_number[1:]) == int(run[-1].phone_number[1:]) + 1:
            run.append(offer)
        else:
            run = [offer]
        if len(run) > len(best):
            best = list(run)
        if len(run) == count:
            return run
    return best


def _needed_capabilities(sms: SmsRequest | None, voice: VoiceRequest | None) -> frozenset[Capability]:
    needed = set()
    if sms and sms.service_plan_id:
        needed.add(Capability.SMS)
    if voice and voice.target:
        needed.add(Capability.VOICE)
    return frozenset(needed)


def _check_capable(offers: list[AvailableNumber], needed: frozenset[Capability]) -> None:
    violations = Violations()
    for offer in offers:
        for capability in sorted(needed - set(offer.capabilities)):
            section = "smsConfiguration" if capability is Capability.SMS else "voiceConfiguration"
            violations.add(section, f"{offer.phone_number} is not {capability} capable")
    violations.raise_if_any()


def _check_document(
    upload: ReceivedUpload, mime_types: tuple[str, ...], document_types: tuple[str, ...]
) -> None:
    violations = Violations()
    if mime_types and upload.mime_type not in mime_types:
        violations.add(
            "file", f"Mime type {upload.mime_type or 'none'!r} is not allowed; use {', '.join(mime_types)}"
        )
    elif upload.size == 0:
        violations.add("file", "The document is empty")
    elif not upload.head.startswith(_MAGIC.get(upload.mime_type, b"")):
        violations.add("file", f"The content is not a {upload.mime_type} document")
    if upload.document_type is not None and document_types and upload.document_type not in document_types:
        violations.add("documentType", f"Expected one of {', '.join(document_types)}")
    violations.raise_if_any()


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _order_view(order: Order) -> dict[str, Any]:
    view: dict[str, Any] = {
        "projectId": order.project_id,
        "idNumberOrder": order.order_id,
        "regionCode": order.region_code,
        "state": order.state.value,
        "numberType": order.number_type.value,
        "orderNumbers": [_order_number(offer) for offer in order.offers],
        "expireTime": views.rfc3339(order.expire_time),
        "createTime": views.rfc3339(order.create_time),
        "updateTime": views.rfc3339(order.update_time),
    }
    if order.sms is not None:
        view["smsConfiguration"] = {
            "servicePlanId": order.sms.service_plan_id,
            "campaignId": order.sms.campaign_id,
        }
    if order.voice is not None:
        view["voiceConfiguration"] = {
            "type": order.voice.type.value,
            VOICE_ID_FIELD[order.voice.type]: order.voice.target,
        }
    return view


def _order_number(offer: AvailableNumber) -> dict[str, Any]:
    return {
        "phoneNumber": offer.phone_number,
        "numberPrice": {
            "setupPrice": views.money(offer.setup_price),
            "monthlyPrice": views.money(offer.monthly_price),
            "paymentIntervalMonths": offer.payment_interval_months,
        },
        "capabilities": [capability.value for capability in offer.capabilities],
    }


def _registration_view(order: Order) -> dict[str, Any]:
    return {
        "requestDetails": order.request_details or {},
        "attachments": [
            {
                "attachmentId": stored.attachment_id,
                "fileName": stored.upload.file_name,
                "mimeType": stored.upload.mime_type,
                "uploadStatus": "COMPLETED",
                "createTime": views.rfc3339(stored.create_time),
                "updateTime": views.rfc3339(stored.update_time),
                **({"documentType": stored.upload.document_type} if stored.upload.document_type else {}),
            }
            for stored in order.attachments.values()
        ],
        "logs": [{"message": message, "createTime": views.rfc3339(moment)} for message, moment in order.logs],
    }
