"""Versions, drafts, responses and their answers, who has answered, and the result cells.

- ``QuestionnaireVersion``: a questionnaire's definition frozen at publication
  (``surveys.definition``). Drafts and responses point to the version they were written for.
- ``Draft``: what a respondent has typed so far (the raw form data, kept as typed, invalid
  values included), one per person and questionnaire, until they send it.
- ``Response`` and ``Answer``: a sent response and its answers, one row per choice, matrix row,
  number, text or date. An anonymous response has no ``user`` and no ``ente``, a random id and
  only the day it was sent.
- ``Participation``: the "has answered" marker (who, for which authority, which day). Its
  unique constraints are what enforce "one response per person" and "one per authority", even
  under concurrent sends. For an anonymous questionnaire it is the only trace of the person.
- ``Segment`` and ``ResultCell``: the results, kept up to date as responses arrive. A cell
  counts the answers of one option (or matrix row and option) among the respondents of one
  segment (region, kind of authority, population class, position); the results page sums cells
  in the database, whatever the number of responses.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QuestionnaireVersion(models.Model):
    survey = models.ForeignKey(
        "surveys.SurveyPage",
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_number")
        ]

    def __str__(self):
        return f"{self.survey} v{self.number}"


class Segment(models.Model):
    """A group of respondents the results can be filtered by (shared by every questionnaire)."""

    region = models.CharField(_("region"), max_length=64, blank=True)
    ente_kind = models.CharField(_("kind of authority"), max_length=32, blank=True)
    population_class = models.CharField(_("population class"), max_length=16, blank=True)
    position = models.CharField(_("position"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "ente_kind", "population_class", "position"],
                name="survey_segment_unique",
            )
        ]

    def __str__(self):
        return " / ".join(
            part
            for part in (self.region, self.ente_kind, self.population_class, self.position)
            if part
        )


class DraftQuerySet(models.QuerySet):
    def open(self):
        """Drafts of questionnaires still open."""
        now = timezone.now()
        return self.filter(survey__opens_at__lte=now, survey__closes_at__gt=now)


class Draft(models.Model):
    survey = models.ForeignKey(
        "surveys.SurveyPage",
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="drafts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="survey_drafts",
    )
    #: The raw form data as typed: ``{field name: [values]}``.
    data = models.JSONField(_("answers so far"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_draft_per_user")
        ]

    def __str__(self):
        return f"{self.survey} ({self.user})"


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        "surveys.SurveyPage",
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    #: The respondent (none for an anonymous questionnaire).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    #: The authority answered for (a questionnaire per authority), or the respondent's.
    ente = models.ForeignKey(
        "membership.Ente",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="+")
    #: The day it was sent (anonymous) or the time (otherwise).
    submitted_at = models.DateTimeField(_("sent"))
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["survey", "segment"], name="survey_response_segment")]

    def __str__(self):
        return f"{self.survey} – {self.submitted_at:%Y-%m-%d}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    #: Denormalised from the response, so that a question's answers are read with one index.
    survey = models.ForeignKey("surveys.SurveyPage", on_delete=models.CASCADE, related_name="+")
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(_("question"), max_length=64)
    row = models.CharField(_("row"), max_length=255, blank=True)
    option = models.CharField(_("option"), max_length=255, blank=True)
    number = models.DecimalField(_("number"), max_digits=24, decimal_places=6, null=True)
    text = models.TextField(_("text"), blank=True)
    date = models.DateField(_("date"), null=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["survey", "question", "segment"], name="survey_answer_question"),
            # The free texts (and "Other" texts) of a question, newest first per breakdown.
            models.Index(
                fields=["survey", "question", "segment", "id"],
                condition=~Q(text=""),
                name="survey_answer_text",
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.option or self.text or self.number or self.date}"


class Participation(models.Model):
    survey = models.ForeignKey(
        "surveys.SurveyPage",
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="survey_participations",
    )
    #: The authority this response is for (a questionnaire per authority only).
    for_ente = models.ForeignKey(
        "membership.Ente",
        verbose_name=_("for the authority"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The response (none for an anonymous questionnaire: nothing links the two).
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="participation"
    )
    submitted_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_one_per_person"),
            models.UniqueConstraint(
                fields=["survey", "for_ente"],
                condition=Q(for_ente__isnull=False),
                name="survey_one_per_ente",
            ),
        ]

    def __str__(self):
        return f"{self.survey} – {self.user}"


class ResultCell(models.Model):
    survey = models.ForeignKey("surveys.SurveyPage", on_delete=models.CASCADE, related_name="+")
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=64, blank=True)
    row = models.CharField(max_length=255, blank=True)
    option = models.CharField(max_length=255, blank=True)
    count = models.IntegerField(default=0)
    total = models.DecimalField(max_digits=30, decimal_places=6, default=0)

    class Meta:
        verbose_name = _("result cell")
        verbose_name_plural = _("result cells")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "segment", "question", "row", "option"],
                name="survey_result_cell",
            )
        ]
        indexes = [
            # The respondents' cells (one per segment): the results' filters and change token.
            models.Index(
                fields=["survey", "segment"],
                condition=Q(question="", row="", option=""),
                name="survey_cell_respondents",
            )
        ]

    def __str__(self):
        return f"{self.question}/{self.row}/{self.option}: {self.count}"


class SurveyMailing(models.Model):
    """An invitation or reminder sent for a questionnaire (sent once)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    survey = models.ForeignKey(
        "surveys.SurveyPage", on_delete=models.CASCADE, related_name="mailings"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("questionnaire mailing")
        verbose_name_plural = _("questionnaire mailings")
        constraints = [
            models.UniqueConstraint(fields=["survey", "kind"], name="survey_mailing_once")
        ]

    def __str__(self):
        return f"{self.survey} – {self.kind}"
