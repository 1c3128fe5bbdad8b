"""A small WSGI server on a background thread: the bot's HTTP surface and both sandboxes serve through it;
and the one TLS context their HTTP clients share (`serving.tls`).

It belongs to neither: the sandboxes must not import the bot, and the bot must not import a sandbox.
"""

from serving.background import BackgroundServer

__all__ = ["BackgroundServer"]
