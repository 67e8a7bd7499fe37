"""A campaign: one questionnaire about each Ente, in a full version and (for the Mappa) a
simplified one for the Comuni under ``simplified_below`` inhabitants, chosen from the Ente's
population; its opening and deadline are its questionnaires' (``SurveyPage.opens_at`` and
``closes_at``), which staff extend (``DeadlineExtension`` keeps each extension)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    class Kind(models.TextChoices):
        MAPPA = "mappa", _("Mappa dei Comuni Digitali")
        COMPETENCE = "competence", _("Territorial competence-centre survey")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    full_survey = models.ForeignKey(
        "surveys.SurveyPage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("questionnaire (full version)"),
    )
    simplified_survey = models.ForeignKey(
        "surveys.SurveyPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("questionnaire (simplified version)"),
    )
    simplified_below = models.PositiveIntegerField(
        _("simplified version below (inhabitants)"), default=5000
    )
    #: The scoring rules' file in ``mappa/rules/`` (``docs/mappa.md``); blank: no scores.
    rules = models.CharField(_("scoring rules"), max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        """A campaign's questionnaires live under a Mappa page (only there does the Mappa
        answer for their audience) and are answered once per Ente."""
        from django.core.exceptions import ValidationError

        from .pages import MappaPage

        problems = {}
        for field in ("full_survey", "simplified_survey"):
            page = getattr(self, field)
            if page is None:
                continue
            if not MappaPage.objects.filter(path=page.path[: -page.steplen]).exists():
                problems[field] = _("Choose a questionnaire under the Mappa page.")
            elif not page.per_ente:
                problems[field] = _("The questionnaire must be answered once per authority.")
        if problems:
            raise ValidationError(problems)

    class Variant(models.TextChoices):
        FULL = "full", _("Full version")
        SIMPLIFIED = "simplified", _("Simplified version")

    def variant_for(self, ente) -> str:
        """The version an Ente answers: simplified for a Comune under the threshold (a known
        population), full otherwise."""
        if (
            self.simplified_survey_id
            and ente.population is not None
            and ente.population < self.simplified_below
        ):
            return self.Variant.SIMPLIFIED
        return self.Variant.FULL

    def survey_for(self, variant: str):
        if variant == self.Variant.SIMPLIFIED and self.simplified_survey_id:
            return self.simplified_survey
        return self.full_survey

    def surveys(self):
        return [s for s in (self.full_survey, self.simplified_survey) if s is not None]

    @property
    def opens_at(self):
        return self.full_survey.opens_at

    @property
    def closes_at(self):
        return self.full_survey.closes_at

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.opens_at <= now < self.closes_at


class DeadlineExtension(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="extensions")
    previous = models.DateTimeField(_("previous deadline"))
    new = models.DateTimeField(_("new deadline"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.campaign}: {self.previous:%Y-%m-%d} → {self.new:%Y-%m-%d}"
