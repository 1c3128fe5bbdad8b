"""Small typed values that travel through Slack in button `value`s and modal `private_metadata`.

Slack hands them back verbatim on the next click or submission; a pydantic model makes a tampered or stale
value a clear error instead of a KeyError deep in a handler.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import UserFacingError

# Slack's limits: button value 2000 characters, private_metadata 3000.
BUTTON_VALUE_LIMIT = 2000
PRIVATE_METADATA_LIMIT = 3000

Meta = TypeVar("Meta", bound="SlackMeta")


class SlackMeta(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def encode(self, limit: int = BUTTON_VALUE_LIMIT) -> str:
        text = self.model_dump_json(exclude_none=True)
        if len(text) > limit:
            raise ValueError(f"{type(self).__name__} is {len(text)} characters; Slack allows {limit}")
        return text

    @classmethod
    def decode(cls: type[Meta], text: str | None) -> Meta:
        try:
            return cls.model_validate_json(text or "")
        except ValidationError:
            raise UserFacingError("This button or form is out of date; run the command again.") from None


class RequestRef(SlackMeta):
    """Which approval request a button or modal is about."""

    request_id: str


class OrderRef(SlackMeta):
    """Which number order (Sinch's `idNumberOrder`) a button is about."""

    order_id: str


class OrderAgain(SlackMeta):
    """What a new order form needs to order the same again: one number, or `quantity` numbers of a region
    and type (with the pattern and capabilities asked for, when known)."""

    region: str
    type: str
    phone_number: str | None = None
    quantity: int = 1
    pattern: str | None = None
    search_pattern: str | None = None
    capabilities: tuple[str, ...] = ()
