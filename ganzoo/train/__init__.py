"""The training engine: one loop for every model (issue #4)."""
