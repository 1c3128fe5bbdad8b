"""Fault injection, the request log, stopping, and the `numbot sandbox` CLI entry."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable

import httpx
import pytest

from sandbox.sinch import RunningSandbox, start_sandbox
from tests.sandbox_sinch.conftest import KEY, client_for
from tests.spec_schemas import assert_response_matches_spec

REGIONS = "NumberService_ListAvailableRegions"


def regions(api: httpx.Client) -> httpx.Response:
    return api.get("/availableRegions")


def test_fail_next_fails_exactly_that_many_requests(sandbox: RunningSandbox, api: httpx.Client) -> None:
    sandbox.faults.fail_next(2, 503, retry_after=7)

    failed = [regions(api), regions(api)]
    recovered = regions(api)

    assert [r.status_code for r in failed] == [503, 503]
    assert failed[0].headers["Retry-After"] == "7"
    assert failed[0].json()["error"]["status"] == "UNAVAILABLE"
    assert recovered.status_code == 200


def test_rate_limiting_answers_429_with_retry_after(sandbox: RunningSandbox, api: httpx.Client) -> None:
    sandbox.faults.rate_limit_rate = 1.0
    sandbox.faults.retry_after_seconds = 3

    limited = regions(api)
    sandbox.faults.reset()

    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "3"
    assert limited.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert regions(api).status_code == 200


def test_server_errors_use_the_specs_internal_error_shape(sandbox: RunningSandbox, api: httpx.Client) -> None:
    sandbox.faults.error_5xx_rate = 1.0

    failed = regions(api)

    assert failed.status_code == 500
    assert_response_matches_spec("numbers", REGIONS, failed)


def test_imported_api_faults_use_its_flat_shape(sandbox: RunningSandbox) -> None:
    sandbox.faults.fail_next(1, 429, retry_after=1)

    limited = httpx.get(f"{sandbox.imported_url}/v1/projects/p/importedNumbers/+12065550100", auth=KEY)

    assert limited.json() == {"code": "429", "message": "Injected fault", "status": "RESOURCE_EXHAUSTED"}


def test_seeded_fault_rates_repeat_for_the_same_seed(make_sandbox: Callable[..., RunningSandbox]) -> None:
    def pattern(sandbox: RunningSandbox) -> list[int]:
        sandbox.faults.rate_limit_rate = 0.5
        with client_for(sandbox) as api:
            return [regions(api).status_code for _ in range(16)]

    first = pattern(make_sandbox(seed=5))

    assert first == pattern(make_sandbox(seed=5))
    assert {200, 429} == set(first)


def test_latency_delays_api_responses(sandbox: RunningSandbox, api: httpx.Client) -> None:
    sandbox.faults.latency_seconds = 0.3

    started = time.perf_counter()
    regions(api)

    assert time.perf_counter() - started >= 0.3


def test_the_token_endpoint_is_spared_unless_included(sandbox: RunningSandbox) -> None:
    sandbox.faults.fail_next(1, 500)
    data = {"grant_type": "client_credentials"}

    spared = httpx.post(sandbox.token_url, data=data, auth=KEY)
    sandbox.faults.include_token_endpoint = True
    hit = httpx.post(sandbox.token_url, data=data, auth=KEY)

    assert spared.status_code == 200
    assert hit.status_code == 500


def test_the_request_log_records_and_can_be_awaited(sandbox: RunningSandbox, api: httpx.Client) -> None:
    api.get(
        "/availableNumbers", params={"regionCode": "US", "type": "LOCAL", "capabilities": ["SMS", "VOICE"]}
    )
    api.post("/availableNumbers/+12025550134:rent", json={"callbackUrl": "https://x.example"})

    (search, rent) = sandbox.requests.snapshot()
    assert search.method == "GET"
    assert search.path == "/v1/projects/project-1/availableNumbers"
    assert search.query == {"regionCode": ["US"], "type": ["LOCAL"], "capabilities": ["SMS", "VOICE"]}
    assert rent.path == "/v1/projects/project-1/availableNumbers/+12025550134:rent"
    assert rent.json == {"callbackUrl": "https://x.example"}
    assert sandbox.requests.wait_for(lambda records: len(records) == 2, timeout=1)
    sandbox.requests.clear()
    assert len(sandbox.requests) == 0


def test_stopping_closes_the_port(make_sandbox: Callable[..., RunningSandbox]) -> None:
    sandbox = make_sandbox()
    url = sandbox.url

    sandbox.stop()

    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/v1/projects/p/availableRegions", auth=KEY)


def test_a_taken_port_fails_to_start(sandbox: RunningSandbox) -> None:
    with pytest.raises(OSError):
        start_sandbox(host="127.0.0.1", port=int(sandbox.url.rsplit(":", 1)[1]))


def test_serve_cli_announces_its_address_and_serves() -> None:
    script = "from sandbox.sinch.server import serve_cli; serve_cli('127.0.0.1', 0, 7)"
    # Leaving the `with` block closes the pipe; a pipe left to the garbage collector warns in a later test.
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            assert line.startswith("sandbox listening on http://127.0.0.1:")
            url = line.removeprefix("sandbox listening on ")
            assert httpx.get(f"{url}/v1/projects/p/availableRegions", auth=KEY).status_code == 200
        finally:
            process.terminate()
            process.wait(timeout=10)
