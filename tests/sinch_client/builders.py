"""Small helpers that build clients, requests and rented numbers for the integration tests."""

from __future__ import annotations

import itertools
from typing import Any

from bot.sinch import (
    ActiveNumber,
    Capability,
    ImportNumber,
    NumberType,
    OAuth2ClientCredentials,
    RentRequest,
    RetryPolicy,
    RtcVoice,
    SinchClient,
    SmsConfiguration,
)
from sandbox.sinch import DEFAULT_PROJECT_ID, RequestRecord, RunningSandbox

TOKEN_PATH = "/oauth2/token"
# Retries in milliseconds, so tests exercise the retry loop without waiting for it.
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.005, max_delay=0.02, max_elapsed=5.0)
_fictional_numbers = itertools.count(100)


def make_client(sandbox: RunningSandbox, project_id: str = DEFAULT_PROJECT_ID, **options: Any) -> SinchClient:
    options.setdefault("retry", FAST_RETRY)
    options.setdefault("timeout", 5.0)
    auth = options.pop("auth", None) or OAuth2ClientCredentials("key-id", "key-secret", sandbox.token_url)
    return SinchClient(
        project_id, auth, numbers_url=sandbox.url, imported_url=sandbox.imported_url, **options
    )


def api_requests(sandbox: RunningSandbox) -> list[RequestRecord]:
    return [r for r in sandbox.requests if r.path != TOKEN_PATH]


def token_requests(sandbox: RunningSandbox) -> list[RequestRecord]:
    return [r for r in sandbox.requests if r.path == TOKEN_PATH]


def fictional_us_number() -> str:
    """A valid US number outside the sandbox inventory (555 numbers are reserved for fiction)."""
    return f"+1206555{next(_fictional_numbers):04d}"


def import_request(phone_number: str, plan: str = "plan-1", campaign: str | None = None) -> ImportNumber:
    return ImportNumber(
        phone_number=phone_number,
        region_code="US",
        display_name="Imported",
        sms_configuration=SmsConfiguration(service_plan_id=plan, campaign_id=campaign),
    )


def available_number(client: SinchClient, capability: Capability = Capability.SMS) -> str:
    return client.search_available("US", NumberType.LOCAL, capabilities=[capability], size=1)[0].phone_number


def rent_sms_number(
    client: SinchClient, plan: str = "plan-1", callback_url: str | None = None
) -> ActiveNumber:
    sms = SmsConfiguration(service_plan_id=plan)
    return client.rent(
        available_number(client), RentRequest(sms_configuration=sms, callback_url=callback_url)
    )


def rent_voice_number(client: SinchClient) -> ActiveNumber:
    voice = RtcVoice(app_id="app-1")
    return client.rent(available_number(client, Capability.VOICE), RentRequest(voice_configuration=voice))
