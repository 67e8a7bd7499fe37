"""The badges' public side: the verification page (valid, revoked with reason, erased, a name
only when shared, noindex, 404), the verifier (valid, tampered → not valid with 200, unparseable
→ 400 with the text kept, too large, rate limit), the badge class (HTML, JSON by format or
Accept), its SVG image, the DID document and the status list with CORS."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from academy import credentials, services
from academy.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def badge(academy):
    enrolment = services.enrol(academy.member, academy.edition)
    return services.complete(
        academy.staff, enrolment, timezone.localdate(), source=Enrolment.Source.STAFF
    )


def page_url(badge):
    return reverse("academy:badge", args=[badge.uuid])


def test_the_credential_id_is_the_verification_page(badge):
    assert badge.credential["id"].endswith(page_url(badge))
    assert page_url(badge) == credentials.BADGE_PATH.format(uuid=badge.uuid)


def test_verification_page_says_valid_without_the_name(client, academy, badge):
    response = client.get(page_url(badge))
    assert response.status_code == 200
    text = response.text
    assert 'data-state="valid"' in text
    assert "noindex" in text
    assert badge.name in text
    assert academy.course.url in text
    assert academy.member.get_full_name() not in text
    assert "no-cache" in response["Cache-Control"]
    # The owner sees the download link; nobody else does.
    download = reverse("academy_member:credential", args=[badge.uuid])
    assert download not in text
    client.force_login(academy.member)
    assert download in client.get(page_url(badge)).text
    client.force_login(academy.other)
    assert download not in client.get(page_url(badge)).text


def test_verification_page_after_revocation_and_reinstatement(client, academy, badge):
    services.revoke_badge(academy.staff, badge, "Completamento registrato per errore")
    text = client.get(page_url(badge)).text
    assert 'data-state="revoked"' in text
    assert "Completamento registrato per errore" in text
    services.reinstate_badge(academy.staff, badge)
    assert 'data-state="valid"' in client.get(page_url(badge)).text


def test_erased_badge_says_issued_and_whether_revoked(client, academy, badge):
    badge.credential = {}
    badge.user = None
    badge.holder_name = ""
    badge.show_name = True
    badge.save()
    text = client.get(page_url(badge)).text
    assert 'data-state="erased"' in text
    services.revoke_badge(academy.staff, badge, "Motivo")
    text = client.get(page_url(badge)).text
    assert 'data-state="erased"' in text and "Motivo" in text


def test_unknown_badge_is_a_404(client, academy):
    assert client.get("/accademia/badge/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/accademia/badge/non-un-uuid/").status_code == 404


def test_english_page_too(client, badge):
    assert client.get("/en" + page_url(badge)).status_code == 200


# --- The verifier ------------------------------------------------------------------------------

VERIFY = "/accademia/badge/verifica/"


def test_verifier_form(client, academy):
    response = client.get(VERIFY)
    assert response.status_code == 200
    assert 'name="credential"' in response.text


def test_verifier_says_valid_for_a_pasted_credential(client, badge):
    response = client.post(VERIFY, {"credential": json.dumps(badge.credential)})
    assert response.status_code == 200
    assert 'data-state="valid"' in response.text
    assert page_url(badge) in response.text


def test_verifier_says_not_valid_for_a_tampered_credential(client, badge):
    tampered = copy.deepcopy(badge.credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Corso mai seguito"
    response = client.post(VERIFY, {"credential": json.dumps(tampered)})
    assert response.status_code == 200
    assert 'data-state="invalid"' in response.text


def test_verifier_says_revoked(client, academy, badge):
    services.revoke_badge(academy.staff, badge, "Errore")
    upload = SimpleUploadedFile(
        "badge.json", json.dumps(badge.credential).encode(), content_type="application/json"
    )
    response = client.post(VERIFY, {"file": upload})
    assert response.status_code == 200
    assert 'data-state="revoked"' in response.text


def test_verifier_keeps_unparseable_text_with_a_400(client, academy):
    text = '{"non è": "una credenziale"'
    response = client.post(VERIFY, {"credential": text})
    assert response.status_code == 400
    assert "una credenziale" in response.text
    assert "data-state" not in response.text
    assert client.post(VERIFY, {}).status_code == 400
    assert client.post(VERIFY, {"credential": "[1, 2]"}).status_code == 400


def test_verifier_refuses_a_large_file(client, academy):
    upload = SimpleUploadedFile("big.json", b" " * (256 * 1024 + 1))
    response = client.post(VERIFY, {"file": upload})
    assert response.status_code == 400


def test_verifier_is_rate_limited(client, academy, settings):
    settings.ACADEMY_VERIFY_RATE = (2, 600)
    for _attempt in range(2):
        assert client.post(VERIFY, {"credential": "{}"}).status_code == 200
    response = client.post(VERIFY, {"credential": "{}"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


# --- Badge classes and machine documents -----------------------------------------------------


def test_badge_class_html_and_json(client, academy, badge):
    url = credentials.ACHIEVEMENT_PATH.format(code=academy.course.code)
    assert badge.credential["credentialSubject"]["achievement"]["id"].endswith(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Riconoscere un phishing" in response.text
    assert academy.course.url in response.text

    for kwargs in ({"data": {"format": "json"}}, {"HTTP_ACCEPT": "application/ld+json"}):
        response = client.get(url, **kwargs)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        document = response.json()
        assert document["@context"][0] == "https://www.w3.org/ns/credentials/v2"
        assert document["type"] == ["Achievement"]
        assert document["id"] == badge.credential["credentialSubject"]["achievement"]["id"]
        assert (
            document["criteria"] == badge.credential["credentialSubject"]["achievement"]["criteria"]
        )
    assert client.get(credentials.ACHIEVEMENT_PATH.format(code="NESSUNO")).status_code == 404


def test_badge_class_image_is_an_svg(client, academy):
    url = credentials.ACHIEVEMENT_IMAGE_PATH.format(code=academy.course.code)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "ACCADEMIA DEI COMUNI DIGITALI" in response.content.decode()
    assert academy.course.title in response.content.decode()


def test_badge_class_image_redirects_to_the_course_image(client, academy):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Badge", file=get_test_image_file())
    academy.course.badge_image = image
    academy.course.save_revision().publish()
    url = credentials.ACHIEVEMENT_IMAGE_PATH.format(code=academy.course.code)
    response = client.get(url)
    assert response.status_code == 302


def test_did_document_and_status_list(client, academy, badge):
    response = client.get(credentials.DID_PATH)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["id"] == credentials.issuer_did()
    response = client.get(credentials.STATUS_LIST_PATH)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["id"] == credentials.absolute(credentials.STATUS_LIST_PATH)
    status = badge.credential["credentialStatus"]
    status = status[0] if isinstance(status, list) else status
    assert status["statusListCredential"] == document["id"]


# --- Revocation in the Wagtail admin ---------------------------------------------------------


def test_admin_lists_revokes_and_reinstates(client, academy, badge):
    index = reverse("academy_badges:index")
    revoke = reverse("academy_badges:revoke", args=[badge.pk])
    reinstate = reverse("academy_badges:reinstate", args=[badge.pk])
    client.force_login(academy.member)
    assert client.get(index).status_code in (302, 403)
    assert client.post(revoke, {"reason": "x"}).status_code in (302, 403)
    badge.refresh_from_db()
    assert not badge.is_revoked

    from django.contrib.auth.models import Permission

    academy.staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(academy.staff)
    response = client.get(index)
    assert response.status_code == 200
    assert badge.name in response.text and revoke in response.text
    assert client.get(index, {"state": "revoked"}).status_code == 200
    assert client.get(index, {"q": badge.name[:5]}).status_code == 200
    assert client.get(index, {"course": academy.course.pk}).status_code == 200
    assert client.get(revoke).status_code == 200
    response = client.post(revoke, {"reason": "  "})
    assert response.status_code == 200  # the form again, with the error
    badge.refresh_from_db()
    assert not badge.is_revoked
    response = client.post(revoke, {"reason": "Completamento importato per errore"})
    assert response.status_code == 302
    badge.refresh_from_db()
    assert badge.is_revoked and badge.revoked_by == academy.staff
    assert 'data-state="revoked"' in client.get(page_url(badge)).text
    assert reinstate in client.get(index).text
    response = client.post(revoke, {"reason": "di nuovo"})
    assert response.status_code == 409
    response = client.post(reinstate)
    assert response.status_code == 302
    badge.refresh_from_db()
    assert not badge.is_revoked
    assert client.get(reverse("academy_badges:inspect", args=[badge.pk])).status_code == 200
    from wagtail.models import ModelLogEntry

    actions = list(
        ModelLogEntry.objects.filter(object_id=str(badge.pk))
        .order_by("timestamp", "pk")
        .values_list("action", "user_id")
    )
    assert actions == [
        ("academy.badge_revoked", academy.staff.pk),
        ("academy.badge_reinstated", academy.staff.pk),
    ]


def test_machine_documents_answer_head(client, academy, badge):
    for url in (
        credentials.DID_PATH,
        credentials.STATUS_LIST_PATH,
        credentials.ACHIEVEMENT_PATH.format(code=academy.course.code),
        page_url(badge),
    ):
        assert client.head(url).status_code == 200
    assert client.post(credentials.DID_PATH).status_code == 405


def test_badge_of_a_course_no_longer_published(client, academy, badge):
    academy.course.unpublish()
    response = client.get(page_url(badge))
    assert response.status_code == 200
    assert 'data-state="valid"' in response.text
    assert credentials.ACHIEVEMENT_PATH.format(code=academy.course.code) not in response.text


def test_verifier_refuses_a_large_text(client, academy):
    response = client.post(VERIFY, {"credential": "x" * (256 * 1024 + 1)})
    assert response.status_code == 400
    assert "256 KB" in response.text
