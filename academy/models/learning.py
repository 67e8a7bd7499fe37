"""Editions of the courses, the members' enrolments and completions (the learning record) and
the completion imports from the e-learning platform.

An edition belongs to a course (its page in the default language; translations share it through
the translation key). Enrolment is per edition with a waiting list where it is full; a completion
is recorded on the enrolment (by an import, by attendance of the synchronous sessions, or by
staff) and issues the course's Open Badge (``IssuedBadge``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PageChooserPanel
from wagtail.models import Locale


class CourseEditionQuerySet(models.QuerySet):
    def open_on(self, day):
        """Editions taking enrolments on ``day``."""
        return self.filter(cancelled=False, enrolment_closes_on__gte=day).filter(
            Q(enrolment_opens_on__isnull=True) | Q(enrolment_opens_on__lte=day)
        )

    def for_course(self, course):
        """The editions of ``course`` in any of its languages."""
        return self.filter(course__translation_key=course.translation_key)


class CourseEdition(models.Model):
    """One run of a course: its dates, its enrolment window and its places."""

    class State(models.TextChoices):
        OPEN = "open", _("Open for enrolment")
        UPCOMING = "upcoming", _("Enrolment opens soon")
        CLOSED = "closed", _("Enrolment closed")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        "academy.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="editions",
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("E.g. “Spring 2027”."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    enrolment_opens_on = models.DateField(
        _("enrolment opens on"), null=True, blank=True, help_text=_("Blank: open now.")
    )
    enrolment_closes_on = models.DateField(_("enrolment closes on"))
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Blank for unlimited places.")
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When full, members join a waiting list and are enrolled as places free up."),
    )
    attendance_percent = models.PositiveSmallIntegerField(
        _("attendance for completion (%)"),
        default=75,
        help_text=_(
            "Share of the synchronous sessions a member must attend for the course to be "
            "completed automatically. Imports from the e-learning platform complete it too."
        ),
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = CourseEditionQuerySet.as_manager()

    panels = [
        PageChooserPanel("course", "academy.CoursePage"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldRowPanel([FieldPanel("enrolment_opens_on"), FieldPanel("enrolment_closes_on")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("waiting_list")]),
        FieldPanel("attendance_percent"),
        FieldPanel("cancelled"),
    ]

    class Meta:
        verbose_name = _("course edition")
        verbose_name_plural = _("course editions")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="academy_edition_dates"
            ),
            models.CheckConstraint(
                condition=Q(attendance_percent__lte=100), name="academy_edition_attendance"
            ),
        ]

    def __str__(self):
        return f"{self.course.title} — {self.name}"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The edition must end on or after its start.")
        if (
            self.enrolment_opens_on
            and self.enrolment_closes_on
            and self.enrolment_closes_on < self.enrolment_opens_on
        ):
            errors["enrolment_closes_on"] = _("Enrolment must close after it opens.")
        if self.enrolment_closes_on and self.ends_on and self.enrolment_closes_on > self.ends_on:
            errors["enrolment_closes_on"] = _("Enrolment must close by the end of the edition.")
        if self.course_id and self.course.locale_id != Locale.get_default().pk:
            errors["course"] = _("Choose the course in the default language (Italian).")
        if errors:
            raise ValidationError(errors)

    @property
    def state(self) -> str:
        today = timezone.localdate()
        if self.cancelled:
            return self.State.CANCELLED
        if self.enrolment_opens_on and today < self.enrolment_opens_on:
            return self.State.UPCOMING
        if today > self.enrolment_closes_on:
            return self.State.CLOSED
        return self.State.OPEN

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class EnrolmentQuerySet(models.QuerySet):
    def live(self):
        """Enrolled, waiting or completed (not cancelled)."""
        return self.exclude(status=Enrolment.Status.CANCELLED)

    def enrolled(self):
        return self.filter(status=Enrolment.Status.ENROLLED)

    def waiting(self):
        """The waiting list, first in line first."""
        return self.filter(status=Enrolment.Status.WAITING).order_by("created_at", "pk")

    def completed(self):
        return self.filter(status=Enrolment.Status.COMPLETED)


class Enrolment(models.Model):
    """A member's enrolment in an edition. A cancelled enrolment stays (history); enrolling again
    is a new row. At most one live enrolment per member and edition (a database constraint);
    the services refuse a second live enrolment in the same course."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITING = "waiting", _("On the waiting list")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        IMPORT = "import", _("E-learning platform import")
        ATTENDANCE = "attendance", _("Attendance of the live sessions")
        STAFF = "staff", _("Recorded by staff")

    LIVE = (Status.ENROLLED, Status.WAITING, Status.COMPLETED)

    edition = models.ForeignKey(
        CourseEdition,
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="course_enrolments",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted from the waiting list at"), null=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_source = models.CharField(
        _("completion recorded from"), max_length=12, choices=Source.choices, blank=True
    )
    completion_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completion recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completion_import = models.ForeignKey(
        "academy.CompletionImport",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    hours = models.DecimalField(
        _("hours credited"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("The course's hours, credited on completion."),
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user"],
                condition=Q(status__in=["enrolled", "waiting", "completed"]),
                name="academy_one_live_enrolment",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="academy_completed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status", "created_at"])]

    def __str__(self):
        return f"{self.user_id} → {self.edition_id} ({self.status})"

    @property
    def course(self):
        return self.edition.course


class CompletionImport(models.Model):
    """One applied import of completions (the e-learning platform's export): who, when, which
    file (its name and SHA-256) and what it changed. Dry runs are not recorded."""

    created_at = models.DateTimeField(_("imported at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    completed = models.PositiveIntegerField(_("completions recorded"), default=0)
    unchanged = models.PositiveIntegerField(_("already recorded"), default=0)

    class Meta:
        verbose_name = _("completion import")
        verbose_name_plural = _("completion imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
