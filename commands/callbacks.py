"""/numbers callbacks show | rotate-secret (admins): the HMAC secret Sinch signs callbacks with.

Sinch keeps one secret per API (Numbers, Imported Numbers); numbot sets both to the same value and verifies
every callback with it. A rotated secret is shown once, ephemerally, to the admin who rotated it, never
logged, and stored so the receiver accepts it after a restart.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from bot import policy
from bot.blocks import fields, header
from bot.callbacks import accepted_secrets, callback_url, new_secret
from bot.errors import UserFacingError
from bot.services import Services
from bot.sinch import CallbackConfiguration, SinchError
from bot.text import escape
from commands.parsing import parse_args
from commands.router import CommandRouter, Invocation, Subcommand
from storage import audit, events

GROUP = "Admin"
SHOW_USAGE = "callbacks show"
ROTATE_USAGE = "callbacks rotate-secret"


def register(app: App, services: Services, router: CommandRouter) -> None:
    router.add(
        Subcommand(
            "callbacks show",
            SHOW_USAGE,
            "Where Sinch sends callbacks and whether its secret matches numbot's (admins).",
            show,
            group=GROUP,
        )
    )
    router.add(
        Subcommand(
            "callbacks rotate-secret",
            ROTATE_USAGE,
            "Set a new callback HMAC secret at Sinch and in numbot; shown to you once (admins).",
            rotate_secret,
            group=GROUP,
        )
    )


def show(invocation: Invocation, services: Services) -> None:
    parse_args(invocation.words, max_positionals=0, usage=f"/numbers {SHOW_USAGE}")
    _require_admin(invocation, services)
    accepted = accepted_secrets(services.store, services.settings, services.clock())
    source = _secret_source(services, bool(accepted))
    url = callback_url(services.settings) or "none (NUMBOT_PUBLIC_URL is not set): numbot polls Sinch"
    backlog = events.backlog(services.store)
    pairs = [
        ("Callback URL", url),
        ("numbot verifies with", f"{_masked(accepted[0]) if accepted else 'no secret'} ({source})"),
        ("Numbers API secret", _compare(services.sinch.callback_config, accepted)),
        ("Imported Numbers API secret", _compare(services.sinch.imported_callback_config, accepted)),
        ("Callbacks waiting", str(backlog.count)),
    ]
    blocks = [header("Sinch callbacks"), *fields(pairs)]
    text = "Sinch callbacks\n" + "\n".join(f"{label}: {value}" for label, value in pairs)
    invocation.reply(text, sandbox=services.sandbox, blocks=blocks)


def rotate_secret(invocation: Invocation, services: Services) -> None:
    parse_args(invocation.words, max_positionals=0, usage=f"/numbers {ROTATE_USAGE}")
    _require_admin(invocation, services)
    secret = new_secret()
    current = accepted_secrets(services.store, services.settings, services.clock())
    # Numbers first: if Sinch refuses, nothing changed anywhere and the error tells the admin why.
    services.sinch.update_callback_config(secret)
    events.save_callback_secret(
        services.store, secret, services.clock(), replaces=current[0] if current else None
    )
    try:
        services.sinch.update_imported_callback_config(secret)
        imported = "Imported Numbers API: updated."
    except SinchError as error:
        said = escape(str(error))
        imported = f":warning: Imported Numbers API kept its old secret ({said}); run this again later."
    audit.record(
        services.store,
        actor=invocation.user_id,
        action="callbacks.rotate-secret",
        subject="callback-secret",
        now=services.clock(),
        detail={"imported_updated": imported.startswith("Imported")},
    )
    text = (
        f":key: New Sinch callback secret: `{secret}`\n"
        "This is the only time it is shown. numbot already verifies callbacks with it (the old one stays "
        f"accepted for an hour, for callbacks already on their way).\nNumbers API: updated. {imported}"
    )
    invocation.reply(text, sandbox=services.sandbox)


def _secret_source(services: Services, any_accepted: bool) -> str:
    stored = events.callback_secret(services.store)
    if stored is not None:
        return f"rotated from Slack {stored.rotated_at:%Y-%m-%d %H:%M} UTC"
    return "SINCH_CALLBACK_SECRET" if any_accepted else "none: every callback is refused"


def _require_admin(invocation: Invocation, services: Services) -> None:
    verdict = policy.may_admin(services.directory.rules(), invocation.user_id)
    if not verdict.allowed:
        raise UserFacingError(verdict.reason)


def _compare(read: Callable[[], CallbackConfiguration], accepted: list[str]) -> str:
    try:
        configured = read().hmac_secret
    except SinchError as error:
        return f"could not read it: {escape(str(error))}"
    if not configured:
        return ":warning: not set at Sinch: callbacks arrive unsigned and are refused"
    if configured in accepted:
        return f":white_check_mark: {_masked(configured)}, matches"
    return f":x: {_masked(configured)} differs from numbot's: run `/numbers {ROTATE_USAGE}`"


def _masked(secret: str) -> str:
    return f"…{secret[-4:]}"
