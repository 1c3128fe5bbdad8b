"""The real-looking US addresses the sandbox's emergency address validator knows (see emergency.py).

Kept apart from the handlers so that seeding an inventory can give numbers an address the validator would
have accepted, without importing the HTTP side of the sandbox.
"""

from __future__ import annotations

ADDRESS_FIELDS = ("streetNumber", "streetInfo", "city", "state", "postalCode", "postalCodePlusFour")


def _address(*values: str) -> dict[str, str]:
    return dict(zip(ADDRESS_FIELDS, values, strict=True))


KNOWN_ADDRESSES: tuple[dict[str, str], ...] = (
    _address("12345", "Main St", "Springfield", "IL", "62701", "1234"),
    _address("67890", "Elm St", "Springfield", "IL", "62702", "5678"),
    _address("54321", "Oak St", "Springfield", "IL", "62703", "9876"),
    _address("1600", "Pennsylvania Ave NW", "Washington", "DC", "20500", "0003"),
    _address("350", "5th Ave", "New York", "NY", "10118", "0110"),
    _address("400", "Broad St", "Seattle", "WA", "98109", "4607"),
    _address("1", "Dr Carlton B Goodlett Pl", "San Francisco", "CA", "94102", "4603"),
)
