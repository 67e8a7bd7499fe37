"""Who an announcement is for: the active members of its community (all, or the designated
ones), or of its working group plus the community's managers. Bulk reads, fixed query counts."""

from __future__ import annotations

from communities.models import (
    CommunityAreaPage,
    CommunityPage,
    Membership,
    WorkingGroupMembership,
    WorkingGroupPage,
)


def spaces_of(parent) -> tuple[CommunityPage | None, WorkingGroupPage | None]:
    """``(community, working group or None)`` of an announcement's parent page."""
    parent = getattr(parent, "specific", parent)
    if isinstance(parent, WorkingGroupPage):
        area = parent.get_parent()
        community = area.get_parent().specific if area is not None else None
        return community, parent
    if isinstance(parent, CommunityAreaPage):
        return parent.get_parent().specific, None
    return None, None


def audience_user_ids(parent, audience: str) -> set[int]:
    """Ids of the users in the audience of an announcement published under ``parent``."""
    community, group = spaces_of(parent)
    if community is None:
        return set()
    members = Membership.objects.active().of(community)
    if group is not None:
        in_group = WorkingGroupMembership.objects.active().of(group).values("user_id")
        rows = members.filter(role__in=Membership.MANAGER_ROLES) | members.filter(
            user_id__in=in_group
        )
        members = rows
    if audience == "designated":
        members = members.filter(role__in=Membership.DESIGNATED_ROLES)
    return set(members.values_list("user_id", flat=True))


def sees(role: str | None, audience: str, in_group: bool | None) -> bool:
    """Whether a member with community ``role`` is in an announcement's audience (``in_group``:
    ``None`` for a community announcement, else whether they are an active member of the
    group). The Python twin of ``audience_user_ids``, for the digests."""
    if role is None:
        return False
    if in_group is not None and not in_group and role not in Membership.MANAGER_ROLES:
        return False
    return audience != "designated" or role in Membership.DESIGNATED_ROLES
