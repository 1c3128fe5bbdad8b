"""One console user at the keyboard: who they are, where they look, and what their commands do."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from rich.text import Text

from sandbox.console.actions import Action, ActionBoard
from sandbox.console.activity import ActivityLog, Entry
from sandbox.console.attachments import described, read_attachments
from sandbox.console.commands import (
    HELP,
    Capture,
    Click,
    Close,
    Command,
    Comment,
    ConsoleError,
    Expect,
    Help,
    Home,
    Look,
    Quit,
    Slash,
    Submit,
    SwitchChannel,
    SwitchUser,
    parse_line,
    substitute,
)
from sandbox.console.feed import Event, HomeShown
from sandbox.console.render import MULTI_CHOICE
from sandbox.console.screen import Screen, Viewpoint
from sandbox.console.workspace import CHANNELS, OPS, PEOPLE, REQUESTER, ROLES
from sandbox.slack import (
    Ack,
    ElementNotFoundError,
    FileRefusedError,
    FileUpload,
    LocalSlack,
    Message,
    RequiredFieldMissingError,
    View,
)
from sandbox.slack.block_kit import interactive_elements
from sandbox.slack.driver import SlackUserDriver

# Long enough for the bot's next step after an ack (a local Sinch call), short enough not to drag.
QUIET_SECONDS = 0.3
SETTLE_TIMEOUT_SECONDS = 10.0
EXPECT_TIMEOUT_SECONDS = 15.0
CHANNEL_HISTORY = 5


class Session:
    def __init__(
        self,
        slack: LocalSlack,
        screen: Screen,
        board: ActionBoard,
        log: ActivityLog,
        bot_idle: Callable[[], bool],
        *,
        expect_timeout: float = EXPECT_TIMEOUT_SECONDS,
    ) -> None:
        self._slack = slack
        self.screen = screen
        self._board = board
        self._log = log
        self._bot_idle = bot_idle
        self._expect_timeout = expect_timeout
        self._user = REQUESTER
        self._channel = OPS
        self.variables: dict[str, str] = {}

    @property
    def viewpoint(self) -> Viewpoint:
        return Viewpoint(self._user.id, self._channel.id)

    @property
    def prompt(self) -> str:
        return f"{self._user.name} in #{self._channel.name}> "

    def on_change(self, events: list[Event]) -> None:
        """The feed's callback: show what happened and remember it for /expect."""
        self._log.record(self.screen.show_events(events, self.viewpoint))

    def run(self, line: str) -> bool:
        """Carry out one line; False when the user asked to leave. Raises ConsoleError."""
        command = parse_line(
            line if line.lstrip().startswith("/capture") else substitute(line, self.variables)
        )
        match command:
            case Quit():
                return False
            case Slash(name, text):
                self._act(lambda user: user.slash(name, text, channel=self._channel.id))
            case Click(target, option):
                action = self._numbered(target) if isinstance(target, int) else self._button_named(target)
                self._act(lambda user: _click(user, action, option))
            case Submit(values):
                self._submit(values)
            case Close():
                modal = self._top_modal()
                self._act(lambda user: user.close(modal))
            case Home():
                self._open_home()
            case Expect(text):
                self._await(lambda entry: text if text in entry.text else None, f"“{text}”")
                self._say(f"✓ seen: {text}")
            case Capture(name, pattern):
                self.variables[name] = self._await(lambda entry: _captured(pattern, entry), pattern.pattern)
                self._say(f"✓ ${name} = {self.variables[name]}")
            case _:
                self._look_around(command)
        return True

    def _submit(self, values: dict[str, str]) -> None:
        modal = self._top_modal()
        choices = _choices(modal, values)
        for key, choice in choices.items():
            uploads = [one for one in choice if isinstance(one, FileUpload)]
            if uploads:
                self._say(f"📎 attached to “{key}”: {described(uploads)}")
        self._act(lambda user: user.submit(modal, choices))

    def _open_home(self) -> None:
        """Open the Home tab as Slack does (app_home_opened); the feed shows what the bot publishes."""
        person = self._user
        self._act(lambda user: user.open_home())

        def published(entry: Entry) -> str | None:
            shown = entry.event
            return "home" if isinstance(shown, HomeShown) and shown.view.user_id == person.id else None

        try:
            self._log.wait_for_entry(published, self._expect_timeout)
        except TimeoutError:
            raise ConsoleError(
                f"numbot published no Home tab for {person.name} within {self._expect_timeout:g} s "
                "(no views.publish after app_home_opened)"
            ) from None

    def _look_around(self, command: Command | None) -> None:
        """Commands that change only what the console shows."""
        match command:
            case SwitchUser(who):
                self._switch_user(who)
            case SwitchChannel(name):
                self._switch_channel(name)
            case Look():
                self._show_channel()
            case Comment(text):
                self.screen.print(Text("\n# " + text, style="bold cyan"))
            case Help():
                self.screen.print(Text(HELP))

    def _act(self, action: Callable[[SlackUserDriver], Ack | None]) -> None:
        """Do what the user did, then wait until the bot has settled (see activity.py)."""
        user = self._slack.user(self._user.id)
        self._log.user_acted()
        try:
            ack = action(user)
        except FileRefusedError as exc:
            raise ConsoleError(f"Slack would not attach that: {exc}") from None
        except RequiredFieldMissingError as exc:
            raise ConsoleError(
                f'“{exc.field}” is required in the form “{exc.view_title}”: /submit "{exc.field}=…"'
            ) from None
        except ElementNotFoundError:
            # The driver's words name action and view ids; the person typed about what they saw.
            raise ConsoleError(
                "that is no longer on screen as it was shown (it changed meanwhile): /look shows it now"
            ) from None
        # The ack just arrived: the quiet period counts from here.
        self._log.record([])
        if not self._log.wait_settled(QUIET_SECONDS, self._bot_idle, SETTLE_TIMEOUT_SECONDS):
            self._say(f"(the bot is still busy after {SETTLE_TIMEOUT_SECONDS:g} s; carrying on)")
        if ack is not None:
            _check(ack)

    def _await(self, match: Callable[[Entry], str | None], what: str) -> str:
        try:
            return self._log.wait_for_entry(match, self._expect_timeout)
        except TimeoutError:
            raise ConsoleError(
                f"expected {what} within {self._expect_timeout:g} s, but nothing shown since the last "
                "action matches"
            ) from None

    def _numbered(self, number: int) -> Action:
        action = self._board.get(number)
        if action is None:
            raise ConsoleError(f"there is no action [{number}] on screen")
        return action

    def _button_named(self, text: str) -> Action:
        """The newest button labelled `text` that the current user can see (modal first)."""
        wanted = text.casefold()
        for surface in self._visible_surfaces():
            for placed in interactive_elements(surface.blocks):
                if placed.type == "button" and placed.text.casefold() == wanted:
                    return Action(surface, placed)
        raise ConsoleError(f"no button “{text}” visible to {self._user.name} in #{self._channel.name}")

    def _visible_surfaces(self) -> list[Message | View]:
        slack, user, channel = self._slack, self._user.id, self._channel.id
        messages = [message for top in slack.messages(channel) for message in (top, *top.replies)] + [
            message for message in slack.ephemerals(user) if message.channel == channel
        ]
        newest_first = sorted(messages, key=lambda message: Decimal(message.ts), reverse=True)
        home = slack.home(user)
        return [*slack.views(user)[-1:], *newest_first, *([home] if home else [])]

    def _top_modal(self) -> View:
        stack = self._slack.views(self._user.id)
        if not stack:
            raise ConsoleError(f"{self._user.name} has no modal open")
        return stack[-1]

    def _switch_user(self, who: str) -> None:
        wanted = who.removeprefix("@").casefold()
        person = ROLES.get(wanted) or next((p for p in PEOPLE if p.name == wanted), None)
        if person is None:
            choices = ", ".join(f"{p.name} ({role})" for role, p in ROLES.items())
            raise ConsoleError(f"nobody called {who!r} here; choose one of {choices}")
        self._user = person
        role = next(role for role, p in ROLES.items() if p == person)
        self._say(f"You are {person.name} ({role}).")
        stack = self._slack.views(person.id)
        if stack:
            self.screen.show_modal(stack[-1])

    def _switch_channel(self, name: str) -> None:
        wanted = name.removeprefix("#").casefold()
        channel = next((c for c in CHANNELS if c.name == wanted), None)
        if channel is None:
            raise ConsoleError(f"no channel #{wanted}; channels: {', '.join('#' + c.name for c in CHANNELS)}")
        self._channel = channel
        self._show_channel()

    def _show_channel(self) -> None:
        recent = self._slack.messages(self._channel.id)[-CHANNEL_HISTORY:]
        shown = {0: "no messages yet", 1: "the latest message"}.get(
            len(recent), f"the latest {len(recent)} messages"
        )
        self._say(f"#{self._channel.name}: {shown}")
        for message in recent:
            self.screen.show_message(message, f"#{self._channel.name} · numbot")
            for reply in message.replies:
                self.screen.show_message(reply, f"#{self._channel.name} · numbot · reply in thread")

    def _say(self, text: str) -> None:
        self.screen.print(Text(text, style="dim"))


def _click(user: SlackUserDriver, action: Action, option: str | None) -> Ack:
    placed = action.placed
    choice = placed.element.get("value") if placed.type == "button" else option
    if placed.type != "button" and option is None:
        raise ConsoleError(f"pick an option: /click <n> <option> ({placed.type})")
    try:
        return user.click(action.surface, placed.action_id, value=choice, block_id=placed.block_id)
    except ElementNotFoundError:
        what = (
            f"“{placed.text}” button" if placed.type == "button" else f"“{placed.text or placed.type}” choice"
        )
        raise ConsoleError(
            f"There is no {what} on that message any more (it changed since it was shown): /look shows it now"
        ) from None


def _choices(modal: View, values: dict[str, str]) -> dict[str, str | list[str] | list[FileUpload]]:
    """Multi-choice inputs take a comma separated list, file inputs `@path`s; others the text as typed."""
    choices: dict[str, str | list[str] | list[FileUpload]] = {}
    for key, value in values.items():
        try:
            element = modal.input_block(key)["element"]
        except ElementNotFoundError as exc:
            raise ConsoleError(str(exc)) from None
        if element.get("type") == "file_input":
            choices[key] = read_attachments(key, value)
        elif element.get("type") in MULTI_CHOICE:
            choices[key] = [part.strip() for part in value.split(",") if part.strip()]
        else:
            choices[key] = value
    return choices


def _captured(pattern: re.Pattern[str], entry: Entry) -> str | None:
    match = pattern.search(entry.text)
    if match is None:
        return None
    return match.group(1) if pattern.groups else match.group(0)


def _check(ack: Ack) -> None:
    if ack.timed_out:
        raise ConsoleError("the bot did not answer within 3 s: Slack showed the user “operation_timeout”")
    if not ack.ok:
        raise ConsoleError(f"the bot answered HTTP {ack.status}: Slack showed the user “dispatch_failed”")
    if ack.problem:
        raise ConsoleError(f"Slack refused the bot's answer: {ack.problem}")
