from django.core.management.base import BaseCommand

from mailing.services import subscribe_current_members


class Command(BaseCommand):
    help = "Subscribe every current community member without a subscription (each message)."

    def handle(self, *args, **options):
        self.stdout.write(f"subscribed: {subscribe_current_members()}")
