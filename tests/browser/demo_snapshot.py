"""The demo content, loaded once per browser-test session and restored for every test.

``load_demo`` draws its images and PDFs and builds every page through Wagtail (revisions,
translations, search index, memberships through the services): some 15-20 s per run. So the
first browser test that asks for the demo runs the real command, then the database as the command
left it is copied, table by table, into a schema of its own; every later test gets exactly those
rows back instead of running the command again:

* the tables are the ones ``flush`` empties after each transactional test (every model table,
  ``django_migrations`` excluded), so the restored database is the one the command produced,
  the migrated data included (content types, permissions, Wagtail's root page and collection);
* one transaction empties them (``TRUNCATE``) and refills them (``INSERT ... SELECT``) with the
  foreign-key checks deferred to the commit, so the order of the tables does not matter; stored
  generated columns (e.g. the replies' ``search_vector``) are left out and recomputed on insert;
* every sequence is put back where the command left it (``setval`` with the saved position), so
  new rows get the same ids as in the first test and never collide with the restored ones;
* the files the command wrote (images, documents, private documents) stay in the session's
  media directories, so the restored rows point at existing files.

Wagtail's page tree (treebeard's ``path``, ``depth`` and ``numchild`` columns), its reference
index and the search index (``IndexEntry`` rows with their ``tsvector`` columns) are ordinary
rows, restored as they were. The restore is raw SQL and sends no model signals; caches are not
touched here: ``tests/conftest.py`` clears them before every test.

Only PostgreSQL is supported; elsewhere (SQLite) ``supported()`` is false and the caller runs the
command for every test, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

SCHEMA = "browser_demo_snapshot"


def supported(connection) -> bool:
    return connection.vendor == "postgresql"


@dataclass
class DemoSnapshot:
    """The copy of one database's tables; empty until ``take()``."""

    tables: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # table -> quoted column list
    filled: list[str] = field(default_factory=list)  # tables with rows
    sequences: list[tuple[str, int, bool]] = field(default_factory=list)
    day: date | None = None  # the local date when taken: the demo's dates are relative to it

    def take(self, connection):
        """Copy every table ``flush`` empties, and every sequence's position, now."""
        qn = connection.ops.quote_name
        self.tables = sorted(
            connection.introspection.django_table_names(only_existing=True, include_views=False)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {qn(SCHEMA)} CASCADE")
            cursor.execute(f"CREATE SCHEMA {qn(SCHEMA)}")
            # Generated columns are computed on insert, so they are not copied back.
            cursor.execute(
                """
                SELECT table_name, string_agg(quote_ident(column_name), ', '
                                              ORDER BY ordinal_position)
                FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ANY(%s)
                  AND is_generated = 'NEVER'
                GROUP BY table_name
                """,
                [self.tables],
            )
            self.columns = dict(cursor.fetchall())
            self.filled = []
            for table in self.tables:
                columns = self.columns[table]
                cursor.execute(
                    f"CREATE UNLOGGED TABLE {qn(SCHEMA)}.{qn(table)} AS "  # noqa: S608 - catalog names
                    f"SELECT {columns} FROM {qn(table)}"
                )
                if cursor.rowcount:
                    self.filled.append(table)
            # Serial and identity columns alike own a sequence.
            cursor.execute(
                """
                SELECT pg_get_serial_sequence(quote_ident(table_name), column_name)
                FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ANY(%s)
                  AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL
                """,
                [self.tables],
            )
            names = [name for (name,) in cursor.fetchall()]
            self.sequences = []
            for name in names:
                cursor.execute(f"SELECT last_value, is_called FROM {name}")  # noqa: S608 - catalog name
                last_value, is_called = cursor.fetchone()
                self.sequences.append((name, last_value, is_called))
        self.day = timezone.localdate()

    def fresh(self) -> bool:
        """Taken today: the demo's relative dates (registrations, webinars) still hold."""
        return self.day == timezone.localdate()

    def restore(self, connection):
        """Put the tables and sequences back as ``take()`` found them."""
        from django.db import transaction

        qn = connection.ops.quote_name
        statements = [
            "SET CONSTRAINTS ALL DEFERRED",
            "TRUNCATE " + ", ".join(qn(table) for table in self.tables),
        ]
        for table in self.filled:
            columns = self.columns[table]
            statements.append(
                f"INSERT INTO {qn(table)} ({columns}) OVERRIDING SYSTEM VALUE "  # noqa: S608 - catalog names
                f"SELECT {columns} FROM {qn(SCHEMA)}.{qn(table)}"
            )
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            # One round trip: no parameters, so PostgreSQL takes the statements as one script.
            cursor.execute(";\n".join(statements))
            cursor.execute(
                "SELECT setval(name::regclass, value, called) "
                "FROM unnest(%s::text[], %s::bigint[], %s::boolean[]) AS s(name, value, called)",
                [[column[i] for column in self.sequences] for i in range(3)],
            )

    def drop(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(SCHEMA)} CASCADE")
        self.day = None
