from django.core.management.base import BaseCommand

from surveys.tasks import dispatch_due_mailings, send_due_survey_mailings


class Command(BaseCommand):
    help = (
        "Email the questionnaires' invitations (when they open) and reminders (before the "
        "close) that are due; each is sent once (schedule: hourly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the whole run to the task worker instead of finding the mailings here.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_due_survey_mailings.enqueue()
            self.stdout.write(f"survey mailings enqueued: {result.id}")
            return
        done = dispatch_due_mailings()
        for survey_id, kind, recipients in done:
            self.stdout.write(f"questionnaire {survey_id}: {kind} to {recipients} recipients")
        self.stdout.write(f"survey mailings started: {len(done)}")
