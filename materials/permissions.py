"""The materials' rules, registered with ``cms.access`` (``MaterialsConfig.ready``).

Everything of a working group's workspace lives in the group's space (``space_keys()``), so the
community roles decide (``communities.roles``); the rows of ``docs/permissions.md`` are tested
cell by cell.

- ``view_materials``, ``contribute_material``, ``comment_material`` (a working group or anything
  in its workspace): the group's active members, the community's coordinator and support team.
  Suspended or removed members count for nothing, as everywhere.
- ``resolve_comment`` (a comment thread): its author, the group's coordinator, the community's
  managers.
- ``view_material_version`` (a version): as ``view_materials``; a version submitted to a
  validation round is read by every participant of the community too (they validate it) and
  by staff (they may publish it: they read what they publish).
- ``open_validation`` (a working group or its document): the group's coordinator and the
  community's coordinator.
- ``answer_validation`` (a round): every participant of the community, simple or designated,
  registered (the managers follow it; they do not vote). Open, past its deadline or already
  answered is the round's state (409), not a permission.
- ``follow_validation`` (a round): the group's coordinator, the community's managers, staff.
- ``publish_material`` (a round, or its output page): the community's coordinator and support
  team, staff. Whether the round was approved is its state (409).
"""

from __future__ import annotations

from cms import access
from communities.models import Membership, WorkingGroupMembership
from communities.roles import role_in, working_group_role
from membership import registration

from .models import (
    DocumentVersion,
    MaterialPage,
    ValidationRound,
    VersionComment,
    WorkingDocument,
)


class Action:
    VIEW_MATERIALS = "view_materials"
    CONTRIBUTE_MATERIAL = "contribute_material"
    COMMENT_MATERIAL = "comment_material"
    RESOLVE_COMMENT = "resolve_comment"
    VIEW_MATERIAL_VERSION = "view_material_version"
    OPEN_VALIDATION = "open_validation"
    ANSWER_VALIDATION = "answer_validation"
    FOLLOW_VALIDATION = "follow_validation"
    PUBLISH_MATERIAL = "publish_material"
    ALL = (
        VIEW_MATERIALS,
        CONTRIBUTE_MATERIAL,
        COMMENT_MATERIAL,
        RESOLVE_COMMENT,
        VIEW_MATERIAL_VERSION,
        OPEN_VALIDATION,
        ANSWER_VALIDATION,
        FOLLOW_VALIDATION,
        PUBLISH_MATERIAL,
    )


#: Staff (Wagtail editors, not members) follow and publish from the admin.
STAFF_ACTIONS = frozenset({Action.FOLLOW_VALIDATION, Action.PUBLISH_MATERIAL})
#: A member's own act: no exemption for superusers.
SELF_ACTIONS = frozenset({Action.ANSWER_VALIDATION})


def _group_role(user, obj) -> str | None:
    """The user's role in the working group of ``obj`` while active in it, or ``None``."""
    entry = working_group_role(user, obj)
    if entry is None or entry[1] != WorkingGroupMembership.Status.ACTIVE:
        return None
    return entry[0]


def _in_workspace(user, role, obj) -> bool:
    return role in Membership.MANAGER_ROLES or _group_role(user, obj) is not None


def _submitted(version: DocumentVersion) -> bool:
    return access.memo(
        version,
        "materials:submitted",
        lambda: version.rounds.exclude(status=ValidationRound.Status.CANCELLED).exists(),
    )


def _target(obj):
    """A page of an output stands for its latest round."""
    if isinstance(obj, MaterialPage):
        return (
            ValidationRound.objects.filter(page_id=obj.pk)
            .select_related("document__community", "document__working_group")
            .order_by("-opened_at", "-pk")
            .first()
        )
    return obj


def decide(user, action: str, obj) -> bool:
    obj = _target(obj)
    if obj is None:
        return False
    if action not in SELF_ACTIONS and user.is_superuser:
        return True
    if action in STAFF_ACTIONS and access.is_staff(user):
        return True
    if (
        action == Action.VIEW_MATERIAL_VERSION
        and access.is_staff(user)
        and isinstance(obj, DocumentVersion)
        and _submitted(obj)
    ):
        return True
    role = role_in(user, obj)
    if role is None:
        return False
    if action in (Action.VIEW_MATERIALS, Action.CONTRIBUTE_MATERIAL, Action.COMMENT_MATERIAL):
        return _in_workspace(user, role, obj)
    if action == Action.VIEW_MATERIAL_VERSION:
        if isinstance(obj, DocumentVersion) and _submitted(obj):
            return True
        return _in_workspace(user, role, obj)
    if action == Action.RESOLVE_COMMENT:
        if not _in_workspace(user, role, obj):
            return False
        if isinstance(obj, VersionComment) and obj.author_id == user.pk:
            return True
        return (
            role in Membership.MANAGER_ROLES
            or _group_role(user, obj) == WorkingGroupMembership.Role.COORDINATOR
        )
    if action == Action.OPEN_VALIDATION:
        return (
            role == Membership.Role.COORDINATOR
            or _group_role(user, obj) == WorkingGroupMembership.Role.COORDINATOR
        )
    if action == Action.ANSWER_VALIDATION:
        return role in Membership.MEMBER_ROLES and registration.is_registered(user)
    if action == Action.FOLLOW_VALIDATION:
        return (
            role in Membership.MANAGER_ROLES
            or _group_role(user, obj) == WorkingGroupMembership.Role.COORDINATOR
        )
    if action == Action.PUBLISH_MATERIAL:
        return role in Membership.MANAGER_ROLES
    return False


def install() -> None:
    from communities.models import WorkingGroupPage

    access.register(
        Action.ALL,
        decide,
        on=(
            WorkingGroupPage,
            WorkingDocument,
            DocumentVersion,
            VersionComment,
            ValidationRound,
            MaterialPage,
        ),
    )
