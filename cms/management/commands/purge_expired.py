from django.core.management.base import BaseCommand

from cms import retention


class Command(BaseCommand):
    help = "Delete or anonymise the data whose retention period has passed (run it daily)."

    def handle(self, *args, **options):
        for name, count in retention.run_all().items():
            self.stdout.write(f"{name}: {count}")
