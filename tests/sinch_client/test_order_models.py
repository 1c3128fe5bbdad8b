"""Number Order models against the spec's own examples, and their tolerance of what Sinch may add."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.sinch import (
    CreateNumberOrderRequest,
    NumberOrder,
    NumberOrderState,
    NumberRequirements,
    Registration,
    RequirementFields,
    UploadStatus,
)
from tests.sinch_client.spec_examples import as_json, numbers_example


def test_the_australian_order_example_parses_with_decimal_prices() -> None:
    order = NumberOrder.model_validate_json(as_json(numbers_example("australianNumberOrder")))

    assert order.state is NumberOrderState.CREATED
    assert order.phone_numbers == ["+61411111112"]
    price = order.order_numbers[0].number_price
    assert price is not None and price.setup_price is not None
    assert price.setup_price.amount == Decimal("1.00")
    assert order.expire_time is not None and order.expire_time.tzinfo is not None


def test_the_australian_registration_example_keeps_its_data_and_log() -> None:
    registration = Registration.model_validate_json(as_json(numbers_example("australianRegistration")))

    assert registration.request_details["data"][0][0]["purposeOfTheTraffic"] == "One Time Password"
    assert registration.attachments[0].upload_status is UploadStatus.WAITING
    assert [log.message.split(",")[0] for log in registration.logs] == ["Dear Customer"] * 2


def test_the_requirements_example_is_the_typed_shape() -> None:
    requirements = NumberRequirements.model_validate_json(
        as_json(numbers_example("lookupAuKycRequirementsRes"))
    )

    assert isinstance(requirements.fields, RequirementFields)
    assert len(requirements.fields.rules) == 2


@pytest.mark.parametrize("example", ["createAustralianNumberOrderRequest", "createUsQuantityOrderRequest"])
def test_create_request_examples_serialise_back_to_the_same_body(example: str) -> None:
    body = numbers_example(example)

    assert CreateNumberOrderRequest.model_validate(body).to_wire() == body


def test_states_and_shapes_sinch_adds_later_are_kept_not_rejected() -> None:
    order = NumberOrder.model_validate({"idNumberOrder": "o1", "state": "ON_HOLD"})
    odd = NumberRequirements.model_validate({"fields": {"rules": {"not": "a list"}}})

    assert order.state == "ON_HOLD" and not order.state.is_known and not order.state.is_final
    assert odd.fields == {"rules": {"not": "a list"}}
