"""SinchClient's Number Order operations against the sandbox: every outcome, errors, retries, streaming."""

from __future__ import annotations

import copy
import io
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.sinch import (
    CreateNumberOrderRequest,
    DocumentTooLarge,
    EventType,
    InvalidArgument,
    NotFound,
    NumberOrder,
    NumberOrderOption,
    NumberOrderState,
    NumberPattern,
    NumberType,
    QuantityOrderOption,
    RequirementFields,
    ResourceType,
    RuleTemplate,
    SinchClient,
    SmsConfiguration,
    TemplateFieldType,
    Unauthorized,
    Upstream,
    parse_event,
    verify_signature,
)
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from tests.number_orders import GB_DETAILS, PDF, SECRET
from tests.sandbox_sinch.callback_receiver import CallbackReceiver
from tests.sinch_client.builders import api_requests, make_client


@pytest.fixture
def orders_sandbox() -> Iterator[RunningSandbox]:
    """Reviews end right after a submit; provisioning of completed numbers waits."""
    config = SandboxConfig(
        seed=11, provisioning_seconds=3600, order_review_seconds=0, callback_hmac_secret=SECRET
    )
    with start_sandbox(config) as sandbox:
        yield sandbox


@pytest.fixture
def sinch(orders_sandbox: RunningSandbox) -> Iterator[SinchClient]:
    with make_client(orders_sandbox) as client:
        yield client


def details_with(name: str) -> dict[str, Any]:
    details = copy.deepcopy(GB_DETAILS)
    details["data"][0]["endBusinessName"] = name
    return details


def gb_order(sinch: SinchClient, callback_url: str | None = None) -> NumberOrder:
    number = sinch.search_available("GB", NumberType.MOBILE, size=1)[0].phone_number
    request = CreateNumberOrderRequest(
        region_code="GB",
        number_type=NumberType.MOBILE,
        number_order_option=NumberOrderOption(phone_numbers=[number]),
        sms_configuration=SmsConfiguration(service_plan_id="plan-1"),
        callback_url=callback_url,
    )
    return sinch.create_number_order(request)


def submit_ready(sinch: SinchClient, order_id: str, details: dict[str, Any]) -> NumberOrder:
    sinch.update_number_order_registration(order_id, details)
    sinch.upload_number_order_attachment(
        order_id, "proof-of-address", io.BytesIO(PDF), file_name="bill.pdf", mime_type="application/pdf"
    )
    return sinch.submit_number_order(order_id)


def settled(
    sandbox: RunningSandbox, sinch: SinchClient, order_id: str, state: NumberOrderState
) -> NumberOrder:
    assert sandbox.wait_for(lambda: sinch.get_number_order(order_id).state is state)
    return sinch.get_number_order(order_id)


def test_requirements_are_typed_with_their_templates_and_attachments(sinch: SinchClient) -> None:
    requirements = sinch.lookup_number_requirements("AU", NumberType.MOBILE)

    assert isinstance(requirements.fields, RequirementFields)
    assert requirements.fields.schema_ref == "/schema/policySchema-v1.json"
    per_number, business, _contact = (rule.template for rule in requirements.fields.rules)
    assert isinstance(per_number, RuleTemplate) and isinstance(business, RuleTemplate)
    assert per_number.per_number
    confirmation = next(f for f in per_number.fields if f.type is TemplateFieldType.BOOLEAN)
    assert confirmation.const is True
    assert "VIC" in next(f for f in business.fields if f.name == "state").enum
    (letter,) = requirements.mandatory_attachments
    assert letter.template[0].name == "template.rtf"
    assert letter.accepts_mime_type("application/rtf")
    assert not letter.accepts_mime_type("image/png")
    assert letter.accepts_mime_type("Application/RTF")  # mime types compare without case
    assert sinch.lookup_number_requirements("US", NumberType.LOCAL).attachments == []


def test_a_plausible_order_completes_and_its_number_becomes_active(
    orders_sandbox: RunningSandbox, sinch: SinchClient, receiver: CallbackReceiver
) -> None:
    order = gb_order(sinch, receiver.url)
    assert order.state is NumberOrderState.CREATED
    assert order.order_numbers[0].number_price is not None
    assert str(order.order_numbers[0].number_price.monthly_price) == "2.00 USD"
    assert order.expire_time is not None

    submitted = submit_ready(sinch, order.id_number_order, GB_DETAILS)
    done = settled(orders_sandbox, sinch, order.id_number_order, NumberOrderState.COMPLETED)
    callbacks = receiver.wait_for(2)

    assert submitted.state is NumberOrderState.IN_REVIEW
    assert done.state.is_final
    active = sinch.get_active(order.phone_numbers[0])
    assert active.sms_configuration is not None
    assert active.sms_configuration.scheduled_provisioning is not None  # the order's plan is being linked
    assert order.phone_numbers[0] in [n.phone_number for n in sinch.list_active("GB", NumberType.MOBILE)]
    events = [parse_event(callback.body) for callback in callbacks]
    assert all(verify_signature(SECRET, c.body, c.signature) for c in callbacks)
    assert {(e.resource_type, e.event_type, e.resource_id) for e in events} == {
        (ResourceType.NUMBER_ORDER, EventType.NUMBER_ORDER_PROCESSING, order.id_number_order)
    }
    assert sorted(e.order_state for e in events if e.order_state) == [
        NumberOrderState.COMPLETED,
        NumberOrderState.IN_REVIEW,
    ]


def test_a_rejected_order_tells_why_in_the_registration_log(
    orders_sandbox: RunningSandbox, sinch: SinchClient
) -> None:
    order = gb_order(sinch)

    submit_ready(sinch, order.id_number_order, details_with("REJECT me Ltd"))
    settled(orders_sandbox, sinch, order.id_number_order, NumberOrderState.REJECTED)

    (log,) = sinch.get_number_order_registration(order.id_number_order).logs
    assert "unable to approve" in log.message
    assert log.create_time is not None
    with pytest.raises(NotFound):
        sinch.get_active(order.phone_numbers[0])


def test_a_blocked_order_is_fixed_and_resubmitted_to_completion(
    orders_sandbox: RunningSandbox, sinch: SinchClient
) -> None:
    order = gb_order(sinch)
    submit_ready(sinch, order.id_number_order, details_with("BLOCK Trading"))
    settled(orders_sandbox, sinch, order.id_number_order, NumberOrderState.BLOCKED)
    registration = sinch.get_number_order_registration(order.id_number_order)
    assert "local contact number" in registration.logs[0].message

    sinch.update_number_order_registration(order.id_number_order, GB_DETAILS)
    sinch.submit_number_order(order.id_number_order)
    settled(orders_sandbox, sinch, order.id_number_order, NumberOrderState.COMPLETED)

    assert sinch.get_active(order.phone_numbers[0]).region_code == "GB"


def test_an_order_left_alone_expires(receiver: CallbackReceiver) -> None:
    config = SandboxConfig(seed=11, order_reservation_seconds=0.2, callback_hmac_secret=SECRET)
    with start_sandbox(config) as sandbox, make_client(sandbox) as sinch:
        order = gb_order(sinch, receiver.url)

        (callback,) = receiver.wait_for(1)
        expired = sinch.get_number_order(order.id_number_order)

    assert parse_event(callback.body).order_state is NumberOrderState.EXPIRED
    assert expired.state is NumberOrderState.EXPIRED


def test_a_quantity_order_reserves_several_numbers(sinch: SinchClient) -> None:
    request = CreateNumberOrderRequest(
        region_code="US",
        number_type=NumberType.LOCAL,
        quantity_order_option=QuantityOrderOption(
            requested_quantity=4, number_pattern=NumberPattern(pattern="+1212")
        ),
    )

    order = sinch.create_number_order(request)

    assert len(set(order.phone_numbers)) == 4
    assert all(number.startswith("+1212") for number in order.phone_numbers)
    with pytest.raises(ValueError, match="exactly one"):
        CreateNumberOrderRequest(region_code="US", number_type=NumberType.LOCAL)


def test_registration_violations_name_the_fields(sinch: SinchClient) -> None:
    order = gb_order(sinch)
    details = copy.deepcopy(GB_DETAILS)
    details["data"][0]["postalCode"] = "not a postcode"
    del details["data"][1]["email"]

    with pytest.raises(InvalidArgument) as raised:
        sinch.update_number_order_registration(order.id_number_order, details)

    assert {v.field for v in raised.value.field_violations} == {
        "requestDetails.data[0].postalCode",
        "requestDetails.data[1].email",
    }
    assert sinch.get_number_order_registration(order.id_number_order).request_details == {}


def test_a_wrong_mime_type_and_an_oversized_document_are_typed_errors(
    make_sandbox_with: Callable[..., RunningSandbox],
) -> None:
    sandbox = make_sandbox_with(attachment_max_bytes=len(PDF) - 1)
    with make_client(sandbox) as sinch:
        order_id = gb_order(sinch).id_number_order

        with pytest.raises(InvalidArgument) as wrong:
            sinch.upload_number_order_attachment(
                order_id, "proof-of-address", io.BytesIO(b"\x89PNG"), file_name="a.png", mime_type="image/png"
            )
        with pytest.raises(DocumentTooLarge) as too_large:
            sinch.upload_number_order_attachment(
                order_id,
                "proof-of-address",
                io.BytesIO(PDF),
                file_name="bill.pdf",
                mime_type="application/pdf",
            )

    assert [v.field for v in wrong.value.field_violations] == ["file"]
    assert too_large.value.status == 413


def test_a_large_upload_streams_from_a_single_pass_iterator(
    orders_sandbox: RunningSandbox, sinch: SinchClient
) -> None:
    order_id = gb_order(sinch).id_number_order
    chunk = b"0" * (64 * 1024)
    passes = 0

    def document() -> Iterator[bytes]:
        nonlocal passes
        passes += 1
        assert passes == 1, "the document was read twice"
        yield b"%PDF-1.4\n"
        for _ in range(80):  # 5 MiB
            yield chunk

    tracemalloc.start()
    try:
        sinch.upload_number_order_attachment(
            order_id, "proof-of-address", document(), file_name="big.pdf", mime_type="application/pdf"
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert passes == 1
    # The sandbox runs in this process too, so its streaming read is measured as well.
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes: the 5 MiB document was held in memory"
    (attachment,) = sinch.get_number_order_registration(order_id).attachments
    assert attachment.file_name == "big.pdf"


def test_a_token_revoked_mid_upload_is_unauthorized_not_a_resent_empty_body(
    orders_sandbox: RunningSandbox, sinch: SinchClient
) -> None:
    order_id = gb_order(sinch).id_number_order
    orders_sandbox.revoke_tokens()

    with pytest.raises(Unauthorized, match="upload it again"):
        sinch.upload_number_order_attachment(
            order_id, "proof-of-address", io.BytesIO(PDF), file_name="bill.pdf", mime_type="application/pdf"
        )

    assert sinch.get_number_order_registration(order_id).attachments == []


def test_writes_are_never_retried_but_registration_and_reads_are(
    orders_sandbox: RunningSandbox, sinch: SinchClient
) -> None:
    order_id = gb_order(sinch).id_number_order
    orders_sandbox.requests.clear()

    orders_sandbox.faults.fail_next(1, 503)
    with pytest.raises(Upstream):
        sinch.upload_number_order_attachment(
            order_id, "proof-of-address", io.BytesIO(PDF), file_name="bill.pdf", mime_type="application/pdf"
        )
    orders_sandbox.faults.fail_next(1, 503)
    with pytest.raises(Upstream):
        sinch.submit_number_order(order_id)
    orders_sandbox.faults.fail_next(1, 503)
    sinch.update_number_order_registration(order_id, GB_DETAILS)
    orders_sandbox.faults.fail_next(1, 503)
    sinch.get_number_order(order_id)

    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in api_requests(orders_sandbox)] == [
        ("POST", "proof-of-address"),
        ("POST", "submit"),
        ("PUT", "registration"),
        ("PUT", "registration"),
        ("GET", order_id),
        ("GET", order_id),
    ]


@pytest.fixture
def make_sandbox_with() -> Iterator[Callable[..., RunningSandbox]]:
    started: list[RunningSandbox] = []

    def make(**config: Any) -> RunningSandbox:
        started.append(start_sandbox(SandboxConfig(seed=11, **config)))
        return started[-1]

    yield make
    for sandbox in started:
        sandbox.stop()
