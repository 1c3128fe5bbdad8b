"""The sandbox's WSGI application: routing, request log, faults, auth, JSON in and out, error shapes."""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Request, Response

from sandbox.sinch import callback_configuration, emergency, imported, numbers, orders
from sandbox.sinch.auth import Authenticator
from sandbox.sinch.backend import Backend, Call, UploadStream
from sandbox.sinch.callbacks import Api
from sandbox.sinch.errors import ApiError, ErrorStyle, invalid_field
from sandbox.sinch.faults import FaultConfig
from sandbox.sinch.request_log import RequestLog, RequestRecord

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

Handler = Callable[[Backend, Call], dict[str, Any]]
OAUTH_PATH = "/oauth2/token"  # the token endpoint route, not a secret
IMPORTED_PREFIX = "/imported"


class _Segment(BaseConverter):
    """One path segment up to a `:verb` suffix, so `{phoneNumber}:rent` splits where the spec means."""

    regex = r"[^/:]+"


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    handler: Handler
    style: ErrorStyle = ErrorStyle.NESTED
    # The handler streams the multipart body itself; nothing reads it before.
    multipart: bool = False


def _callback_configuration_routes(prefix: str, api: Api) -> tuple[Route, Route]:
    """GET and PATCH of one API's callbackConfiguration (nested error style for both APIs)."""
    path = f"{prefix}/callbackConfiguration"
    return (
        Route(path, "GET", functools.partial(callback_configuration.get_configuration, api)),
        Route(path, "PATCH", functools.partial(callback_configuration.update_configuration, api)),
    )


_N = "/v1/projects/<segment:project_id>"
_I = f"{IMPORTED_PREFIX}/v1/projects/<segment:project_id>"
_O = f"{_N}/numberOrders"
_FLAT = ErrorStyle.FLAT

ROUTES: tuple[Route, ...] = (
    Route(f"{_N}/availableNumbers", "GET", numbers.list_available),
    Route(f"{_N}/availableNumbers/<segment:phone_number>", "GET", numbers.get_available),
    Route(f"{_N}/availableNumbers/<segment:phone_number>:rent", "POST", numbers.rent),
    Route(f"{_N}/availableNumbers:rentAny", "POST", numbers.rent_any),
    Route(f"{_N}/activeNumbers", "GET", numbers.list_active),
    Route(f"{_N}/activeNumbers/<segment:phone_number>", "GET", numbers.get_active),
    Route(f"{_N}/activeNumbers/<segment:phone_number>", "PATCH", numbers.update_active),
    Route(f"{_N}/activeNumbers/<segment:phone_number>:release", "POST", numbers.release),
    Route(f"{_N}/availableRegions", "GET", numbers.list_regions),
    *_callback_configuration_routes(_N, Api.NUMBERS),
    Route(f"{_N}/activeNumbers/<segment:phone_number>/emergencyAddress", "GET", emergency.get),
    Route(f"{_N}/activeNumbers/<segment:phone_number>/emergencyAddress:validate", "POST", emergency.validate),
    Route(
        f"{_N}/activeNumbers/<segment:phone_number>/emergencyAddress:provision", "POST", emergency.provision
    ),
    Route(
        f"{_N}/activeNumbers/<segment:phone_number>/emergencyAddress:deprovision",
        "POST",
        emergency.deprovision,
    ),
    Route(f"{_O}:lookupNumberRequirements", "POST", orders.lookup_requirements),
    Route(f"{_O}:createNumberOrder", "POST", orders.create_order),
    Route(f"{_O}/<segment:order_id>", "GET", orders.get_order),
    Route(f"{_O}/<segment:order_id>/registration", "PUT", orders.update_registration),
    Route(f"{_O}/<segment:order_id>/registration", "GET", orders.get_registration),
    Route(
        f"{_O}/<segment:order_id>/attachments/<segment:attachment_id>",
        "POST",
        orders.upload_attachment,
        multipart=True,
    ),
    Route(f"{_O}/<segment:order_id>/submit", "POST", orders.submit_order),
    Route(f"{_I}/importedNumbers", "GET", imported.list_imported, _FLAT),
    Route(f"{_I}/importedNumbers", "POST", imported.import_number, _FLAT),
    Route(f"{_I}/importedNumbers/<segment:phone_number>", "GET", imported.get_imported, _FLAT),
    Route(f"{_I}/importedNumbers/<segment:phone_number>", "PATCH", imported.update_imported, _FLAT),
    Route(f"{_I}/importedNumbers/<segment:phone_number>", "DELETE", imported.delete_imported, _FLAT),
    *_callback_configuration_routes(_I, Api.IMPORTED),
)


@cache  # compiling the rules takes longer than starting the server; a Map is only read once built
def _url_map() -> Map:
    rules = [Rule(route.path, methods=[route.method], endpoint=route) for route in ROUTES]
    rules.append(Rule(OAUTH_PATH, methods=["POST"], endpoint=OAUTH_PATH))
    return Map(rules, converters={"segment": _Segment}, strict_slashes=False, merge_slashes=False)


class SandboxApp:
    def __init__(
        self, backend: Backend, auth: Authenticator, faults: FaultConfig, requests: RequestLog
    ) -> None:
        self._backend = backend
        self._auth = auth
        self._faults = faults
        self._requests = requests
        self._map = _url_map()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        self._requests.append(
            RequestRecord(
                request.method, request.path, request.args.to_dict(flat=False), _json_or_none(request)
            )
        )
        response = self._respond(request)
        answer = response(environ, start_response)
        return _cut_short(answer) if isinstance(response, _LostAnswer) else answer

    def _respond(self, request: Request) -> Response:
        style = _style_for_path(request.path)
        try:
            endpoint, arguments = self._map.bind_to_environ(request.environ).match()
            if endpoint == OAUTH_PATH:
                return self._token(request)
            assert isinstance(endpoint, Route)
            style = endpoint.style
            return self._api_call(request, endpoint, arguments)
        except ApiError as error:
            return _error_response(error, style)
        except NotFound:
            return _error_response(ApiError(404, f"No such resource: {request.path}"), style)
        except MethodNotAllowed:
            return _error_response(ApiError(405, f"{request.method} is not allowed on {request.path}"), style)
        except Exception:
            log.exception("sandbox handler failed for %s %s", request.method, request.path)
            return _error_response(ApiError(500, "Internal error"), style)

    def _token(self, request: Request) -> Response:
        fault = self._faults.next_fault(token_endpoint=True)
        if fault is not None:
            return _error_response(fault, ErrorStyle.NESTED)
        return self._auth.token_endpoint(request)

    def _api_call(self, request: Request, route: Route, arguments: Mapping[str, str]) -> Response:
        if self._faults.latency_seconds > 0:
            time.sleep(self._faults.latency_seconds)
        fault = self._faults.next_fault(token_endpoint=False)
        if fault is not None:
            raise fault
        if not self._auth.accepts(request.headers.get("Authorization")):
            raise ApiError(
                401, "Missing or invalid credentials", headers={"WWW-Authenticate": 'Bearer realm="sinch"'}
            )
        upload = (
            UploadStream(request.headers.get("Content-Type", ""), request.stream) if route.multipart else None
        )
        call = Call(
            arguments["project_id"],
            request.args,
            None if route.multipart else _json_body(request),
            arguments.get("phone_number", ""),
            arguments.get("order_id", ""),
            arguments.get("attachment_id", ""),
            upload,
        )
        response = _json_response(route.handler(self._backend, call))
        if self._faults.take_lost_answer():
            return _LostAnswer(response.get_data(), response.status_code, mimetype="application/json")
        return response


class _LostAnswer(Response):
    """An answer whose connection breaks after its first byte (see `FaultConfig.lose_next_answers`)."""


def _cut_short(answer: Iterable[bytes]) -> Iterator[bytes]:
    body = b"".join(answer)
    yield body[:1]
    # The server closes a connection whose app fails mid-body: the client sees the answer cut short.
    raise ConnectionAbortedError("sandbox fault: the answer was lost")


def _style_for_path(path: str) -> ErrorStyle:
    return (
        ErrorStyle.FLAT
        if path.startswith(IMPORTED_PREFIX) and "/importedNumbers" in path
        else ErrorStyle.NESTED
    )


def _json_body(request: Request) -> Any:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise invalid_field("body", "Invalid JSON") from None


def _json_or_none(request: Request) -> Any:
    if request.mimetype == "multipart/form-data":
        return None  # an upload is streamed by its handler, never read whole for the log
    try:
        return _json_body(request)
    except ApiError:
        return None


def _json_response(
    payload: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(json.dumps(payload), status, mimetype="application/json", headers=headers)


def _error_response(error: ApiError, style: ErrorStyle) -> Response:
    return _json_response(error.body(style), error.status, error.headers)
