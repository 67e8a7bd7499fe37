"""The mailing list in the community API (``/api/community/v1/``, tags ``announcements`` and
``subscriptions``): announcements a member may see, announcing (managers: the ``announce``
action), delivery figures for the senders, my subscriptions and my notices. Errors as the rest
of the API: 404 for what the user may not see, 403 refused, 400 bad input, 409 an announcement
nobody would receive."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

from cms import access
from cms.api_errors import run
from communities.api.serializers import MAX_ID
from communities.api.support import BAD_INPUT, CONFLICT, CommunityAPIView, endpoint, validated
from communities.models import CommunityAreaPage, CommunityPage, WorkingGroupPage

from .. import selectors, services
from ..models import AnnouncementPage, Notice, Subscription
from ..permissions import Action
from . import serializers as s

TAG_ANNOUNCEMENTS = "announcements"
TAG_SUBSCRIPTIONS = "subscriptions"


def _decorate(pages):
    """Give each announcement its URL and its community and working group ids (two queries)."""
    communities = list(CommunityPage.objects.values_list("pk", "path"))
    groups = list(WorkingGroupPage.objects.values_list("pk", "path"))
    for page in pages:
        page.api_url = page.get_url() or ""
        page.api_community_id = next(
            (pk for pk, path in communities if page.path.startswith(path)), None
        )
        page.api_working_group_id = next(
            (pk for pk, path in groups if page.path.startswith(path)), None
        )
    return pages


def _visible(request, pk) -> AnnouncementPage:
    page = AnnouncementPage.objects.live().filter(pk=pk).first()
    if page is None or page not in selectors.visible_announcements(
        request.user, AnnouncementPage.objects.filter(pk=pk)
    ):
        raise exceptions.NotFound()
    return page


class AnnouncementList(CommunityAPIView):
    @endpoint(
        "announcements_list",
        tag=TAG_ANNOUNCEMENTS,
        summary=gettext_lazy("Announcements I may see"),
        description=gettext_lazy(
            "Newest first (at most 200): the announcements of my communities and of my working "
            "groups; ``community`` keeps one community's."
        ),
        parameters=[OpenApiParameter("community", int, description=gettext_lazy("Community id"))],
        response=s.AnnouncementSerializer,
        many=True,
        errors=BAD_INPUT,
    )
    def get(self, request):
        within = None
        community = request.query_params.get("community")
        if community:
            try:
                community_id = int(community)
            except ValueError:
                raise exceptions.ValidationError(
                    {"community": [_("A community id is a number.")]}
                ) from None
            if 1 <= community_id <= MAX_ID:
                within = CommunityPage.objects.filter(pk=community_id).first()
            if within is None:
                raise exceptions.NotFound()
        return _decorate(selectors.visible_announcements(request.user, within=within))

    @endpoint(
        "announcements_create",
        tag=TAG_ANNOUNCEMENTS,
        summary=gettext_lazy("Publish an announcement"),
        description=gettext_lazy(
            "The coordinator and the support team (and staff): published at once in the "
            "community's reserved area, or in a working group's space with ``working_group``, "
            "and emailed in the background to the members who receive each message. 409 when "
            "the audience has no members."
        ),
        request=s.AnnouncementCreateSerializer,
        response=s.AnnouncementDetailSerializer,
        status=status.HTTP_201_CREATED,
        errors=CONFLICT,
    )
    def post(self, request):
        data = validated(s.AnnouncementCreateSerializer, request)
        community = CommunityPage.objects.filter(pk=data["community"]).first()
        if community is None:
            raise exceptions.NotFound()
        if data.get("working_group"):
            parent = (
                WorkingGroupPage.objects.descendant_of(community)
                .filter(pk=data["working_group"])
                .first()
            )
        else:
            parent = CommunityAreaPage.objects.child_of(community).first()
        if parent is None:
            raise exceptions.NotFound()
        if not access.can(request.user, Action.ANNOUNCE, parent) and not access.can_view_page(
            request.user, parent
        ):
            raise exceptions.NotFound()
        page = run(
            services.publish_announcement,
            request.user,
            parent,
            title=data["title"],
            body=data["body"],
            audience=data["audience"],
            summary=data["summary"],
        )
        return _decorate([page])[0]


class AnnouncementDetail(CommunityAPIView):
    @endpoint(
        "announcements_detail",
        tag=TAG_ANNOUNCEMENTS,
        summary=gettext_lazy("An announcement"),
        response=s.AnnouncementDetailSerializer,
    )
    def get(self, request, pk):
        return _decorate([_visible(request, pk)])[0]


class AnnouncementDeliveries(CommunityAPIView):
    @endpoint(
        "announcements_deliveries",
        tag=TAG_ANNOUNCEMENTS,
        summary=gettext_lazy("Delivery figures of an announcement"),
        description=gettext_lazy(
            "Sent, pending and failed emails (with the last errors): whoever may announce there."
        ),
        response=s.DeliveryFiguresSerializer,
    )
    def get(self, request, pk):
        page = _visible(request, pk)
        if not access.can(request.user, Action.ANNOUNCE, page):
            raise exceptions.PermissionDenied()
        figures = selectors.delivery_figures(page)
        figures["errors"] = [
            {"recipient_id": d.user_id, "attempts": d.attempts, "error": d.last_error}
            for d in selectors.failed_deliveries(page)[:100]
        ]
        return figures


class MySubscriptions(CommunityAPIView):
    @endpoint(
        "subscriptions_list",
        tag=TAG_SUBSCRIPTIONS,
        summary=gettext_lazy("My subscriptions"),
        response=s.SubscriptionSerializer,
        many=True,
    )
    def get(self, request):
        return list(services.subscriptions_of(request.user))


class MySubscription(CommunityAPIView):
    @endpoint(
        "subscriptions_update",
        tag=TAG_SUBSCRIPTIONS,
        summary=gettext_lazy("Change how I receive a community's communications"),
        request=s.FrequencySerializer,
        response=s.SubscriptionSerializer,
    )
    def patch(self, request, pk):
        subscription = (
            Subscription.objects.current()
            .filter(pk=pk, user=request.user)
            .select_related("community")
            .first()
        )
        if subscription is None:
            raise exceptions.NotFound()
        data = validated(s.FrequencySerializer, request)
        services.set_frequency(subscription, data["frequency"])
        return subscription


class MyNotices(CommunityAPIView):
    @endpoint(
        "subscriptions_notices",
        tag=TAG_SUBSCRIPTIONS,
        summary=gettext_lazy("My notices"),
        description=gettext_lazy("Newest first, at most 100."),
        response=s.NoticeSerializer,
        many=True,
    )
    def get(self, request):
        return list(Notice.objects.filter(user=request.user)[:100])


class MyNoticeRead(CommunityAPIView):
    @endpoint(
        "subscriptions_notice_read",
        tag=TAG_SUBSCRIPTIONS,
        summary=gettext_lazy("Mark a notice as read"),
        response=s.NoticeSerializer,
    )
    def post(self, request, pk):
        notice = Notice.objects.filter(pk=pk, user=request.user).first()
        if notice is None:
            raise exceptions.NotFound()
        services.mark_notices_read(request.user, [notice.pk])
        notice.refresh_from_db()
        return notice
