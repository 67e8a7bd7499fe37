"""What members hear about from their community: the services call ``notify`` and the signal
``communities.signals.member_notified`` goes out once the transaction commits (the receivers
above, the mailing app, show it in the portal and email it). Subject and message are written in
the recipient's language (their ``language`` if the account has one, the site's otherwise)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import signals
from .models import CommunityPage, Membership, WorkingGroupMembership


def _language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def notify(user, community, kind, write, url="") -> None:
    """Tell ``user`` about ``kind`` (``signals.NOTICE_KINDS``) once the transaction commits;
    ``write()`` returns ``(subject, message)`` and runs in the user's language."""
    if kind not in signals.NOTICE_KINDS:
        raise ValueError(f"Unknown notice kind: {kind!r}")
    with translation.override(_language(user)):
        subject, message = write()
        subject, message = str(subject), str(message)

    def send():
        signals.member_notified.send(
            sender=CommunityPage,
            user=user,
            community=community,
            kind=kind,
            subject=subject,
            message=message,
            url=url,
        )

    transaction.on_commit(send)


def community_of(page) -> CommunityPage | None:
    if isinstance(page, CommunityPage):
        return page
    return CommunityPage.objects.ancestor_of(page).first()


def managers_of(community):
    """The users who hear about what the community's managers decide (coordinator, support)."""
    from django.contrib.auth import get_user_model

    rows = Membership.objects.current().of(community).managers().values("user_id")
    return list(get_user_model().objects.filter(pk__in=rows, is_active=True))


def coordinators_of(community):
    from django.contrib.auth import get_user_model

    rows = (
        Membership.objects.current()
        .of(community)
        .filter(role=Membership.Role.COORDINATOR)
        .values("user_id")
    )
    return list(get_user_model().objects.filter(pk__in=rows, is_active=True))


def group_coordinators(group):
    from django.contrib.auth import get_user_model

    rows = (
        WorkingGroupMembership.objects.active()
        .of(group)
        .filter(role=WorkingGroupMembership.Role.COORDINATOR)
        .values("user_id")
    )
    return list(get_user_model().objects.filter(pk__in=rows, is_active=True))


def manage_url(community) -> str:
    return reverse("communities:manage_home", args=[community.pk])


def page_url(page) -> str:
    return page.url or ""


# --- The messages -----------------------------------------------------------------------------


def wg_invitation(invitee, group, community):
    def write():
        return (
            _("Invitation to the working group %(group)s") % {"group": group.title},
            _(
                "You are invited to join the working group %(group)s of the community of "
                "practice %(community)s. Accept or decline the invitation from your area."
            )
            % {"group": group.title, "community": community.title},
        )

    notify(invitee, community, "working_group_invitation", write, _my_area())


def wg_request(requester, group, community):
    recipients = {u.pk: u for u in managers_of(community) + group_coordinators(group)}
    name = requester.get_full_name() or requester.get_username()
    for user in recipients.values():

        def write(name=name):
            return (
                _("Request to join the working group %(group)s") % {"group": group.title},
                _(
                    "%(name)s asks to join the working group %(group)s of the community of "
                    "practice %(community)s."
                )
                % {"name": name, "group": group.title, "community": community.title},
            )

        notify(user, community, "working_group_request", write, manage_url(community))


def wg_decision(user, group, community, accepted, *, invitation=False, answerer=None):
    """The member's request was answered (to the member), or an invitation was answered (to
    whoever invited)."""
    if invitation:
        name = user.get_full_name() or user.get_username()
        recipient = answerer

        def write():
            message = (
                _("%(name)s accepted your invitation to the working group %(group)s.")
                if accepted
                else _("%(name)s declined your invitation to the working group %(group)s.")
            )
            return (
                _("Invitation to %(group)s answered") % {"group": group.title},
                message % {"name": name, "group": group.title},
            )

        if recipient is not None:
            notify(recipient, community, "working_group_decision", write, manage_url(community))
        return

    def write_member():
        message = (
            _("Your request to join the working group %(group)s was accepted.")
            if accepted
            else _("Your request to join the working group %(group)s was not accepted.")
        )
        return (
            _("Working group %(group)s: your request") % {"group": group.title},
            message % {"group": group.title},
        )

    notify(user, community, "working_group_decision", write_member, page_url(group))


def _my_area() -> str:
    return reverse("participation:dashboard")


def request_decision(member_request, accepted):
    membership = member_request.membership
    community = membership.community
    kind = member_request.get_kind_display()
    note = member_request.decision_note

    def write():
        message = (
            _("The managers of %(community)s accepted your request (%(kind)s).")
            if accepted
            else _("The managers of %(community)s did not accept your request (%(kind)s).")
        ) % {"community": community.title, "kind": kind}
        if note:
            message += "\n\n" + _("Their answer: %(note)s") % {"note": note}
        return _("%(community)s: your request") % {"community": community.title}, message

    notify(membership.user, community, "request_decision", write, _my_area())


def designation_decision(designation, outcome):
    """``outcome``: ``verified``, ``revoked`` or ``copy_requested``."""
    membership = designation.membership
    community = membership.community
    reason = designation.revocation_reason

    def write():
        subject = _("%(community)s: your designation") % {"community": community.title}
        if outcome == "verified":
            message = _(
                "The managers of the community of practice %(community)s verified your "
                "appointment as designated participant."
            )
        elif outcome == "revoked":
            message = _(
                "The managers of the community of practice %(community)s revoked your "
                "designation: you take part as a participant."
            )
        else:
            message = _(
                "The coordination of the community of practice %(community)s asks you for a "
                "copy of the act appointing you as designated participant. Upload it from your "
                "area of the portal."
            )
        message = message % {"community": community.title}
        if outcome == "revoked" and reason:
            message += "\n\n" + _("Reason given: %(reason)s") % {"reason": reason}
        return subject, message

    notify(membership.user, community, "designation_decision", write, _my_area())


def role_change(membership):
    community = membership.community
    role = membership.role
    support_kind = membership.support_kind

    def write():
        label = Membership.Role(role).label
        if role == Membership.Role.SUPPORT and support_kind:
            label = f"{label} ({Membership.SupportKind(support_kind).label})"
        return (
            _("%(community)s: your role") % {"community": community.title},
            _("Your role in the community of practice %(community)s is now: %(role)s.")
            % {"community": community.title, "role": label},
        )

    notify(membership.user, community, "role_change", write, page_url(community))


def support_application(application):
    community = application.community
    name = application.user.get_full_name() or application.user.get_username()
    for user in coordinators_of(community):

        def write():
            return (
                _("%(community)s: an application to the support team")
                % {"community": community.title},
                _(
                    "%(name)s applies to the support team of the community of practice "
                    "%(community)s as a domain expert."
                )
                % {"name": name, "community": community.title},
            )

        notify(user, community, "support_application", write, support_url(community))


def support_decision(application):
    community = application.community
    accepted = application.status == application.Status.ACCEPTED
    note = application.decision_note

    def write():
        message = (
            _(
                "Your application to the support team of %(community)s was accepted: you are "
                "now one of its domain experts."
            )
            if accepted
            else _("Your application to the support team of %(community)s was not accepted.")
        ) % {"community": community.title}
        if note:
            message += "\n\n" + _("Their answer: %(note)s") % {"note": note}
        return _("%(community)s: your application") % {"community": community.title}, message

    notify(application.user, community, "support_decision", write, page_url(community))


def support_url(community) -> str:
    return reverse("communities:manage_support", args=[community.pk])
