"""Multi-model workflows. Import from the submodule that owns a workflow:
conversations (starting, recording and finishing conversations), deck (FSRS reviews),
stats (progress figures), classrooms and evidence (teachers)."""
