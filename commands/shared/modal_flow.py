"""Modal plumbing for forms that need Sinch data first, and the small views that end a modal flow.

A trigger_id opens a modal only within about 3 s, and a Sinch call may take longer: such forms open a
"Loading…" view at once and replace it when the data is in (passing the hash, so a view the user changed
meanwhile is never overwritten).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blockkit import ids
from bot.blockkit.blocks import MODAL_TITLE, clip, section, with_sandbox_note
from bot.errors import describe

log = logging.getLogger(__name__)

T = TypeVar("T")
JsonView = dict[str, Any]


def modal(
    title: str,
    blocks: list[Block],
    *,
    sandbox: bool,
    callback_id: str = ids.LOADING_MODAL,
    submit: str | None = None,
    private_metadata: str | None = None,
    close: str = "Close",
) -> JsonView:
    """A modal view as Slack wants it, titles clipped to Slack's 24 characters."""
    return View(
        type="modal",
        callback_id=callback_id,
        title=clip(title, MODAL_TITLE),
        submit=clip(submit, MODAL_TITLE) if submit else None,
        close=clip(close, MODAL_TITLE),
        private_metadata=private_metadata,
        blocks=with_sandbox_note(blocks, sandbox),
    ).to_dict()


def notice(title: str, text: str, *, sandbox: bool) -> JsonView:
    """A modal that only tells something (an outcome, a refusal) and can only be closed."""
    return modal(title, [section(text)], sandbox=sandbox)


def open_and_fill(
    client: WebClient, trigger_id: str, title: str, build: Callable[[], JsonView], *, sandbox: bool
) -> None:
    """Open a "Loading…" modal at once, then replace it with `build()`; a failure is shown in the modal."""
    opened = client.views_open(
        trigger_id=trigger_id, view=notice(title, ":hourglass: Loading…", sandbox=sandbox)
    )
    loading = opened["view"]
    try:
        content = build()
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the open modal must say it
        content = notice(title, describe(exc), sandbox=sandbox)
    client.views_update(view_id=loading["id"], hash=loading["hash"], view=content)


def start_in_background(work: Callable[[], T]) -> Future[T]:
    """Run `work` on its own thread so a listener can wait for it only as long as Slack's ack allows."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="modal-work")
    try:
        return executor.submit(work)
    finally:
        executor.shutdown(wait=False)  # the thread finishes the work, then exits


def update_when_done(
    client: WebClient, view_id: str, future: Future[T], render: Callable[[Future[T]], JsonView]
) -> None:
    """Replace the view with `render(future)` once the work ends (the user may have closed it by then)."""

    def show(done: Future[T]) -> None:
        try:
            client.views_update(view_id=view_id, view=render(done))
        except Exception:
            log.exception("could not show the result in view %s", view_id)

    future.add_done_callback(show)
