"""Delete the appointment acts that no designation references any more (files replaced or
deleted before the portal removed them with their designation: ``communities.gdpr``)."""

from django.core.management.base import BaseCommand

from communities.gdpr import orphan_act_files
from communities.models import Designation


class Command(BaseCommand):
    help = "Delete appointment act files that no designation references."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them, delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        storage = Designation._meta.get_field("act_file").storage
        orphans = orphan_act_files()
        for name in orphans:
            self.stdout.write(name)
            if not dry_run:
                storage.delete(name)
        verb = "found" if dry_run else "deleted"
        self.stdout.write(f"{len(orphans)} orphan appointment acts {verb}.")
