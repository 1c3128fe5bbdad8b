"""`numbot serve --sandbox`: the bot in a (here, local) Slack workspace against the embedded Sinch sandbox,
even when real Sinch credentials are configured; every message it shows says it is the sandbox."""

from __future__ import annotations

import json
import queue
import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.blockkit import ids
from bot.blockkit.blocks import SANDBOX_NOTE
from sandbox.console.workspace import (
    ALERTS,
    APPROVALS,
    APPROVER,
    CHANNELS,
    OPS,
    PEOPLE,
    REQUESTER,
    local_workspace,
)
from sandbox.slack import LocalSlack, Message, View
from tests.console.test_cli import NUMBOT, clean_env

SERVING = re.compile(r"numbot serving \(HTTP on (http://[\d.:]+/slack/events)\)")


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with local_workspace() as started:
        yield started


def serve_sandbox(slack: LocalSlack, tmp_path: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    env = clean_env(tmp_path) | {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        # Real-looking credentials: --sandbox must win over them.
        "SINCH_PROJECT_ID": "real-project",
        "SINCH_KEY_ID": "real-key",
        "SINCH_KEY_SECRET": "real-secret",
        "NUMBOT_APPROVERS": APPROVER.id,
        "NUMBOT_APPROVALS_CHANNEL": APPROVALS.id,
        "NUMBOT_NOTIFICATIONS_CHANNEL": ALERTS.id,
        "NUMBOT_HTTP_HOST": "127.0.0.1",
        "NUMBOT_HTTP_PORT": "0",
    }
    command = [str(NUMBOT), "serve", "--sandbox", *options]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    stderr = process.stderr
    assert stderr is not None

    def read_stderr() -> None:
        for line in stderr:
            lines.put(line)
        lines.put("")  # end of output: the bot exited

    threading.Thread(target=read_stderr, daemon=True).start()
    seen: list[str] = []
    while line := lines.get(timeout=20):
        seen.append(line)
        match = SERVING.search(line)
        if match:
            return process, match.group(1)
    raise AssertionError("numbot serve --sandbox exited:\n" + "".join(seen))


def everything_shown(slack: LocalSlack) -> list[Message | View]:
    shown: list[Message | View] = []
    for channel in CHANNELS:
        for message in slack.messages(channel.id):
            shown += [message, *message.replies, *message.edits]
    for person in PEOPLE:
        shown += slack.ephemerals(person.id)
    return shown


def test_every_message_in_sandbox_mode_carries_the_sandbox_note(slack: LocalSlack, tmp_path: Path) -> None:
    process, events_url = serve_sandbox(slack, tmp_path)
    try:
        slack.deliver_http(events_url)
        rita, alex = slack.user(REQUESTER.id), slack.user(APPROVER.id)
        rita.slash("/numbers", "search US LOCAL --sms --limit 2", channel=OPS.id)
        results = slack.wait_for(lambda s: next((m for m in s.ephemerals(REQUESTER.id) if m.buttons()), None))
        rita.click(results, "numbers.request", value=results.buttons()[0].element["value"])
        form = slack.wait_for(
            lambda s: next((v for v in s.views(REQUESTER.id) if v.callback_id == ids.ORDER_MODAL), None)
        )
        forms: list[View] = [form]
        rita.submit(form, {"SMS service plan ID": "plan-1"})
        card = slack.wait_for(lambda s: next(iter(s.messages(APPROVALS.id)), None))
        alex.click(card, "approval.approve")
        slack.wait_for(
            lambda s: any(
                "provisioning finished" in reply.text for reply in s.messages(APPROVALS.id)[0].replies
            ),
            timeout=15,
        )
        slack.wait_for(lambda s: s.messages(ALERTS.id))
        rita.slash("/numbers", "help", channel=OPS.id)
        slack.wait_for(lambda s: any("numbot commands" in m.text for m in s.ephemerals(REQUESTER.id)))

        shown = [*everything_shown(slack), *forms]
        assert len(shown) >= 8
        missing = [
            item.text if isinstance(item, Message) else item.title
            for item in shown
            if SANDBOX_NOTE not in json.dumps(item.blocks, ensure_ascii=False)
        ]
        assert missing == []
        assert not any(call.method == "chat.postMessage" and not call.ok for call in slack.calls)
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
