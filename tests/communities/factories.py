"""Factories for communities: members in every role, reserved areas and working groups.

Built on ``tests.factories`` (owned by the foundation); nothing there is changed.
"""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils import timezone

from communities.models import (
    CommunityAreaPage,
    Designation,
    Membership,
    ReservedPage,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from tests import factories as base


class RegisteredUserFactory(base.UserFactory):
    """A SPID/CIE member who completed the registration and accepted the current documents."""

    fiscal_number = factory.Sequence(lambda n: f"TSTCDP80A01{n:05d}")
    onboarded_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def consents(self, create, extracted, **kwargs):
        if not create:
            return
        from membership.models import Consent
        from membership.registration import current_versions

        versions = current_versions()
        for kind in (Consent.Kind.RULES, Consent.Kind.PRIVACY):
            Consent.objects.get_or_create(user=self, kind=kind, version=versions.for_kind(kind))


class StaffUserFactory(factory.django.DjangoModelFactory):
    """An editor's Django account: no SPID identity, no registration."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"redazione{n}")
    first_name = "Giulia"
    last_name = factory.Sequence(lambda n: f"Redattrice{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@redazione.example.it")
    password = factory.django.Password("Password-di-prova-1")
    is_staff = True


class CommunityAreaPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CommunityAreaPage

    title = "Area riservata"
    slug = "area-riservata"


class ReservedPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ReservedPage

    title = factory.Sequence(lambda n: f"Comunicazione riservata {n}")
    slug = factory.Sequence(lambda n: f"comunicazione-{n}")
    summary = "Solo per i partecipanti."
    kind = ReservedPage.Kind.ANNOUNCEMENT


class WorkingGroupPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = WorkingGroupPage

    title = factory.Sequence(lambda n: f"Gruppo di lavoro {n}")
    slug = factory.Sequence(lambda n: f"gruppo-{n}")
    goal = "<p>Redigere linee guida per la gestione degli incidenti.</p>"
    deliverable = "Linee guida per la gestione degli incidenti informatici"
    start_date = datetime.date(2026, 3, 1)
    status = WorkingGroupPage.Status.ACTIVE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(RegisteredUserFactory)
    role = Membership.Role.PARTICIPANT


class DesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Designation

    membership = factory.SubFactory(MembershipFactory, role=Membership.Role.DESIGNATED)
    signed_by = Designation.SignedBy.RTD
    act_date = datetime.date(2026, 2, 1)


class WorkingGroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroupMembership

    user = factory.SubFactory(RegisteredUserFactory)
    status = WorkingGroupMembership.Status.ACTIVE
    role = WorkingGroupMembership.Role.MEMBER
