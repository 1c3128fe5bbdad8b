"""The bot process is SIGKILLed right after its rent request reached Sinch, then started again.

The rent must not be sent twice, the request must end in its true state (Sinch did rent the number), and the
requester must hear so in the card's thread. The killed bot is a real subprocess; the local Slack, the Sinch
sandbox and the restarted bot live in the test process and share the database file with it.
"""

from __future__ import annotations

import signal
from datetime import timedelta
from pathlib import Path

from bot.approvals.policy import STUCK_AFTER
from bot.blockkit import ids
from bot.runtime import Runtime
from bot.services import utc_now
from sandbox.sinch import SandboxConfig, start_sandbox
from serving import BackgroundServer
from storage import requests
from storage.db import Store
from tests.faults.bot_process import start_bot_process
from tests.faults.flows import (
    CallbackRecorder,
    acked,
    card_in_state,
    reply_under,
    request_rent,
    settings_env,
    sms_number_for_sale,
)
from tests.harness import APPROVER, PROJECT_ID, REQUESTER, bot_settings, local_slack, shown

# Long enough that the kill surely lands while Sinch is still working on the rent.
RENT_HELD_SECONDS = 1.5


def test_a_bot_killed_mid_rent_settles_the_truth_after_restart_and_never_rents_twice(
    tmp_path: Path,
) -> None:
    callbacks = CallbackRecorder()
    # Provisioning finishes as soon as the rent does, and its callback goes to the recorder.
    with (
        BackgroundServer(callbacks) as recorder,
        local_slack() as slack,
        start_sandbox(
            SandboxConfig(seed=7, provisioning_seconds=0, default_callback_url=recorder.url)
        ) as sinch,
    ):
        settings = bot_settings(slack, sinch, tmp_path / "numbot.db", numbot_legacy_rent=True)
        phone_number = sms_number_for_sale(sinch)
        process, url = start_bot_process(settings_env(settings))
        try:
            slack.deliver_http(f"{url}/slack/events")
            card = request_rent(slack, phone_number)
            sinch.faults.latency_seconds = RENT_HELD_SECONDS

            acked(slack.user(APPROVER.id).click(card, ids.APPROVE))
            assert sinch.requests.wait_for(lambda log: any(r.path.endswith(":rent") for r in log))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=5)
        finally:
            process.kill()
        sinch.faults.latency_seconds = 0
        assert callbacks.arrived.wait(timeout=10), "Sinch never finished the rent"
        store = Store(settings.numbot_database)
        [request] = requests.find_requests(store)
        assert request.state == "executing"  # the intent was stored before the call; the answer was lost
        store.close_all()

        # Back up, later than a rent could still be running: the reconciler reads Sinch, never re-rents.
        restarted = Runtime(settings, clock=lambda: utc_now() + STUCK_AFTER + timedelta(minutes=1))
        with restarted:
            slack.deliver_http(f"{restarted.url}/slack/events")
            assert restarted.scheduler.run_now("reconcile-executing") == 1

            done = card_in_state(slack, "done")
            assert f"Rented {phone_number}" in shown(done)
            told = reply_under(slack, done, "is done")
            assert f"<@{REQUESTER.id}>" in told.text
            final = requests.get_request(restarted.services.store, request.id)
            assert final is not None and final.state == "done"

        rents = [record for record in sinch.requests if record.path.endswith(":rent")]
        assert len(rents) == 1
        assert sinch.state.active_number(phone_number, PROJECT_ID) is not None
