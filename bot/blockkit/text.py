"""Text that came from a person or from Sinch, made safe to show in Slack.

Slack reads `<!channel>`, `<@U…>` and `<url|label>` in mrkdwn and in a message's fallback `text` as mentions
and links, and defines one escaping for them (`&`, `<`, `>`). Control characters and bidi overrides can
disguise what a reader sees (a number shown backwards, a line that is not where it seems), so they are
removed before anything is stored, sent to Sinch or shown.

`clean` is for text that is stored or sent on; `escape` is for text that goes into mrkdwn or `text`.
"""

from __future__ import annotations

import re

# C0 and C1 controls except tab and newline, DEL, and the Unicode bidi embeddings, overrides, isolates and
# marks (LRM, RLM, ALM included): none of them is ever part of a name, an address or a reason.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SLACK_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def clean(text: str) -> str:
    """`text` without control or bidi characters (tabs and newlines are kept)."""
    return _INVISIBLE.sub("", text)


def escape(text: str) -> str:
    """`text` cleaned and escaped for mrkdwn: shown literally, never as a mention, a link or a command."""
    return clean(text).translate(_SLACK_ESCAPES)
