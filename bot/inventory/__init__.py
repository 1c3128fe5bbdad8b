"""Inventory insight: the snapshot of the project's numbers and the work done on it in the background."""
