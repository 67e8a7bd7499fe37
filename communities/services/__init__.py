"""What members and managers do to memberships: join, leave, switch role, designations,
the managers' measures (removal, suspension, revocation) and the members' requests about them,
and working groups. Views, forms, the admin and the API call these; each asks the access policy
first and raises ``cms.errors``' ``Refused``, ``Invalid`` or ``Conflict`` (with a message for the
user) otherwise, changing nothing. Every security-relevant change is written to the audit trail
(``cms.audit``) in the same transaction.

One module per subject; callers use the package (``from communities import services``):

- ``memberships``: join, leave, switch role, staff assigning roles, the members export record;
- ``designations``: copy requested, verified, revoked, re-opened;
- ``measures``: removal, suspension, readmission, and the message explaining a measure;
- ``requests``: the member asks the managers to reconsider a measure; the managers decide;
- ``working_groups``: invitations, requests to join, the group's coordinator, leaving.
"""

from .designations import (
    reopen_designation,
    request_designation_copy,
    revoke_designation,
    verify_designation,
)
from .measures import (
    MeasureRefusal,
    lift_suspension,
    measure_message,
    readmit,
    remove_member,
    suspend_member,
)
from .memberships import (
    active_membership,
    added_by_staff,
    assign_role,
    join,
    leave,
    record_members_export,
    switch_role,
)
from .plan import plan_of, update_plan
from .requests import (
    DECIDED_BY,
    REQUEST_FOR,
    ask_managers,
    can_decide,
    decide_request,
    pending_request,
)
from .support import (
    apply_support,
    decide_support_application,
    experts_max,
    pending_application,
    withdraw_support_application,
)
from .working_groups import (
    answer_invitation,
    answer_request,
    invite,
    leave_working_group,
    request_to_join,
    set_group_coordinator,
)

__all__ = [
    "DECIDED_BY",
    "REQUEST_FOR",
    "MeasureRefusal",
    "active_membership",
    "added_by_staff",
    "answer_invitation",
    "answer_request",
    "apply_support",
    "decide_support_application",
    "experts_max",
    "pending_application",
    "plan_of",
    "update_plan",
    "withdraw_support_application",
    "ask_managers",
    "assign_role",
    "can_decide",
    "decide_request",
    "invite",
    "join",
    "leave",
    "leave_working_group",
    "lift_suspension",
    "measure_message",
    "pending_request",
    "readmit",
    "record_members_export",
    "remove_member",
    "reopen_designation",
    "request_designation_copy",
    "request_to_join",
    "revoke_designation",
    "set_group_coordinator",
    "suspend_member",
    "switch_role",
    "verify_designation",
]
