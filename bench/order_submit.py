"""The submit side of benchmark 6, in a process of its own: orders with 5 MB documents, and the bot's memory.

Two requesters each fill a GB MOBILE order form (Sinch's requirements there ask for one document, a PDF
proof of address; no offering in the sandbox asks for two) and attach a 5 MB PDF; both forms are submitted at
once, so two 5 MB documents are in flight together. Measured: the process's peak RSS above its RSS just
before the submits (the peak reset through /proc/self/clear_refs), and each submit's ack time. The local
Slack and the sandbox run in this process too; the Slack already holds both files before the baseline, and
the sandbox keeps only a digest of what it receives. Prints one JSON line.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from bench.orders import WAIT_SECONDS, answer_to
from bench.world import bench_world, crowd
from bot.blockkit import ids
from sandbox.slack import Ack, View
from sandbox.slack.driver import SlackUserDriver
from sandbox.slack.files import FileUpload
from sandbox.world import GB_REGISTRATION, World, shown

DOCUMENT_BYTES = 5 * 1024 * 1024
SENT = "waiting for a second person"


def main() -> None:
    with bench_world(users=crowd(1)) as world:
        users = [world.requester, world.slack.user(crowd(1)[0].id)]
        forms = [_filled_form(world, user, index) for index, user in enumerate(users)]
        documents = [_pdf(index) for index in range(len(users))]
        baseline = _status_mb("VmRSS")
        _reset_peak_rss()
        acks = _submit_together(users, forms, documents)
        sent = sum(1 for user in users if _sent(world, user))
        peak = _status_mb("VmHWM")
    print(
        json.dumps(
            {
                "orders_wanted": len(users),
                "orders_sent": sent,
                "rss_increase_mb": round(peak - baseline, 1),
                "slowest_ack_s": max(ack.elapsed for ack in acks),
                "note": (
                    f"submit: {len(users)} GB MOBILE orders at once, one 5 MB PDF each (no sandbox offering "
                    "requires two documents); RSS of the whole process (bot, local Slack, sandbox) "
                    f"{baseline:.0f} MB before"
                ),
            }
        )
    )


def _filled_form(world: World, user: SlackUserDriver, index: int) -> View:
    """The user's order form for the index-th GB MOBILE result, once Sinch's requirements filled it."""
    results = answer_to(world, user, "search GB MOBILE --sms --limit 2", "Request this number")
    user.click(results, ids.REQUEST_NUMBER, value=results.buttons()[index].element["value"])
    return world.slack.wait_for(
        lambda slack: next(
            (
                view
                for view in slack.views(user.user_id)
                if view.callback_id == ids.ORDER_MODAL and view.submit is not None
            ),
            None,
        ),
        timeout=WAIT_SECONDS,
    )


def _pdf(index: int) -> FileUpload:
    header, trailer = b"%PDF-1.4\n", b"\n%%EOF\n"
    padding = b"%" + b"0" * (DOCUMENT_BYTES - len(header) - len(trailer) - 1)
    return FileUpload(f"proof-{index}.pdf", header + padding + trailer, "application/pdf")


def _submit_together(
    users: list[SlackUserDriver], forms: list[View], documents: list[FileUpload]
) -> list[Ack]:
    acks: list[Ack] = []
    start = threading.Barrier(len(users))

    def submit(user: SlackUserDriver, form: View, document: FileUpload) -> None:
        start.wait()
        acks.append(user.submit(form, {**GB_REGISTRATION, "Proof of address": document}))

    threads = [
        threading.Thread(target=submit, args=arguments)
        for arguments in zip(users, forms, documents, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return acks


def _sent(world: World, user: SlackUserDriver) -> bool:
    try:
        world.slack.wait_for(
            lambda slack: any(SENT in shown(view) for view in slack.views(user.user_id)),
            timeout=WAIT_SECONDS,
        )
    except TimeoutError:
        return False
    return True


def _reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so the later peak is this step's."""
    Path("/proc/self/clear_refs").write_text("5")


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"/proc/self/status has no {field}")


if __name__ == "__main__":
    main()
