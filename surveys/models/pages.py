"""Questionnaire pages: the portal's "Sondaggi" and the questionnaires themselves.

A ``SurveyPage`` lives where its audience is (decisions, "Surveys"): under the portal's
``SurveyIndexPage`` it is for every registered member; under a community's reserved area for the
community's members (or only its designated participants); under a working group for the group.
The reserved spaces' view restrictions already stop everyone else from seeing the page, so who
may see a questionnaire is the page policy (``cms.access.can_view_page``) and the audience rule
adds only "designated only" and "registered".

The questionnaire is written in the ``questions`` StreamField; answers go to the version frozen
from it when the page was published (``QuestionnaireVersion``), so editing a questionnaire that
has answers never changes them. Translations translate the labels; answers are always stored
against the default-language page (``survey``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.models import BasePage

from ..blocks import QuestionnaireBlock


class SurveyIndexPage(BasePage):
    """The portal's "Sondaggi": the questionnaires for every registered member, and the public
    summaries of the closed ones."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["surveys.SurveyPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("survey index")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import survey_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(survey_listing(request.user, self))
        return context


class SurveyPage(BasePage):
    """A questionnaire (a survey of the portal, a community's consultation, a group's poll of
    its members), with its audience and rules."""

    class Respondent(models.TextChoices):
        PERSON = "person", _("One response per person")
        ENTE = "ente", _("One response per authority (a named respondent answers for it)")

    class Results(models.TextChoices):
        MANAGERS = "managers", _("Only who manages the questionnaire")
        RESPONDENTS = "respondents", _("Also the respondents, after the close")
        PUBLIC = "public", _("Everyone, after the close (public summary)")

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    questions = StreamField(QuestionnaireBlock(), verbose_name=_("questions"))
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"))
    respondent = models.CharField(
        _("who answers"), max_length=8, choices=Respondent.choices, default=Respondent.PERSON
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "Responses are stored without any link to the person; only the fact that they "
            "answered is recorded. Anonymous responses cannot be edited after sending."
        ),
    )
    designated_only = models.BooleanField(
        _("designated participants only"),
        default=False,
        help_text=_("In a community's reserved area: only its designated participants answer."),
    )
    results_visibility = models.CharField(
        _("who sees the results"),
        max_length=12,
        choices=Results.choices,
        default=Results.MANAGERS,
    )
    send_invitations = models.BooleanField(
        _("email the audience"),
        default=True,
        help_text=_(
            "Invite the audience by email when the questionnaire opens and remind who has not "
            "answered before it closes (members who unsubscribed are not emailed)."
        ),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days before the close"),
        default=2,
        help_text=_("0: no reminder."),
    )
    thank_you = models.TextField(
        _("thank-you message"),
        blank=True,
        max_length=1000,
        help_text=_("Shown after sending. Leave blank for the standard message."),
    )

    parent_page_types = [
        "surveys.SurveyIndexPage",
        "communities.CommunityAreaPage",
        "communities.WorkingGroupPage",
        # The Mappa's campaigns (answered once per Ente by its accredited compilers).
        "mappa.MappaPage",
    ]
    subpage_types: list[str] = []

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("respondent"),
                FieldPanel("anonymous"),
                FieldPanel("designated_only"),
                FieldPanel("results_visibility"),
                FieldRowPanel([FieldPanel("send_invitations"), FieldPanel("reminder_days")]),
            ],
            heading=_("Audience and rules"),
        ),
        FieldPanel("questions"),
        FieldPanel("thank_you"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.FilterField("closes_at"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("intro"),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("respondent"),
        APIField("anonymous"),
        APIField("results_visibility"),
    ]

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The close must be after the opening.")})
        if self.anonymous and self.respondent == self.Respondent.ENTE:
            raise ValidationError(
                {
                    "anonymous": _(
                        "A response per authority names its respondent: it cannot be anonymous."
                    )
                }
            )

    # --- state -------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    @property
    def is_closed(self) -> bool:
        return timezone.now() >= self.closes_at

    @property
    def not_yet_open(self) -> bool:
        return timezone.now() < self.opens_at

    @property
    def per_ente(self) -> bool:
        return self.respondent == self.Respondent.ENTE

    @property
    def survey(self) -> SurveyPage:
        """The default-language page, which the versions and responses belong to."""
        from cms.locales import get_default

        default = get_default()
        if default is None or self.locale_id == default.pk:
            return self
        source = SurveyPage.objects.filter(
            translation_key=self.translation_key, locale=default
        ).first()
        return source or self

    def get_context(self, request, *args, **kwargs):
        from ..selectors import answer_form, answering_box

        context = super().get_context(request, *args, **kwargs)
        context["box"] = answering_box(request, self)
        context["form"] = answer_form(request, self, context["box"])
        return context
