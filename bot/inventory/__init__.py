"""The whole inventory at a glance (issue 13): the snapshot, its background work and its pure renderers."""
