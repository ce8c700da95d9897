"""The teacher area (/teach/) and joining a classroom. One module per kind of page."""
