"""What the number-order tests send: a GB MOBILE registration the Sinch sandbox accepts, and a small PDF."""

from typing import Any

# A secret that satisfies the spec's hmacSecret pattern, for order callbacks.
SECRET = "order-callback-secret-0123456789abcd"
PDF = b"%PDF-1.4\n" + b"0" * 4000
GB_DETAILS: dict[str, Any] = {
    "data": [
        {
            "endBusinessName": "Acme Widgets Ltd",
            "endBusinessAddress": "1 High Street",
            "city": "London",
            "postalCode": "SW1A 1AA",
            "country": "GB",
        },
        {
            "firstName": "Ada",
            "lastName": "Lovelace",
            "email": "ada@acme.example",
            "phoneNumber": "+447911123456",
        },
    ]
}
