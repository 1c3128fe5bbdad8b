"""/numbers order and "Request this number": the order form, and the order it makes for approval.

The form opens at once (a Loading view on the click's or command's own trigger) and is filled when Sinch
has said what the region and type require. Its submit reserves the number(s) (`createNumberOrder`), puts
the registration and uploads the documents; Sinch's complaints come back under the inputs they are about.
Nothing goes to Sinch's review before a second person approves (`commands.orders.execute`).
A form longer than one Slack view is sent page by page: each earlier page is checked and kept
(`storage.form_drafts`), and only the last page reserves anything, with every page's answers.
"""

from __future__ import annotations

from concurrent.futures import Future, wait
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import approvals
from bot.blockkit.metadata import OrderAgain, OrderRef
from bot.errors import UserFacingError, describe
from bot.services import Services
from bot.sinch import (
    CreateNumberOrderRequest,
    DocumentTooLarge,
    InvalidArgument,
    NotFound,
    NumberOrder,
    NumberOrderOption,
    NumberOrderState,
    NumberRequirements,
    QuantityOrderOption,
    RequiredAttachment,
    Transport,
)
from bot.watching import orders
from bot.watching.callbacks import callback_url
from commands.orders import execute
from commands.orders.order_form import (
    FIX_TITLE,
    TITLE,
    OrderMeta,
    block_pages,
    checking_view,
    form_views,
    order_costs,
    order_summary,
    problems_view,
    shown_on_page,
)
from commands.orders.prefill import fix_view
from commands.orders.registration import chosen_files, page_problems, read_registration, violation_errors
from commands.orders.requirements_form import field_label
from commands.orders.slots import all_slots, attachment_blocks
from commands.rent import listeners as rent
from commands.search.results import unavailable_text
from commands.shared import number_forms
from commands.shared.approval_requests import view_key
from commands.shared.modal_flow import JsonView, open_and_fill, start_in_background, update_when_done
from commands.shared.number_lookup import phone_argument
from commands.shared.number_offer import NumberOffer
from commands.shared.replies import error_view, sent_view
from commands.shared.router import Invocation, Subcommand
from commands.shared.search_criteria import ORDER_USAGE, parse_quantity_order
from commands.shared.slack_files import DOCUMENTS, FetchedFile, SlackFileError, fetch_slack_file
from storage import form_drafts, requests
from storage import orders as stored_orders
from storage.request_types import RequestKind, RequestState
from storage.requests import Request, RequestDraft

# Slack drops a view_submission ack after 3 s; waiting this long for Sinch leaves room for the ack itself.
ACK_BUDGET_SECONDS = 2.0
# Slack keeps at most this many modals stacked.
MAX_STACK = 3


@dataclass(frozen=True)
class Verdict:
    """How a submitted form ended: the request it made, or `problems` to show under the inputs."""

    request: Request | None = None
    problems: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


def request_number(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """ "Request this number" under a search result: the order form (the old rent form for US LOCAL
    while `numbot_legacy_rent` is on)."""
    offer = NumberOffer.decode(body["actions"][0].get("value"))
    if services.settings.numbot_legacy_rent and offer.directly_rentable():
        rent.request_number(ack, body, client, services)
        return
    ack()
    origin = body.get("channel", {}).get("id") or body["user"]["id"]
    meta = OrderMeta.for_offer(origin, offer)
    open_and_fill(client, body["trigger_id"], TITLE, lambda: _form(services, meta), sandbox=services.sandbox)


def order_command(invocation: Invocation, services: Services) -> None:
    words = invocation.words
    if words and words[0].startswith("+"):
        phone_number = phone_argument(words, ORDER_USAGE)

        def build() -> JsonView:
            return _number_form(services, invocation.channel_id, phone_number)

    else:
        criteria, quantity = parse_quantity_order(words, services.sinch.regions())
        meta = OrderMeta.for_criteria(invocation.channel_id, criteria, quantity)

        def build() -> JsonView:
            return _form(services, meta)

    open_and_fill(invocation.client, invocation.trigger_id, TITLE, build, sandbox=services.sandbox)


def start_again(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """ "Start again" (a request that expired with its reservation) or "Start a new order" (Sinch rejected
    the order): the order form of `/numbers order` for the same number, or as many numbers alike."""
    again = OrderAgain.decode(body["actions"][0].get("value"))
    ack()
    origin = body.get("channel", {}).get("id") or body["user"]["id"]

    def build() -> JsonView:
        if again.phone_number is not None:
            return _number_form(services, origin, again.phone_number)
        return _form(services, OrderMeta.for_again(origin, again))

    open_and_fill(client, body["trigger_id"], TITLE, build, sandbox=services.sandbox)


def fix_order(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """ "Fix and resubmit" under a blocked order's report: the order form, filled in from the registration
    Sinch holds now. Only the requester may open it: it shows their registration in full, which the card
    masks, and what it submits goes to a second person for approval again like any order."""
    ref = OrderRef.decode(body["actions"][0].get("value"))
    ack()
    origin = body.get("channel", {}).get("id") or body["user"]["id"]
    user = body["user"]["id"]
    open_and_fill(
        client,
        body["trigger_id"],
        FIX_TITLE,
        lambda: _fix_form(services, ref.order_id, user, origin),
        sandbox=services.sandbox,
    )


def order_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, services: Services
) -> None:
    """A page before the last: checked and kept, then the next page. The last page: reserve, register and
    upload; answer in the ack when Sinch is quick, else through a checking view."""
    meta = OrderMeta.decode(view.get("private_metadata"))
    if meta.page < meta.pages:
        ack(**_next_page(services, meta, view))
        return
    user = body["user"]["id"]
    pending = start_in_background(lambda: make_request(services, client, meta, view, user))
    finished, _ = wait([pending], timeout=ACK_BUDGET_SECONDS)
    if not finished:
        # The checking view has nothing to click, so replacing it later (without a hash) races nothing.
        ack(response_action="update", view=checking_view(meta, sandbox=services.sandbox))
        update_when_done(client, view["id"], pending, lambda done: _late_verdict(services, done))
        return
    verdict = pending.result()  # a failure is told in the modal by the error boundary
    if verdict.request is None:
        ack(response_action="errors", errors=verdict.problems)
        return
    sent = sent_view(verdict.request, services)
    # Closing what a pushed page became must close the pages under it too, not show them again.
    ack(response_action="update", view={**sent, "clear_on_close": True} if meta.pages > 1 else sent)


def _next_page(services: Services, meta: OrderMeta, view: dict[str, Any]) -> dict[str, Any]:
    """The ack to a page before the last: its own problems, or the next page once its answers are kept.
    Nothing is reserved before the last page, so a form closed half-way leaves nothing behind."""
    values = view["state"]["values"]
    requirements = services.sinch.lookup_number_requirements(meta.region, meta.number_type)
    _, _, problems = _check(requirements, meta, values)
    mine = page_problems(problems, values)
    if mine:
        return {"response_action": "errors", "errors": mine}
    now = services.clock()
    expires_at = now + services.settings.approval_ttl
    form_drafts.save_page(services.store, form_id(view), meta.page, values, expires_at=expires_at, now=now)
    following = _page_view(services, meta, requirements, meta.page)
    # Slack stacks at most 3 views: from the 4th page on, the next page takes the place of this one.
    return {"response_action": "push" if meta.page < MAX_STACK else "update", "view": following}


def form_id(view: dict[str, Any]) -> str:
    """What names the whole form, the same on every page: its first view's id."""
    return str(view.get("root_view_id") or view["id"])


def _check(
    requirements: NumberRequirements, meta: OrderMeta, values: dict[str, Any]
) -> tuple[dict[str, Any], number_forms.NumberSettings, dict[str, str]]:
    """The registration and settings the answers give, and what is wrong with them, by input."""
    settings = number_forms.read_settings(values)
    registration, problems = read_registration(
        requirements, meta.form_numbers(), values, documents_required=meta.fix_order is None
    )
    problems.update(
        number_forms.problems(
            settings, phone_number=None, capabilities=None, campaign_allowed=meta.region == "US"
        )
    )
    return registration, settings, problems


def _all_values(services: Services, meta: OrderMeta, view: dict[str, Any]) -> dict[str, Any]:
    """The answers of every page: those kept from the earlier pages and this one's."""
    values: dict[str, Any] = view["state"]["values"]
    if meta.page == 1:
        return values
    now = services.clock()
    kept = form_drafts.saved_pages(services.store, form_id(view), now)
    if not set(range(1, meta.page)) <= set(kept):
        raise UserFacingError(
            "The answers on this form's earlier pages are no longer kept (a form left open this long "
            "expires). Nothing was reserved or requested: open the form again."
        )
    return {**form_drafts.earlier_values(services.store, form_id(view), meta.page, now), **values}


def make_request(
    services: Services, client: WebClient, meta: OrderMeta, view: dict[str, Any], user: str
) -> Verdict:
    """Check the form, then reserve the numbers, register them, upload the documents and ask for approval."""
    values = _all_values(services, meta, view)
    requirements = services.sinch.lookup_number_requirements(meta.region, meta.number_type)
    labels = _labels(requirements, meta)

    def refused(problems: dict[str, str]) -> Verdict:
        if meta.pages > 1:
            views = form_views(meta, requirements, sandbox=services.sandbox)
            problems = shown_on_page(problems, labels, view, block_pages(views))
        return Verdict(problems=problems, labels=labels)

    registration, settings, problems = _check(requirements, meta, values)
    if problems:
        return refused(problems)
    order = (
        _fixable(services, meta.fix_order)
        if meta.fix_order is not None
        else _reserved(services, meta, settings, form_id(view))
    )
    if registration:
        try:
            services.sinch.update_number_order_registration(order.id_number_order, registration)
        except InvalidArgument as exc:
            errors = violation_errors(requirements, meta.form_numbers(), exc.field_violations)
            return refused(errors or {_first_block(requirements, meta): describe(exc)})
    uploaded: list[tuple[str, int]] = []
    for block_id, document in attachment_blocks(requirements):
        for submitted in chosen_files(requirements, values).get(document.id, []):
            problem = _upload(services, client, order, document, submitted, uploaded)
            if problem:
                return refused({block_id: problem})
    summary = order_summary(meta, order, requirements, settings, registration, uploaded)
    setup, monthly, currency = order_costs(order)
    draft = RequestDraft(
        kind=RequestKind.NUMBER_ORDER,
        requester=user,
        subject=", ".join(order.phone_numbers) or meta.describe(),
        payload=_payload(services, meta, order),
        summary=summary.to_json(),
        ttl=services.settings.approval_ttl,
        setup_cost=setup,
        monthly_cost=monthly,
        currency=currency,
        origin_channel=meta.origin_channel,
        idempotency_key=view_key(RequestKind.NUMBER_ORDER, view),
        deadline=orders.reservation_end(order, services.clock()),
    )
    request = approvals.submit(services, draft)
    orders.remember(services, order, request_id=request.id)
    form_drafts.discard(services.store, form_id(view))
    return Verdict(request=request)


def _payload(services: Services, meta: OrderMeta, order: NumberOrder) -> dict[str, Any]:
    """The order to submit, what ordering it again takes, and for a fix how many review messages Sinch had
    written (a resubmit whose answer is lost is known to have happened by a review after it, see
    `execute.reconcile_order`)."""
    payload: dict[str, Any] = {
        "order_id": order.id_number_order,
        "again": meta.again().model_dump(exclude_none=True),
    }
    if meta.fix_order is not None:
        logs = services.sinch.get_number_order_registration(order.id_number_order).logs
        payload[execute.REVIEWS_BEFORE_FIX] = len(logs)
    return payload


def _number_form(services: Services, origin: str, phone_number: str) -> JsonView:
    """The form to order `phone_number`, if Sinch still offers it."""
    try:
        offer = NumberOffer.from_available(services.sinch.check(phone_number))
    except NotFound:
        raise UserFacingError(unavailable_text(phone_number)) from None
    return _form(services, OrderMeta.for_offer(origin, offer))


def _fix_form(services: Services, order_id: str, user: str, origin: str) -> JsonView:
    tracked = stored_orders.get_order(services.store, order_id)
    request = (
        requests.get_request(services.store, tracked.request_id) if tracked and tracked.request_id else None
    )
    if request is None:
        raise UserFacingError(f"numbot has no request for number order {order_id}; nothing to fix.")
    if request.requester != user:
        raise UserFacingError(
            f"Only <@{request.requester}>, who asked for this order, can fix it: the form shows their "
            "registration in full."
        )
    meta = OrderMeta.for_fix(origin, _fixable(services, order_id))
    requirements = services.sinch.lookup_number_requirements(meta.region, meta.number_type)
    return _page_view(services, meta, requirements, 0)


# A request in one of these states may still submit its order.
_UNDECIDED = frozenset({RequestState.PENDING, RequestState.APPROVED, RequestState.EXECUTING})


def _fixable(services: Services, order_id: str) -> NumberOrder:
    """The order, read fresh from Sinch, if its review blocked it and no fix of it awaits a decision."""
    order = services.sinch.get_number_order(order_id)
    if order.state is NumberOrderState.REJECTED:
        raise UserFacingError(
            f"Sinch rejected number order {order_id}: a rejection is final and the order cannot be fixed. "
            "Start a new order (`/numbers order`)."
        )
    if order.state is not NumberOrderState.BLOCKED:
        raise UserFacingError(
            f"Number order {order_id} is {order.state.value}, not blocked: only an order Sinch's review "
            "blocked can be fixed."
        )
    undecided = requests.find_requests(
        services.store, states=_UNDECIDED, subject=", ".join(order.phone_numbers)
    )
    waiting = next((r for r in undecided if r.payload.get("order_id") == order_id), None)
    if waiting is not None:
        raise UserFacingError(
            f"A fix of number order {order_id} already waits for approval ({waiting.id}): approve, reject or "
            "cancel that request first."
        )
    return order


def _form(services: Services, meta: OrderMeta) -> JsonView:
    requirements = services.sinch.lookup_number_requirements(meta.region, meta.number_type)
    return _page_view(services, meta, requirements, 0)


def _page_view(services: Services, meta: OrderMeta, requirements: NumberRequirements, index: int) -> JsonView:
    """Page `index` (from 0) of the form; for a fix, filled in from the registration Sinch holds."""
    title = FIX_TITLE if meta.fix_order is not None else TITLE
    view = form_views(meta, requirements, sandbox=services.sandbox, title=title)[index]
    if meta.fix_order is None:
        return view
    details = services.sinch.get_number_order_registration(meta.fix_order).request_details
    return fix_view(view, requirements, meta.form_numbers(), details)


def _reserved(
    services: Services, meta: OrderMeta, settings: number_forms.NumberSettings, form: str
) -> NumberOrder:
    """The order this form made before (Sinch sent the form back for corrections), or a new one."""
    earlier = stored_orders.made_by_form(services.store, form, services.clock())
    if earlier is not None:
        return services.sinch.get_number_order(earlier.order_id)
    option = NumberOrderOption(phone_numbers=[meta.offer.phone_number]) if meta.offer is not None else None
    quantity = (
        QuantityOrderOption(
            requested_quantity=meta.quantity,
            number_pattern=meta.number_pattern,
            capabilities=list(meta.criteria().capabilities) or None,
        )
        if meta.offer is None
        else None
    )
    body = CreateNumberOrderRequest(
        region_code=meta.region,
        number_type=meta.number_type,
        number_order_option=option,
        quantity_order_option=quantity,
        sms_configuration=settings.sms_configuration(),
        voice_configuration=settings.voice_configuration(),
        callback_url=callback_url(services.settings),
    )
    try:
        order = services.sinch.create_number_order(body)
    except InvalidArgument as exc:
        reasons = "; ".join(violation.description for violation in exc.field_violations) or str(exc)
        raise UserFacingError(
            f"Sinch reserved nothing: {reasons}. Nothing was requested; "
            f"`/numbers search {meta.region} {meta.type}` for other numbers."
        ) from None
    except Transport as exc:
        if not exc.may_have_reached_server:
            raise
        # Never retried: a second create could reserve a second set. An unsubmitted order costs nothing.
        raise UserFacingError(
            "Sinch's answer to the order was lost, so numbot does not know whether it reserved anything. "
            "Nothing was requested and nothing will be charged (a reservation never submitted lapses by "
            "itself): send the form again."
        ) from None
    orders.remember(services, order, request_id=None, form=form)
    return order


def _upload(
    services: Services,
    client: WebClient,
    order: NumberOrder,
    document: RequiredAttachment,
    submitted: Any,
    uploaded: list[tuple[str, int]],
) -> str | None:
    """Fetch one attached file from Slack and give it to Sinch; what is wrong with it, if anything."""
    accept = tuple(kind for kind in DOCUMENTS if document.accepts_mime_type(kind.mime_type)) or DOCUMENTS
    try:
        with fetch_slack_file(client, submitted, accept=accept) as fetched:
            problem = _give_to_sinch(services, order, document, fetched)
            if problem is None:
                uploaded.append((fetched.name, fetched.size))
            return problem
    except SlackFileError as exc:
        return str(exc)


def _give_to_sinch(
    services: Services, order: NumberOrder, document: RequiredAttachment, fetched: FetchedFile
) -> str | None:
    try:
        services.sinch.upload_number_order_attachment(
            order.id_number_order,
            document.id,
            fetched.content,
            file_name=fetched.name,
            mime_type=fetched.mime_type,
            document_type=next(iter(document.allowed_document_types), None),
        )
    except DocumentTooLarge:
        return f"Sinch refused “{fetched.name}” ({fetched.size:,} bytes): it is larger than Sinch accepts."
    except InvalidArgument as exc:
        reasons = "; ".join(violation.description for violation in exc.field_violations) or str(exc)
        return f"Sinch refused “{fetched.name}”: {reasons}"
    return None


def _labels(requirements: NumberRequirements, meta: OrderMeta) -> dict[str, str]:
    labels = {
        slot.block_id: field_label(slot.field) if hasattr(slot, "field") else slot.title
        for slot in all_slots(requirements, meta.form_numbers())
    }
    labels.update({block: doc.title or doc.id for block, doc in attachment_blocks(requirements)})
    return labels


def _first_block(requirements: NumberRequirements, meta: OrderMeta) -> str:
    slots = all_slots(requirements, meta.form_numbers())
    return slots[0].block_id if slots else number_forms.DISPLAY_NAME_BLOCK


def _late_verdict(services: Services, done: Future[Verdict]) -> JsonView:
    try:
        verdict = done.result()
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the open modal must say it
        return error_view(TITLE, exc, services)
    if verdict.request is None:
        return problems_view(verdict.problems, verdict.labels, sandbox=services.sandbox)
    return sent_view(verdict.request, services)


SUBCOMMANDS = (
    Subcommand(
        name="order",
        usage=ORDER_USAGE.removeprefix("/numbers "),
        summary="Order a number, or N matching ones, with Sinch's registration (a second person approves).",
        handler=order_command,
        examples=("order +447700900123", "order GB MOBILE --quantity 2 --sms"),
    ),
)
