"""`order show <id>`: one order read fresh from Sinch (the order and its registration's review log), or what
numbot last stored, said out loud, when Sinch cannot be read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import Block

from bot.blockkit.blocks import (
    MESSAGE_BLOCKS,
    SECTION_TEXT,
    chunks,
    context,
    fields,
    header,
    money,
    section,
    to_dicts,
    with_sandbox_note,
)
from bot.blockkit.dates import slack_date
from bot.blockkit.text import escape
from bot.errors import UsageError, UserFacingError
from bot.services import Services
from bot.sinch import NotFound, NumberOrder, OrderNumber, Registration, SinchError
from commands.orders.listing import OrderRow, numbers_label, quote, request_label, state_label, with_request
from commands.shared.parsing import parse_args, shortened
from storage import orders

ORDER_SHOW_USAGE = "order show <order id>"
# Sinch's order ids are opaque; this admits any id-like word and nothing that could reshape a URL or message.
_ORDER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")


@dataclass(frozen=True)
class Fresh:
    """What Sinch answered just now; `registration` is None when only the order itself could be read."""

    order: NumberOrder
    registration: Registration | None


def order_id_argument(words: Sequence[str]) -> str:
    parsed = parse_args(words, max_positionals=1, usage=ORDER_SHOW_USAGE)
    if not parsed.positionals:
        raise UsageError("Which order? Give its id, as `/numbers orders` lists it.", ORDER_SHOW_USAGE)
    order_id = parsed.positionals[0]
    if not _ORDER_ID.match(order_id):
        raise UsageError(f"`{escape(shortened(order_id))}` is not a number order id.", ORDER_SHOW_USAGE)
    return order_id


def read_fresh(services: Services, order_id: str, row: OrderRow | None) -> Fresh | SinchError:
    """The order from Sinch, or the error that kept Sinch from answering; an unknown order is told as such."""
    try:
        order = services.sinch.get_number_order(order_id)
    except NotFound:
        raise UserFacingError(not_found_text(order_id, row)) from None
    except SinchError as error:
        return error
    try:
        registration: Registration | None = services.sinch.get_number_order_registration(order_id)
    except SinchError:
        registration = None
    return Fresh(order, registration)


def not_found_text(order_id: str, row: OrderRow | None) -> str:
    name = f"`{escape(order_id)}`"
    if row is None:
        return f"No number order {name}: neither numbot nor Sinch knows it. `/numbers orders` lists numbot's."
    return f"Sinch no longer knows number order {name}; numbot last recorded it as {escape(row.order.state)}."


def load_row(services: Services, order_id: str) -> OrderRow | None:
    tracked = orders.get_order(services.store, order_id)
    return with_request(services, tracked) if tracked is not None else None


def fresh_message(
    fresh: Fresh, row: OrderRow | None, *, now: datetime, sandbox: bool
) -> tuple[str, list[dict[str, Any]]]:
    order = fresh.order
    state = escape(order.state.value)
    pairs = [
        ("State", f"*{state}*"),
        ("Region and type", escape(f"{order.region_code or '?'} {_type(order)}")),
        *_times(order),
        *_configuration(order),
        ("Request", request_label(row.request, row.order.request_id) if row else "not made by numbot"),
    ]
    blocks: list[Block] = [header(f"Number order {order.id_number_order}"), *fields(pairs)]
    blocks += _sections(["*Numbers*", *(_number_line(number) for number in order.order_numbers)])
    if fresh.registration is None:
        notes = ["Sinch's review log could not be read just now."]
        blocks += _sections(_stored_log(row))
    else:
        notes = []
        blocks += _sections(_registration_lines(fresh.registration))
    notes.append(f"Read from Sinch {slack_date(now)}.")
    blocks.append(context(" ".join(notes)))
    text = f"Number order {escape(order.id_number_order)}: {state}"
    return text, to_dicts(with_sandbox_note(_fitting(blocks), sandbox))


def stored_message(
    row: OrderRow, error: SinchError, *, now: datetime, sandbox: bool
) -> tuple[str, list[dict[str, Any]]]:
    """What numbot stored, when Sinch could not be read: marked as such, with Sinch's reason."""
    order = row.order
    state = state_label(order, row.request, now)
    pairs = [
        ("State (last recorded)", f"*{state}*"),
        ("Region and type", escape(f"{order.region or '?'} {order.number_type or '?'}")),
        ("Reserved until", slack_date(order.expire_time) if order.expire_time else "n/a"),
        ("Request", request_label(row.request, order.request_id)),
        ("Numbers", numbers_label(order.numbers)),
        ("Last checked", slack_date(order.last_checked_at) if order.last_checked_at else "never"),
    ]
    blocks: list[Block] = [header(f"Number order {order.order_id}"), *fields(pairs)]
    blocks += _sections(_stored_log(row))
    note = (
        f":warning: Sinch could not be read just now ({escape(error.message)}): this is what numbot last "
        f"recorded. Try again in a moment."
    )
    blocks.append(context(note))
    text = f"Number order {escape(order.order_id)}: {state} (last recorded; Sinch could not be read)"
    return text, to_dicts(with_sandbox_note(blocks, sandbox))


def _type(order: NumberOrder) -> str:
    return order.number_type.value if order.number_type else "?"


def _times(order: NumberOrder) -> list[tuple[str, str]]:
    reserved = slack_date(order.expire_time) if order.expire_time else "n/a"
    pairs = [("Reserved until" if not order.state.is_final else "Reservation was until", reserved)]
    if order.create_time:
        pairs.append(("Created", slack_date(order.create_time)))
    if order.update_time:
        pairs.append(("Last change", slack_date(order.update_time)))
    return pairs


def _configuration(order: NumberOrder) -> list[tuple[str, str]]:
    sms = order.sms_configuration
    linked = [
        f"{label} `{escape(value)}`"
        for label, value in (
            ("service plan", sms.service_plan_id if sms else None),
            ("campaign", sms.campaign_id if sms else None),
        )
        if value
    ]
    pairs = [("SMS", ", ".join(linked) or "not linked")]
    if order.voice_configuration is not None:
        voice = order.voice_configuration.model_dump(by_alias=True, exclude_none=True)
        pairs.append(("Voice", escape(", ".join(f"{key} {value}" for key, value in voice.items()))))
    return pairs


def _number_line(number: OrderNumber) -> str:
    price = number.number_price
    parts = [f"`{escape(number.phone_number)}`"]
    if price is not None:
        parts += [
            escape(f"{label} {money(amount.amount, amount.currency_code)}")
            for label, amount in (("setup", price.setup_price), ("monthly", price.monthly_price))
            if amount is not None
        ]
    if number.capabilities:
        parts.append(escape(", ".join(capability.value for capability in number.capabilities)))
    return "• " + " · ".join(parts)


def _registration_lines(registration: Registration) -> list[str]:
    lines = ["*Documents*"]
    lines += [
        "• "
        + escape(
            " · ".join(
                str(part)
                for part in (
                    attachment.file_name or attachment.attachment_id or "?",
                    attachment.document_type,
                    attachment.upload_status.value if attachment.upload_status else None,
                )
                if part
            )
        )
        for attachment in registration.attachments
    ] or ["_none uploaded_"]
    lines.append("*Sinch's review team wrote*")
    for entry in registration.logs:
        when = f"{slack_date(entry.create_time)}:" if entry.create_time else ""
        lines += [when, quote(entry.message)] if when else [quote(entry.message)]
    if not registration.logs:
        lines.append("_nothing yet_")
    return lines


def _stored_log(row: OrderRow | None) -> list[str]:
    if row is None or not row.order.last_log:
        return ["*Sinch's review team wrote (last recorded)*", "_nothing recorded_"]
    return ["*Sinch's review team wrote (last recorded)*", quote(row.order.last_log)]


def _fitting(blocks: list[Block]) -> list[Block]:
    """A very long review log must not make the message invalid: keep its first blocks and the note."""
    if len(blocks) < MESSAGE_BLOCKS - 1:
        return blocks
    return [*blocks[: MESSAGE_BLOCKS - 3], blocks[-1]]


def _sections(lines: Sequence[str]) -> list[Block]:
    return [section(text) for text in chunks(lines, SECTION_TEXT)]
