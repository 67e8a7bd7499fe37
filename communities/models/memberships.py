"""Who takes part in which community, with which role; designations; working groups; and the
Django groups and collections that code keeps in sync with them (``ReservedSpace``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage
from ..validators import validate_act_file


class MembershipQuerySet(models.QuerySet):
    """The reads of memberships the apps share (``Membership.objects.current().of(community)``)."""

    def current(self):
        """Memberships not ended (left or removed); a suspended member's included."""
        return self.filter(left_at__isnull=True)

    def active(self):
        """Current memberships not under a suspension now: the members who take part."""
        return self.current().exclude(suspended_until__gt=timezone.now())

    def of(self, community):
        """Memberships of ``community`` (a community page, in any of its translations)."""
        return self.filter(community__translation_key=community.translation_key)

    def managers(self):
        """Coordinators and support team."""
        return self.filter(role__in=Membership.MANAGER_ROLES)


class Membership(models.Model):
    """A user's participation in a community of practice, with their role in it."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        DESIGNATED = "designated", _("Designated participant")
        COORDINATOR = "coordinator", _("Coordinator")
        SUPPORT = "support", _("Support team")

    class SupportKind(models.TextChoices):
        ANCI_DTD = "anci_dtd", _("ANCI/DTD referent")
        NATIONAL = "national", _("National body referent")
        EXPERT = "expert", _("Domain expert")

    class EndReason(models.TextChoices):
        LEFT = "left", _("Left by themselves")
        REMOVED = "removed", _("Removed by the managers")

    MANAGER_ROLES = frozenset({Role.COORDINATOR, Role.SUPPORT})
    #: The roles a member holds by themselves (the managers' measures apply to them).
    MEMBER_ROLES = frozenset({Role.PARTICIPANT, Role.DESIGNATED})
    #: The roles that may open topics and join working groups.
    DESIGNATED_ROLES = frozenset({Role.DESIGNATED, Role.COORDINATOR, Role.SUPPORT})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="community_memberships",
    )
    community = models.ForeignKey(
        "communities.CommunityPage",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT
    )
    support_kind = models.CharField(
        _("support team role"), max_length=16, choices=SupportKind.choices, blank=True
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    role_changed_at = models.DateTimeField(_("role changed"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True, db_index=True)
    # How the membership ended (with ``left_at``): left by the member, or removed by a manager
    # (who, why); a removed member joins again only once a manager readmits them.
    end_reason = models.CharField(
        _("how it ended"), max_length=16, choices=EndReason.choices, blank=True
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removal_reason = models.TextField(_("reason for the removal"), max_length=1000, blank=True)
    readmitted_at = models.DateTimeField(_("readmitted"), null=True, blank=True)
    readmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("readmitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A suspension: until ``suspended_until`` the member is not an active member (the access
    # policy compares it with the current time, so it ends by itself).
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    suspended_until = models.DateTimeField(
        _("suspended until"), null=True, blank=True, db_index=True
    )
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suspended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suspension_reason = models.TextField(
        _("reason for the suspension"), max_length=1000, blank=True
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("community membership")
        verbose_name_plural = _("community memberships")
        ordering = ["-joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(left_at__isnull=True),
                name="communities_one_active_membership",
            ),
            models.CheckConstraint(
                condition=Q(role="support") | Q(support_kind=""),
                name="communities_support_kind_only_for_support",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.community} · {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None

    @property
    def is_manager(self) -> bool:
        return self.role in self.MANAGER_ROLES

    @property
    def is_removed(self) -> bool:
        return self.left_at is not None and self.end_reason == self.EndReason.REMOVED

    @property
    def is_suspended(self) -> bool:
        """Suspended now (the suspension ends by itself at ``suspended_until``)."""
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    def clean(self):
        if self.role == self.Role.SUPPORT and not self.support_kind:
            raise ValidationError(
                {"support_kind": _("Choose the support team role of this member.")}
            )
        if self.role != self.Role.SUPPORT and self.support_kind:
            raise ValidationError(
                {"support_kind": _("Only members of the support team have a support role.")}
            )


class Designation(models.Model):
    """A designated participant's declaration of their appointment by their Ente."""

    class SignedBy(models.TextChoices):
        SINDACO = "sindaco", _("Mayor (Sindaco)")
        RTD = "rtd", _("Digital transition officer (RTD)")

    class Status(models.TextChoices):
        DECLARED = "declared", _("Declared")
        COPY_REQUESTED = "copy_requested", _("Copy requested")
        VERIFIED = "verified", _("Verified")
        REVOKED = "revoked", _("Revoked")

    membership = models.OneToOneField(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="designation",
    )
    signed_by = models.CharField(_("signed by"), max_length=16, choices=SignedBy.choices)
    act_date = models.DateField(_("date of the act"))
    act_file = models.FileField(
        _("appointment act (PDF)"),
        storage=private_storage,
        upload_to="designations/%Y/",
        blank=True,
        validators=[validate_act_file],
        help_text=_("Optional. PDF only, at most 5 MB. Visible only to the community managers."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DECLARED
    )
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)
    copy_requested_at = models.DateTimeField(_("copy requested"), null=True, blank=True)
    copy_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("copy requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(
        _("reason for the revocation"), max_length=1000, blank=True
    )
    # A revoked designation cannot be declared again until a manager re-opens it.
    reopened_at = models.DateTimeField(_("re-opened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("re-opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["-declared_at"]

    def __str__(self):
        return f"{self.membership} · {self.get_signed_by_display()} {self.act_date}"

    def save(self, *args, **kwargs):
        # Renamed on upload: the stored name reveals nothing about the member.
        if self.act_file and not self.act_file._committed:
            self.act_file.name = f"{uuid.uuid4().hex}.pdf"
        super().save(*args, **kwargs)

    @property
    def blocks_declaring(self) -> bool:
        """Revoked and not re-opened: the member may not declare the designated role again."""
        return self.status == self.Status.REVOKED and self.reopened_at is None


class MemberRequest(models.Model):
    """A member under a measure asks the community's managers to reconsider it: to be readmitted
    after a removal, to have their suspension lifted, or to have their revoked designation
    re-opened. The managers accept or refuse it from their pages."""

    class Kind(models.TextChoices):
        READMISSION = "readmission", _("Readmission after a removal")
        LIFT_SUSPENSION = "lift_suspension", _("End of a suspension")
        REDESIGNATION = "redesignation", _("Re-opening of a revoked designation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="requests",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    message = models.TextField(_("message to the managers"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("answer to the member"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("request to the managers")
        verbose_name_plural = _("requests to the managers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "kind"],
                condition=Q(status="pending"),
                name="communities_one_pending_request",
            )
        ]

    def __str__(self):
        return f"{self.membership} · {self.get_kind_display()} · {self.get_status_display()}"


class WorkingGroupMembershipQuerySet(models.QuerySet):
    """The reads of working-group memberships the apps share
    (``WorkingGroupMembership.objects.active().of(group)``)."""

    def of(self, group):
        """Memberships of ``group`` (a working group page, in any of its translations)."""
        return self.filter(group__translation_key=group.translation_key)

    def open(self):
        """Invitations, requests and active memberships (not declined or left)."""
        return self.filter(status__in=WorkingGroupMembership.OPEN_STATUSES)

    def active(self):
        """Active members (invitations and requests accepted, not left)."""
        return self.filter(status=WorkingGroupMembership.Status.ACTIVE)


class WorkingGroupMembership(models.Model):
    """A user's invitation to, request for, or membership of a working group."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        COORDINATOR = "coordinator", _("Group coordinator")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    OPEN_STATUSES = (Status.INVITED, Status.REQUESTED, Status.ACTIVE)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="working_group_memberships",
    )
    group = models.ForeignKey(
        "communities.WorkingGroupPage",
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = WorkingGroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("working group membership")
        verbose_name_plural = _("working group memberships")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=Q(status__in=["invited", "requested", "active"]),
                name="communities_one_open_working_group_membership",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.group} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ReservedSpace(models.Model):
    """The Django groups and the private collection of a community or a working group.

    Keyed on the page's ``translation_key`` so that every translation of a community shares
    them. Created and kept by ``communities.spaces``: nobody edits these groups by hand.
    """

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community")
        WORKING_GROUP = "working_group", _("Working group")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    translation_key = models.UUIDField(_("page translation key"))
    members_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("members group"),
        on_delete=models.CASCADE,
        related_name="reserved_space",
    )
    managers_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("managers group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The community's coordinator and support team."),
    )
    admin_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("editorial group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The community's coordinator and support team in the admin: its pages and files."
        ),
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("private collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reserved space")
        verbose_name_plural = _("reserved spaces")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "translation_key"], name="communities_one_space_per_page"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.members_group}"
