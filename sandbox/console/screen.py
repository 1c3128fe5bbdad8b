"""The console's output: workspace events shown for whoever is at the keyboard, where they are looking.

What the current user sees in the current channel (and their own private replies and modals) is shown in
full with numbered buttons; activity elsewhere is one line, as a channel's unread marker would be.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from sandbox.console.actions import ActionBoard
from sandbox.console.activity import Entry
from sandbox.console.feed import Event, HomeShown, ModalClosed, ModalShown, Posted, Whispered
from sandbox.console.files import FileLookup, no_files
from sandbox.console.mrkdwn import Names, plain
from sandbox.console.render import Renderer
from sandbox.slack import Message, View
from sandbox.slack.directory import dm_channel_id

NOTICE_LENGTH = 100
BODY_PREFIX = "  "
THREAD_PREFIX = "  │ "


@dataclass(frozen=True)
class Viewpoint:
    user_id: str
    channel_id: str


class Screen:
    def __init__(
        self,
        console: Console,
        names: Names,
        board: ActionBoard,
        *,
        emoji: bool,
        files: FileLookup = no_files,
    ) -> None:
        self._console = console
        self._names = names
        self._board = board
        self._emoji = emoji
        self._files = files
        self._lock = threading.Lock()

    def show_events(self, events: list[Event], viewpoint: Viewpoint) -> list[Entry]:
        """Print `events` as `viewpoint` sees them; returns them as log entries (their full plain text)."""
        entries = []
        for event in events:
            entries.append(Entry(event, self._heading(event, "you").plain + "\n" + self._body(event).plain))
            shown = None if _looks_the_same(event, self._names) else self._as_seen_from(event, viewpoint)
            if shown is not None:
                self.print(shown)
        return entries

    def show_message(self, message: Message, heading: str) -> None:
        self.print(self._titled(Text(heading, style="bold magenta"), self._full_message(message), message))

    def show_modal(self, view: View) -> None:
        self.print(self._titled(self._modal_heading(view, updated=False), self._full_view(view), None))

    def print(self, text: Text) -> None:
        with self._lock:
            self._console.print(text)

    def _as_seen_from(self, event: Event, viewpoint: Viewpoint) -> Text | None:
        looking_at = (viewpoint.channel_id, dm_channel_id(viewpoint.user_id))
        if isinstance(event, Posted) and event.message.channel in looking_at:
            return self._titled(self._heading(event, "you"), self._full_message(event.message), event.message)
        if isinstance(event, Whispered) and event.user_id == viewpoint.user_id:
            return self._titled(self._heading(event, "you"), self._full_message(event.message), None)
        if isinstance(event, ModalShown | HomeShown) and event.view.user_id == viewpoint.user_id:
            body = (
                self._full_view(event.view) if isinstance(event, ModalShown) else self._full_home(event.view)
            )
            return self._titled(self._heading(event, "you"), body, None)
        if isinstance(event, ModalClosed):
            return self._heading(event, "you") if event.view.user_id == viewpoint.user_id else None
        return self._notice(event)

    def _heading(self, event: Event, viewer: str) -> Text:
        if isinstance(event, Posted):
            where = f"{self._place(event.message.channel)} · numbot"
            if event.parent is not None:
                where += f" · reply in thread “{self._first_line(event.parent)}”"
            return Text(where + (" · edited" if event.edited else ""), style="bold magenta")
        if isinstance(event, Whispered):
            where = f"{self._place(event.message.channel)} · numbot · only visible to {viewer}"
            return Text(where + (" · replaced" if event.edited else ""), style="bold magenta")
        if isinstance(event, ModalShown):
            return self._modal_heading(event.view, event.updated)
        if isinstance(event, HomeShown):
            return self._home_heading(event.view, event.updated)
        return Text(f"modal “{event.view.title}” closed", style="dim")

    def _modal_heading(self, view: View, updated: bool) -> Text:
        heading = f"modal “{view.title}” for {self._names(view.user_id)}" + (" · updated" if updated else "")
        return Text(heading, style="bold yellow")

    def _home_heading(self, view: View, updated: bool) -> Text:
        heading = f"numbot's Home tab, as {self._names(view.user_id)} sees it" + (
            " · updated" if updated else ""
        )
        return Text(heading, style="bold cyan")

    def _place(self, channel: str) -> str:
        """`#ops`, or `DM with rita` for the bot's direct messages (D… ids)."""
        name = self._names(channel)
        return name if channel.startswith("D") else f"#{name}"

    def _notice(self, event: Event) -> Text | None:
        if isinstance(event, Posted):
            what = "reply" if event.parent else "edited" if event.edited else "new"
            line = f"● {what} in {self._place(event.message.channel)}: {self._first_line(event.message)}"
            line += "".join(f" [file: {shared.get('name', '')}]" for shared in event.message.files)
        elif isinstance(event, Whispered):
            who, where = self._names(event.user_id), self._place(event.message.channel)
            line = f"● {who} got a private reply in {where}: {self._first_line(event.message)}"
        elif isinstance(event, ModalShown):
            line = f"● {self._names(event.view.user_id)} has the modal “{event.view.title}” open"
        else:
            return None  # a modal closing or a Home tab elsewhere is that person's alone
        return Text(line, style="dim")

    def _first_line(self, message: Message) -> str:
        line = plain(message.text, self._names).split("\n", 1)[0]
        return line if len(line) <= NOTICE_LENGTH else line[: NOTICE_LENGTH - 1] + "…"

    def _body(self, event: Event) -> Text:
        """The whole surface without action numbers (numbers are handed out only for what is shown)."""
        renderer = Renderer(self._names, files=self._files)
        if isinstance(event, Posted | Whispered):
            return renderer.message(event.message)
        if isinstance(event, HomeShown):
            return renderer.home(event.view)
        return renderer.view(event.view) if isinstance(event, ModalShown) else Text()

    def _full_message(self, message: Message) -> Text:
        return self._numbering(message).message(message)

    def _full_view(self, view: View) -> Text:
        return self._numbering(view).view(view)

    def _full_home(self, home: View) -> Text:
        return self._numbering(home).home(home)

    def _numbering(self, surface: Message | View) -> Renderer:
        return Renderer(self._names, self._emoji, self._board.numberer(surface), self._files)

    @staticmethod
    def _titled(heading: Text, body: Text, message: Message | None) -> Text:
        prefix = THREAD_PREFIX if message is not None and message.thread_ts else BODY_PREFIX
        # A blank line first: each message stands apart from the one before, as in Slack.
        lines = [Text(), heading, *(Text(prefix) + line for line in body.split("\n"))]
        return Text("\n").join(lines)


def _looks_the_same(event: Event, names: Names) -> bool:
    """An edit that changed only what nobody reads here (e.g. the fallback text behind the blocks)."""
    if not isinstance(event, Posted | Whispered) or not event.edited or not event.message.edits:
        return False
    renderer = Renderer(names)
    return renderer.message(event.message.edits[-1]).plain == renderer.message(event.message).plain
