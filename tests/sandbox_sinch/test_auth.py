"""OAuth2 client credentials, Bearer expiry and revocation, Basic auth, and credential checks."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from sandbox.sinch import RunningSandbox
from tests.sandbox_sinch.conftest import KEY, PROJECT


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token(sandbox: RunningSandbox, auth: tuple[str, str] = KEY) -> httpx.Response:
    return httpx.post(sandbox.token_url, data={"grant_type": "client_credentials"}, auth=auth)


def list_regions(sandbox: RunningSandbox, **kwargs: object) -> httpx.Response:
    return httpx.get(f"{sandbox.url}/v1/projects/{PROJECT}/availableRegions", **kwargs)  # type: ignore[arg-type]


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def test_a_token_from_the_token_endpoint_authorises_api_calls(sandbox: RunningSandbox) -> None:
    issued = token(sandbox)

    assert issued.status_code == 200
    body = issued.json()
    assert set(body) == {"access_token", "expires_in", "scope", "token_type"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert list_regions(sandbox, headers=bearer(body["access_token"])).status_code == 200


def test_tokens_expire_after_their_ttl(make_sandbox: Callable[..., RunningSandbox]) -> None:
    clock = FakeClock()
    sandbox = make_sandbox(token_ttl_seconds=60, clock=clock)
    access_token = token(sandbox).json()["access_token"]

    clock.now += 59
    assert list_regions(sandbox, headers=bearer(access_token)).status_code == 200
    clock.now += 1
    expired = list_regions(sandbox, headers=bearer(access_token))

    assert expired.status_code == 401
    assert expired.json()["error"]["status"] == "UNAUTHENTICATED"
    assert list_regions(sandbox, headers=bearer(token(sandbox).json()["access_token"])).status_code == 200


def test_revoked_tokens_get_401_until_refreshed(sandbox: RunningSandbox) -> None:
    access_token = token(sandbox).json()["access_token"]

    sandbox.revoke_tokens()

    assert list_regions(sandbox, headers=bearer(access_token)).status_code == 401
    assert list_regions(sandbox, headers=bearer(token(sandbox).json()["access_token"])).status_code == 200


def test_missing_or_unknown_credentials_get_401_in_each_apis_shape(sandbox: RunningSandbox) -> None:
    no_auth = list_regions(sandbox)
    made_up_token = list_regions(sandbox, headers=bearer("made-up"))
    imported = httpx.get(f"{sandbox.imported_url}/v1/projects/{PROJECT}/importedNumbers/+12065550100")

    assert no_auth.status_code == 401
    assert no_auth.headers["WWW-Authenticate"].startswith("Bearer")
    assert made_up_token.status_code == 401
    assert imported.status_code == 401
    assert imported.json() == {
        "code": "401",
        "message": "Missing or invalid credentials",
        "status": "UNAUTHENTICATED",
    }


def test_configured_credentials_reject_any_other_key(make_sandbox: Callable[..., RunningSandbox]) -> None:
    sandbox = make_sandbox(credentials=KEY)

    assert list_regions(sandbox, auth=KEY).status_code == 200
    assert list_regions(sandbox, auth=("key-id", "wrong")).status_code == 401
    assert token(sandbox, ("other", "key")).status_code == 401
    assert token(sandbox, ("other", "key")).json() == {"error": "invalid_client"}
    assert token(sandbox).status_code == 200


def test_the_token_endpoint_speaks_oauth2(sandbox: RunningSandbox) -> None:
    wrong_grant = httpx.post(sandbox.token_url, data={"grant_type": "password"}, auth=KEY)
    form_credentials = httpx.post(
        sandbox.token_url, data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"}
    )
    anonymous = httpx.post(sandbox.token_url, data={"grant_type": "client_credentials"})

    assert wrong_grant.status_code == 400
    assert wrong_grant.json() == {"error": "unsupported_grant_type"}
    assert form_credentials.status_code == 200
    assert anonymous.status_code == 401
