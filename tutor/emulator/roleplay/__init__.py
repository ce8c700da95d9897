"""The offline demo tutor's role-plays, built from the system instruction alone.

`brief` reads what a real model would see (the topic's opening line, its target phrases, the
learner's level, name and correction style); `scene` turns that into a script in the topic's
language with the generic lines of `lines` (one module per language: `es`, `fr`, `de`, `it`,
`pt`, `ja`, `en`); `errors` plants and finds the learner's deliberate mistakes; `kana` gives
the Japanese voice something it can read.
"""

from __future__ import annotations

from tutor.emulator.roleplay.brief import Brief, read_brief
from tutor.emulator.roleplay.errors import Fix
from tutor.emulator.roleplay.kana import kana
from tutor.emulator.roleplay.lines import LANGUAGES, Lines, lines_for
from tutor.emulator.roleplay.scene import Scene, build_scene, greeting, hello, join, spoken, typed

__all__ = [
    "LANGUAGES",
    "Brief",
    "Fix",
    "Lines",
    "Scene",
    "build_scene",
    "greeting",
    "hello",
    "join",
    "kana",
    "lines_for",
    "read_brief",
    "spoken",
    "typed",
]
