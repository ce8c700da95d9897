"""The learner's pages (and the public landing page), one module per kind of page: home,
history (the list of conversations, with search), review (one conversation), deck, progress and
export. The teacher's pages are in `lessons.teacher_views`.

Views import selectors (what a page shows) and services (what a form or button changes); they
hold request handling and presentation, not queries worth reusing.
"""
