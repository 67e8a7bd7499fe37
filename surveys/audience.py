"""Who a questionnaire is for, from where it lives (decisions, "Surveys").

- Under the portal's "Sondaggi": every registered member.
- Under a community's reserved area: the community's active members (only its designated
  participants, and the managers, when ``designated_only``).
- Under a working group: the group's active members and the community's managers.

An app whose questionnaires have another audience answers for them through the hooks
``survey_audience`` (``fn(user, page)`` → ``True``/``False``, or ``None`` when the page is not
its own) and ``survey_audience_ids`` (``fn(page)`` → a set of user ids, or ``None``): the Mappa's
campaigns are answered by each Ente's accredited compilers only.

``in_audience`` answers for one user (no query beyond the roles looked up once per request);
``audience_user_ids`` lists them for the invitations (bulk, fixed query count).
"""

from __future__ import annotations

from communities import roles
from communities.models import CommunityAreaPage, Membership, WorkingGroupPage
from mailing.audience import audience_user_ids as space_user_ids
from membership.models import User
from membership.registration import is_registered


def space_of(page) -> tuple[str | None, str | None]:
    """``(community key, working group key)`` of the space a questionnaire lives in."""
    return roles._context_keys(page)


def _hooked(name, *args):
    from wagtail import hooks

    for answer in hooks.get_hooks(name):
        result = answer(*args)
        if result is not None:
            return result
    return None


def in_audience(user, page) -> bool:
    """Whether ``user`` is in the audience of ``page`` (a ``SurveyPage``); seeing the page is
    asked separately (``cms.access.can_view_page``)."""
    if not is_registered(user):
        return False
    hooked = _hooked("survey_audience", user, page)
    if hooked is not None:
        return bool(hooked)
    community_key, wg_key = space_of(page)
    if community_key is None:
        return True
    role = roles.community_roles(user).get(community_key)
    if role is None:
        return False
    if wg_key is not None:
        return role in Membership.MANAGER_ROLES or roles.working_group_role(user, page) is not None
    if page.designated_only:
        return role in Membership.DESIGNATED_ROLES
    return True


def audience_user_ids(page) -> set[int]:
    """Ids of the users ``page`` is for (the invitations' recipients before unsubscriptions)."""
    hooked = _hooked("survey_audience_ids", page)
    if hooked is not None:
        return set(hooked)
    parent = page.get_parent().specific
    if isinstance(parent, (CommunityAreaPage, WorkingGroupPage)):
        return space_user_ids(parent, "designated" if page.designated_only else "all")
    return set(
        User.objects.filter(
            is_active=True,
            deleted_at__isnull=True,
            onboarded_at__isnull=False,
            fiscal_number__isnull=False,
        ).values_list("pk", flat=True)
    )
