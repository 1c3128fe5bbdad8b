"""Building blocks shared by every Sinch model: the base model, open enums, timestamps, money."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel


class SinchModel(BaseModel):
    """snake_case in Python, camelCase on the wire; unknown fields are kept, as the spec asks clients to."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_wire(self) -> dict[str, Any]:
        """The JSON body for a request. Unset (None) fields are left out, but "" is sent: it means unlink."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class OpenEnum(StrEnum):
    """A StrEnum that keeps a value Sinch added after this code was written instead of failing to parse.

    `NumberType("SATELLITE")` returns a NumberType whose value is "SATELLITE" (not a declared member), so
    old code keeps working and can still show the raw value.
    """

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        return self._name_ in type(self).__members__


def _empty_as_none(value: object) -> object:
    return None if value == "" else value


def _assume_utc(value: datetime | None) -> datetime | None:
    # Callback timestamps come without a zone (e.g. "2023-06-06T07:45:27.785357"); Sinch means UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


Timestamp = Annotated[datetime | None, BeforeValidator(_empty_as_none), AfterValidator(_assume_utc)]
"""A timezone-aware date-time; a value without a zone is UTC, an empty string is None."""


class Money(SinchModel):
    currency_code: str | None = None
    amount: Decimal | None = None

    def __str__(self) -> str:
        return f"{self.amount} {self.currency_code or ''}".strip()
