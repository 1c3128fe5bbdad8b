"""SinchClient: every Numbers and Imported Numbers operation numbot uses, typed, with retries.

One instance is shared by the Bolt worker threads and the scheduler: httpx.Client and the auth schemes
are thread-safe, and the client itself keeps no other mutable state.
"""

from __future__ import annotations

import logging
import re
import ssl
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from types import TracebackType
from typing import Any, BinaryIO, Literal, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.sinch.auth import Auth
from bot.sinch.errors import (
    FieldViolation,
    InvalidArgument,
    SinchError,
    Unauthorized,
    error_from_response,
    transport_failure,
)
from bot.sinch.models import (
    ActiveNumber,
    ActiveNumbersPage,
    AddressValidation,
    AvailableNumber,
    AvailableNumbersList,
    AvailableRegion,
    AvailableRegionsList,
    CallbackConfiguration,
    Capability,
    CreateNumberOrderRequest,
    EmergencyAddress,
    EmergencyAddressRequest,
    ImportedNumber,
    ImportedNumbersPage,
    ImportNumber,
    LookupNumberRequirementsRequest,
    NumberOrder,
    NumberPattern,
    NumberRequirements,
    NumberType,
    Registration,
    RentAnyRequest,
    RentRequest,
    SinchModel,
    UpdateActiveNumber,
    UpdateImportedNumber,
    UpdateRegistrationRequest,
)
from bot.sinch.multipart import MultipartUpload
from bot.sinch.pagination import Page, Pages, Receive, Unread
from bot.sinch.phone import normalize_e164, phone_path_segment
from bot.sinch.retry import RetryPolicy, call_with_retries

logger = logging.getLogger(__name__)

NUMBERS_URL = "https://numbers.api.sinch.com"
IMPORTED_URL = "https://imported.numbers.api.sinch.com"


@cache
def _tls_context() -> ssl.SSLContext:
    # httpx reads the whole CA bundle (~50 ms) for every client it makes; one context serves them all.
    # (The sandboxes share theirs through `serving.tls`; the client may not import it.)
    return httpx.create_ssl_context()


USER_AGENT = "numbot/0.1 (+httpx)"

# Documented for the Numbers API's hmacSecret; checked here so a typo costs no round trip. Applied to the
# Imported API too, whose spec states no rule: a secret that fits this one is accepted by both.
HMAC_SECRET_PATTERN = re.compile(r"[a-zA-Z0-9-]{32,64}")
_ONE_ATTEMPT = RetryPolicy(attempts=1)

Model = TypeVar("Model", bound=BaseModel)
T = TypeVar("T")
QueryValue = str | int | Sequence[str]
QueryParams = Mapping[str, QueryValue | None]


class SinchClient:
    def __init__(
        self,
        project_id: str,
        auth: Auth,
        *,
        numbers_url: str = NUMBERS_URL,
        imported_url: str = IMPORTED_URL,
        timeout: float = 10.0,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen dataclass, safe as a shared default
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        project = quote(project_id, safe="")
        self._numbers = f"{numbers_url.rstrip('/')}/v1/projects/{project}"
        self._imported = f"{imported_url.rstrip('/')}/v1/projects/{project}"
        self._retry = retry
        self._http = httpx.Client(
            auth=auth,
            timeout=timeout,
            transport=transport,
            verify=_tls_context(),
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SinchClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # Available numbers

    def search_available(
        self,
        region_code: str,
        number_type: NumberType,
        *,
        pattern: NumberPattern | None = None,
        capabilities: Sequence[Capability] = (),
        size: int | None = None,
    ) -> list[AvailableNumber]:
        """Numbers free to rent. Not paginated: `size` caps how many Sinch returns."""
        params = {
            "regionCode": region_code,
            "type": number_type,
            "capabilities": list(capabilities),
            "size": size,
            **_pattern_params(pattern, imported=False),
        }
        url = f"{self._numbers}/availableNumbers"
        return self._get(AvailableNumbersList, url, params).available_numbers

    def check(self, phone_number: str) -> AvailableNumber:
        """One number's availability, capabilities and price (NotFound when it is not available)."""
        return self._get(
            AvailableNumber, f"{self._numbers}/availableNumbers/{phone_path_segment(phone_number)}"
        )

    def rent(self, phone_number: str, request: RentRequest) -> ActiveNumber:
        """Rent this number. Never retried once sent: on a Transport error, read the state back."""
        url = f"{self._numbers}/availableNumbers/{phone_path_segment(phone_number)}:rent"
        return self._send(ActiveNumber, "POST", url, body=request, idempotent=False)

    def rent_any(self, request: RentAnyRequest) -> ActiveNumber:
        """Rent the first number matching the criteria. Never retried once sent."""
        url = f"{self._numbers}/availableNumbers:rentAny"
        return self._send(ActiveNumber, "POST", url, body=request, idempotent=False)

    # Active numbers

    def list_active(
        self,
        region_code: str | None = None,
        number_type: NumberType | None = None,
        *,
        pattern: NumberPattern | None = None,
        capabilities: Sequence[Capability] = (),
        order_by: Literal["phoneNumber", "displayName"] | None = None,
        page_size: int | None = None,
        limit: int | None = None,
    ) -> Pages[ActiveNumber]:
        """The project's numbers, fetched lazily page by page; each iteration starts over."""
        params = {
            "regionCode": region_code,
            "type": number_type,
            "capability": list(capabilities),
            "orderBy": order_by,
            "pageSize": page_size,
            **_pattern_params(pattern, imported=False),
        }
        url = f"{self._numbers}/activeNumbers"

        def read(page: ActiveNumbersPage) -> Page[ActiveNumber]:
            return Page(page.active_numbers, page.next_page_token, page.total_size)

        return Pages(self._receive(ActiveNumbersPage, url, params, read), limit=limit)

    def get_active(self, phone_number: str) -> ActiveNumber:
        return self._get(ActiveNumber, f"{self._numbers}/activeNumbers/{phone_path_segment(phone_number)}")

    def update_active(self, phone_number: str, update: UpdateActiveNumber) -> ActiveNumber:
        url = f"{self._numbers}/activeNumbers/{phone_path_segment(phone_number)}"
        return self._send(ActiveNumber, "PATCH", url, body=update, idempotent=True)

    def release(self, phone_number: str) -> ActiveNumber:
        """Give the number back to Sinch. Never retried once sent."""
        url = f"{self._numbers}/activeNumbers/{phone_path_segment(phone_number)}:release"
        return self._send(ActiveNumber, "POST", url, idempotent=False)

    # Regions and callback configuration

    def regions(self, types: Sequence[NumberType] = ()) -> list[AvailableRegion]:
        """Regions with numbers for this project, optionally only those offering the given types."""
        url = f"{self._numbers}/availableRegions"
        return self._get(AvailableRegionsList, url, {"types": list(types)}).available_regions

    def callback_config(self) -> CallbackConfiguration:
        return self._get(CallbackConfiguration, f"{self._numbers}/callbackConfiguration")

    def update_callback_config(self, hmac_secret: str) -> CallbackConfiguration:
        """Set the HMAC secret Sinch signs Numbers API callbacks with."""
        return self._update_callback_config(f"{self._numbers}/callbackConfiguration", hmac_secret)

    # Emergency address

    def emergency_get(self, phone_number: str, *, retry: bool = True) -> EmergencyAddress:
        """The number's emergency address; NotFound when it has none.

        `retry=False` sends exactly one request: a caller with a request budget of its own (the E911
        sweep) backs off on a 429 or 5xx itself, rather than spend more of the project's rate limit.
        """
        url = self._emergency_url(phone_number, "")
        return _parse(EmergencyAddress, self._request("GET", url, idempotent=True, once=not retry))

    def emergency_validate(
        self, phone_number: str, display_name: str, address: EmergencyAddress
    ) -> AddressValidation:
        """Check an address without changing anything (a POST, but safe to retry)."""
        body = EmergencyAddressRequest(display_name=display_name, address=address)
        url = self._emergency_url(phone_number, ":validate")
        return self._send(AddressValidation, "POST", url, body=body, idempotent=True)

    def emergency_provision(
        self, phone_number: str, display_name: str, address: EmergencyAddress
    ) -> EmergencyAddress:
        """Attach the emergency address to the number. Never retried once sent."""
        body = EmergencyAddressRequest(display_name=display_name, address=address)
        url = self._emergency_url(phone_number, ":provision")
        return self._send(EmergencyAddress, "POST", url, body=body, idempotent=False)

    def emergency_deprovision(self, phone_number: str) -> None:
        """Remove the number's emergency address. Never retried once sent."""
        self._request("POST", self._emergency_url(phone_number, ":deprovision"), idempotent=False)

    # Imported numbers

    def imported_list(
        self,
        region_code: str | None = None,
        *,
        pattern: NumberPattern | None = None,
        service_plan_id: str = "",
        campaign_id: str = "",
        order_by: Literal["createdTime", "updatedTime"] | None = None,
        page_size: int | None = None,
        limit: int | None = None,
    ) -> Pages[ImportedNumber]:
        """Imported numbers, lazily paginated like `list_active`.

        The spec makes servicePlanId and campaignId required query parameters, so they are always sent;
        "" (the default, protobuf's "unset") matches any plan or campaign.
        """
        params = {
            "regionCode": region_code,
            "servicePlanId": service_plan_id,
            "campaignId": campaign_id,
            "orderBy": order_by,
            "pageSize": page_size,
            **_pattern_params(pattern, imported=True),
        }
        url = f"{self._imported}/importedNumbers"

        def read(page: ImportedNumbersPage) -> Page[ImportedNumber]:
            return Page(page.imported_numbers, page.next_page_token, page.total_size)

        return Pages(self._receive(ImportedNumbersPage, url, params, read), limit=limit)

    def imported_import(self, request: ImportNumber) -> ImportedNumber:
        """Import a non-Sinch number for SMS. Never retried once sent (Conflict if it already exists)."""
        body = request.model_copy(update={"phone_number": normalize_e164(request.phone_number)})
        url = f"{self._imported}/importedNumbers"
        return self._send(ImportedNumber, "POST", url, body=body, idempotent=False)

    def imported_get(self, phone_number: str) -> ImportedNumber:
        return self._get(ImportedNumber, self._imported_number_url(phone_number))

    def imported_update(self, phone_number: str, update: UpdateImportedNumber) -> ImportedNumber:
        return self._send(
            ImportedNumber, "PATCH", self._imported_number_url(phone_number), body=update, idempotent=True
        )

    def imported_delete(self, phone_number: str) -> None:
        """Remove an imported number. Like release, not retried once sent: a lost answer followed by a
        retry would report NotFound for a delete that worked."""
        self._request("DELETE", self._imported_number_url(phone_number), idempotent=False)

    def imported_callback_config(self) -> CallbackConfiguration:
        return self._get(CallbackConfiguration, f"{self._imported}/callbackConfiguration")

    def update_imported_callback_config(self, hmac_secret: str) -> CallbackConfiguration:
        """Set the HMAC secret Sinch signs Imported Numbers callbacks with (separate from the Numbers one)."""
        return self._update_callback_config(f"{self._imported}/callbackConfiguration", hmac_secret)

    # Number orders (KYC)

    def lookup_number_requirements(self, region_code: str, number_type: NumberType) -> NumberRequirements:
        """What registration data and documents an order of this region and type needs (a POST that only
        reads, so it is retried like a GET)."""
        body = LookupNumberRequirementsRequest(region_code=region_code, number_type=number_type)
        url = f"{self._numbers}/numberOrders:lookupNumberRequirements"
        return self._send(NumberRequirements, "POST", url, body=body, idempotent=True)

    def create_number_order(self, request: CreateNumberOrderRequest) -> NumberOrder:
        """Reserve numbers until the order's `expire_time`. Never retried once sent: a lost answer followed
        by a retry could reserve a second set; nothing lists orders, so keep the id of every order made."""
        url = f"{self._numbers}/numberOrders:createNumberOrder"
        return self._send(NumberOrder, "POST", url, body=request, idempotent=False)

    def get_number_order(self, order_id: str) -> NumberOrder:
        return self._get(NumberOrder, self._order_url(order_id))

    def update_number_order_registration(
        self, order_id: str, request_details: Mapping[str, Any]
    ) -> Registration:
        """Replace the order's registration data; Sinch validates it at once (InvalidArgument with field
        violations).

        Retried like a read: a PUT replaces the whole registration with the same body, so sending it twice
        leaves the same registration as sending it once, and it spends nothing.
        """
        body = UpdateRegistrationRequest(request_details=dict(request_details))
        url = f"{self._order_url(order_id)}/registration"
        return self._send(Registration, "PUT", url, body=body, idempotent=True)

    def get_number_order_registration(self, order_id: str) -> Registration:
        return self._get(Registration, f"{self._order_url(order_id)}/registration")

    def upload_number_order_attachment(
        self,
        order_id: str,
        attachment_id: str,
        content: BinaryIO | Iterable[bytes],
        *,
        file_name: str,
        mime_type: str,
        document_type: str | None = None,
    ) -> None:
        """Upload one document for the requirement `attachment_id` (a `RequiredAttachment.id`).

        `content` is a binary file object or an iterable of byte chunks; it is streamed as
        multipart/form-data and read exactly once, never held whole in memory. So the upload is never
        retried, not even after a refused connection (the stream may be partly consumed), and an access
        token revoked mid-upload ends in Unauthorized instead of a silent re-send of an empty body.
        DocumentTooLarge (413) when Sinch finds the document too large.
        """
        upload = MultipartUpload(
            content, file_name=file_name, mime_type=mime_type, document_type=document_type
        )
        url = f"{self._order_url(order_id)}/attachments/{quote(attachment_id, safe='')}"
        try:
            response = self._http.post(
                url, content=upload.body(), headers={"Content-Type": upload.content_type}
            )
        except httpx.StreamConsumed as error:
            raise Unauthorized(
                "Sinch rejected the access token during the upload, and the document cannot be sent twice: "
                "upload it again.",
                status=401,
            ) from error
        except httpx.TransportError as error:
            raise transport_failure(error) from error
        if not response.is_success:
            raise error_from_response(response.status_code, response.content, response.headers)

    def submit_number_order(self, order_id: str) -> NumberOrder:
        """Send the order to Sinch's review (state IN_REVIEW). Never retried once sent: read it back."""
        return self._send(NumberOrder, "POST", f"{self._order_url(order_id)}/submit", idempotent=False)

    # Plumbing

    def _order_url(self, order_id: str) -> str:
        return f"{self._numbers}/numberOrders/{quote(order_id, safe='')}"

    def _emergency_url(self, phone_number: str, action: str) -> str:
        return f"{self._numbers}/activeNumbers/{phone_path_segment(phone_number)}/emergencyAddress{action}"

    def _imported_number_url(self, phone_number: str) -> str:
        return f"{self._imported}/importedNumbers/{phone_path_segment(phone_number)}"

    def _update_callback_config(self, url: str, hmac_secret: str) -> CallbackConfiguration:
        if not HMAC_SECRET_PATTERN.fullmatch(hmac_secret):
            description = "must be 32 to 64 characters of letters, digits and hyphens"
            raise InvalidArgument(
                f"The callback secret {description}.",
                field_violations=(FieldViolation("hmacSecret", description),),
            )
        body = _CallbackConfigurationUpdate(hmac_secret=hmac_secret)
        return self._send(CallbackConfiguration, "PATCH", url, body=body, idempotent=True)

    def _get(
        self, model: type[Model], url: str, params: Mapping[str, QueryValue | None] | None = None
    ) -> Model:
        return _parse(model, self._request("GET", url, params=params, idempotent=True))

    def _receive(
        self,
        model: type[Model],
        url: str,
        params: Mapping[str, QueryValue | None],
        read: Callable[[Model], Page[T]],
    ) -> Receive[T]:
        """How a list's pages arrive: each GET's next-page token is read before the page itself, so the next
        request can leave before this page is parsed (`Pages.pages_ahead`)."""

        def receive(token: str | None) -> Unread[T]:
            response = self._request("GET", url, params={**params, "pageToken": token}, idempotent=True)
            return Unread(_next_page_token(response), lambda: read(_parse(model, response)))

        return receive

    def _send(
        self,
        model: type[Model],
        method: str,
        url: str,
        *,
        body: SinchModel | None = None,
        idempotent: bool,
    ) -> Model:
        return _parse(model, self._request(method, url, body=body, idempotent=idempotent))

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: QueryParams | None = None,
        body: SinchModel | None = None,
        idempotent: bool,
        once: bool = False,
    ) -> httpx.Response:
        query = _without_empty(params or {})
        payload = body.to_wire() if body is not None else None

        def attempt() -> httpx.Response:
            try:
                response = self._http.request(method, url, params=query, json=payload)
            except httpx.TransportError as error:
                raise transport_failure(error) from error
            logger.debug("Sinch %s %s -> %d", method, response.url.path, response.status_code)
            if response.is_success:
                return response
            raise error_from_response(response.status_code, response.content, response.headers)

        policy = _ONE_ATTEMPT if once else self._retry
        return call_with_retries(attempt, policy=policy, idempotent=idempotent)


class _CallbackConfigurationUpdate(SinchModel):
    hmac_secret: str


def _pattern_params(pattern: NumberPattern | None, *, imported: bool) -> dict[str, str]:
    if pattern is None:
        return {}
    search = pattern.search_pattern.imported_wire if imported else pattern.search_pattern.value
    return {"numberPattern.pattern": pattern.pattern, "numberPattern.searchPattern": search}


def _without_empty(params: QueryParams) -> dict[str, QueryValue]:
    """Drop unset filters: Sinch treats `?type=` differently from no `type` at all."""
    return {key: value for key, value in params.items() if value is not None and value != []}


class _NextPageToken(BaseModel):
    """Only a list page's next-page token: read without building the page's items."""

    model_config = ConfigDict(extra="ignore")
    next_page_token: str | None = Field(None, alias="nextPageToken")


def _next_page_token(response: httpx.Response) -> str | None:
    try:
        return _NextPageToken.model_validate_json(response.content).next_page_token
    except ValidationError:
        return None  # the page's own parse reports what is wrong with it


def _parse(model: type[Model], response: httpx.Response) -> Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as error:
        raise SinchError(
            f"Sinch sent an answer numbot cannot read ({error.error_count()} problem(s)).",
            status=response.status_code,
            raw_body=response.text,
        ) from error
