"""What runs once a request is approved, for every kind: the one table the app and the scheduler share.

The composition root hands it to `Services`, so the approvals engine (which runs it) and the watcher
(which reconciles it after a lost answer) never import a workflow, and nothing depends on which listeners
were registered first.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.approvals import Executor
from commands.active.execute import UPDATE
from commands.e911.execute import PROVISION
from commands.e911.listeners import REMOVAL as E911_REMOVAL
from commands.imported.execute import IMPORT, IMPORTED_UPDATE
from commands.imported.listeners import REMOVAL as IMPORTED_REMOVAL
from commands.orders.execute import NUMBER_ORDER
from commands.release.execute import RELEASE
from commands.rent.execute import RENT, RENT_ANY
from commands.shared.removal import removal_executor
from storage.request_types import RequestKind

AFTER_APPROVAL: Mapping[RequestKind, Executor] = MappingProxyType(
    {
        RequestKind.RENT: RENT,
        RequestKind.RENT_ANY: RENT_ANY,
        RequestKind.UPDATE: UPDATE,
        RequestKind.RELEASE: RELEASE,
        RequestKind.IMPORT: IMPORT,
        RequestKind.IMPORTED_UPDATE: IMPORTED_UPDATE,
        RequestKind.IMPORTED_REMOVE: removal_executor(IMPORTED_REMOVAL),
        RequestKind.E911_PROVISION: PROVISION,
        RequestKind.E911_REMOVE: removal_executor(E911_REMOVAL),
        RequestKind.NUMBER_ORDER: NUMBER_ORDER,
    }
)
