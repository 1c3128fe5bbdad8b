"""Four-eyes approvals: submit a request, decide on it, run it exactly once, and tell everyone.

The public face of the engine (`engine`), its pure rules (`policy`), the card it keeps up to date (`card`) and
who may decide (`directory`). Workflows import from here; the modules behind it are the engine's own.
"""

from bot.approvals.engine import (
    SYSTEM_ACTOR,
    CardSummary,
    Executor,
    Outcome,
    Reconcile,
    SettledByHand,
    cancel,
    decide,
    expire_due,
    finish,
    load,
    settle_by_hand,
    settle_hint,
    submit,
)

__all__ = [
    "SYSTEM_ACTOR",
    "CardSummary",
    "Executor",
    "Outcome",
    "Reconcile",
    "SettledByHand",
    "cancel",
    "decide",
    "expire_due",
    "finish",
    "load",
    "settle_by_hand",
    "settle_hint",
    "submit",
]
