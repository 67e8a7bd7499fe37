"""The Accademia's core: enrolment with the waiting list, completion, the signed badge, its
verification (a tampered copy fails) and revocation."""

import copy
import datetime

import pytest
from django.utils import timezone

from academy import credentials, services
from academy.models import Enrolment, IssuedBadge
from cms.errors import Conflict, Invalid, Refused
from events.models import Registration
from tests.factories import UserFactory

from .factories import CourseSessionPageFactory, edition_for

pytestmark = pytest.mark.django_db


def test_enrol_then_waiting_list_then_promotion(academy):
    first = services.enrol(academy.member, academy.edition)
    assert first.status == Enrolment.Status.ENROLLED
    second = services.enrol(academy.other, academy.edition)
    assert second.status == Enrolment.Status.WAITING
    services.cancel(academy.member, academy.edition)
    second.refresh_from_db()
    assert second.status == Enrolment.Status.ENROLLED
    assert second.promoted_at is not None


def test_enrolling_twice_or_in_a_closed_edition_is_a_conflict(academy):
    services.enrol(academy.member, academy.edition)
    with pytest.raises(Conflict) as error:
        services.enrol(academy.member, academy.edition)
    assert error.value.code == "already_enrolled"
    other_edition = edition_for(academy.course, name="Altra")
    with pytest.raises(Conflict) as error:
        services.enrol(academy.member, other_edition)
    assert error.value.code == "already_enrolled"
    closed = edition_for(
        academy.course,
        name="Chiusa",
        days_open=-1,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    with pytest.raises(Conflict) as error:
        services.enrol(academy.other, closed)
    assert error.value.code == "closed"


def test_full_edition_without_waiting_list_refuses(academy):
    edition = edition_for(academy.course, name="Piena", capacity=1, waiting_list=False)
    services.enrol(academy.member, edition)
    with pytest.raises(Conflict) as error:
        services.enrol(academy.other, edition)
    assert error.value.code == "full"


def test_unregistered_user_cannot_enrol(academy):
    stranger = UserFactory(onboarded_at=None)
    with pytest.raises(Refused):
        services.enrol(stranger, academy.edition)


def test_completion_issues_a_badge_that_verifies_and_a_tampered_copy_fails(academy):
    enrolment = services.enrol(academy.member, academy.edition)
    badge = services.complete(
        academy.staff, enrolment, timezone.localdate(), source=Enrolment.Source.STAFF
    )
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.hours == academy.course.hours
    document = badge.credential
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["issuer"]["id"] == credentials.issuer_did()
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == academy.course.title
    assert "Riconoscere un phishing" in achievement["criteria"]["narrative"]
    # The member's address is never in the credential, only its salted hash.
    assert academy.member.email not in str(document)

    result = credentials.verify(copy.deepcopy(document))
    assert result.state == "valid", result.message
    assert result.badge == badge

    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["achievement"]["name"] = "Corso mai seguito"
    assert credentials.verify(tampered).state == "invalid"

    # Completing again returns the same badge.
    again = services.complete(
        academy.staff, enrolment, timezone.localdate(), source=Enrolment.Source.STAFF
    )
    assert again.pk == badge.pk
    # Enrolling again in the completed course is a conflict.
    with pytest.raises(Conflict) as error:
        services.enrol(academy.member, edition_for(academy.course, name="Nuova"))
    assert error.value.code == "completed"


def test_revocation_is_reflected_in_verification_and_status_list(academy):
    enrolment = services.enrol(academy.member, academy.edition)
    badge = services.complete(
        academy.staff, enrolment, timezone.localdate(), source=Enrolment.Source.STAFF
    )
    with pytest.raises(Refused):
        services.revoke_badge(academy.member, badge, "no")
    with pytest.raises(Invalid):
        services.revoke_badge(academy.staff, badge, "  ")
    services.revoke_badge(academy.staff, badge, "Rilasciato per errore")
    assert credentials.verify(badge.credential).state == "revoked"
    from openbadgeslib.ob3 import decode_encoded_list, set_indices

    listing = credentials.status_list_credential(
        IssuedBadge.objects.revoked().values_list("status_index", flat=True)
    )
    bits = set_indices(decode_encoded_list(listing["credentialSubject"]["encodedList"]))
    assert badge.status_index in bits
    with pytest.raises(Conflict):
        services.revoke_badge(academy.staff, badge, "di nuovo")


def test_future_completion_date_is_refused(academy):
    enrolment = services.enrol(academy.member, academy.edition)
    with pytest.raises(Invalid):
        services.complete(
            academy.staff,
            enrolment,
            timezone.localdate() + datetime.timedelta(days=1),
            source=Enrolment.Source.STAFF,
        )


def test_enrolment_registers_to_sessions_and_attendance_completes(
    academy, django_capture_on_commit_callbacks
):
    from events import services as event_services

    edition = edition_for(academy.course, name="Sincrona")
    session = CourseSessionPageFactory(parent=academy.course, edition=edition)
    enrolment = services.enrol(academy.other, edition)
    registration = Registration.objects.get(page_id=session.pk, user=academy.other)
    assert registration.status == Registration.Status.REGISTERED
    # The session is over and attendance is recorded.
    session.start = timezone.now() - datetime.timedelta(hours=3)
    session.end = timezone.now() - datetime.timedelta(hours=1)
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        admin = UserFactory(is_staff=True, is_superuser=True)
        event_services.record_attendance(admin, session, [registration.pk])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completion_source == Enrolment.Source.ATTENDANCE
    assert IssuedBadge.objects.filter(enrolment=enrolment).exists()


def test_sessions_are_in_my_events_not_in_the_public_calendar(academy):
    from events.selectors import events_for, my_registrations

    edition = edition_for(academy.course, name="Sincrona")
    session = CourseSessionPageFactory(parent=academy.course, edition=edition)
    services.enrol(academy.other, edition)
    assert session.pk not in {page.pk for page in events_for(None, public_only=True)}
    assert session.pk in {r.event.pk for r in my_registrations(academy.other)}
