"""Models of the communities app, re-exported so that ``communities.models.X`` keeps working."""

from .memberships import (
    Designation,
    MemberRequest,
    Membership,
    ReservedSpace,
    WorkingGroupMembership,
)
from .pages import (
    CommunityAreaPage,
    CommunityIndexPage,
    CommunityPage,
    ReservedPage,
    WorkingGroupPage,
)
from .support import SupportApplication

__all__ = [
    "CommunityAreaPage",
    "CommunityIndexPage",
    "CommunityPage",
    "Designation",
    "MemberRequest",
    "Membership",
    "ReservedPage",
    "ReservedSpace",
    "SupportApplication",
    "WorkingGroupMembership",
    "WorkingGroupPage",
]
