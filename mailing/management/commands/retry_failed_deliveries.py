from django.core.management.base import BaseCommand

from mailing.tasks import retry_failed_deliveries


class Command(BaseCommand):
    help = "Send again the announcement deliveries that failed (up to the maximum attempts)."

    def handle(self, *args, **options):
        result = retry_failed_deliveries.enqueue()
        self.stdout.write(f"retry enqueued: {result.id}")
