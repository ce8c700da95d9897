"""LTI 1.3 Advantage as a tool: schools launch Tertulia from Moodle, Canvas or Brightspace.

django-lti (`lti_tool`, on PyLTI1p3) checks every launch: the platform's signature (its JWKS),
issuer, audience, deployment, nonce (a replayed launch is refused) and state. This package
maps what a launch says onto Tertulia (`provisioning.py`), serves the launch and deep-linking
pages (`views.py`), sends scores to the platform's gradebook (`grades.py`) and reads the
course roster (`roster.py`). docs/lti.md tells an administrator how to register a platform.
"""
