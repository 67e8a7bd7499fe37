"""The Open Badges the Accademia issues: one per completed enrolment, an Open Badges 3.0
credential (a W3C Verifiable Credential with an ``eddsa-rdfc-2022`` Data Integrity proof signed
with the portal's key, ``academy.credentials``) kept exactly as signed.

The badge's public id (``uuid``) is the last part of the credential's ``id``, the address of its
public verification page. Revocation sets ``revoked_at`` and the badge's bit in the published
Bitstring Status List (``status_index``). When the member's personal data are erased the row
stays without them (the credential, the member), so the page still tells a verifier that the
badge was issued and whether it was revoked.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IssuedBadgeQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def revoked(self):
        return self.filter(revoked_at__isnull=False)


class IssuedBadge(models.Model):
    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.OneToOneField(
        "academy.Enrolment",
        verbose_name=_("enrolment"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="badge",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="academy_badges",
    )
    course = models.ForeignKey(
        "academy.CoursePage",
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="badges",
    )
    #: The badge class's name and the course code when issued (the page may change or go).
    name = models.CharField(_("badge"), max_length=255)
    course_code = models.CharField(_("course code"), max_length=24)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    #: The signed credential, exactly as issued (what the member downloads).
    credential = models.JSONField(_("credential"), default=dict, blank=True)
    status_index = models.PositiveIntegerField(_("status list index"), unique=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    show_name = models.BooleanField(
        _("show my name on the public page"),
        default=False,
        help_text=_("The verification page shows who earned the badge only if they choose so."),
    )
    holder_name = models.CharField(_("holder's name"), max_length=255, blank=True)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    objects = IssuedBadgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Open Badge")
        verbose_name_plural = _("Open Badges")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["course", "issued_at"])]

    def __str__(self):
        return f"{self.name} ({self.uuid})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
