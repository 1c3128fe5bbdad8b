"""Everything a person does with numbot, one package per workflow.

Each package's `register(app, router)` is the one place its listeners and subcommands are wired; its
listeners are plain functions that take `services` (and `router`) from the Bolt context. What runs once a
request is approved is the static table in `commands.after_approval`. Form plumbing, replies and the error
boundary every workflow shares are in `commands.shared`. Only the composition root (`bot.app`,
`bot.runtime`) imports this package.
"""

from types import ModuleType

from commands import (
    active,
    admin,
    approvals,
    digest,
    e911,
    home,
    imported,
    orders,
    release,
    rent,
    report,
    search,
)

WORKFLOWS: tuple[ModuleType, ...] = (
    search,
    orders,
    rent,
    active,
    release,
    imported,
    e911,
    report,
    admin,
    digest,
    home,
    approvals,
)
