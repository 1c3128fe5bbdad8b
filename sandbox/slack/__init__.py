"""A local Slack workspace: the Web API subset numbot uses, Socket Mode, and users who act like people."""

from sandbox.slack.driver import SlackUserDriver
from sandbox.slack.files import FILE_MAX_BYTES, FileRefusedError, FileUpload, StoredFile, UploadedFile
from sandbox.slack.local_slack import LocalSlack
from sandbox.slack.models import Ack, ApiCall, ElementNotFoundError, Message, SlackChannel, SlackUser, View
from sandbox.slack.rate_limit import RateLimits
from sandbox.slack.view_submissions import RequiredFieldMissingError

__all__ = [
    "FILE_MAX_BYTES",
    "Ack",
    "ApiCall",
    "ElementNotFoundError",
    "FileRefusedError",
    "FileUpload",
    "LocalSlack",
    "Message",
    "RateLimits",
    "RequiredFieldMissingError",
    "SlackChannel",
    "SlackUser",
    "SlackUserDriver",
    "StoredFile",
    "UploadedFile",
    "View",
]
