"""The events API, part of the community API (``/api/community/v1/``, tag ``events``; included
by ``communities/api/urls.py``). This app sits below ``communities``, so it has its own small
base view with the same rules (token or session, registered members, JSON errors with codes
through ``cms.api_errors``, never cached).

- ``GET events/`` (``?community=<page id>``, ``?upcoming=true``): the events the user may see;
- ``GET events/<id>/``: one event with places left and the user's status;
- ``POST events/<id>/registration/``: register (201; on the waiting list when full);
- ``DELETE events/<id>/registration/``: cancel (the first member waiting is promoted);
- ``GET me/event-registrations/``: the user's open registrations;
- ``GET events/<id>/attendance/``, ``POST events/<id>/attendance/``: the organisers' list of
  registrants and the recording of attendance.

Errors: **404** for an event the user may not see (nothing disclosed), **403** refused (not a
registered member, not an organiser), **409** ``already_registered``, ``full`` (no waiting
list), ``registration_closed``, ``not_registered``, ``no_registration``; **400** bad input.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from wagtail.models import Page

from cms import access
from cms.api_errors import run
from cms.api_views import PortalAPIView
from membership.api_permissions import RegisteredMember

from .. import selectors, services
from ..models import Registration
from ..permissions import Action
from . import serializers as s

TAG = "events"
ERRORS = {
    401: OpenApiResponse(s.EventErrorSerializer, description=gettext_lazy("Not signed in.")),
    403: OpenApiResponse(s.EventErrorSerializer, description=gettext_lazy("Refused.")),
    404: OpenApiResponse(
        s.EventErrorSerializer, description=gettext_lazy("Not found, or not visible to you.")
    ),
}
CONFLICT = {
    409: OpenApiResponse(
        s.EventErrorSerializer,
        description=gettext_lazy(
            "Already registered, full without a waiting list, registration closed."
        ),
    )
}


class EventsAPIView(PortalAPIView):
    permission_classes = [IsAuthenticated, RegisteredMember]


def _event(request, pk):
    page = selectors.specific_event(pk)
    if page is None or not access.can_view_page(request.user, page):
        raise exceptions.NotFound()
    return page


def _decorate(request, page):
    numbers = selectors.counts(page)
    page.registered = numbers["registered"]
    page.waiting = numbers["waiting"]
    page.places_left = selectors.places_left(page, numbers["registered"])
    mine = selectors.own_registration(request.user, page)
    page.my_status = mine.status if mine else None
    page.my_waiting_position = getattr(mine, "position", None)
    page.may_register = access.can(request.user, Action.REGISTER_EVENT, page)
    page.may_manage = access.can(request.user, Action.MANAGE_EVENT, page)
    return page


class EventList(EventsAPIView):
    @extend_schema(
        operation_id="events_list",
        tags=[TAG],
        summary=gettext_lazy("Events you may see"),
        parameters=[
            OpenApiParameter("community", int, description=gettext_lazy("A community page's id")),
            OpenApiParameter("upcoming", bool, description=gettext_lazy("Only future events")),
        ],
        responses={
            200: s.EventSerializer(many=True),
            400: OpenApiResponse(description=gettext_lazy("Invalid filter: errors by field.")),
            **ERRORS,
        },
    )
    def get(self, request):
        within = None
        community = request.query_params.get("community")
        if community:
            if not community.isdigit() or int(community) > s.MAX_ID:
                raise exceptions.ValidationError({"community": [_("A page id is expected.")]})
            within = Page.objects.live().filter(pk=int(community)).first()
            if within is None or not access.can_view_page(request.user, within):
                raise exceptions.NotFound()
        upcoming = request.query_params.get("upcoming", "").lower() in ("1", "true", "yes")
        pages = selectors.events_for(request.user, within=within)
        if upcoming:
            now = timezone.now()
            pages = [page for page in pages if page.end >= now]
        return Response(s.EventSerializer(pages, many=True).data)


class EventDetail(EventsAPIView):
    @extend_schema(
        operation_id="events_detail",
        tags=[TAG],
        summary=gettext_lazy("An event, with places left and your status"),
        responses={200: s.EventDetailSerializer, **ERRORS},
    )
    def get(self, request, pk):
        return Response(s.EventDetailSerializer(_decorate(request, _event(request, pk))).data)


class EventRegistration(EventsAPIView):
    @extend_schema(
        operation_id="events_register",
        tags=[TAG],
        summary=gettext_lazy("Register (or join the waiting list when full)"),
        request=None,
        responses={201: s.RegistrationSerializer, **ERRORS, **CONFLICT},
    )
    def post(self, request, pk):
        registration = run(services.register, request.user, _event(request, pk))
        return Response(s.RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="events_cancel",
        tags=[TAG],
        summary=gettext_lazy("Cancel your registration"),
        request=None,
        responses={200: s.RegistrationSerializer, **ERRORS, **CONFLICT},
    )
    def delete(self, request, pk):
        registration = run(services.cancel, request.user, _event(request, pk))
        return Response(s.RegistrationSerializer(registration).data)


class MyRegistrations(EventsAPIView):
    @extend_schema(
        operation_id="events_my_registrations",
        tags=[TAG],
        summary=gettext_lazy("Your registrations to events"),
        responses={200: s.RegistrationSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        registrations = selectors.my_registrations(request.user)
        return Response(s.RegistrationSerializer(registrations, many=True).data)


class EventAttendance(EventsAPIView):
    def _organised(self, request, pk):
        page = _event(request, pk)
        if not access.can(request.user, Action.MANAGE_EVENT, page):
            raise exceptions.PermissionDenied(_("Only the organisers of this event can do this."))
        return page

    @extend_schema(
        operation_id="events_attendance_list",
        tags=[TAG],
        summary=gettext_lazy("Registrants and waiting list (organisers)"),
        responses={200: s.AttendeeSerializer(many=True), **ERRORS},
    )
    def get(self, request, pk):
        page = self._organised(request, pk)
        registrations = Registration.objects.open().filter(page_id=page.pk).select_related("user")
        return Response(s.AttendeeSerializer(registrations, many=True).data)

    @extend_schema(
        operation_id="events_attendance_record",
        tags=[TAG],
        summary=gettext_lazy("Record who attended (organisers)"),
        request=s.AttendanceSerializer,
        responses={
            200: s.AttendanceResultSerializer,
            400: OpenApiResponse(description=gettext_lazy("Invalid input: errors by field.")),
            **ERRORS,
        },
    )
    def post(self, request, pk):
        page = self._organised(request, pk)
        serializer = s.AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changed = run(
            services.record_attendance, request.user, page, serializer.validated_data["attended"]
        )
        return Response({"changed": changed})
