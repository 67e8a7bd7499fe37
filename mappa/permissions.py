"""The Mappa's rules, registered with ``cms.access`` (``MappaConfig.ready``).

- ``request_accreditation`` (a campaign): a registered member whose profile names their Ente,
  without a pending or approved accreditation in that campaign.
- ``decide_accreditation`` (an accreditation): staff, or the Ente's accredited referent in that
  campaign (never on their own request).
- ``compile_for_ente`` (a campaign): an approved compiler of their Ente in that campaign. Open,
  closed, already submitted are the campaign's state (409), not a permission.
- ``view_ente_report`` (a submission): the Ente's approved compilers in the campaign, the
  Ente's members who are designated participants of a community, staff.
- ``manage_campaign`` (a campaign): staff (extend the deadline, follow the participation).
- ``view_territory`` (a ``mappa.territory.Territory``: a province or a union of Comuni): staff,
  and the registered members whose Ente is in that territory (its province; a member Comune
  of the union, or the union itself). Everyone else gets a 404: a territory is not disclosed.
"""

from __future__ import annotations

from cms import access
from membership import registration

from .models import Accreditation, Campaign, Submission
from .territory import Territory


class Action:
    REQUEST_ACCREDITATION = "request_accreditation"
    DECIDE_ACCREDITATION = "decide_accreditation"
    COMPILE_FOR_ENTE = "compile_for_ente"
    VIEW_ENTE_REPORT = "view_ente_report"
    MANAGE_CAMPAIGN = "manage_campaign"
    VIEW_TERRITORY = "view_territory"
    ALL = (
        REQUEST_ACCREDITATION,
        DECIDE_ACCREDITATION,
        COMPILE_FOR_ENTE,
        VIEW_ENTE_REPORT,
        MANAGE_CAMPAIGN,
        VIEW_TERRITORY,
    )


def accreditation_of(user, campaign) -> Accreditation | None:
    """The user's live (requested or approved) accreditation in ``campaign``."""
    return access.memo(
        user,
        f"mappa:accreditation:{campaign.pk}",
        lambda: Accreditation.objects.filter(
            campaign=campaign,
            user=user,
            status__in=[Accreditation.Status.REQUESTED, Accreditation.Status.APPROVED],
        ).first(),
    )


def is_compiler(user, campaign, ente_id=None) -> bool:
    accreditation = accreditation_of(user, campaign)
    return (
        accreditation is not None
        and accreditation.status == Accreditation.Status.APPROVED
        and accreditation.ente_id == user.ente_id
        and (ente_id is None or accreditation.ente_id == ente_id)
    )


def is_referent(user, campaign, ente_id) -> bool:
    accreditation = accreditation_of(user, campaign)
    return is_compiler(user, campaign, ente_id) and accreditation.is_referent


def _designated_somewhere(user) -> bool:
    from communities.models import Membership

    return access.memo(
        user,
        "mappa:designated",
        lambda: (
            Membership.objects.active()
            .filter(user=user, role__in=Membership.DESIGNATED_ROLES)
            .exists()
        ),
    )


def decide(user, action: str, obj) -> bool:
    staff = user.is_superuser or access.is_staff(user)
    if action == Action.MANAGE_CAMPAIGN:
        return staff and isinstance(obj, Campaign)
    if action == Action.REQUEST_ACCREDITATION:
        return (
            isinstance(obj, Campaign)
            and registration.is_registered(user)
            and user.ente_id is not None
            and accreditation_of(user, obj) is None
        )
    if action == Action.COMPILE_FOR_ENTE:
        return (
            isinstance(obj, Campaign)
            and registration.is_registered(user)
            and is_compiler(user, obj)
        )
    if action == Action.DECIDE_ACCREDITATION:
        if not isinstance(obj, Accreditation):
            return False
        if staff:
            return True
        return obj.user_id != user.pk and is_referent(user, obj.campaign, obj.ente_id)
    if action == Action.VIEW_ENTE_REPORT:
        if not isinstance(obj, Submission):
            return False
        if staff:
            return True
        if user.ente_id != obj.ente_id or not registration.is_registered(user):
            return False
        return is_compiler(user, obj.campaign, obj.ente_id) or _designated_somewhere(user)
    if action == Action.VIEW_TERRITORY:
        if not isinstance(obj, Territory):
            return False
        if staff:
            return True
        if not registration.is_registered(user) or user.ente_id is None:
            return False
        return access.memo(
            user,
            f"mappa:territory:{obj.kind}:{obj.code}",
            lambda: obj.contains(user.ente_id),
        )
    return False


def install() -> None:
    access.register(Action.ALL, decide)
