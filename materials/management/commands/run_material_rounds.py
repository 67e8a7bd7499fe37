from django.core.management.base import BaseCommand

from materials import services
from materials.tasks import dispatch_due_mailings, run_rounds


class Command(BaseCommand):
    help = (
        "Close the validation rounds past their deadline (the rule decides) and email the "
        "rounds' invitations and reminders that are due; each is sent once (schedule: hourly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the whole run to the task worker instead of doing it here.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = run_rounds.enqueue()
            self.stdout.write(f"material rounds run enqueued: {result.id}")
            return
        closed = services.close_due_rounds()
        for round_id in closed:
            self.stdout.write(f"round {round_id}: closed")
        done = dispatch_due_mailings()
        for round_id, kind, recipients in done:
            self.stdout.write(f"round {round_id}: {kind} to {recipients} recipients")
        self.stdout.write(f"rounds closed: {len(closed)}; round mailings started: {len(done)}")
