"""The participants' validation of a version before it goes out.

A round is opened on one version with a deadline and the rule that decides it (a quorum of the
community's participants and a majority of the answers). Every participant of the community,
simple or designated, answers once: approve, approve with comments, or ask for changes with a
reason. At the deadline (or when the managers close it early) the rule decides the outcome,
which is recorded with the figures it was decided on. The round drives the first task of the
Wagtail workflow on the draft ``MaterialPage`` (``models.workflow``), so editors follow it in
the admin they know.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ValidationRound.Status.OPEN)

    def due(self, now=None):
        return self.open().filter(deadline__lte=now or timezone.now())


class ValidationRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Changes requested")
        CANCELLED = "cancelled", _("Cancelled")

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("Simple majority (more than half of the answers approve)")
        TWO_THIRDS = "two_thirds", _("Two thirds of the answers approve")
        UNANIMITY = "unanimity", _("Unanimity (nobody asks for changes)")

    document = models.ForeignKey(
        "materials.WorkingDocument",
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("document"),
    )
    version = models.ForeignKey(
        "materials.DocumentVersion",
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("version"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    instructions = models.TextField(_("what to check"), max_length=2000, blank=True)
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (% of the participants who must answer)"), default=20
    )
    majority = models.CharField(
        _("majority"), max_length=12, choices=Majority.choices, default=Majority.SIMPLE
    )
    eligible_count = models.PositiveIntegerField(
        _("participants when it opened"),
        default=0,
        help_text=_("The quorum is counted on the community's participants when the round opened."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome = models.JSONField(_("outcome figures"), default=dict, blank=True)
    page = models.ForeignKey(
        "materials.MaterialPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("publication page"),
    )
    workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workflow"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("validation round")
        verbose_name_plural = _("validation rounds")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="open"),
                name="materials_one_open_round_per_document",
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100), name="materials_round_quorum_percent"
            ),
        ]

    def __str__(self):
        return f"{self.version} ({self.get_status_display()})"

    def space_keys(self) -> tuple[str, str]:
        return self.document.space_keys()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_past_deadline(self) -> bool:
        return timezone.now() >= self.deadline

    @property
    def accepts_answers(self) -> bool:
        return self.is_open and not self.is_past_deadline

    # --- the rule ------------------------------------------------------------------------------

    def quorum_needed(self) -> int:
        """How many answers make the quorum (at least one)."""
        needed = Fraction(self.eligible_count * self.quorum_percent, 100)
        whole = int(needed) + (1 if needed.denominator != 1 else 0)
        return max(1, whole)

    def tally(self, answers=None) -> dict:
        """``{"answers", "approve", "approve_with_comments", "changes", "eligible",
        "quorum_needed", "quorum_reached", "majority_reached", "approved"}`` of the answers so
        far (or of ``answers``, a list of verdicts)."""
        if answers is None:
            answers = list(self.answers.values_list("verdict", flat=True))
        counts = dict.fromkeys(RoundAnswer.Verdict.values, 0)
        for verdict in answers:
            counts[verdict] = counts.get(verdict, 0) + 1
        total = sum(counts.values())
        approving = (
            counts[RoundAnswer.Verdict.APPROVE] + counts[RoundAnswer.Verdict.APPROVE_WITH_COMMENTS]
        )
        quorum_reached = total >= self.quorum_needed()
        if total == 0:
            majority_reached = False
        elif self.majority == self.Majority.UNANIMITY:
            majority_reached = counts[RoundAnswer.Verdict.CHANGES] == 0
        elif self.majority == self.Majority.TWO_THIRDS:
            majority_reached = Fraction(approving, total) >= Fraction(2, 3)
        else:
            majority_reached = Fraction(approving, total) > Fraction(1, 2)
        return {
            "answers": total,
            **counts,
            "approving": approving,
            "eligible": self.eligible_count,
            "quorum_needed": self.quorum_needed(),
            "quorum_reached": quorum_reached,
            "majority_reached": majority_reached,
            "approved": quorum_reached and majority_reached,
        }

    def rule_text(self) -> str:
        """The rule in words, as shown to everyone who answers."""
        return _(
            "Approved if at least %(quorum)s%% of the community's %(eligible)s participants "
            "answer (%(needed)s answers) and: %(majority)s."
        ) % {
            "quorum": self.quorum_percent,
            "eligible": self.eligible_count,
            "needed": self.quorum_needed(),
            "majority": self.get_majority_display().lower(),
        }


class RoundAnswer(models.Model):
    class Verdict(models.TextChoices):
        APPROVE = "approve", _("Approve")
        APPROVE_WITH_COMMENTS = "approve_with_comments", _("Approve with comments")
        CHANGES = "changes", _("Ask for changes")

    round = models.ForeignKey(
        ValidationRound,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("validation round"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="material_answers",
        verbose_name=_("participant"),
    )
    verdict = models.CharField(_("answer"), max_length=24, choices=Verdict.choices)
    comment = models.TextField(_("comment or reason"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("validation answer")
        verbose_name_plural = _("validation answers")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], name="materials_one_answer_per_participant"
            )
        ]

    def __str__(self):
        return f"{self.round}: {self.get_verdict_display()}"


class RoundMailing(models.Model):
    """The invitation and the reminder of a round, each sent once (claimed by the row)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    round = models.ForeignKey(ValidationRound, on_delete=models.CASCADE, related_name="mailings")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("validation round mailing")
        verbose_name_plural = _("validation round mailings")
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="materials_round_mailing_once")
        ]

    def __str__(self):
        return f"{self.round} ({self.get_kind_display()})"
