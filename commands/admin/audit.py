"""/numbers audit [<+E164>|--mine|--last N]: who did what, when, newest first."""

from __future__ import annotations

from collections.abc import Mapping

from slack_sdk.models.blocks import Block

from bot.approvals import SYSTEM_ACTOR
from bot.blockkit.blocks import SECTION_TEXT, chunks, context, header, mention, section
from bot.blockkit.dates import slack_date
from bot.blockkit.text import escape
from bot.services import Services
from commands.shared.number_lookup import e164
from commands.shared.parsing import parse_args
from commands.shared.router import Invocation, Subcommand
from storage import audit, requests
from storage.audit import AuditEntry

AUDIT_USAGE = "audit [<+E164>] [--mine] [--last N]"
DEFAULT_LAST = 20
MAX_LAST = 100

# How a request transition reads; {who} did it, {what} is "R-XXXX (kind subject)".
_REQUEST_ACTIONS: Mapping[str, str] = {
    "request.created": "{who} asked for {what}",
    "request.approved": "{who} approved {what}",
    "request.rejected": "{who} rejected {what}",
    "request.cancelled": "{who} cancelled {what}",
    "request.expired": "{what} expired before anyone decided",
    "request.executing": "{what} started running",
    "request.done": "{what} is done",
    "request.failed": "{what} failed",
}
_OUTCOMES = frozenset({"request.done", "request.failed"})


def show_audit(invocation: Invocation, services: Services) -> None:
    parsed = parse_args(
        invocation.words, flags=("--mine",), options=("--last",), max_positionals=1, usage=AUDIT_USAGE
    )
    last = parsed.int_option("--last", DEFAULT_LAST, low=1, high=MAX_LAST)
    subject = e164(parsed.positionals[0], AUDIT_USAGE) if parsed.positionals else None
    actor = invocation.user_id if "--mine" in parsed.flags else None
    entries = audit.query(services.store, subject=subject, actor=actor, limit=last)
    kinds = {
        request.id: request.kind
        for request_id in {entry.request_id for entry in entries if entry.request_id}
        if (request := requests.get_request(services.store, request_id)) is not None
    }
    scope = " ".join(part for part in (subject, "by you" if actor else None) if part) or "everything"
    title = f"Audit: {scope}"
    if not entries:
        text = f"No audit entries for {scope} yet."
        blocks: list[Block] = [section(text)]
    else:
        text = f"{title} (latest {len(entries)})"
        lines = [describe_entry(entry, kinds) for entry in entries]
        blocks = [header(title), *(section(chunk) for chunk in chunks(lines, SECTION_TEXT))]
        blocks.append(context(f"Newest first · at most {last} shown · `--last N` shows up to {MAX_LAST}"))
    invocation.reply(text, sandbox=services.sandbox, blocks=blocks)


def describe_entry(entry: AuditEntry, kinds: Mapping[str, str]) -> str:
    """One readable line: when, who, what (e.g. "<@U1> approved R-ABCDE (release +1202…)")."""
    who = "numbot" if entry.actor == SYSTEM_ACTOR else mention(entry.actor)
    detail = entry.detail or {}
    template = _REQUEST_ACTIONS.get(entry.action)
    if template is not None and entry.request_id:
        kind = kinds.get(entry.request_id) or str(detail.get("kind", "request"))
        what = f"{entry.request_id} ({kind.replace('_', ' ')} {escape(entry.subject)})"
        sentence = template.format(who=who, what=what)
        if detail.get("reason"):
            sentence += f": “{escape(str(detail['reason']))}”"
        if detail.get("error"):  # the request's error: an outcome's mrkdwn, escaped when it was written
            sentence += f": {detail['error']}"
        elif entry.action in _OUTCOMES and entry.actor != SYSTEM_ACTOR:
            sentence += f", as recorded by {who}"  # settled by hand (`/numbers settle`)
    elif entry.action == "number.renamed":
        old, new = detail.get("from", ""), detail.get("to", "")
        sentence = f"{who} renamed {escape(entry.subject)} from “{escape(str(old))}” to “{escape(str(new))}”"
    else:
        sentence = f"{who} `{entry.action}` {escape(entry.subject)}"
    return f"{slack_date(entry.at)} · {sentence}"


SUBCOMMANDS = (
    Subcommand(
        name="audit",
        usage=AUDIT_USAGE,
        summary="Who did what and when: for one number, your own actions, or everything.",
        handler=show_audit,
        examples=("audit +12025550134", "audit --mine --last 5"),
        group="History",
    ),
)
