"""Slack answers 429 or 5xx while the outbox delivers: every message still arrives, exactly once."""

from __future__ import annotations

import pytest

from bot.blockkit import ids
from tests.faults.flows import acked, card_in_state, reply_under, request_rent, sms_number_for_sale
from tests.harness import APPROVALS, World


@pytest.mark.parametrize(
    ("status", "failures"),
    [(429, 2), (500, 1), (503, 2)],
    ids=["rate-limited", "internal-error", "unavailable"],
)
def test_an_approval_card_survives_slack_refusing_it(world: World, status: int, failures: int) -> None:
    world.slack.fail_next("chat.postMessage", failures, status=status, retry_after=1)

    request_rent(world.slack, sms_number_for_sale(world.sinch))

    posts = [call for call in world.slack.calls if call.method == "chat.postMessage"]
    assert [call.status for call in posts] == [status] * failures + [200]
    assert len(world.slack.messages(APPROVALS.id)) == 1


def test_card_edits_refused_by_slack_still_end_in_the_final_state(world: World) -> None:
    card = request_rent(world.slack, sms_number_for_sale(world.sinch))
    world.slack.fail_next("chat.update", 2, status=503)

    acked(world.approver.click(card, ids.APPROVE))

    done = card_in_state(world.slack, "done", timeout=15)
    reply_under(world.slack, done, "is done")
    assert len(world.slack.messages(APPROVALS.id)) == 1
