"""Pages of the communities of practice: the public index and community pages, the reserved
area of each community, its pages and its working groups."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.blocks import BodyStreamBlock, MilestoneBlock
from cms.models import BasePage, visible_children


def structure_permissions_for_user(page, user):
    """The community page and its reserved area: their managers edit and publish them in the
    admin; only staff delete, move, unpublish or restrict them (``communities.admin_scope``)."""
    from communities.admin_scope import StructurePagePermissionTester

    return StructurePagePermissionTester(user, page)


class CommunityIndexPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["communities.CommunityPage"]
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("communities index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["communities"] = list(
            visible_children(request, CommunityPage, self).select_related("image").order_by("path")
        )
        return context


class CommunityPage(BasePage):
    theme = models.CharField(_("theme"), max_length=200)
    mission = RichTextField(_("mission"), features=["bold", "italic", "link", "ol", "ul"])
    objectives = RichTextField(
        _("objectives"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    timeline = StreamField(
        [("milestone", MilestoneBlock())], verbose_name=_("timeline"), blank=True
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["communities.CommunityIndexPage"]
    subpage_types = ["communities.CommunityAreaPage", "events.EventPage"]
    permissions_for_user = structure_permissions_for_user

    content_panels = BasePage.content_panels + [
        FieldPanel("theme"),
        FieldPanel("image"),
        FieldPanel("mission"),
        FieldPanel("objectives"),
        FieldPanel("timeline"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("theme"),
        index.SearchField("mission"),
        index.SearchField("objectives"),
        index.SearchField("body"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("theme"),
        APIField("mission"),
        APIField("objectives"),
        APIField("image"),
        APIField("timeline"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")

    def get_context(self, request, *args, **kwargs):
        from cms import access
        from communities import permissions
        from communities.quick_actions import quick_actions
        from communities.services import pending_application, plan_of

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["plan"] = plan_of(self)
        context["quick_actions"] = quick_actions(user, self)
        context["can_apply_support"] = access.can(user, permissions.Action.APPLY_SUPPORT, self)
        context["support_application"] = (
            pending_application(user, self) if context["can_apply_support"] else None
        )
        context["role"] = permissions.role_in(user, self)
        context["can_join"] = access.can(user, permissions.Action.JOIN, self)
        measure = permissions.measure_in(user, self) if context["role"] is None else None
        context["measure"] = measure if measure is not None and measure.blocks_join else None
        context["reserved_area"] = (
            visible_children(request, CommunityAreaPage, self).first()
            if context["role"] is not None or user.is_superuser
            else None
        )
        return context


class CommunityAreaPage(BasePage):
    """The reserved area of a community: visible to its members only.

    Its ``PageViewRestriction`` (the community's members and managers groups) is created and kept
    by code (``communities.spaces``); editors never set it by hand.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])

    parent_page_types = ["communities.CommunityPage"]
    subpage_types = [
        "communities.ReservedPage",
        "communities.WorkingGroupPage",
        "events.EventPage",
        "mailing.AnnouncementPage",
        "surveys.SurveyPage",
    ]
    max_count_per_parent = 1
    permissions_for_user = structure_permissions_for_user

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("reserved area")
        verbose_name_plural = _("reserved areas")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = list(
            visible_children(request, ReservedPage, self).order_by("-date", "-pk")[:50]
        )
        context["working_groups"] = list(
            visible_children(request, WorkingGroupPage, self).order_by("title")
        )
        # The apps above add their parts (the mailing list's News: its announcements).
        from wagtail import hooks

        for extend in hooks.get_hooks("portal_reserved_area_context"):
            context.update(extend(request, self) or {})
        return context


class ReservedPage(BasePage):
    """An announcement, a material or an event in a reserved area or a working group's space."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        MATERIAL = "material", _("Material")
        EVENT = "event", _("Event")

    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.ANNOUNCEMENT
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["communities.CommunityAreaPage", "communities.WorkingGroupPage"]
    subpage_types: list[str] = []

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("kind"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("kind"),
    ]
    api_fields = BasePage.api_fields + [APIField("date"), APIField("kind"), APIField("body")]

    class Meta:
        verbose_name = _("reserved page")
        verbose_name_plural = _("reserved pages")


class WorkingGroupPage(BasePage):
    """A working group of a community: its description and its restricted space.

    Visible to the group's members, the community's coordinator and support team (restriction
    kept by code, like the reserved area's).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")

    goal = RichTextField(_("goal"), features=["bold", "italic", "link", "ol", "ul"])
    deliverable = models.TextField(_("expected deliverable"), max_length=1000)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["communities.CommunityAreaPage"]
    subpage_types = [
        "communities.ReservedPage",
        "events.EventPage",
        "mailing.AnnouncementPage",
        "surveys.SurveyPage",
    ]

    content_panels = BasePage.content_panels + [
        FieldPanel("goal"),
        FieldPanel("deliverable"),
        FieldPanel("start_date"),
        FieldPanel("end_date"),
        FieldPanel("status"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("goal"),
        index.SearchField("deliverable"),
        index.SearchField("body"),
        index.FilterField("status"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("goal"),
        APIField("deliverable"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("status"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            from django.core.exceptions import ValidationError

            raise ValidationError({"end_date": _("The end date cannot precede the start date.")})

    def get_context(self, request, *args, **kwargs):
        from .memberships import WorkingGroupMembership

        context = super().get_context(request, *args, **kwargs)
        context["items"] = list(
            visible_children(request, ReservedPage, self).order_by("-date", "-pk")[:50]
        )
        context["members"] = list(
            WorkingGroupMembership.objects.active()
            .of(self)
            .filter(user__show_in_directory=True)
            .select_related("user", "user__ente")
            .order_by("-role", "user__last_name", "user__first_name")
        )
        return context
