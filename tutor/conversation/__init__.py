"""The conversation socket `/ws/conversations/<uuid>/` and the teacher's live view: consumers,
the browser ⇄ server protocol (with every close code), and the runtime that carries one
conversation across dropped sockets and persists it."""
