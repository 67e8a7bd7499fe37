from django.core.management.base import BaseCommand

from mailing.tasks import send_digests


class Command(BaseCommand):
    help = "Send the daily or weekly digests (schedule: daily every morning, weekly on Mondays)."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=["daily", "weekly"])

    def handle(self, *args, frequency, **options):
        result = send_digests.enqueue(frequency=frequency)
        self.stdout.write(f"digests enqueued: {result.id}")
