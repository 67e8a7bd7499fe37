"""The community's plan and its support team in the community API (tag ``plan``).

- ``GET communities/<pk>/plan/``: the plan as today's timeline (any signed-in member, like
  the rest of the community API; the page itself shows it to everyone);
- ``PUT``/``PATCH`` the same: the coordinator, the support team and staff (``edit_plan``) replace
  the objectives and/or the milestones; saved as a new revision of the community page published
  as that user (audited); 409 when someone else's unpublished draft of the page is newer;
- ``GET``/``POST communities/<pk>/support-applications/``: the applications (the coordinator and
  staff: ``manage_support_team``), or a member's own application (``apply_support``);
- ``POST support-applications/<id>/accept/`` and ``.../refuse/`` (with a ``note``), and
  ``.../withdraw/`` by the applicant. Past ``COMMUNITY_SUPPORT_EXPERTS_MAX`` experts an
  acceptance answers 409.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status

from cms import access
from cms.api_errors import run

from .. import services
from ..models import SupportApplication
from ..permissions import Action
from .serializers import RichTextField
from .support import CONFLICT, CommunityAPIView, endpoint, validated
from .views import get_community

STATUSES = [("planned", "planned"), ("ongoing", "ongoing"), ("done", "done")]


class MilestoneSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    date = serializers.DateField()
    status = serializers.ChoiceField(choices=STATUSES, default="planned")
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )


class MilestoneOutSerializer(MilestoneSerializer):
    status_label = serializers.CharField(read_only=True)
    past = serializers.BooleanField(read_only=True, help_text=gettext_lazy("Before today."))
    is_next = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("The next milestone not done yet.")
    )


class PlanSerializer(serializers.Serializer):
    community = serializers.IntegerField(read_only=True)
    objectives = RichTextField(read_only=True)
    milestones = MilestoneOutSerializer(many=True, read_only=True)
    today = serializers.DateField(read_only=True)
    today_index = serializers.IntegerField(
        read_only=True,
        help_text=gettext_lazy("How many milestones fall before today (today comes next)."),
    )
    next = MilestoneOutSerializer(read_only=True, allow_null=True)
    can_edit = serializers.BooleanField(read_only=True)


class PlanInputSerializer(serializers.Serializer):
    objectives = serializers.CharField(allow_blank=True, max_length=20000)
    milestones = MilestoneSerializer(many=True, max_length=services.plan.MAX_MILESTONES)


class SupportApplicationSerializer(serializers.ModelSerializer):
    applicant = serializers.SerializerMethodField()

    class Meta:
        model = SupportApplication
        fields = [
            "id",
            "community",
            "applicant",
            "motivation",
            "status",
            "created_at",
            "decided_at",
            "decision_note",
        ]

    def get_applicant(self, obj) -> str:
        return obj.user.get_full_name() or obj.user.get_username()


class ApplySerializer(serializers.Serializer):
    motivation = serializers.CharField(max_length=2000)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


def _plan(community, request):
    data = services.plan_of(community)
    data["community"] = community.pk
    data["can_edit"] = access.can(request.user, Action.EDIT_PLAN, community)
    return data


class CommunityPlan(CommunityAPIView):
    @endpoint(
        "communities_plan_retrieve",
        tag="plan",
        summary=gettext_lazy("The plan of a community: objectives and today's timeline"),
        response=PlanSerializer,
    )
    def get(self, request, pk):
        return _plan(get_community(request, pk), request)

    def _update(self, request, pk, partial):
        community = get_community(request, pk)
        serializer = PlanInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        page = run(
            services.update_plan,
            request.user,
            community,
            objectives=data.get("objectives"),
            milestones=[dict(row) for row in data["milestones"]] if "milestones" in data else None,
        )
        return _plan(page, request)

    @endpoint(
        "communities_plan_update",
        tag="plan",
        summary=gettext_lazy("Replace the plan (coordinator, support team, staff)"),
        description=gettext_lazy(
            "Saved as a new revision of the community page, published as you. 409 when the "
            "page has an unpublished draft by someone else."
        ),
        request=PlanInputSerializer,
        response=PlanSerializer,
        errors=CONFLICT,
    )
    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    @endpoint(
        "communities_plan_partial_update",
        tag="plan",
        summary=gettext_lazy("Change the objectives or the milestones of the plan"),
        request=PlanInputSerializer,
        response=PlanSerializer,
        errors=CONFLICT,
    )
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)


class SupportApplications(CommunityAPIView):
    @endpoint(
        "communities_support_applications_list",
        tag="plan",
        summary=gettext_lazy("Applications to the support team"),
        description=gettext_lazy(
            "All of them for the coordinator and staff; a member sees their own only."
        ),
        response=SupportApplicationSerializer,
        many=True,
    )
    def get(self, request, pk):
        community = get_community(request, pk)
        rows = services.support.applications(community)
        if not access.can(request.user, Action.MANAGE_SUPPORT_TEAM, community):
            rows = rows.filter(user=request.user)
        return list(rows)

    @endpoint(
        "communities_support_applications_create",
        tag="plan",
        summary=gettext_lazy("Apply to the support team as a domain expert"),
        request=ApplySerializer,
        response=SupportApplicationSerializer,
        status=status.HTTP_201_CREATED,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        community = get_community(request, pk)
        data = validated(ApplySerializer, request)
        return run(services.apply_support, request.user, community, data["motivation"])


def _application(request, pk):
    application = get_object_or_404(
        SupportApplication.objects.select_related("community", "user"), pk=pk
    )
    community = application.community
    if not (
        application.user_id == request.user.pk
        or access.can(request.user, Action.MANAGE_SUPPORT_TEAM, community)
    ):
        raise exceptions.NotFound()
    return application


class SupportApplicationDecision(CommunityAPIView):
    accept = True

    @endpoint(
        "support_applications_decide",
        tag="plan",
        summary=gettext_lazy("Accept or refuse an application (the coordinator, staff)"),
        request=DecisionSerializer,
        response=SupportApplicationSerializer,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        application = _application(request, pk)
        data = validated(DecisionSerializer, request)
        return run(
            services.decide_support_application,
            request.user,
            application,
            self.accept,
            data.get("note", ""),
        )


class SupportApplicationAccept(SupportApplicationDecision):
    accept = True


class SupportApplicationRefuse(SupportApplicationDecision):
    accept = False


class SupportApplicationWithdraw(CommunityAPIView):
    @endpoint(
        "support_applications_withdraw",
        tag="plan",
        summary=gettext_lazy("Withdraw your application"),
        response=SupportApplicationSerializer,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        application = _application(request, pk)
        if application.user_id != request.user.pk:
            raise exceptions.PermissionDenied(_("You cannot withdraw this application."))
        return run(services.withdraw_support_application, request.user, application)
