"""Inventory insight: background work over the inventory snapshot and pure renderers of it."""
