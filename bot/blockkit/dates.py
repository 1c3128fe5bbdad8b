"""Dates in Slack's `<!date^…>` syntax: each reader sees them in their own time zone."""

from __future__ import annotations

from datetime import UTC, datetime

DATE_AND_TIME = "{date_short_pretty} at {time}"
DATE_ONLY = "{date_short_pretty}"


def slack_date(moment: datetime, token_format: str = DATE_AND_TIME) -> str:
    """`moment` formatted by Slack for each reader; clients that cannot render it show UTC."""
    utc = moment.astimezone(UTC)
    fallback = utc.strftime("%Y-%m-%d %H:%M UTC" if token_format == DATE_AND_TIME else "%Y-%m-%d")
    return f"<!date^{int(utc.timestamp())}^{token_format}|{fallback}>"
