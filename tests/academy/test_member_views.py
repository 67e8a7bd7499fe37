"""Enrolling and withdrawing on the site, the enrol/cancel box of an edition, La mia area >
Accademia (courses, hours, badges, sharing) and the download of a credential: anonymous,
member, other member, staff; direct URLs; 404s; query budget."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.models import Enrolment
from tests.factories import UserFactory

from .factories import CoursePageFactory, edition_for

pytestmark = pytest.mark.django_db


def enrol_url(edition):
    return reverse("academy:enrol", args=[edition.pk])


def cancel_url(edition):
    return reverse("academy:cancel", args=[edition.pk])


def complete(academy, user, edition=None):
    enrolment = services.enrol(user, edition or academy.edition)
    return services.complete(
        academy.staff, enrolment, timezone.localdate(), source=Enrolment.Source.STAFF
    )


def test_anonymous_is_sent_to_sign_in_and_back_to_the_course(client, academy):
    response = client.post(enrol_url(academy.edition))
    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert academy.course.url.rstrip("/").split("/")[-1] in response["Location"]
    assert not Enrolment.objects.exists()


def test_get_is_not_allowed(client, academy):
    client.force_login(academy.member)
    assert client.get(enrol_url(academy.edition)).status_code == 405


def test_member_enrols_then_the_next_waits_then_withdraws(client, academy):
    client.force_login(academy.member)
    response = client.post(enrol_url(academy.edition))
    assert response.status_code == 302
    assert response["Location"] == academy.course.url
    assert Enrolment.objects.get(user=academy.member).status == Enrolment.Status.ENROLLED

    client.force_login(academy.other)
    response = client.post(enrol_url(academy.edition))
    assert response.status_code == 302
    assert Enrolment.objects.get(user=academy.other).status == Enrolment.Status.WAITING

    client.force_login(academy.member)
    response = client.post(cancel_url(academy.edition))
    assert response.status_code == 302
    assert Enrolment.objects.get(user=academy.other).status == Enrolment.Status.ENROLLED


def test_enrolling_twice_is_a_409_with_the_message_and_a_way_back(client, academy):
    client.force_login(academy.member)
    client.post(enrol_url(academy.edition))
    response = client.post(enrol_url(academy.edition))
    assert response.status_code == 409
    assert academy.edition.name in response.text
    assert academy.course.url in response.text
    assert Enrolment.objects.filter(user=academy.member).count() == 1


def test_closed_edition_is_a_409(client, academy):
    closed = edition_for(
        academy.course,
        name="Chiusa",
        days_open=-1,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    client.force_login(academy.member)
    response = client.post(enrol_url(closed))
    assert response.status_code == 409
    assert not Enrolment.objects.exists()


def test_withdrawing_without_enrolment_is_a_409(client, academy):
    client.force_login(academy.member)
    assert client.post(cancel_url(academy.edition)).status_code == 409


def test_unregistered_user_is_refused(client, academy):
    stranger = UserFactory(onboarded_at=None)
    client.force_login(stranger)
    response = client.post(enrol_url(academy.edition))
    assert response.status_code in (302, 403)  # the onboarding gate, or the refusal
    assert not Enrolment.objects.exists()


def test_unknown_or_unpublished_edition_is_a_404(client, academy):
    client.force_login(academy.member)
    assert client.post(reverse("academy:enrol", args=[999999])).status_code == 404
    draft = CoursePageFactory(parent=academy.page, live=False)
    edition = edition_for(draft)
    assert client.post(enrol_url(edition)).status_code == 404
    client.logout()
    assert client.post(enrol_url(edition)).status_code == 404


def record_url():
    return reverse("academy_member:record")


def test_record_needs_sign_in(client, academy):
    response = client.get(record_url())
    assert response.status_code == 302


def test_record_lists_courses_hours_and_badges(client, academy):
    second = CoursePageFactory(parent=academy.page, hours=12)
    badge = complete(academy, academy.member, edition_for(second))
    services.enrol(academy.member, academy.edition)
    waiting_course = CoursePageFactory(parent=academy.page)
    full = edition_for(waiting_course, capacity=1)
    services.enrol(academy.other, full)
    services.enrol(academy.member, full)

    client.force_login(academy.member)
    response = client.get(record_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = response.text
    assert academy.course.title in text and second.title in text and waiting_course.title in text
    assert 'data-testid="academy-hours">12 ' in text
    assert reverse("academy_member:credential", args=[badge.uuid]) in text
    assert str(badge.uuid) in text
    # Another member's record shows none of it.
    client.force_login(academy.other)
    assert second.title not in client.get(record_url()).text


def test_record_query_budget(client, academy, django_assert_max_num_queries):
    for _index in range(3):
        course = CoursePageFactory(parent=academy.page)
        complete(academy, academy.member, edition_for(course))
    client.force_login(academy.member)
    client.get(record_url())  # warm the site root paths
    with django_assert_max_num_queries(10):
        response = client.get(record_url())
    assert response.status_code == 200
    for _index in range(3):
        course = CoursePageFactory(parent=academy.page)
        complete(academy, academy.member, edition_for(course))
    with django_assert_max_num_queries(10):
        assert client.get(record_url()).status_code == 200


def test_credential_download_is_the_owners_only(client, academy):
    badge = complete(academy, academy.member)
    url = reverse("academy_member:credential", args=[badge.uuid])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(academy.other)
    assert client.get(url).status_code == 404
    client.force_login(academy.staff)
    assert client.get(url).status_code == 404
    client.force_login(academy.member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == badge.credential


def test_sharing_my_name(client, academy):
    badge = complete(academy, academy.member)
    url = reverse("academy_member:sharing", args=[badge.uuid])
    public = reverse("academy:badge", args=[badge.uuid])
    name = academy.member.get_full_name()
    assert name not in client.get(public).text

    client.force_login(academy.other)
    assert client.post(url, {f"b{badge.pk}-show_name": "on"}).status_code == 404
    client.force_login(academy.member)
    response = client.post(url, {f"b{badge.pk}-show_name": "on"})
    assert response.status_code == 302
    badge.refresh_from_db()
    assert badge.show_name
    client.logout()
    assert name in client.get(public).text

    client.force_login(academy.member)
    client.post(url, {})
    badge.refresh_from_db()
    assert not badge.show_name


def test_my_area_links_to_the_academy(client, academy):
    client.force_login(academy.member)
    response = client.get(reverse("participation:dashboard"))
    assert record_url() in response.text


def test_staff_account_is_not_a_member_and_cannot_enrol(client, academy):
    client.force_login(academy.staff)
    response = client.post(enrol_url(academy.edition))
    assert response.status_code == 403
    assert not Enrolment.objects.exists()
