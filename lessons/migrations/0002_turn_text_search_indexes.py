"""GIN indexes for the learner's transcript search (lessons/search.py), one per text-search
configuration, on to_tsvector('<config>', text) exactly as the search spells it.

Raw SQL rather than Meta.indexes: a turn's language lives on its conversation, so each index
covers every turn and the query picks the one matching the conversation's language.
"""

from django.db import migrations

CONFIGS = ["spanish", "french", "german", "italian", "portuguese", "english", "simple"]


def _create(config: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS lessons_turn_fts_{config} ON lessons_turn "
        f"USING gin (to_tsvector('{config}'::regconfig, text))"
    )


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_initial")]

    operations = [
        migrations.RunSQL(_create(config), f"DROP INDEX IF EXISTS lessons_turn_fts_{config}")
        for config in CONFIGS
    ]
