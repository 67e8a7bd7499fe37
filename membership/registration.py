"""Registration state of a member: the current versions of the documents they accept, what is
still missing, and recording acceptances.

A *member* is a user who signed in with SPID or CIE (they have a fiscal number). Staff accounts
without a fiscal number are never asked to register.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from .models import Consent

# The session remembers which versions the signed-in member has already accepted, so that the
# gate needs no query on ordinary requests; a new version in PortalSettings invalidates it.
SESSION_KEY = "membership_accepted_versions"


@dataclass(frozen=True)
class Versions:
    rules: str
    privacy: str

    def as_session_value(self, user):
        return f"{user.pk}\x1f{self.rules}\x1f{self.privacy}"

    def for_kind(self, kind):
        return self.rules if kind == Consent.Kind.RULES else self.privacy


def _default_versions():
    from cms.models import PortalSettings

    fields = {f.name: f for f in PortalSettings._meta.get_fields() if hasattr(f, "default")}
    return Versions(fields["rules_version"].default, fields["privacy_version"].default)


def portal_settings(request=None, site=None):
    """The PortalSettings of the request's (or given, or default) site, or ``None``."""
    from cms.models import PortalSettings

    if request is not None:
        if Site.find_for_request(request) is None:
            return None
        return PortalSettings.for_request(request)
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    return PortalSettings.for_site(site)


def current_versions(request=None, site=None):
    """The versions of the Community rules and privacy notice members must have accepted."""
    settings = portal_settings(request=request, site=site)
    if settings is None:
        return _default_versions()
    return Versions(settings.rules_version, settings.privacy_version)


def is_registered(user) -> bool:
    """A SPID/CIE member who completed the registration (onboarding), not erased."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "fiscal_number", None)
        and getattr(user, "onboarded_at", None)
        and not getattr(user, "deleted_at", None)
    )


def is_member(user):
    """A SPID/CIE user (as opposed to a staff account or an anonymous visitor)."""
    return bool(user.is_authenticated and getattr(user, "fiscal_number", None))


def missing_consents(user, versions):
    """The consent kinds whose current version ``user`` has not accepted (one query)."""
    accepted = set(
        Consent.objects.filter(
            user=user,
            kind__in=[Consent.Kind.RULES, Consent.Kind.PRIVACY],
            version__in={versions.rules, versions.privacy},
        ).values_list("kind", "version")
    )
    return [
        kind
        for kind in (Consent.Kind.RULES, Consent.Kind.PRIVACY)
        if (kind.value, versions.for_kind(kind)) not in accepted
    ]


def needs_registration(request):
    """Whether the request's user must go through onboarding before using the portal.

    True when the member has not completed the profile or has not accepted the current versions
    of the rules and privacy notice. The answer about consents is remembered in the session.
    """
    user = request.user
    if not is_member(user):
        return False
    if user.onboarded_at is None:
        return True
    versions = current_versions(request)
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY) == versions.as_session_value(user):
        return False
    if missing_consents(user, versions):
        return True
    if session is not None:
        session[SESSION_KEY] = versions.as_session_value(user)
    return False


@transaction.atomic
def record_consents(user, kinds, versions, request=None):
    """Store the acceptance of ``kinds`` in their current version, now (and in the audit
    trail, ``membership.consent_accept``)."""
    from cms import audit

    from .gdpr import account_label

    now = timezone.now()
    for kind in kinds:
        version = versions.for_kind(kind)
        _consent, created = Consent.objects.get_or_create(
            user=user, kind=kind, version=version, defaults={"accepted_at": now}
        )
        if created:
            audit.record(
                "membership.consent_accept",
                user,
                actor=user,
                data={"kind": str(kind), "version": version},
                title=account_label(user.pk),
            )
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
