"""Writes and domain actions: starting, recording and finishing conversations (conversations,
with the abuse limits in limits), grading the deck (deck), classrooms and assignments
(classrooms), teachers' comments (comments), learner audio (audio), retention (retention) and
live updates to teachers (live_updates). What pages show is in `lessons.selectors`.

Import rule: services may import `lessons.models`, `lessons.text` and, when a write needs one,
`lessons.selectors`; never views. Views import selectors and services. Import from the submodule
that owns a workflow.
"""
