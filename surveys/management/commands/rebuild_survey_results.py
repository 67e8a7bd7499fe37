"""Recount the result cells of one questionnaire, or of all, from their stored answers.

    manage.py rebuild_survey_results            # every questionnaire
    manage.py rebuild_survey_results 42         # the questionnaire with page id 42
    manage.py rebuild_survey_results --sql      # set-based recount (many responses)

The cells are kept up to date as responses arrive; this is the check and the repair
(``services.rebuild_results``, one response at a time, or ``results.recount_cells_in_sql``,
a few ``INSERT … SELECT … GROUP BY`` statements giving the same cells).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from surveys import services
from surveys.models import ResultCell, SurveyPage
from surveys.results import recount_cells_in_sql


class Command(BaseCommand):
    help = "Recount the results of one questionnaire (page id) or of all of them."

    def add_arguments(self, parser):
        parser.add_argument("survey", nargs="?", type=int, help="The questionnaire's page id.")
        parser.add_argument(
            "--sql",
            action="store_true",
            help="Recount with set-based SQL statements (faster with many responses).",
        )

    def handle(self, *args, survey=None, sql=False, **options):
        if survey is not None:
            page = SurveyPage.objects.filter(pk=survey).first()
            if page is None:
                raise CommandError(f"No questionnaire with id {survey}.")
            pages = [page.survey]
        else:
            every = SurveyPage.objects.order_by("pk")
            pages = [page for page in every if page.survey.pk == page.pk]
        total = 0
        for page in pages:
            count = recount_cells_in_sql(page) if sql else services.rebuild_results(page)
            cells = ResultCell.objects.filter(survey=page).count()
            total += count
            self.stdout.write(f"{page.title} (id {page.pk}): {count} responses, {cells} cells")
        self.stdout.write(
            self.style.SUCCESS(f"{len(pages)} questionnaires recounted, {total} responses.")
        )
