"""Compiling for an Ente: who may (``Accreditation``), the Ente's shared draft and its history
(``EnteDraft``, ``DraftChange``), what was sent (``Submission``, holding the questionnaire
engine's ``Response``) and its scores per area (``AreaScore``, denormalised for the
dashboards' aggregates)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccreditationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Accreditation.Status.APPROVED)

    def pending(self):
        return self.filter(status=Accreditation.Status.REQUESTED)


class Accreditation(models.Model):
    """A member's request to compile for their Ente in a campaign, and its decision. The first
    approved compiler of an Ente is its referent, who may approve colleagues."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")

    class SignedBy(models.TextChoices):
        MAYOR = "mayor", _("The Mayor (Sindaco)")
        RTD = "rtd", _("The digital transition officer (RTD)")
        SECRETARY = "secretary", _("The Secretary general")

    campaign = models.ForeignKey(
        "mappa.Campaign", on_delete=models.CASCADE, related_name="accreditations"
    )
    ente = models.ForeignKey("membership.Ente", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mappa_accreditations"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    is_referent = models.BooleanField(_("referent of the Ente"), default=False)
    #: The declaration, as for a designation: who authorised them, and when.
    authorised_by = models.CharField(_("authorised by"), max_length=12, choices=SignedBy.choices)
    authorisation_date = models.DateField(_("date of the authorisation"))
    declaration = models.BooleanField(_("declaration accepted"), default=False)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        verbose_name = _("compiler accreditation")
        verbose_name_plural = _("compiler accreditations")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"],
                condition=Q(status__in=["requested", "approved"]),
                name="mappa_one_live_accreditation_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.ente} · {self.get_status_display()}"


class EnteDraft(models.Model):
    """What the Ente's compilers typed so far, shared by them (the form's raw data, valid or
    not), on the variant chosen when the first of them started."""

    campaign = models.ForeignKey("mappa.Campaign", on_delete=models.CASCADE, related_name="drafts")
    ente = models.ForeignKey("membership.Ente", on_delete=models.CASCADE, related_name="+")
    variant = models.CharField(max_length=12)
    version = models.ForeignKey(
        "surveys.QuestionnaireVersion", on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Ente draft")
        verbose_name_plural = _("Ente drafts")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "ente"], name="mappa_one_draft_per_ente")
        ]

    def __str__(self):
        return f"{self.campaign} · {self.ente}"


class DraftChange(models.Model):
    """One save of the shared draft: who, when, which answers changed (before → after)."""

    draft = models.ForeignKey(EnteDraft, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    #: ``{field name: [before, after]}`` (values as typed, truncated).
    changes = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("draft change")
        verbose_name_plural = _("draft changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.draft} · {self.at:%Y-%m-%d %H:%M}"


class Submission(models.Model):
    """An Ente's response to a campaign (one per Ente), with where the Ente stood when sent."""

    campaign = models.ForeignKey(
        "mappa.Campaign", on_delete=models.CASCADE, related_name="submissions"
    )
    ente = models.ForeignKey("membership.Ente", on_delete=models.CASCADE, related_name="+")
    response = models.OneToOneField(
        "surveys.Response", on_delete=models.CASCADE, related_name="mappa_submission"
    )
    variant = models.CharField(max_length=12)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    region = models.CharField(max_length=64, blank=True, db_index=True)
    province_code = models.CharField(max_length=4, blank=True, db_index=True)
    population_class = models.CharField(max_length=16, blank=True, db_index=True)
    ente_kind = models.CharField(max_length=32, blank=True)
    is_demo = models.BooleanField(default=False)
    total_score = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "ente"], name="mappa_one_submission_per_ente"
            )
        ]
        indexes = [models.Index(fields=["campaign", "region"])]

    def __str__(self):
        return f"{self.campaign} · {self.ente}"


class AreaScore(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    campaign = models.ForeignKey("mappa.Campaign", on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=40)
    score = models.FloatField()
    region = models.CharField(max_length=64, blank=True)
    population_class = models.CharField(max_length=16, blank=True)
    ente_kind = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("area score")
        verbose_name_plural = _("area scores")
        constraints = [
            models.UniqueConstraint(fields=["submission", "area"], name="mappa_one_score_per_area")
        ]
        indexes = [
            models.Index(fields=["campaign", "area", "score"]),
            models.Index(fields=["campaign", "area", "region"]),
            models.Index(fields=["campaign", "area", "population_class"]),
        ]

    def __str__(self):
        return f"{self.submission} · {self.area}: {self.score:.0f}"
