"""The Accademia's pages: the catalogue (``AcademyPage``), its courses (``CoursePage``) and the
courses' synchronous sessions (``CourseSessionPage``, events with the ``RegistrableEvent`` mixin,
so calendars, ICS feeds, reminders and attendance treat them as events).

A course says what seed 003 asks of every course: its area, level, the questions it treats, the
competences it gives (the criteria of its Open Badge), its targets, hours and delivery mode, its
prerequisites. Its state (open, upcoming, closed) follows from its editions (``learning``).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.models import BasePage
from events.models import RegistrableEvent

from ..page_forms import CourseSessionPageForm


class Area(models.TextChoices):
    """The thematic areas of seed 003."""

    SIMPLIFICATION = "semplificazione", _("Process simplification")
    DIGITALISATION = "digitalizzazione", _("Digitalisation of procedures and services")
    OBLIGATIONS = "adempimenti", _("Regulatory obligations")
    PLATFORMS = "piattaforme", _("Shared national platforms")
    CYBERSECURITY = "cybersicurezza", _("Cybersecurity")


class Level(models.TextChoices):
    """The three levels of seed 003."""

    BASE = "base", _("Base")
    ADVANCED = "approfondimento", _("In depth")
    SPECIALIST = "specialistico", _("Specialist")


class Delivery(models.TextChoices):
    ASYNCHRONOUS = "asincrona", _("Asynchronous (e-learning)")
    SYNCHRONOUS = "sincrona", _("Synchronous (live sessions)")
    BLENDED = "mista", _("Blended (e-learning and live sessions)")


class CourseState(models.TextChoices):
    OPEN = "open", _("Open for enrolment")
    UPCOMING = "upcoming", _("Coming soon")
    CLOSED = "closed", _("Closed")


class CourseTarget(models.Model):
    """Whom a course is for (``Dirigenti``, ``RTD``...): a list the editors keep (a snippet,
    registered in the admin's "Academy" menu by ``academy.wagtail_hooks``)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("course target")
        verbose_name_plural = _("course targets")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AcademyPage(BasePage):
    """The Accademia dei Comuni Digitali: the catalogue of its courses with facets."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    platform_url = models.URLField(
        _("e-learning platform"),
        blank=True,
        help_text=_("Where the asynchronous lessons are followed."),
    )

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["academy.CoursePage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("platform_url")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro"), APIField("platform_url")]

    class Meta:
        verbose_name = _("academy")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import catalogue

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue(request, self))
        return context


def lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


class CoursePageQuerySet(PageQuerySet):
    def with_state(self, today=None):
        """Annotate ``open_now`` and ``upcoming_edition``: the facts the state is made of."""
        from .learning import CourseEdition

        today = today or timezone.localdate()
        # Editions hang on the course in the default language: translations share them.
        editions = CourseEdition.objects.filter(
            course__translation_key=OuterRef("translation_key"), cancelled=False
        )
        return self.annotate(
            open_now=Exists(editions.open_on(today)),
            upcoming_edition=Exists(editions.filter(enrolment_opens_on__gt=today)),
        )

    def in_state(self, state: str, today=None):
        queryset = self.with_state(today)
        if state == CourseState.OPEN:
            return queryset.filter(open_now=True)
        if state == CourseState.UPCOMING:
            return queryset.filter(open_now=False).filter(
                Q(upcoming_edition=True) | Q(coming_soon=True)
            )
        if state == CourseState.CLOSED:
            return queryset.filter(open_now=False, upcoming_edition=False, coming_soon=False)
        return queryset


class CoursePage(BasePage):
    """A course of the Accademia. Enrolment is per edition (``CourseEdition``); completing it
    issues an Open Badge whose criteria are the course's competences."""

    code = models.CharField(
        _("code"),
        max_length=24,
        db_index=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9-]*$", _("Capital letters, digits and hyphens, e.g. CYB-B-01.")
            )
        ],
        help_text=_(
            "The course's code on the e-learning platform: completion imports name it, and the "
            "badge's address uses it. Do not change it once badges are issued."
        ),
    )
    area = models.CharField(_("area"), max_length=24, choices=Area.choices, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    delivery = models.CharField(
        _("delivery mode"), max_length=12, choices=Delivery.choices, default=Delivery.BLENDED
    )
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    description = RichTextField(
        _("description"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    questions = models.TextField(
        _("questions treated"),
        help_text=_("One per line: the relevant questions the course treats."),
    )
    competences = models.TextField(
        _("competences acquired"),
        help_text=_("One per line. They are the criteria of the course's Open Badge."),
    )
    targets = ParentalManyToManyField(
        CourseTarget, verbose_name=_("targets"), blank=True, related_name="courses"
    )
    prerequisites = models.TextField(
        _("prerequisites"), blank=True, help_text=_("What a participant should know already.")
    )
    prerequisite_courses = ParentalManyToManyField(
        "self",
        verbose_name=_("recommended courses first"),
        blank=True,
        symmetrical=False,
        related_name="+",
    )
    coming_soon = models.BooleanField(
        _("coming soon"),
        default=False,
        help_text=_(
            "Listed among the courses coming soon (on the home page too) until an edition opens."
        ),
    )
    platform_url = models.URLField(
        _("course on the e-learning platform"),
        blank=True,
    )
    badge_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("badge image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave blank for the portal's badge drawn with the course's level and title."),
    )

    parent_page_types = ["academy.AcademyPage"]
    subpage_types = ["academy.CourseSessionPage"]

    objects = PageManager.from_queryset(CoursePageQuerySet)()

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldRowPanel([FieldPanel("area"), FieldPanel("level")]),
                FieldRowPanel([FieldPanel("delivery"), FieldPanel("hours")]),
                FieldPanel("targets", widget=forms.CheckboxSelectMultiple),
                FieldPanel("coming_soon"),
            ],
            heading=_("Course"),
        ),
        FieldPanel("description"),
        FieldPanel("questions"),
        FieldPanel("competences"),
        MultiFieldPanel(
            [FieldPanel("prerequisites"), FieldPanel("prerequisite_courses")],
            heading=_("Prerequisites"),
        ),
        FieldPanel("platform_url"),
        FieldPanel("badge_image"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("code"),
        index.SearchField("description"),
        index.SearchField("questions"),
        index.SearchField("competences"),
        index.FilterField("area"),
        index.FilterField("level"),
        index.FilterField("delivery"),
        index.FilterField("coming_soon"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("code"),
        APIField("area"),
        APIField("level"),
        APIField("delivery"),
        APIField("hours"),
        APIField("description"),
        APIField("question_list"),
        APIField("competence_list"),
        APIField("target_names"),
        APIField("prerequisites"),
        APIField("state"),
        APIField("platform_url"),
    ]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title

    def clean(self):
        # Translations (wagtail-localize) share their source's code, so the code is unique per
        # translation key here rather than in the database.
        super().clean()
        if self.code:
            self.code = self.code.strip().upper()
            clash = CoursePage.objects.filter(code=self.code).exclude(
                translation_key=self.translation_key
            )
            if clash.exists():
                raise ValidationError({"code": _("Another course has this code.")})

    @property
    def question_list(self) -> list[str]:
        return lines(self.questions)

    @property
    def competence_list(self) -> list[str]:
        return lines(self.competences)

    @property
    def target_names(self) -> list[str]:
        return [target.name for target in self.targets.all()]

    @property
    def state(self) -> str:
        """Open while an edition takes enrolments, upcoming while one will (or the editors say
        it is coming soon), closed otherwise."""
        annotated = getattr(self, "open_now", None)
        if annotated is None:
            from .learning import CourseEdition

            today = timezone.localdate()
            editions = CourseEdition.objects.filter(
                course__translation_key=self.translation_key, cancelled=False
            )
            open_now = editions.open_on(today).exists()
            upcoming = editions.filter(enrolment_opens_on__gt=today).exists()
        else:
            open_now, upcoming = self.open_now, self.upcoming_edition
        if open_now:
            return CourseState.OPEN
        if upcoming or self.coming_soon:
            return CourseState.UPCOMING
        return CourseState.CLOSED

    def get_state_display(self) -> str:
        return CourseState(self.state).label

    def get_context(self, request, *args, **kwargs):
        from ..selectors import course_box

        context = super().get_context(request, *args, **kwargs)
        context.update(course_box(request, self))
        return context


class CourseSessionPage(RegistrableEvent, BasePage):
    """A synchronous session of a course's edition (a live lesson online or in a classroom).

    Members do not register to it one by one: enrolling in the edition registers them to its
    sessions (``academy.services.enrol``); the organisers record attendance as for any event,
    and attending enough of an edition's sessions completes the course (``services``)."""

    edition = models.ForeignKey(
        "academy.CourseEdition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )

    parent_page_types = ["academy.CoursePage"]
    subpage_types: list[str] = []
    listed_in_calendars = False
    base_form_class = CourseSessionPageForm

    content_panels = (
        BasePage.content_panels
        + [FieldPanel("edition")]
        + RegistrableEvent.when_panels
        + [FieldPanel("description")]
        + RegistrableEvent.after_panels
    )
    search_fields = (
        BasePage.search_fields
        + [index.SearchField("description")]
        + RegistrableEvent.event_search_fields
    )
    api_fields = BasePage.api_fields + RegistrableEvent.event_api_fields + [APIField("edition_id")]

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._state.adding and not self.pk:
            # Registration happens by enrolling in the edition, not on the session's page.
            self.registration_enabled = False

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk or self.path else None
        if self.edition_id and parent is not None and self.edition.course_id != parent.pk:
            raise ValidationError({"edition": _("Choose an edition of this course.")})

    def get_context(self, request, *args, **kwargs):
        from events.selectors import registration_box

        context = super().get_context(request, *args, **kwargs)
        context["box"] = registration_box(request, self)
        return context
