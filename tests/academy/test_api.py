"""The Accademia in the community API (tags ``courses`` and ``badges``), through the API client
as each role: the public catalogue with its filters, a course with its editions and my
enrolment, enrolling (waiting list, every conflict with its code) and withdrawing, my learning
record, my badges, a badge's public view, verification (a tampered credential fails),
revocation and the staff's list; the schema."""

import copy
import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from academy import services
from academy.models import CourseTarget, Enrolment
from tests.communities.conftest import fresh
from tests.factories import UserFactory

from .factories import CoursePageFactory, edition_for

pytestmark = pytest.mark.django_db

PREFIX = "/api/community/v1/academy/"


def url(name, *args):
    return reverse(f"community_api:{name}", args=args)


def client_for(user=None):
    client = APIClient()
    client.default_format = "json"
    if user is not None:
        client.force_login(fresh(user))
    return client


def completed_badge(academy, user=None):
    user = user or academy.member
    enrolment = services.enrol(user, academy.edition)
    return services.complete(
        academy.staff, enrolment, timezone.localdate(), source=Enrolment.Source.STAFF
    )


# --- Anonymous ------------------------------------------------------------------------------------


def test_anonymous_reads_the_catalogue_and_badges_but_signs_in_for_the_rest(academy):
    badge = completed_badge(academy)
    client = client_for()
    assert client.get(url("academy_course_list")).status_code == 200
    assert client.get(url("academy_course_detail", academy.course.pk)).status_code == 200
    detail = client.get(url("academy_badge_detail", badge.uuid))
    assert detail.status_code == 200
    assert detail.json()["credential"] is None
    assert detail.json()["holder"] is None
    verify = client.post(url("academy_badge_verify"), badge.credential, format="json")
    assert verify.status_code == 200
    assert verify.json()["state"] == "valid"
    for method, path in [
        ("post", url("academy_enrolment", academy.edition.pk)),
        ("delete", url("academy_enrolment", academy.edition.pk)),
        ("get", url("academy_my_enrolments")),
        ("get", url("academy_my_badges")),
        ("get", url("academy_badge_list")),
        ("post", url("academy_badge_revoke", badge.uuid)),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 401, (method, path)
        assert response["Content-Type"] == "application/json"


# --- The catalogue --------------------------------------------------------------------------------


@pytest.fixture
def catalogue(academy):
    rtd = CourseTarget.objects.create(name="RTD", slug="rtd")
    upcoming = CoursePageFactory(
        parent=academy.page, title="Zeta PDND", area="piattaforme", level="specialistico"
    )
    upcoming.targets.add(rtd)
    upcoming.save_revision().publish()
    today = timezone.localdate()
    edition_for(
        upcoming,
        enrolment_opens_on=today + datetime.timedelta(days=3),
        days_open=20,
    )
    closed = CoursePageFactory(parent=academy.page, title="Beta archivio", level="approfondimento")
    edition_for(
        closed,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=5),
        enrolment_closes_on=today - datetime.timedelta(days=31),
    )
    draft = CoursePageFactory(parent=academy.page, title="Bozza", live=False)
    academy.upcoming, academy.closed, academy.draft = upcoming, closed, draft
    return academy


def titles(response):
    return [course["title"] for course in response.json()["results"]]


def test_the_catalogue_lists_live_courses_with_their_state(
    catalogue, django_assert_max_num_queries
):
    client = client_for(catalogue.member)
    with django_assert_max_num_queries(18):
        response = client.get(url("academy_course_list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    states = {c["title"]: c["state"] for c in body["results"]}
    assert states == {
        catalogue.course.title: "open",
        "Zeta PDND": "upcoming",
        "Beta archivio": "closed",
    }
    zeta = next(c for c in body["results"] if c["title"] == "Zeta PDND")
    assert zeta["targets"] == [{"slug": "rtd", "name": "RTD"}]
    assert zeta["level_label"] == "Specialist" or zeta["level_label"]
    assert zeta["url"]
    assert "Bozza" not in titles(response)


def test_the_listing_does_not_grow_in_queries_with_the_courses(
    catalogue, django_assert_max_num_queries
):
    client = client_for(catalogue.member)
    client.get(url("academy_course_list"))
    for n in range(6):
        course = CoursePageFactory(parent=catalogue.page, title=f"Extra {n}")
        edition_for(course)
    with django_assert_max_num_queries(18):
        assert client.get(url("academy_course_list")).json()["count"] == 9


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "specialistico"}, ["Zeta PDND"]),
        ({"area": "piattaforme"}, ["Zeta PDND"]),
        ({"state": "closed"}, ["Beta archivio"]),
        ({"state": "upcoming"}, ["Zeta PDND"]),
        ({"target": "rtd"}, ["Zeta PDND"]),
        ({"target": "nessuno"}, []),
        ({"level": "base", "state": "open"}, None),  # the fixture's course
    ],
)
def test_the_catalogue_filters(catalogue, query, expected):
    response = client_for().get(url("academy_course_list"), query)
    assert response.status_code == 200
    assert titles(response) == (expected if expected is not None else [catalogue.course.title])


@pytest.mark.parametrize(
    ("param", "value"),
    [("level", "expert"), ("area", "x\x00"), ("state", "open\x00"), ("target", "a b\x00")],
)
def test_an_unknown_filter_value_is_a_400_by_parameter(academy, param, value):
    response = client_for().get(url("academy_course_list"), {param: value})
    assert response.status_code == 400
    assert param in response.json()


def test_the_catalogue_is_paginated(academy):
    for n in range(21):
        CoursePageFactory(parent=academy.page, title=f"Corso aggiunto {n:02d}")
    first = client_for().get(url("academy_course_list")).json()
    assert first["count"] == 22 and len(first["results"]) == 20 and first["next"]
    second = client_for().get(url("academy_course_list"), {"page": 2}).json()
    assert len(second["results"]) == 2 and second["previous"]
    assert client_for().get(url("academy_course_list"), {"page": 9}).status_code == 404


def test_the_catalogue_in_english_with_italian_fallback(catalogue):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = catalogue.course.copy_for_translation(english, copy_parents=True)
    translated.title = "Basic cybersecurity"
    translated.save_revision().publish()
    client = client_for(catalogue.member)
    body = client.get(url("academy_course_list"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 3
    shown = {c["title"]: (c["locale"], c["state"], c["id"]) for c in body["results"]}
    # The translation stands in for its original, with the original's state (its editions).
    assert shown["Basic cybersecurity"] == ("en", "open", translated.pk)
    assert shown["Zeta PDND"][0] == "it"
    detail = client.get(url("academy_course_detail", translated.pk)).json()
    assert detail["title"] == "Basic cybersecurity"
    assert [e["id"] for e in detail["editions"]] == [catalogue.edition.pk]
    assert detail["state"] == "open"


def test_a_course_with_its_editions_places_and_my_enrolment(
    catalogue, django_assert_max_num_queries
):
    services.enrol(catalogue.other, catalogue.edition)  # the only place
    client = client_for(catalogue.member)
    with django_assert_max_num_queries(20):
        response = client.get(url("academy_course_detail", catalogue.course.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["competences"] == ["Riconoscere un phishing", "Gestire le password"]
    assert body["may_enrol"] is True
    (edition,) = body["editions"]
    assert edition["capacity"] == 1 and edition["places_left"] == 0
    assert edition["state"] == "open" and edition["my_enrolment"] is None
    services.enrol(catalogue.member, catalogue.edition)
    edition = client.get(url("academy_course_detail", catalogue.course.pk)).json()["editions"][0]
    assert edition["my_enrolment"]["status"] == "waiting"
    assert edition["waiting"] == 1
    # The other member's enrolment is theirs only; anonymous visitors see none.
    anonymous = client_for().get(url("academy_course_detail", catalogue.course.pk)).json()
    assert anonymous["editions"][0]["my_enrolment"] is None
    assert anonymous["may_enrol"] is False


def test_an_unpublished_or_unknown_course_is_not_found(catalogue):
    for pk in (catalogue.draft.pk, 10**9, 2**70):
        response = client_for(catalogue.member).get(url("academy_course_detail", pk))
        assert response.status_code == 404, pk


# --- Enrolment -----------------------------------------------------------------------------------


def test_enrol_then_waiting_list_then_withdraw_promotes(academy):
    member, other = client_for(academy.member), client_for(academy.other)
    path = url("academy_enrolment", academy.edition.pk)
    first = member.post(path)
    assert first.status_code == 201
    assert first.json()["status"] == "enrolled"
    assert first.json()["course"]["id"] == academy.course.pk
    second = other.post(path)
    assert second.status_code == 201
    assert second.json()["status"] == "waiting"
    assert second.json()["waiting_position"] == 1
    again = member.post(path)
    assert again.status_code == 409
    assert again.json()["code"] == "already_enrolled"
    withdrawn = member.delete(path)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "cancelled"
    assert Enrolment.objects.get(user=academy.other).status == "enrolled"
    twice = member.delete(path)
    assert twice.status_code == 409
    assert twice.json()["code"] == "not_enrolled"


def test_every_enrolment_conflict_has_its_code(academy):
    today = timezone.localdate()
    member = client_for(academy.member)
    closed = edition_for(
        academy.course,
        name="Chiusa",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=1),
        enrolment_closes_on=today - datetime.timedelta(days=11),
    )
    upcoming = edition_for(
        academy.course, name="Futura", enrolment_opens_on=today + datetime.timedelta(days=2)
    )
    other_course = CoursePageFactory(parent=academy.page)
    full = edition_for(other_course, capacity=1, waiting_list=False)
    services.enrol(academy.other, full)
    for edition, code in [(closed, "closed"), (upcoming, "not_open"), (full, "full")]:
        response = member.post(url("academy_enrolment", edition.pk))
        assert response.status_code == 409, code
        assert response.json()["code"] == code
        assert "detail" in response.json()
    completed_badge(academy)
    response = member.post(url("academy_enrolment", edition_for(academy.course, name="Bis").pk))
    assert response.status_code == 409
    assert response.json()["code"] == "completed"
    response = member.delete(url("academy_enrolment", academy.edition.pk))
    assert response.status_code == 409
    assert response.json()["code"] == "completed"


def test_only_registered_members_enrol(academy):
    path = url("academy_enrolment", academy.edition.pk)
    staff = client_for(academy.staff).post(path)
    assert staff.status_code == 403
    assert staff.json()["code"] == "registration_required"
    newcomer = client_for(UserFactory(onboarded=False)).post(path)
    assert newcomer.status_code == 403
    assert newcomer.json()["code"] == "registration_required"
    assert not Enrolment.objects.exists()


def test_an_invisible_or_unknown_edition_is_not_found(academy):
    draft = CoursePageFactory(parent=academy.page, live=False)
    hidden = edition_for(draft)
    member = client_for(academy.member)
    for pk in (hidden.pk, 10**9, 2**70):
        assert member.post(url("academy_enrolment", pk)).status_code == 404
        assert member.delete(url("academy_enrolment", pk)).status_code == 404
    assert not Enrolment.objects.exists()


def test_my_learning_record_with_hours(academy, django_assert_max_num_queries):
    badge = completed_badge(academy)
    second = CoursePageFactory(parent=academy.page, hours=4)
    services.enrol(academy.member, edition_for(second))
    services.enrol(academy.other, edition_for(second))
    client = client_for(academy.member)
    with django_assert_max_num_queries(12):
        response = client.get(url("academy_my_enrolments"))
    assert response.status_code == 200
    body = response.json()
    assert body["completed"] == 1
    assert body["total_hours"] == 8
    assert [e["status"] for e in body["enrolments"]] == ["enrolled", "completed"]
    done = body["enrolments"][1]
    assert done["hours"] == 8 and done["badge"] == str(badge.uuid)
    assert done["completed_on"] == timezone.localdate().isoformat()


# --- Badges --------------------------------------------------------------------------------------


def test_my_badges_carry_the_credential(academy):
    badge = completed_badge(academy)
    body = client_for(academy.member).get(url("academy_my_badges")).json()
    assert [b["uuid"] for b in body] == [str(badge.uuid)]
    assert body[0]["credential"] == badge.credential
    assert body[0]["state"] == "valid"
    assert body[0]["holder"] == badge.holder_name
    assert client_for(academy.other).get(url("academy_my_badges")).json() == []


def test_the_public_badge_shows_the_name_only_if_shared(academy):
    badge = completed_badge(academy)
    path = url("academy_badge_detail", badge.uuid)
    stranger = client_for(academy.other).get(path).json()
    assert stranger["holder"] is None and stranger["credential"] is None
    assert stranger["name"] == academy.course.title
    assert stranger["course"]["code"] == academy.course.code
    assert stranger["url"].endswith(f"/accademia/badge/{badge.uuid}/")
    owner = client_for(academy.member).get(path).json()
    assert owner["credential"] == badge.credential
    services.set_badge_sharing(academy.member, badge, True)
    assert client_for().get(path).json()["holder"] == badge.holder_name
    unknown = client_for().get(url("academy_badge_detail", "0" * 8 + "-0000-4000-8000-" + "0" * 12))
    assert unknown.status_code == 404


def test_verification_valid_tampered_revoked(academy):
    badge = completed_badge(academy)
    client = client_for()
    path = url("academy_badge_verify")
    assert client.post(path, badge.credential, format="json").json()["badge"] == str(badge.uuid)
    tampered = copy.deepcopy(badge.credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Corso mai seguito"
    answer = client.post(path, tampered, format="json").json()
    assert answer["state"] == "invalid" and answer["message"]
    services.revoke_badge(academy.staff, badge, "Rilasciato per errore")
    assert client.post(path, badge.credential, format="json").json()["state"] == "revoked"
    foreign = {**badge.credential, "issuer": {"id": "did:web:example.org"}}
    assert client.post(path, foreign, format="json").json()["state"] == "invalid"


BROKEN = {
    "no proof": lambda d: d.pop("proof"),
    "proof not an object": lambda d: d.__setitem__("proof", "x"),
    "proof value": lambda d: d["proof"].__setitem__("proofValue", 5),
    "verification method": lambda d: d["proof"].__setitem__("verificationMethod", 5),
    "subject": lambda d: d.__setitem__("credentialSubject", 5),
    "context": lambda d: d.__setitem__("@context", 5),
    "id": lambda d: d.__setitem__("id", 5),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_credential_from_the_portal_is_invalid_not_an_error(academy, name):
    document = copy.deepcopy(completed_badge(academy).credential)
    BROKEN[name](document)
    response = client_for().post(url("academy_badge_verify"), document, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "invalid"


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "{}", '"testo"'])
def test_verifying_what_is_not_a_credential_object_is_a_400(academy, body):
    response = client_for().post(url("academy_badge_verify"), body, content_type="application/json")
    assert response.status_code == 400


def test_revocation_by_staff_only_with_a_reason(academy):
    badge = completed_badge(academy)
    path = url("academy_badge_revoke", badge.uuid)
    member = client_for(academy.member).post(path, {"reason": "mio"})
    assert member.status_code == 403
    staff = client_for(academy.staff)
    missing = staff.post(path, {})
    assert missing.status_code == 400 and "reason" in missing.json()
    blank = staff.post(path, {"reason": "  "})
    assert blank.status_code == 400 and "reason" in blank.json()
    done = staff.post(path, {"reason": "Completamento registrato per errore"})
    assert done.status_code == 200
    assert done.json()["state"] == "revoked"
    assert done.json()["revocation_reason"] == "Completamento registrato per errore"
    again = staff.post(path, {"reason": "di nuovo"})
    assert again.status_code == 409 and again.json()["code"] == "revoked"
    public = client_for().get(url("academy_badge_detail", badge.uuid)).json()
    assert public["state"] == "revoked"
    assert "revocation_reason" not in public
    unknown = staff.post(url("academy_badge_revoke", "0" * 8 + "-0000-4000-8000-" + "0" * 12))
    assert unknown.status_code == 404


def test_the_staff_list_with_filters(academy, django_assert_max_num_queries):
    first = completed_badge(academy)
    other_course = CoursePageFactory(parent=academy.page, code="PDND-S-01")
    enrolment = services.enrol(academy.other, edition_for(other_course))
    second = services.complete(
        academy.staff, enrolment, timezone.localdate(), source=Enrolment.Source.STAFF
    )
    services.revoke_badge(academy.staff, second, "Errore")
    staff = client_for(academy.staff)
    with django_assert_max_num_queries(10):
        body = staff.get(url("academy_badge_list")).json()
    assert body["count"] == 2
    assert {b["member"] for b in body["results"]} == {academy.member.pk, academy.other.pk}

    def uuids(**query):
        return [b["uuid"] for b in staff.get(url("academy_badge_list"), query).json()["results"]]

    assert uuids(state="revoked") == [str(second.uuid)]
    assert uuids(state="valid") == [str(first.uuid)]
    assert uuids(code="pdnd-s-01") == [str(second.uuid)]
    assert uuids(course=academy.course.pk) == [str(first.uuid)]
    assert uuids(member=academy.member.pk) == [str(first.uuid)]
    bad = staff.get(url("academy_badge_list"), {"state": "lost", "course": "x"})
    assert bad.status_code == 400 and {"state", "course"} <= set(bad.json())
    assert client_for(academy.member).get(url("academy_badge_list")).status_code == 403


# --- The schema ----------------------------------------------------------------------------------


def test_the_schema_lists_the_academy_endpoints_under_their_tags(db):
    from drf_spectacular.validation import validate_schema

    schema = json.loads(APIClient().get(url("schema"), {"format": "json"}).content)
    validate_schema(schema)
    expected = {
        "courses/": ({"get"}, "courses"),
        "courses/{id}/": ({"get"}, "courses"),
        "editions/{id}/enrolment/": ({"post", "delete"}, "courses"),
        "me/enrolments/": ({"get"}, "courses"),
        "me/badges/": ({"get"}, "badges"),
        "badges/": ({"get"}, "badges"),
        "badges/verify/": ({"post"}, "badges"),
        "badges/{uuid}/": ({"get"}, "badges"),
        "badges/{uuid}/revoke/": ({"post"}, "badges"),
    }
    for path, (methods, tag) in expected.items():
        operations = schema["paths"][PREFIX + path]
        assert set(operations) == methods, path
        for method in methods:
            assert operations[method]["tags"] == [tag], (path, method)
    tagged = {
        path
        for path, operations in schema["paths"].items()
        if any({"courses", "badges"} & set(op.get("tags", [])) for op in operations.values())
    }
    assert tagged == {PREFIX + path for path in expected}
    enrol = schema["paths"][PREFIX + "editions/{id}/enrolment/"]["post"]["responses"]
    assert {"201", "401", "403", "404", "409"} <= set(enrol)
    assert "400" in schema["paths"][PREFIX + "badges/verify/"]["post"]["responses"]
    assert "409" in schema["paths"][PREFIX + "badges/{uuid}/revoke/"]["post"]["responses"]
