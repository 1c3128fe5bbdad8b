"""The one table of what runs after approval covers every kind of request, with words people can read."""

import pytest

from bot.approvals import SettledByHand
from commands.after_approval import AFTER_APPROVAL
from storage.request_types import RequestKind


@pytest.mark.parametrize("kind", list(RequestKind))
def test_every_kind_of_request_has_what_runs_once_it_is_approved(kind: RequestKind) -> None:
    executor = AFTER_APPROVAL[kind]
    assert executor.describe and executor.describe == executor.describe.strip()


def test_only_rent_any_is_settled_by_hand_and_says_why() -> None:
    by_hand = {
        kind for kind, executor in AFTER_APPROVAL.items() if isinstance(executor.reconcile, SettledByHand)
    }
    assert by_hand == {RequestKind.RENT_ANY}
    reconcile = AFTER_APPROVAL[RequestKind.RENT_ANY].reconcile
    assert isinstance(reconcile, SettledByHand) and "/numbers list" in reconcile.why


def test_the_table_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        AFTER_APPROVAL[RequestKind.RENT] = AFTER_APPROVAL[RequestKind.RELEASE]  # type: ignore[index]
