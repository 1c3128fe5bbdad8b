"""A local Slack workspace: the Web API subset numbot uses, Socket Mode, and users who act like people."""

from sandbox.slack.driver import SlackUserDriver
from sandbox.slack.local_slack import LocalSlack
from sandbox.slack.models import Ack, ApiCall, ElementNotFoundError, Message, SlackChannel, SlackUser, View
from sandbox.slack.rate_limit import RateLimits
from sandbox.slack.view_submissions import RequiredFieldMissingError

__all__ = [
    "Ack",
    "ApiCall",
    "ElementNotFoundError",
    "LocalSlack",
    "Message",
    "RateLimits",
    "RequiredFieldMissingError",
    "SlackChannel",
    "SlackUser",
    "SlackUserDriver",
    "View",
]
