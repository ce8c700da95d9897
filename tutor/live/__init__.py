"""The Gemini bridge: the only package that imports google-genai, and it knows nothing of the
conversation socket. `session.LiveTutor` is one conversation's Live session, `text_reply` the
typed fallback's HTTP reply, `upstream` builds both from Django settings."""
