"""A failed scheduled job reads as failed wherever it is used, sent as a name or as a protobuf integer."""

from __future__ import annotations

import pytest

from bot.sinch.models import ActiveNumber
from bot.watching.provisioning import PartState, active_parts
from commands.shared.number_view import detail_blocks, effective_sms_link
from tests.harness import visible_text


@pytest.mark.parametrize("failed", ["FAILED", 3])
def test_a_failed_job_is_failed_in_show_in_the_update_form_and_for_the_watcher(failed: str | int) -> None:
    number = ActiveNumber.model_validate(
        {
            "phoneNumber": "+12025550134",
            "smsConfiguration": {
                "servicePlanId": "plan-a",
                "scheduledProvisioning": {"servicePlanId": "plan-b", "status": failed, "errorCodes": []},
            },
        }
    )

    assert effective_sms_link(number).service_plan_id == "plan-a"
    assert active_parts(number)[0].state is PartState.FAILED
    assert ":x: Scheduled provisioning to plan `plan-b`" in visible_text(
        [block.to_dict() for block in detail_blocks(number, None)]
    )
