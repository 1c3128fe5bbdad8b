"""Auth, typed errors, retries and their limits, over real HTTP against the sandbox."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from bot.sinch import (
    BasicAuth,
    Conflict,
    InvalidArgument,
    InvalidPhoneNumber,
    NotFound,
    NumberType,
    OAuth2ClientCredentials,
    PermissionDenied,
    RateLimited,
    RentAnyRequest,
    RentRequest,
    RetryPolicy,
    SinchClient,
    SinchError,
    Transport,
    Unauthorized,
    Upstream,
)
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from tests.harness import SPRINGFIELD
from tests.sinch_client.builders import (
    api_requests,
    available_number,
    fictional_us_number,
    import_request,
    make_client,
    rent_voice_number,
    token_requests,
)

NO_RETRY = RetryPolicy(attempts=1)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# Authentication


def test_the_token_is_fetched_once_and_reused(client: SinchClient, sandbox: RunningSandbox) -> None:
    for _ in range(5):
        client.regions()

    assert len(token_requests(sandbox)) == 1
    assert len(api_requests(sandbox)) == 5


def test_concurrent_first_calls_share_one_token_fetch(sandbox: RunningSandbox) -> None:
    threads_count = 8
    start = threading.Barrier(threads_count)
    failures: list[BaseException] = []

    with make_client(sandbox) as client:

        def call() -> None:
            start.wait(timeout=5)
            try:
                client.regions()
            except SinchError as error:
                failures.append(error)

        threads = [threading.Thread(target=call) for _ in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)

    assert failures == []
    assert len(token_requests(sandbox)) == 1
    assert len(api_requests(sandbox)) == threads_count


def test_a_revoked_token_is_replaced_once_and_the_request_resent(
    client: SinchClient, sandbox: RunningSandbox
) -> None:
    client.regions()
    sandbox.revoke_tokens()

    assert client.regions()
    assert len(token_requests(sandbox)) == 2
    assert [r.path.rsplit("/", 1)[-1] for r in api_requests(sandbox)] == ["availableRegions"] * 3


def test_the_token_is_refreshed_a_minute_before_it_expires(sandbox: RunningSandbox) -> None:
    clock = FakeClock()
    auth = OAuth2ClientCredentials("key-id", "key-secret", sandbox.token_url, clock=clock)
    ttl = sandbox.config.token_ttl_seconds

    with make_client(sandbox, auth=auth) as client:
        client.regions()
        clock.now += ttl - 61
        client.regions()
        fetched_before_margin = len(token_requests(sandbox))
        clock.now += 1
        client.regions()

    assert fetched_before_margin == 1
    assert len(token_requests(sandbox)) == 2


@pytest.fixture
def locked_sandbox() -> Iterator[RunningSandbox]:
    """A sandbox that accepts only one key id/secret pair."""
    with start_sandbox(SandboxConfig(seed=3, credentials=("good-id", "good-secret"))) as sandbox:
        yield sandbox


@pytest.mark.parametrize("scheme", ["oauth", "basic"])
def test_wrong_credentials_are_unauthorized_with_a_clear_message(
    locked_sandbox: RunningSandbox, scheme: str
) -> None:
    auth = (
        OAuth2ClientCredentials("good-id", "wrong", locked_sandbox.token_url)
        if scheme == "oauth"
        else BasicAuth("good-id", "wrong")
    )

    with make_client(locked_sandbox, auth=auth) as client, pytest.raises(Unauthorized) as caught:
        client.regions()

    assert caught.value.message.startswith("Sinch did not accept our credentials (HTTP 401)")


def test_basic_auth_with_the_right_key_works_without_any_token(locked_sandbox: RunningSandbox) -> None:
    with make_client(locked_sandbox, auth=BasicAuth("good-id", "good-secret")) as client:
        assert client.regions()

    assert token_requests(locked_sandbox) == []


def test_auth_reprs_never_show_the_secret() -> None:
    shown = repr(OAuth2ClientCredentials("id-1", "s3cr3t")) + repr(BasicAuth("id-1", "s3cr3t"))

    assert "id-1" in shown
    assert "s3cr3t" not in shown


# Typed errors from real responses


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, InvalidArgument),
        (401, Unauthorized),
        (403, PermissionDenied),
        (404, NotFound),
        (409, Conflict),
        (429, RateLimited),
        (500, Upstream),
        (503, Upstream),
    ],
)
def test_each_status_raises_its_error_class(
    sandbox: RunningSandbox, status: int, error_class: type[SinchError]
) -> None:
    with make_client(sandbox, retry=NO_RETRY) as client:
        client.regions()
        # Two, because a 401 makes the client fetch a new token and re-send once before giving up.
        sandbox.faults.fail_next(2, status)

        with pytest.raises(error_class) as caught:
            client.regions()

    assert caught.value.status == status
    assert "Injected fault" in caught.value.message


# Retries


def test_reads_are_retried_through_5xx_until_they_succeed(
    client: SinchClient, sandbox: RunningSandbox
) -> None:
    client.regions()
    sandbox.requests.clear()
    sandbox.faults.fail_next(2, 503)

    assert client.regions()
    assert len(api_requests(sandbox)) == 3


def test_reads_are_retried_after_429_when_retry_after_fits_the_budget(
    client: SinchClient, sandbox: RunningSandbox
) -> None:
    client.regions()
    sandbox.requests.clear()
    sandbox.faults.fail_next(1, 429, retry_after=0)

    assert client.regions()
    assert len(api_requests(sandbox)) == 2


def test_a_retry_after_longer_than_the_budget_is_reported_not_ignored(sandbox: RunningSandbox) -> None:
    with make_client(sandbox, retry=RetryPolicy(attempts=4, max_elapsed=0.5)) as client:
        client.regions()
        sandbox.requests.clear()
        sandbox.faults.fail_next(1, 429, retry_after=30)

        with pytest.raises(RateLimited) as caught:
            client.regions()

    assert caught.value.retry_after == 30.0
    assert len(api_requests(sandbox)) == 1


def test_retries_stop_after_the_configured_attempts(client: SinchClient, sandbox: RunningSandbox) -> None:
    client.regions()
    sandbox.requests.clear()
    sandbox.faults.fail_next(10, 500)

    with pytest.raises(Upstream):
        client.regions()

    assert len(api_requests(sandbox)) == 4


def test_a_read_asked_not_to_retry_sends_one_request_and_reports_the_failure(
    client: SinchClient, sandbox: RunningSandbox
) -> None:
    client.regions()
    sandbox.requests.clear()
    sandbox.faults.fail_next(1, 503)

    with pytest.raises(Upstream):
        client.emergency_get("+12025550134", retry=False)

    assert len(api_requests(sandbox)) == 1


def test_patch_updates_are_retried(client: SinchClient, sandbox: RunningSandbox) -> None:
    client.regions()
    sandbox.faults.fail_next(1, 502)

    assert client.update_callback_config("a" * 40).hmac_secret == "a" * 40
    assert [r.method for r in api_requests(sandbox)][-2:] == ["PATCH", "PATCH"]


def prepare_rent(client: SinchClient) -> Callable[[], object]:
    number = available_number(client)
    return lambda: client.rent(number, RentRequest())


def prepare_rent_any(client: SinchClient) -> Callable[[], object]:
    return lambda: client.rent_any(RentAnyRequest(region_code="US", type=NumberType.LOCAL))


def prepare_release(client: SinchClient) -> Callable[[], object]:
    number = available_number(client)
    client.rent(number, RentRequest())
    return lambda: client.release(number)


def prepare_import(client: SinchClient) -> Callable[[], object]:
    request = import_request(fictional_us_number())
    return lambda: client.imported_import(request)


def prepare_imported_delete(client: SinchClient) -> Callable[[], object]:
    number = fictional_us_number()
    client.imported_import(import_request(number))
    return lambda: client.imported_delete(number)


def prepare_emergency_provision(client: SinchClient) -> Callable[[], object]:
    number = rent_voice_number(client).phone_number
    return lambda: client.emergency_provision(number, "Ops", SPRINGFIELD)


def prepare_emergency_deprovision(client: SinchClient) -> Callable[[], object]:
    number = rent_voice_number(client).phone_number
    client.emergency_provision(number, "Ops", SPRINGFIELD)
    return lambda: client.emergency_deprovision(number)


@pytest.mark.parametrize(
    "prepare",
    [
        prepare_rent,
        prepare_rent_any,
        prepare_release,
        prepare_import,
        prepare_imported_delete,
        prepare_emergency_provision,
        prepare_emergency_deprovision,
    ],
)
def test_operations_with_side_effects_are_not_retried_after_a_5xx(
    client: SinchClient, sandbox: RunningSandbox, prepare: Callable[[SinchClient], Callable[[], object]]
) -> None:
    act = prepare(client)
    sandbox.requests.clear()
    sandbox.faults.fail_next(1, 500)

    with pytest.raises(Upstream):
        act()

    assert len(api_requests(sandbox)) == 1


def test_a_read_timeout_on_rent_is_reported_as_maybe_applied_and_not_retried(sandbox: RunningSandbox) -> None:
    with make_client(sandbox, timeout=0.2) as client:
        number = available_number(client)
        sandbox.requests.clear()
        sandbox.faults.latency_seconds = 0.5

        with pytest.raises(Transport) as caught:
            client.rent(number, RentRequest())

    assert caught.value.may_have_reached_server
    assert [r.path.endswith(":rent") for r in api_requests(sandbox)] == [True]


def test_a_read_timeout_on_a_get_is_retried(sandbox: RunningSandbox) -> None:
    with make_client(sandbox, timeout=0.2, retry=RetryPolicy(attempts=2, base_delay=0.005)) as client:
        client.regions()
        sandbox.requests.clear()
        sandbox.faults.latency_seconds = 0.5

        with pytest.raises(Transport):
            client.regions()

    assert len(api_requests(sandbox)) == 2


def test_an_unreachable_sinch_is_a_transport_error_that_sent_nothing() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    auth = BasicAuth("id", "secret")

    with (
        SinchClient("p", auth, numbers_url=closed_url, retry=NO_RETRY) as client,
        pytest.raises(Transport) as caught,
    ):
        client.rent("+12025550134", RentRequest())

    assert not caught.value.may_have_reached_server
    assert "nothing was sent" in caught.value.message


# E.164 validation happens before any request


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.check("2025550134"),
        lambda c: c.rent("+1 555", RentRequest()),
        lambda c: c.get_active("not a number"),
        lambda c: c.release("+999123"),
        lambda c: c.emergency_get("12"),
        lambda c: c.imported_get("+44"),
        lambda c: c.imported_delete(""),
        lambda c: c.imported_import(import_request("2065550100")),
    ],
)
def test_invalid_phone_numbers_raise_before_anything_is_sent(
    client: SinchClient, sandbox: RunningSandbox, call: Callable[[SinchClient], object]
) -> None:
    with pytest.raises(InvalidPhoneNumber):
        call(client)

    assert list(sandbox.requests) == []
