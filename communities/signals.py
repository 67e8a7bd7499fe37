"""What the communities tell the apps above them (``docs/architecture.md``): they send these
signals from ``communities.services`` once the transaction has committed, and never import the
receivers (the mailing list subscribes members on join, members hear of invitations and
decisions in the portal and by email).
"""

from django.dispatch import Signal

#: A membership began: a member joined, or was readmitted. ``membership``: the ``Membership``.
membership_started = Signal()

#: A membership ended: the member left, or was removed. ``membership``: the ``Membership``.
membership_ended = Signal()

#: Something a member should hear about, in the portal and by email. Keyword arguments:
#: ``user`` (who is told), ``community`` (the ``CommunityPage``), ``kind`` (one of
#: ``NOTICE_KINDS``), ``subject`` (one line) and ``message`` (plain text), both already in the
#: member's language, and ``url`` (a site path where the member acts, or "").
member_notified = Signal()

NOTICE_KINDS = (
    "working_group_invitation",  # a manager invited the member into a working group
    "working_group_request",  # (to the managers) a member asked to join a working group
    "working_group_decision",  # the member's request or invitation was answered
    "request_decision",  # the managers answered the member's request (readmission…)
    "designation_decision",  # a designation verified, revoked, or its act requested
    "role_change",  # the member's role changed (coordinator, support team…)
    "support_application",  # (to the coordinator) an expert applied to the support team
    "support_decision",  # the member's application to the support team was answered
)
