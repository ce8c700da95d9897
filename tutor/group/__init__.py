"""Group conversations (tertulias, issue 21): several learners, one Live session.

`floor.py` is pure (no Django, no asyncio, no I/O): it decides whose microphone goes upstream.
See docs/groups.md.
"""
