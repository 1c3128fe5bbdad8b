"""Property-based fuzzing of the Sinch sandbox against the official OpenAPI specs.

Every operation the sandbox routes is fuzzed: the set is read from its routing table (`app.ROUTES`), so a
route added later is fuzzed as soon as it exists, and a route the specs do not describe fails here.
schemathesis (used as a library) derives the requests from the operation's spec: first its coverage cases
(each parameter and body field at its boundaries, missing, and of a wrong type), then a request it
accepted again with each query parameter sent empty (`type=`, a boundary the coverage cases lack), then
a bounded number of random valid and invalid requests, derandomized so every run sends the same ones.
Each is sent over real loopback HTTP, with valid Basic auth, to a fresh sandbox per operation in which a
few numbers are available, rented and imported, so that random path parameters sometimes name them.

Every answer must:
- never be a 5xx;
- have a status the spec documents for the operation, with a body valid for that response's schema (as
  strictly as the other sandbox tests check it, see `tests.spec_schemas`), or else be a 4xx in the error
  shape of that API: nested `{"error": {...}}` for Numbers, flat `ErrorResponse` for Imported Numbers.

The Numbers spec is patched in the copy loaded here, and only here. As published, `VoiceConfiguration`
(and its Order and scheduled-provisioning siblings) is a `oneOf` of RTC, EST and FAX variants none of
which constrains `type`, so any object with a `type` matches all three and the `oneOf` can never
validate: no valid voice configuration could be generated and every one answered would fail. The
`discriminator` mapping says which variant each `type` value selects, so each mapped variant gets its
`type` restricted to that value (an `enum` of one), which makes the variants exclusive, as the spec's
authors meant. (`tests.spec_schemas` reaches the same reading its own way, by dispatching on the
discriminator.)
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode
from schemathesis.schemas import APIOperation

from sandbox.sinch import RunningSandbox
from sandbox.sinch.app import IMPORTED_PREFIX, ROUTES, Route
from sandbox.sinch.errors import ErrorStyle
from tests.sandbox_sinch.conftest import KEY, PROJECT, client_for
from tests.spec_schemas import (
    ApiName,
    assert_answer_matches_spec,
    assert_matches_schema,
    documents_status,
    load_spec,
)

EXAMPLES_PER_OPERATION = 10
_PLACEHOLDER = re.compile(r"<[^>]+>|\{[^}]+\}")
_IMPORTED_NUMBER = "+12065550142"


def _api_of(route: Route) -> ApiName:
    return "imported" if route.path.startswith(IMPORTED_PREFIX) else "numbers"


def _route_id(route: Route) -> str:
    return f"{route.method} {route.path}"


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_every_answer_to_generated_requests_conforms_to_the_spec(
    route: Route, make_sandbox: Callable[..., RunningSandbox]
) -> None:
    api = _api_of(route)
    operation = _operation(api, route)
    sandbox = make_sandbox()
    known_numbers = _seed(sandbox)
    base_url = sandbox.imported_url if api == "imported" else sandbox.url
    operation_id = str(operation.definition.raw["operationId"])
    client = httpx.Client(auth=KEY)

    def answer_conforms(case: schemathesis.Case[Any]) -> int:
        case.path_parameters = {**(case.path_parameters or {}), "projectId": PROJECT}
        response = _send(client, case, base_url)
        try:
            _assert_conforms(api, operation_id, route.style, response.status_code, response.json)
        except AssertionError as problem:
            sent = f"{case.method} {response.request.url} {response.request.content!r}"
            answer = f"{response.status_code} {response.text}"
            raise AssertionError(f"{sent} answered {answer}: {problem}") from None
        return response.status_code

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=st.one_of([operation.as_strategy(mode) for mode in GenerationMode]),
        known_number=st.none() | st.sampled_from(known_numbers),
    )
    def random_answers_conform(case: schemathesis.Case[Any], known_number: str | None) -> None:
        if known_number is not None and "phoneNumber" in (case.path_parameters or {}):
            case.path_parameters = {**(case.path_parameters or {}), "phoneNumber": known_number}
        answer_conforms(case)

    coverage_cases = list(
        operation.schema.iter_coverage_cases(
            operation,
            generation_modes=list(GenerationMode),
            generation_config=operation.schema.config.generation_for(operation=operation),
        )
    )
    with client:
        # First each parameter and body field at its boundaries, missing and of a wrong type; then random.
        accepted = [case for case in coverage_cases if answer_conforms(case) == 200]
        for case in _each_query_parameter_empty(accepted[:1]):
            answer_conforms(case)
        random_answers_conform()


def _each_query_parameter_empty(
    accepted: list[schemathesis.Case[Any]],
) -> Iterator[schemathesis.Case[Any]]:
    """Accepted cases again with each query parameter sent empty (`type=`), a boundary coverage lacks."""
    for case in accepted:
        query = dict(case.query or {})
        for name in query:
            case.query = {**query, name: ""}
            yield case


def _send(client: httpx.Client, case: schemathesis.Case[Any], base_url: str) -> httpx.Response:
    """Send the case as schemathesis would, but with valid credentials instead of the spec's blank ones."""
    return client.send(_request(client, case, base_url))


def _request(client: httpx.Client, case: schemathesis.Case[Any], base_url: str) -> httpx.Request:
    request = case.as_transport_kwargs(base_url=base_url)
    files = request.get("files")
    # A multipart body gets its Content-Type, with the boundary, from httpx.
    replaced = {"authorization", "content-type"} if files else {"authorization"}
    headers: dict[str, str] = request.get("headers") or {}
    data = request.get("data")
    return client.build_request(
        request["method"],
        request["url"],
        params=request.get("params"),
        headers={name: value for name, value in headers.items() if name.lower() not in replaced},
        json=request.get("json"),
        files=_sendable(files) if files else None,
        data=data if isinstance(data, dict) else None,
        content=data if isinstance(data, bytes | str) else None,
    )


def _sendable(files: Any) -> list[tuple[str, Any]]:
    """Multipart parts as httpx sends them: a generated part that is neither text nor bytes (a number, say)
    goes as its JSON text, as a careless client would send it."""

    def content(value: Any) -> Any:
        sendable = isinstance(value, bytes | str) or hasattr(value, "read")
        return value if sendable else json.dumps(value).encode()

    def part(value: Any) -> Any:
        return (value[0], content(value[1]), *value[2:]) if isinstance(value, tuple) else content(value)

    items = files.items() if isinstance(files, dict) else files
    return [(name, part(value)) for name, value in items]


def _operation(api: ApiName, route: Route) -> APIOperation[Any, Any, Any, Any]:
    template = _PLACEHOLDER.sub("{}", route.path.removeprefix(IMPORTED_PREFIX))
    schema = _schema(api)
    matches = [
        operation
        for path, methods in schema.raw_schema["paths"].items()
        if _PLACEHOLDER.sub("{}", path) == template and route.method.lower() in methods
        for operation in [schema[path][route.method]]
    ]
    assert len(matches) == 1, f"{_route_id(route)} is not one operation of the {api} spec"
    return matches[0]


@functools.cache
def _schema(api: ApiName) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_dict(_with_exclusive_variants(load_spec(api)))


def _with_exclusive_variants(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with each discriminator-mapped `oneOf` variant's discriminator restricted to its value."""
    schemas: dict[str, Any] = spec["components"]["schemas"]
    for schema in schemas.values():
        discriminator = schema.get("discriminator", {})
        for value, target in discriminator.get("mapping", {}).items():
            variant = schemas[target.removeprefix("#/components/schemas/")]
            restriction = {"properties": {discriminator["propertyName"]: {"enum": [value]}}}
            variant["allOf"] = [*variant.get("allOf", []), restriction]
    return spec


def _seed(sandbox: RunningSandbox) -> list[str]:
    """Numbers for path parameters: two rented, one still available, one imported."""
    with client_for(sandbox) as numbers_api:
        search = {"regionCode": "US", "type": "LOCAL", "capabilities": ["SMS", "VOICE"], "size": "3"}
        available = [
            n["phoneNumber"]
            for n in numbers_api.get("/availableNumbers", params=search).json()["availableNumbers"]
        ]
        for phone_number in available[:2]:
            numbers_api.post(f"/availableNumbers/{phone_number}:rent", json={}).raise_for_status()
    imported = {
        "phoneNumber": _IMPORTED_NUMBER,
        "regionCode": "US",
        "smsConfiguration": {"servicePlanId": "plan"},
    }
    with httpx.Client(base_url=f"{sandbox.imported_url}/v1/projects/{PROJECT}", auth=KEY) as imported_api:
        imported_api.post("/importedNumbers", json=imported).raise_for_status()
    return [*available, _IMPORTED_NUMBER]


def _assert_conforms(
    api: ApiName, operation_id: str, style: ErrorStyle, status: int, read_body: Callable[[], Any]
) -> None:
    assert status < 500, "a server error"
    if documents_status(api, operation_id, status):
        assert_answer_matches_spec(api, operation_id, status, read_body)
        return
    assert 400 <= status < 500, "an undocumented status that is not a client error"
    if style is ErrorStyle.FLAT:
        assert_matches_schema("imported", "ErrorResponse", read_body())
        assert read_body()["code"] == str(status)
    else:
        shape = Draft202012Validator(_nested_error(status))
        assert not list(shape.iter_errors(read_body())), "not the Numbers API's nested error shape"


def _nested_error(status: int) -> dict[str, Any]:
    """The nested error shape common to the InvalidArgument, NotFound and InternalError schemas."""
    return {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "status"],
                "additionalProperties": False,
                "properties": {
                    "code": {"const": status},
                    "message": {"type": "string"},
                    "status": {"type": "string"},
                    "details": {"type": "array", "items": {"type": "object"}},
                },
            }
        },
    }
