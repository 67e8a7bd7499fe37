"""``manage.py send_event_reminders``: remind the registered members of the events starting in
the next 24 hours (each once). Run it hourly (docs/deploy.md); ``--enqueue`` hands the work to
the task worker instead."""

from django.core.management.base import BaseCommand

from events.tasks import send_due_reminders, send_event_reminders


class Command(BaseCommand):
    help = "Email a reminder to the members registered to events starting within 24 hours."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run it in the task worker.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            send_event_reminders.enqueue()
            self.stdout.write("enqueued")
            return
        sent = send_due_reminders()
        self.stdout.write(f"reminders sent: {sent}")
