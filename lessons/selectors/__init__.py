"""Read models: queries that build what the pages show (figures, progress, dashboards, evidence,
search, exports). Nothing here writes to the database.

Import rule: selectors may import `lessons.models`, `lessons.querysets`, `lessons.text` and one
another; they never import `lessons.services` or views. Views import selectors and services.
"""
