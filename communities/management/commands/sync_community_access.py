from django.core.management.base import BaseCommand

from communities import spaces


class Command(BaseCommand):
    help = (
        "Re-derive the groups, view restrictions and private collections of every community "
        "and working group from the pages and the memberships (idempotent)."
    )

    def handle(self, *args, **options):
        counts = spaces.rebuild_all()
        if options["verbosity"]:
            self.stdout.write(
                "Synchronised {communities} communities, {areas} reserved areas, "
                "{working_groups} working groups.".format(**counts)
            )
