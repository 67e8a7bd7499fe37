"""The replies' own full-text vector (PostgreSQL only): see ``search/postgres.py``.

A stored generated column ``discussions_reply.search_vector = to_tsvector('italian', body_html)``
with a GIN index. PostgreSQL computes it from the rendered (sanitised) reply on every insert and
update, so it is never stale; the text parser does not index HTML tags. With it a member's search
matches the text and the visibility filter (``space_id``) on one table instead of joining every
visible reply to Wagtail's index (bench/search/README.md). Django does not know the column: only
``search/postgres.py`` reads it. On SQLite nothing is done (the backend's path is used there).
"""

from django.db import migrations

from cms.settings.search import SEARCH_CONFIG

COLUMN = "search_vector"
INDEX = "portal_search_reply_vector_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE discussions_reply ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('{SEARCH_CONFIG}'::regconfig, body_html)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON discussions_reply USING gin ({COLUMN})"
    )
    schema_editor.execute("ANALYZE discussions_reply")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"ALTER TABLE discussions_reply DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0001_indexentry_title_body_gin"),
        ("discussions", "0002_tagged_topic_parental_key"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
