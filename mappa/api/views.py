"""The Mappa in the community API (``/api/community/v1/``, tag ``mappa``; included by
``communities/api/urls.py``), for signed-in registered members, with the site's policy:

- ``GET mappa/campaigns/`` (``?kind=mappa|competence``) and ``GET mappa/campaigns/<slug>/``: the
  campaigns whose questionnaire is live, with their dates, the deadline's extensions and my
  state (my authority, my request to compile, the version my authority compiles and why, who
  sent its response and when); the detail adds the questions of that version;
- ``POST mappa/campaigns/<slug>/accreditation/``: ask to compile for my authority (201);
- ``GET mappa/campaigns/<slug>/accreditations/``: the requests to decide (an authority's
  referent: its pending requests; staff: all, ``?status=``), and
  ``POST mappa/accreditations/<id>/approve/`` and ``.../refuse/`` (a ``reason``, required to
  refuse; the member is emailed, as from the site);
- ``GET|PUT mappa/campaigns/<slug>/draft/``: my authority's shared draft, in the questionnaire
  engine's format (``{"answers": {field name: [values]}}``), with its version (``variant``,
  ``variant_changed``) and its last changes;
- ``POST mappa/campaigns/<slug>/submission/``: send my authority's response (201);
- ``GET mappa/campaigns/<slug>/report/``: my authority's report (``?ente=<id>`` for staff):
  scores per area, medians and percentiles per comparison group, the agenda digitale;
- ``GET mappa/campaigns/<slug>/territories/<kind>/<code>/`` (tag ``competence``): a competence
  campaign's territory (``province``/<abbreviation> or ``union``/<id>), for staff and the members
  of its authorities: who needs and who offers each topic, and the matching list for an
  authority (``?ente=``, else mine).

Errors: **404** an unknown campaign (or one whose questionnaire is not live), a request of
another authority, a report I may not see (nothing disclosed); **403** not a compiler, not the
referent; **409** ``no_ente`` (no authority in my profile), ``already``, ``closed``,
``not_open``, ``submitted``, ``not_pending``; **400** by field name: a field the questionnaire
does not have, answers that do not validate (everything sent is kept in the shared draft), a
declaration or a decision with errors. The answers' names and errors are the surveys API's
(``surveys.api.views``), whose helpers this module uses.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser

from cms import access
from cms.api_errors import ConflictError, run
from communities.api.support import CommunityAPIView, endpoint, validated
from surveys import services as survey_services
from surveys.api.serializers import AnswersInputSerializer
from surveys.api.views import _answers, _sections

from .. import emails, permissions, services
from .. import report as report_module
from .. import territory as territory_module
from ..models import Accreditation, Campaign, DraftChange
from ..permissions import Action
from ..views.compile import CHANGES_SHOWN, get_campaign, variant_text
from ..views.report import submission_or_404
from . import serializers as s

TAG = "mappa"
COMPETENCE_TAG = "competence"
#: At most this many campaigns in a listing (newest first).
LIST_LIMIT = 100
#: At most this many requests in a listing of accreditations (oldest first).
ACCREDITATIONS_LIMIT = 500


def _error(description):
    return OpenApiResponse(s.MappaErrorSerializer, description=description)


NOT_COMPILER = {403: _error(gettext_lazy("Not an accredited compiler of your authority."))}
COMPILING_CONFLICT = {
    409: _error(
        gettext_lazy(
            "No authority in your profile (no_ente), the campaign not open yet (not_open) or "
            "closed (closed), your authority's response already sent (submitted)."
        )
    )
}


class MappaAPIView(CommunityAPIView):
    parser_classes = [JSONParser]


# --- helpers ----------------------------------------------------------------------------------


def _name(user) -> str | None:
    return user.get_full_name() if user is not None else None


def _state(campaign, now) -> str:
    if now < campaign.opens_at:
        return "not_open"
    return "closed" if now >= campaign.closes_at else "open"


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def _accreditation(accreditation: Accreditation) -> Accreditation:
    accreditation.api_ente = _ref(accreditation.ente)
    accreditation.api_user = {"id": accreditation.user_id, "name": _name(accreditation.user)}
    accreditation.api_decided_by = _name(accreditation.decided_by)
    return accreditation


def _my_accreditation(user, campaign) -> Accreditation | None:
    """The user's live request, else the last one decided against them (refused, revoked)."""
    live = permissions.accreditation_of(user, campaign)
    queryset = Accreditation.objects.select_related("ente", "user", "decided_by", "campaign")
    if live is not None:
        return queryset.get(pk=live.pk)
    return (
        queryset.filter(
            campaign=campaign,
            user=user,
            status__in=[Accreditation.Status.REFUSED, Accreditation.Status.REVOKED],
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


def _submission(user, submission):
    submission.api_submitted_by = _name(submission.submitted_by) or _("A colleague")
    submission.api_report_visible = access.can(user, Action.VIEW_ENTE_REPORT, submission)
    return submission


def _decorate(user, campaign: Campaign, *, now=None) -> Campaign:
    """Give the campaign its URL, state, extensions and the user's state."""
    now = now or timezone.now()
    ente = user.ente if user.ente_id else None
    accreditation = _my_accreditation(user, campaign)
    me = {
        "ente": _ref(ente),
        "accreditation": _accreditation(accreditation) if accreditation else None,
        "may_request": access.can(user, Action.REQUEST_ACCREDITATION, campaign)
        and now < campaign.closes_at,
        "is_compiler": False,
        "is_referent": False,
        "variant": None,
        "variant_reason": "",
        "variant_changed": False,
        "submission": None,
    }
    if ente is not None:
        variant, changed = services.variant_for_compiling(campaign, ente)
        me["is_compiler"] = permissions.is_compiler(user, campaign, ente.pk)
        me["is_referent"] = permissions.is_referent(user, campaign, ente.pk)
        me["variant"] = variant
        me["variant_reason"] = variant_text(campaign, ente, variant, changed)
        me["variant_changed"] = changed
        submission = services.submission_of(campaign, ente.pk)
        if submission is not None:
            me["submission"] = _submission(user, submission)
    campaign.api_me = me
    campaign.api_url = reverse("mappa:campaign", args=[campaign.slug])
    campaign.api_state = _state(campaign, now)
    campaign.api_has_simplified = campaign.simplified_survey_id is not None
    campaign.api_extensions = list(campaign.extensions.all())
    return campaign


def _campaigns():
    return Campaign.objects.select_related("full_survey", "simplified_survey").filter(
        full_survey__live=True
    )


def _no_ente():
    return ConflictError(
        _("Add your authority to your profile first: you compile for it."), code="no_ente"
    )


def _check_compiler(request, campaign) -> None:
    """409 without an authority, 403 for who is not its accredited compiler (before reading
    the answers; the services ask again)."""
    user = request.user
    if user.ente_id is None:
        raise _no_ente()
    if access.can(user, Action.COMPILE_FOR_ENTE, campaign):
        return
    accreditation = permissions.accreditation_of(user, campaign)
    if accreditation is not None and accreditation.status == Accreditation.Status.REQUESTED:
        message = _(
            "Your request to compile for %(ente)s is waiting for a decision of its referent or "
            "of the staff."
        ) % {"ente": user.ente}
    else:
        message = _(
            "Only the accredited compilers of an authority compile for it: ask to compile first."
        )
    raise exceptions.PermissionDenied(message)


def _compiled_page(user, campaign):
    """``(variant, changed, questionnaire page)`` the user's authority compiles."""
    variant, changed = services.variant_for_compiling(campaign, user.ente)
    return variant, changed, campaign.survey_for(variant)


def _draft_data(user, campaign) -> dict:
    ente = user.ente
    variant, changed, page = _compiled_page(user, campaign)
    draft = services.draft_of(campaign, ente.pk)
    changes = []
    if draft is not None:
        draft = type(draft).objects.select_related("updated_by", "version").get(pk=draft.pk)
        changes = list(
            DraftChange.objects.filter(draft=draft).select_related("user")[:CHANGES_SHOWN]
        )
        for change in changes:
            change.api_user = _name(change.user)
        version = draft.version.number
    else:
        version = survey_services.version_for_answering(page).number
    return {
        "campaign": campaign.slug,
        "ente": _ref(ente),
        "variant": variant,
        "variant_reason": variant_text(campaign, ente, variant, changed),
        "variant_changed": changed,
        "survey": page.pk,
        "version": version,
        "answers": draft.data if draft else {},
        "updated_at": draft.updated_at if draft else None,
        "updated_by": _name(draft.updated_by) if draft else None,
        "changes": changes,
    }


# --- campaigns --------------------------------------------------------------------------------


class CampaignList(MappaAPIView):
    @endpoint(
        "mappa_campaigns_list",
        tag=TAG,
        summary=gettext_lazy("The campaigns"),
        description=gettext_lazy(
            "The Mappa's and the competence-centre survey's campaigns whose questionnaire is "
            "published (newest first, at most 100), with their dates, the deadline's "
            "extensions and my state."
        ),
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                enum=list(Campaign.Kind.values),
                description=gettext_lazy("Only of this kind"),
            )
        ],
        response=s.CampaignSerializer,
        many=True,
        errors={400: OpenApiResponse(description=gettext_lazy("Invalid filter."))},
    )
    def get(self, request):
        campaigns = _campaigns().prefetch_related("extensions")
        kind = request.query_params.get("kind")
        if kind:
            if kind not in Campaign.Kind.values:
                raise exceptions.ValidationError(
                    {
                        "kind": [
                            _("Choose one of: %(values)s.")
                            % {"values": ", ".join(Campaign.Kind.values)}
                        ]
                    }
                )
            campaigns = campaigns.filter(kind=kind)
        now = timezone.now()
        return [
            _decorate(request.user, campaign, now=now)
            for campaign in campaigns.order_by("-created_at", "-pk")[:LIST_LIMIT]
        ]


class CampaignDetail(MappaAPIView):
    @endpoint(
        "mappa_campaigns_detail",
        tag=TAG,
        summary=gettext_lazy("A campaign, with my state and the questions I would compile"),
        description=gettext_lazy(
            "The version my authority compiles (simplified for the Comuni under the "
            "threshold, chosen when its draft was started) and why, with its sections and "
            "questions: their keys, kinds, options, conditions and the form field names the "
            "draft and the submission use."
        ),
        response=s.CampaignDetailSerializer,
    )
    def get(self, request, slug):
        campaign = _decorate(request.user, get_campaign(slug))
        campaign.api_questionnaire = None
        if request.user.ente_id is not None:
            variant, _changed, page = _compiled_page(request.user, campaign)
            version = survey_services.version_for_answering(page)
            campaign.api_questionnaire = {
                "survey": page.pk,
                "version": version.number,
                "variant": variant,
                "sections": _sections(page, version),
            }
        return campaign


# --- accreditation ----------------------------------------------------------------------------


class AccreditationRequest(MappaAPIView):
    @endpoint(
        "mappa_accreditation_request",
        tag=TAG,
        summary=gettext_lazy("Ask to compile for my authority"),
        description=gettext_lazy(
            "With the declaration: who authorised me and when. The authority's referent (the "
            "first compiler approved) or the staff decide."
        ),
        request=s.AccreditationRequestSerializer,
        response=s.AccreditationSerializer,
        status=status.HTTP_201_CREATED,
        errors={
            409: _error(
                gettext_lazy(
                    "No authority in your profile (no_ente), a request already pending or "
                    "approved (already), the campaign closed (closed)."
                )
            )
        },
    )
    def post(self, request, slug):
        campaign = get_campaign(slug)
        data = validated(s.AccreditationRequestSerializer, request)
        accreditation = run(services.request_accreditation, request.user, campaign, **data)
        return _accreditation(accreditation)


class AccreditationList(MappaAPIView):
    @endpoint(
        "mappa_accreditations_list",
        tag=TAG,
        summary=gettext_lazy("Requests to compile, to decide"),
        description=gettext_lazy(
            "An authority's referent: its colleagues' pending requests (oldest first). Staff: "
            "every request of the campaign (at most 500, oldest first), filtered by status."
        ),
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=list(Accreditation.Status.values),
                description=gettext_lazy("Only in this status (staff)"),
            )
        ],
        response=s.AccreditationSerializer,
        many=True,
        errors={
            400: OpenApiResponse(description=gettext_lazy("Invalid filter.")),
            403: _error(gettext_lazy("Neither staff nor your authority's referent.")),
        },
    )
    def get(self, request, slug):
        campaign = get_campaign(slug)
        user = request.user
        wanted = request.query_params.get("status")
        if wanted and wanted not in Accreditation.Status.values:
            raise exceptions.ValidationError(
                {
                    "status": [
                        _("Choose one of: %(values)s.")
                        % {"values": ", ".join(Accreditation.Status.values)}
                    ]
                }
            )
        rows = Accreditation.objects.filter(campaign=campaign).select_related(
            "ente", "user", "decided_by", "campaign"
        )
        if access.can(user, Action.MANAGE_CAMPAIGN, campaign):
            if wanted:
                rows = rows.filter(status=wanted)
        elif user.ente_id is not None and permissions.is_referent(user, campaign, user.ente_id):
            rows = rows.pending().filter(ente_id=user.ente_id).exclude(user=user)
        else:
            raise exceptions.PermissionDenied(
                _("Only staff and the authority's referent decide on compilers.")
            )
        rows = rows.order_by("requested_at", "pk")[:ACCREDITATIONS_LIMIT]
        return [_accreditation(row) for row in rows]


DECISION_ERRORS = {
    403: _error(gettext_lazy("Neither staff nor the authority's referent.")),
    409: _error(gettext_lazy("Already decided (not_pending).")),
}


def _decide(request, pk, approve: bool) -> Accreditation:
    """The referent's or staff's decision on request ``pk``; 404 for another authority's."""
    user = request.user
    accreditation = get_object_or_404(
        Accreditation.objects.select_related("ente", "user", "campaign", "campaign__full_survey"),
        pk=pk,
    )
    campaign = accreditation.campaign
    staff = access.can(user, Action.MANAGE_CAMPAIGN, campaign)
    if not campaign.full_survey.live or (not staff and accreditation.ente_id != user.ente_id):
        raise exceptions.NotFound()  # another authority's request: not disclosed
    data = validated(s.AccreditationDecisionSerializer, request)
    decided = run(services.decide_accreditation, user, accreditation, approve, data["reason"])
    emails.notify_decision(decided)
    decided = Accreditation.objects.select_related("ente", "user", "decided_by", "campaign").get(
        pk=decided.pk
    )
    return _accreditation(decided)


class AccreditationApprove(MappaAPIView):
    @endpoint(
        "mappa_accreditations_approve",
        tag=TAG,
        summary=gettext_lazy("Approve a request (the referent, staff)"),
        description=gettext_lazy(
            "The member is emailed the decision. The first compiler approved for an authority "
            "becomes its referent."
        ),
        request=s.AccreditationDecisionSerializer,
        response=s.AccreditationSerializer,
        errors=DECISION_ERRORS,
    )
    def post(self, request, pk):
        return _decide(request, pk, approve=True)


class AccreditationRefuse(MappaAPIView):
    @endpoint(
        "mappa_accreditations_refuse",
        tag=TAG,
        summary=gettext_lazy("Refuse a request (the referent, staff)"),
        description=gettext_lazy("With a reason (required), emailed to the member."),
        request=s.AccreditationDecisionSerializer,
        response=s.AccreditationSerializer,
        errors=DECISION_ERRORS,
    )
    def post(self, request, pk):
        return _decide(request, pk, approve=False)


# --- compiling --------------------------------------------------------------------------------


class EnteDraftView(MappaAPIView):
    @endpoint(
        "mappa_draft_get",
        tag=TAG,
        summary=gettext_lazy("My authority's shared draft"),
        description=gettext_lazy(
            "What its compilers typed so far (valid or not), on the version it was started "
            "on, with its last changes: who, when, which fields (values before and after). "
            "Empty answers when nobody started it."
        ),
        response=s.EnteDraftSerializer,
        errors={
            **NOT_COMPILER,
            409: _error(gettext_lazy("No authority in your profile (no_ente).")),
        },
    )
    def get(self, request, slug):
        campaign = get_campaign(slug)
        _check_compiler(request, campaign)
        return _draft_data(request.user, campaign)

    @endpoint(
        "mappa_draft_save",
        tag=TAG,
        summary=gettext_lazy("Save my authority's shared draft"),
        description=gettext_lazy(
            "Replaces the draft's answers with these, kept as typed (valid or not: they are "
            "checked when sending); the changes are recorded with my name."
        ),
        request=AnswersInputSerializer,
        response=s.EnteDraftSerializer,
        errors={**NOT_COMPILER, **COMPILING_CONFLICT},
    )
    def put(self, request, slug):
        campaign = get_campaign(slug)
        _check_compiler(request, campaign)
        _variant, _changed, page = _compiled_page(request.user, campaign)
        answers = _answers(request, page)
        run(services.save_draft, request.user, campaign, answers)
        return _draft_data(request.user, campaign)


class SubmissionView(MappaAPIView):
    @endpoint(
        "mappa_submission_send",
        tag=TAG,
        summary=gettext_lazy("Send my authority's response"),
        description=gettext_lazy(
            "Once per authority. Answers that do not validate: 400 with the messages by field "
            "name, and everything sent is kept in the shared draft. Sent, the response is "
            "scored and the report is ready."
        ),
        request=AnswersInputSerializer,
        response=s.SubmissionSerializer,
        status=status.HTTP_201_CREATED,
        errors={**NOT_COMPILER, **COMPILING_CONFLICT},
    )
    def post(self, request, slug):
        campaign = get_campaign(slug)
        _check_compiler(request, campaign)
        _variant, _changed, page = _compiled_page(request.user, campaign)
        answers = _answers(request, page)
        submission = run(services.submit, request.user, campaign, answers)
        submission.api_ente = _ref(request.user.ente)
        submission.api_submitted_by = _name(request.user)
        submission.api_report = reverse("mappa:report", args=[campaign.slug])
        return submission


# --- the report -------------------------------------------------------------------------------


class ReportView(MappaAPIView):
    @endpoint(
        "mappa_report",
        tag=TAG,
        summary=gettext_lazy("My authority's report"),
        description=gettext_lazy(
            "For its compilers, its members who are designated participants, staff (another "
            "authority's with ``ente``). The score from 0 to 100 per area and in total, "
            "compared with the Comuni of the same region, of the same population class and "
            "nationally (median and percentile; a group of fewer than 5 shows no figures), "
            "and the agenda digitale: for each weak area, the portal's kits, webinars, "
            "courses, communities and outputs that address it. 404 before the response is "
            "sent."
        ),
        parameters=[
            OpenApiParameter(
                "ente", int, description=gettext_lazy("Another authority's id (staff)")
            )
        ],
        response=s.ReportSerializer,
    )
    def get(self, request, slug):
        campaign = get_campaign(slug)
        submission = submission_or_404(request, campaign)
        data = report_module.build(submission)
        query = f"?ente={submission.ente_id}" if request.query_params.get("ente") else ""
        return {
            "campaign": campaign.slug,
            "ente": _ref(submission.ente),
            "region": submission.region,
            "population_class": submission.population_class,
            "variant": submission.variant,
            "submitted_at": submission.submitted_at,
            "submitted_by": _name(submission.submitted_by) or _("A colleague"),
            "minimum": report_module.MIN_GROUP,
            "areas": data["rows"],
            "total": data["total"],
            "agenda": data["agenda"],
            "url": reverse("mappa:report", args=[campaign.slug]) + query,
            "pdf": reverse("mappa:report_pdf", args=[campaign.slug]) + query,
        }


# --- the competence-centre survey's territories -------------------------------------------------


def _topic_entes(pairs) -> list[dict]:
    return [{"ente": {"id": e.ente_id, "name": e.label}, "questions": q} for e, q in pairs]


class TerritoryView(MappaAPIView):
    @endpoint(
        "competence_territory",
        tag=COMPETENCE_TAG,
        summary=gettext_lazy("A territory of the competence-centre survey"),
        description=gettext_lazy(
            "A province (``province``, its abbreviation: ``RM``) or a union of Comuni "
            "(``union``, its id), for staff and the registered members of its authorities (a "
            "404 for everyone else: a territory is not disclosed). Who needs and who offers "
            "each topic among the authorities that answered, each one's needs, offers and IT "
            "resources, and the matching list for one of them (``ente``, else mine)."
        ),
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                OpenApiParameter.PATH,
                enum=[territory_module.PROVINCE, territory_module.UNION],
            ),
            OpenApiParameter(
                "ente",
                int,
                description=gettext_lazy("The authority whose matches to list (of the territory)"),
            ),
        ],
        response=s.TerritoryViewSerializer,
    )
    def get(self, request, slug, kind, code):
        campaign = get_campaign(slug)
        if campaign.kind != Campaign.Kind.COMPETENCE:
            raise exceptions.NotFound()
        if kind == territory_module.PROVINCE:
            found = territory_module.province(code)
        elif kind == territory_module.UNION:
            found = territory_module.union(code) if code.isdigit() and len(code) < 19 else None
        else:
            found = None
        if found is None or not access.can(request.user, Action.VIEW_TERRITORY, found):
            raise exceptions.NotFound()
        view = territory_module.build(campaign, found)
        raw = request.query_params.get("ente")
        ente_id = request.user.ente_id
        if raw:
            ente_id = int(raw) if raw.isdigit() and len(raw) < 19 else None
        chosen = view.entry(ente_id) if ente_id else None
        matches = None
        if chosen is not None:
            matches = {
                "ente": {"id": chosen.ente_id, "name": chosen.label},
                "topics": [
                    {
                        "topic": match.topic,
                        "needs": match.needs,
                        "offered_by": _topic_entes(match.offered_by),
                    }
                    for match in territory_module.matches(view, chosen.ente_id)
                ],
            }
        rules = view.rules
        return {
            "campaign": campaign.slug,
            "territory": {
                "kind": found.kind,
                "code": found.code,
                "name": found.name,
                "label": found.label,
            },
            "needs": rules.needs,
            "offers": rules.offers,
            "details": rules.details,
            "topics": [
                {
                    "topic": row.topic,
                    "needed_by": _topic_entes(row.needed_by),
                    "offered_by": _topic_entes(row.offered_by),
                }
                for row in view.topics
            ],
            "enti": [
                {
                    "ente": {"id": entry.ente_id, "name": entry.label},
                    "istat_code": entry.istat_code,
                    "province_code": entry.province_code,
                    "region": entry.region,
                    "population": entry.population,
                    "is_demo": entry.is_demo,
                    "needs": entry.needs,
                    "offers": entry.offers,
                    "details": entry.details,
                }
                for entry in view.entries
            ],
            "matches": matches,
            "csv": found.csv_url(campaign),
            "url": found.url(campaign),
        }
