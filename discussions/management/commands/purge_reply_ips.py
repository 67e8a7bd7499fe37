"""Forget the IP address of the replies older than ``REPLY_IP_RETENTION_DAYS``.

Run it daily (cron, or the platform's scheduler): ``manage.py purge_reply_ips`` does the work in
the calling process; ``--enqueue`` hands it to the task worker instead
(``discussions.tasks.purge_reply_ip_addresses``).
"""

from django.core.management.base import BaseCommand

from discussions.gdpr import purge_reply_ips, reply_ip_retention_days
from discussions.tasks import purge_reply_ip_addresses


class Command(BaseCommand):
    help = "Forget the IP address of the replies older than REPLY_IP_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the task for the worker instead of running it here.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = purge_reply_ip_addresses.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        purged = purge_reply_ips()
        self.stdout.write(
            f"{purged} replies older than {reply_ip_retention_days()} days lost their IP address."
        )
