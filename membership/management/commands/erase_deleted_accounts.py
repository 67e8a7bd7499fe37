"""Run the erasure again over the accounts already deleted (``deleted_at`` set).

Erasers are idempotent; an app that adds an eraser (or a release that extends one) runs this
once so that accounts deleted before it are erased the same way. Nothing is recorded in the
audit trail again.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from membership.erasure import erase_user


class Command(BaseCommand):
    help = "Apply every registered eraser to the accounts deleted earlier."

    def handle(self, *args, **options):
        users = get_user_model().objects.filter(deleted_at__isnull=False).order_by("pk")
        count = 0
        for user in users.iterator(chunk_size=200):
            erase_user(user, record=False)
            count += 1
        self.stdout.write(f"{count} deleted accounts erased again.")
