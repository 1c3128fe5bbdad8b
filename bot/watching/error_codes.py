"""What each Sinch provisioning error code means for an ops person, and what to do next.

Sinch reports a failed SMS or voice provisioning with `SmsErrorCode` names (in `scheduledProvisioning.
errorCodes`, in a callback's `failureCode`, or in an imported number's `errorCode`). The spec's one-line
descriptions restate the name; these say why it happens and who can fix it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.blockkit.text import escape
from bot.sinch import SmsErrorCode


@dataclass(frozen=True)
class ErrorExplanation:
    code: str
    meaning: str
    next_step: str

    def as_line(self) -> str:
        return f"`{escape(self.code)}`: {self.meaning} *Next:* {self.next_step}"


_CONTACT_SINCH = "If it keeps happening, open a Sinch support ticket with the number and the time."

_EXPLANATIONS: dict[SmsErrorCode, tuple[str, str]] = {
    SmsErrorCode.ERROR_CODE_UNSPECIFIED: (
        "Sinch did not say why provisioning failed.",
        f"Retry the change once. {_CONTACT_SINCH}",
    ),
    SmsErrorCode.INTERNAL_ERROR: (
        "Sinch had an internal error while provisioning.",
        f"Retry the change in a few minutes. {_CONTACT_SINCH}",
    ),
    SmsErrorCode.SMS_PROVISIONING_FAILED: (
        "The number could not be linked to the SMS service plan.",
        "Check the service plan id belongs to this project and is active, then retry.",
    ),
    SmsErrorCode.CAMPAIGN_PROVISIONING_FAILED: (
        "The number could not be added to the 10DLC campaign.",
        "Check the campaign is approved and linked to the service plan, then retry.",
    ),
    SmsErrorCode.CAMPAIGN_NOT_AVAILABLE: (
        "The 10DLC campaign does not exist or is not available to this service plan.",
        "Check the campaign id (and that it is shared with Sinch), then update the number.",
    ),
    SmsErrorCode.EXCEEDED_10DLC_LIMIT: (
        "The campaign already holds as many numbers as its 10DLC tier allows.",
        "Move the number to another campaign, or ask the brand owner to raise the campaign's limit.",
    ),
    SmsErrorCode.NUMBER_PROVISIONING_FAILED: (
        "Sinch could not provision the number itself with the carrier.",
        f"Retry the change; if it fails again consider releasing it and renting another. {_CONTACT_SINCH}",
    ),
    SmsErrorCode.PARTNER_SERVICE_UNAVAILABLE: (
        "A carrier or registry Sinch depends on was unavailable.",
        "Nothing is wrong with the request: retry the change later.",
    ),
    SmsErrorCode.CAMPAIGN_PENDING_ACCEPTANCE: (
        "The campaign has not been accepted by Sinch yet.",
        "Wait until the campaign is accepted (see the Sinch dashboard), then update the number again.",
    ),
    SmsErrorCode.MNO_SHARING_ERROR: (
        "The campaign could not be shared with the mobile network operators.",
        "Ask the campaign owner to re-share it with Sinch in the Campaign Registry, then retry.",
    ),
    SmsErrorCode.CAMPAIGN_EXPIRED: (
        "The 10DLC campaign has expired.",
        "Renew the campaign in the Campaign Registry, or link the number to an active campaign.",
    ),
    SmsErrorCode.CAMPAIGN_MNO_REJECTED: (
        "A mobile network operator rejected the campaign.",
        "Fix the campaign as the operator asks and resubmit it; use another campaign meanwhile.",
    ),
    SmsErrorCode.CAMPAIGN_MNO_SUSPENDED: (
        "A mobile network operator suspended the campaign.",
        "Contact the campaign owner to resolve the suspension; use another campaign meanwhile.",
    ),
    SmsErrorCode.CAMPAIGN_MNO_REVIEW: (
        "The campaign is still under review by a mobile network operator.",
        "Wait for the review to finish, then update the number again.",
    ),
    SmsErrorCode.INSUFFICIENT_BALANCE: (
        "The Sinch account has too little credit to pay the fees.",
        "Ask a Sinch account owner to top up the balance, then retry.",
    ),
    SmsErrorCode.MOCK_CAMPAIGN_NOT_ALLOWED: (
        "Mock (test) campaigns cannot be used with real numbers.",
        "Link the number to a real, approved campaign.",
    ),
    SmsErrorCode.TFN_NOT_ALLOWED: (
        "Toll-free numbers cannot join a 10DLC campaign.",
        "Use a local number for 10DLC, or register the toll-free number for toll-free verification.",
    ),
    SmsErrorCode.INVALID_NNID: (
        "The NNID (carrier routing id) on the account or campaign is invalid.",
        f"Ask Sinch support to check the NNID. {_CONTACT_SINCH}",
    ),
}


def explain(code: str | int) -> ErrorExplanation:
    """The explanation of one code; unknown codes (new ones, or protobuf integers) still read sensibly."""
    name = code_name(code)
    known = _EXPLANATIONS.get(SmsErrorCode(name))
    if known is None:
        return ErrorExplanation(
            name, "Sinch reported an error code numbot does not know yet.", _CONTACT_SINCH
        )
    return ErrorExplanation(name, *known)


def explain_all(codes: Sequence[str | int]) -> list[ErrorExplanation]:
    """One explanation per distinct code, in order; no code at all reads as "unspecified"."""
    distinct = list(dict.fromkeys(str(code) for code in codes)) or [SmsErrorCode.ERROR_CODE_UNSPECIFIED]
    return [explain(code) for code in distinct]


def code_name(code: str | int) -> str:
    """The code's name; the Imported spec documents protobuf integers, numbered in the enum's spec order."""
    if isinstance(code, str):
        return code
    members = list(SmsErrorCode)
    return members[code].value if 0 <= code < len(members) else str(code)
