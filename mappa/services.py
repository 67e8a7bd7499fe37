"""Every write of the Mappa: accreditation of compilers, the Ente's shared draft (with the
history of who changed what), the submission and its scores, the deadline's extensions.

Answers go through the questionnaire engine (``surveys.services``): the campaigns'
questionnaires are ``SurveyPage``\\ s answered once per Ente, whose audience is the Ente's
accredited compilers (``mappa.wagtail_hooks`` answers the engine's ``survey_audience`` hook).
Errors are the shared ``cms.errors``: ``Refused`` (403), ``Invalid`` (400), ``Conflict`` (409:
``no_ente``, ``already``, ``closed``, ``not_open``, ``submitted``, ``not_pending``...).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, errors
from cms.templatetags.portal_tags import human_date
from membership.enti import population_class
from surveys import services as survey_services
from surveys.forms import AnswerForm
from surveys.models import SurveyPage

from . import scoring
from .models import (
    Accreditation,
    AreaScore,
    Campaign,
    DeadlineExtension,
    DraftChange,
    EnteDraft,
    Submission,
)
from .permissions import Action, accreditation_of

logger = logging.getLogger("mappa")

#: A value kept in the history is cut to this many characters.
HISTORY_VALUE_MAX = 200

#: Set while the Mappa itself sends an Ente's response through the engine: a campaign's
#: questionnaire is answered only here (with the shared draft, the submission and its scores),
#: never through the engine's own pages or API (``mappa.wagtail_hooks.campaign_audience``).
_COMPILING: ContextVar[bool] = ContextVar("mappa_compiling", default=False)


@contextmanager
def compiling():
    token = _COMPILING.set(True)
    try:
        yield
    finally:
        _COMPILING.reset(token)


def is_compiling() -> bool:
    return _COMPILING.get()


def _mappa_paths() -> tuple[str, ...]:
    """Tree paths of the Mappa pages (every translation): the same for everyone, a snapshot per
    page-cache generation (``cms.snapshots``), so that asking about a questionnaire elsewhere
    costs no query."""
    from cms import snapshots

    from .models import MappaPage

    return snapshots.cached(
        "mappa:page-paths",
        lambda: tuple(MappaPage.objects.order_by("path").values_list("path", flat=True)),
    )


def campaign_for_page(page) -> Campaign | None:
    """The campaign whose questionnaire ``page`` is (any translation), or ``None``. Only a
    questionnaire under a Mappa page can be one (``Campaign.clean``): elsewhere, no query."""
    from django.db.models import Q

    path = getattr(page, "path", "") or ""
    if not any(path.startswith(prefix) for prefix in _mappa_paths()):
        return None
    survey = page.survey if isinstance(page, SurveyPage) else page
    return (
        Campaign.objects.filter(Q(full_survey_id=survey.pk) | Q(simplified_survey_id=survey.pk))
        .select_related("full_survey", "simplified_survey")
        .first()
    )


# --- accreditation ----------------------------------------------------------------------------


def request_accreditation(
    user, campaign: Campaign, *, authorised_by: str, authorisation_date, declaration: bool
) -> Accreditation:
    """Ask to compile the campaign for one's Ente, declaring who authorised it."""
    if user.ente_id is None:
        raise errors.Conflict(
            _("Add your authority to your profile first: you compile for it."), code="no_ente"
        )
    existing = accreditation_of(user, campaign)
    if existing is not None:
        raise errors.Conflict(
            _("You already asked on %(date)s (%(status)s).")
            % {
                "date": human_date(timezone.localtime(existing.requested_at)),
                "status": existing.get_status_display().lower(),
            },
            code="already",
        )
    if not access.can(user, Action.REQUEST_ACCREDITATION, campaign):
        raise errors.Refused(_("Only registered members of an authority may compile for it."))
    if timezone.now() >= campaign.closes_at:
        raise errors.Conflict(_("The campaign is closed."), code="closed")
    field_errors = {}
    if authorised_by not in Accreditation.SignedBy.values:
        field_errors["authorised_by"] = [_("Say who authorised you.")]
    if not isinstance(authorisation_date, date):
        field_errors["authorisation_date"] = [_("Give the date of the authorisation.")]
    elif authorisation_date > timezone.localdate():
        field_errors["authorisation_date"] = [_("The date cannot be in the future.")]
    if not declaration:
        field_errors["declaration"] = [_("Accept the declaration to go on.")]
    if field_errors:
        raise errors.Invalid(field_errors)
    try:
        with transaction.atomic():
            return Accreditation.objects.create(
                campaign=campaign,
                ente_id=user.ente_id,
                user=user,
                authorised_by=authorised_by,
                authorisation_date=authorisation_date,
                declaration=True,
            )
    except IntegrityError as error:
        raise errors.Conflict(_("You already asked."), code="already") from error


def decide_accreditation(user, accreditation: Accreditation, approve: bool, reason: str = ""):
    """Staff, or the Ente's referent, approve or refuse a request. The first compiler approved
    for an Ente becomes its referent."""
    if not access.can(user, Action.DECIDE_ACCREDITATION, accreditation):
        raise errors.Refused(_("Only staff and the authority's referent decide on compilers."))
    reason = (reason or "").strip()[:500]
    if not approve and not reason:
        raise errors.Invalid({"reason": [_("Say why the request is refused.")]})
    with transaction.atomic():
        accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
        if accreditation.status != Accreditation.Status.REQUESTED:
            raise errors.Conflict(_("This request was already decided."), code="not_pending")
        accreditation.status = (
            Accreditation.Status.APPROVED if approve else Accreditation.Status.REFUSED
        )
        accreditation.decided_at = timezone.now()
        accreditation.decided_by = user
        accreditation.reason = reason
        if approve:
            accreditation.is_referent = not Accreditation.objects.filter(
                campaign=accreditation.campaign,
                ente=accreditation.ente,
                status=Accreditation.Status.APPROVED,
                is_referent=True,
            ).exists()
        accreditation.save()
    return accreditation


def revoke_accreditation(user, accreditation: Accreditation, reason: str = ""):
    if not access.can(user, Action.DECIDE_ACCREDITATION, accreditation):
        raise errors.Refused(_("Only staff and the authority's referent decide on compilers."))
    if accreditation.status != Accreditation.Status.APPROVED:
        raise errors.Conflict(_("Only an approved compiler can be revoked."), code="not_pending")
    accreditation.status = Accreditation.Status.REVOKED
    accreditation.is_referent = False
    accreditation.decided_at = timezone.now()
    accreditation.decided_by = user
    accreditation.reason = (reason or "").strip()[:500]
    accreditation.save()
    return accreditation


# --- compiling --------------------------------------------------------------------------------


def submission_of(campaign: Campaign, ente_id) -> Submission | None:
    return (
        Submission.objects.select_related("submitted_by")
        .filter(campaign=campaign, ente_id=ente_id)
        .first()
    )


def _check_compiling(user, campaign: Campaign) -> None:
    if not access.can(user, Action.COMPILE_FOR_ENTE, campaign):
        raise errors.Refused(_("Only the accredited compilers of an authority compile for it."))
    now = timezone.now()
    if now < campaign.opens_at:
        raise errors.Conflict(
            _("The campaign opens on %(date)s.")
            % {"date": human_date(timezone.localtime(campaign.opens_at))},
            code="not_open",
        )
    if now >= campaign.closes_at:
        raise errors.Conflict(
            _("The campaign closed on %(date)s: answers are no longer accepted.")
            % {"date": human_date(timezone.localtime(campaign.closes_at))},
            code="closed",
        )
    sent = submission_of(campaign, user.ente_id)
    if sent is not None:
        raise errors.Conflict(
            _("%(name)s already sent the response of %(ente)s on %(date)s.")
            % {
                "name": sent.submitted_by.get_full_name()
                if sent.submitted_by
                else _("A colleague"),
                "ente": user.ente,
                "date": human_date(timezone.localtime(sent.submitted_at)),
            },
            code="submitted",
        )


def draft_of(campaign: Campaign, ente_id) -> EnteDraft | None:
    return EnteDraft.objects.filter(campaign=campaign, ente_id=ente_id).first()


def variant_for_compiling(campaign: Campaign, ente) -> tuple[str, bool]:
    """``(variant, changed)``: the variant the Ente compiles — the one its draft started on,
    kept even if its population class changed since (``changed`` says so), otherwise the one
    its population gives."""
    draft = draft_of(campaign, ente.pk)
    current = campaign.variant_for(ente)
    if draft is not None:
        return draft.variant, draft.variant != current
    return current, False


def _diff(before: dict, after: dict) -> dict:
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            changes[name] = [
                [str(v)[:HISTORY_VALUE_MAX] for v in old],
                [str(v)[:HISTORY_VALUE_MAX] for v in new],
            ]
    return changes


def save_draft(user, campaign: Campaign, data) -> EnteDraft:
    """Save what a compiler typed so far into the Ente's shared draft, recording what changed."""
    _check_compiling(user, campaign)
    ente = user.ente
    variant, _changed = variant_for_compiling(campaign, ente)
    page = campaign.survey_for(variant)
    version = survey_services.version_for_answering(page)
    raw = AnswerForm(version.definition, data=data).raw_data()
    for name, values in raw.items():
        if any(len(value) > survey_services.DRAFT_VALUE_MAX for value in values):
            raise errors.Invalid(
                {name: [_("This answer is too long to be saved.")]},
            )
    with transaction.atomic():
        draft, created = EnteDraft.objects.select_for_update().get_or_create(
            campaign=campaign,
            ente=ente,
            defaults={"variant": variant, "version": version, "data": {}, "updated_by": user},
        )
        changes = _diff(draft.data, raw)
        if changes or created:
            draft.data = raw
            draft.version = version
            draft.updated_at = timezone.now()
            draft.updated_by = user
            draft.save()
            if changes:
                DraftChange.objects.create(draft=draft, user=user, changes=changes)
    return draft


def submit(user, campaign: Campaign, data) -> Submission:
    """Send the Ente's response (one per Ente): validated by the engine; on errors the shared
    draft keeps everything typed (``surveys.services.SurveyInvalid`` carries the form)."""
    _check_compiling(user, campaign)
    ente = user.ente
    variant, _changed = variant_for_compiling(campaign, ente)
    page = campaign.survey_for(variant)
    save_draft(user, campaign, data)
    try:
        with compiling():
            response = survey_services.submit(user, page, data, keep_draft=False)
    except errors.Conflict as error:
        raise errors.Conflict(error.user_message, code="submitted") from error
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                campaign=campaign,
                ente=ente,
                response=response,
                variant=variant,
                submitted_by=user,
                region=ente.region,
                province_code=ente.province_code,
                population_class=population_class(ente.population),
                ente_kind=ente.kind,
            )
            store_scores(submission)
    except IntegrityError as error:
        raise errors.Conflict(_("The response was sent meanwhile."), code="submitted") from error
    logger.info("mappa.submitted", extra={"campaign": campaign.pk, "ente": ente.pk})
    return submission


def store_scores(submission: Submission, answers: dict | None = None) -> dict[str, float]:
    """Compute and store the scores of ``submission`` by the campaign's rules."""
    campaign = submission.campaign
    if not campaign.rules:
        return {}
    rules = scoring.load(campaign.rules)
    response = submission.response
    if answers is None:
        answers = survey_services.response_answers(response)
    scores = scoring.score(rules, response.version.definition, answers)
    AreaScore.objects.filter(submission=submission).delete()
    AreaScore.objects.bulk_create(
        AreaScore(
            submission=submission,
            campaign=campaign,
            area=area,
            score=value,
            region=submission.region,
            population_class=submission.population_class,
            ente_kind=submission.ente_kind,
        )
        for area, value in scores.items()
    )
    total = round(sum(scores.values()) / len(scores), 1) if scores else None
    Submission.objects.filter(pk=submission.pk).update(total_score=total)
    submission.total_score = total
    return scores


# --- the campaign -----------------------------------------------------------------------------


def extend_deadline(user, campaign: Campaign, new_deadline, reason: str = "") -> DeadlineExtension:
    """Staff move the campaign's deadline later (its questionnaires' close), keeping a record."""
    if not access.can(user, Action.MANAGE_CAMPAIGN, campaign):
        raise errors.Refused(_("Only staff extend a campaign."))
    previous = campaign.closes_at
    if new_deadline is None or new_deadline <= previous:
        raise errors.Invalid({"deadline": [_("The new deadline must come after the current one.")]})
    with transaction.atomic():
        for page in campaign.surveys():
            page = SurveyPage.objects.get(pk=page.pk)
            page.closes_at = new_deadline
            revision = page.save_revision(user=user, log_action=True)
            revision.publish(user=user, skip_permission_checks=True)
        return DeadlineExtension.objects.create(
            campaign=campaign,
            previous=previous,
            new=new_deadline,
            reason=(reason or "").strip()[:500],
            by=user,
        )
