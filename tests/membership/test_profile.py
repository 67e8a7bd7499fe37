"""The member's profile: edit, consents, own-data export and anonymising deletion."""

import json

import pytest
from django.contrib.auth import get_user_model

from membership import export
from membership.models import Consent, Ente
from tests import factories

User = get_user_model()


@pytest.fixture
def member(site_tree):
    return factories.UserFactory(
        first_name="Giulia",
        last_name="Ferrari",
        fiscal_number="FRRGLI88C54A944K",
        office="Ufficio anagrafe",
        phone="+39 051 555",
        ente=factories.EnteFactory(name="Bologna", province_code="BO", region="Emilia-Romagna"),
    )


def test_profile_requires_sign_in(client, site_tree):
    response = client.get("/profilo/")
    assert response.status_code == 302
    assert "/accedi/" in response["Location"]


def test_profile_shows_data_and_consents(client, member):
    client.force_login(member)
    response = client.get("/profilo/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "FRRGLI88C54A944K" in html
    assert 'value="Ufficio anagrafe"' in html
    assert 'value="Bologna (BO)"' in html
    assert html.count("<tr>") >= 3  # header + rules + privacy
    assert "/profilo/dati.json" in html and "/profilo/elimina/" in html


def test_header_links_profile_and_sign_out(client, member):
    client.force_login(member)
    html = client.get("/").content.decode()
    assert 'href="/profilo/"' in html
    assert 'action="/esci/"' in html


def test_profile_edit_saves(client, member):
    other = factories.EnteFactory(name="Imola", province_code="BO")
    client.force_login(member)
    response = client.post(
        "/profilo/",
        {
            "ente_query": "Imola (BO)",
            "ente": str(other.pk),
            "office": "Sistemi informativi",
            "position": "assessore",
            "contact_email": "giulia@comune.imola.bo.it",
            "phone": "",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ente == other
    assert member.position == "assessore"
    assert member.show_in_directory is False  # unchecked box
    assert member.phone == ""


def test_profile_validation_error_keeps_values(client, member):
    client.force_login(member)
    response = client.post(
        "/profilo/",
        {
            "ente_query": "Bologna (BO)",
            "ente": str(member.ente_id),
            "office": "",
            "position": "sindaco",
            "contact_email": "giulia@comune.bo.it",
            "phone": "chiamami",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="chiamami"' in html
    assert 'value="sindaco" checked' in html or 'value="sindaco"' in html
    assert 'id="id_office_error"' in html and 'id="id_phone_error"' in html
    member.refresh_from_db()
    assert member.office == "Ufficio anagrafe"


def test_profile_can_propose_authority(client, member):
    client.force_login(member)
    response = client.post(
        "/profilo/",
        {
            "propose": "on",
            "proposal_kind": "in_house",
            "proposal_name": "Lepida ScpA",
            "proposal_region": "Emilia-Romagna",
            "proposal_ipa_code": "lepida",
            "office": "Ufficio anagrafe",
            "position": "employee",
            "contact_email": "giulia@comune.bo.it",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ente.name == "Lepida ScpA"
    assert member.ente.status == Ente.Status.PENDING
    assert member.ente.ipa_code == "lepida"


def test_profile_page_query_budget(client, member, django_assert_max_num_queries):
    client.force_login(member)
    client.get("/profilo/")
    with django_assert_max_num_queries(7):  # 4 measured
        response = client.get("/profilo/")
    assert response.status_code == 200


def test_staff_profile_has_no_member_form(client, site_tree):
    staff = factories.StaffFactory()
    client.force_login(staff)
    response = client.get("/profilo/")
    assert response.status_code == 200
    assert "ente_query" not in response.content.decode()


# Export ----------------------------------------------------------------------------------------


def test_export_downloads_all_own_data(client, member):
    client.force_login(member)
    response = client.get("/profilo/dati.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["user"]["fiscal_number"] == "FRRGLI88C54A944K"
    assert data["user"]["office"] == "Ufficio anagrafe"
    assert data["ente"]["name"] == "Bologna"
    assert {(c["document"], c["version"]) for c in data["consents"]} == {
        ("rules", "1.0"),
        ("privacy", "1.0"),
    }


def test_export_requires_sign_in(client, site_tree):
    assert client.get("/profilo/dati.json").status_code == 302


def test_apps_contribute_export_sections(client, member):
    @export.register_exporter("test_topics")
    def topics(user):
        return [{"title": f"Argomento di {user.last_name}"}]

    try:
        client.force_login(member)
        data = client.get("/profilo/dati.json").json()
        assert data["test_topics"] == [{"title": "Argomento di Ferrari"}]
    finally:
        export.unregister_exporter("test_topics")


# Deletion --------------------------------------------------------------------------------------


def test_delete_shows_confirmation(client, member):
    client.force_login(member)
    response = client.get("/profilo/elimina/")
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    member.refresh_from_db()
    assert member.deleted_at is None and member.is_active


def test_delete_anonymises_and_signs_out(client, member):
    ente = member.ente
    pk = member.pk
    client.force_login(member)
    response = client.post("/profilo/elimina/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user = User.objects.get(pk=pk)  # the row stays: what they wrote keeps its author
    assert user.username.startswith("deleted-")
    assert user.first_name == user.last_name == user.email == ""
    assert user.fiscal_number is None
    assert user.contact_email == user.phone == user.office == ""
    assert not user.is_active
    assert user.deleted_at is not None
    assert not user.has_usable_password()
    assert not Consent.objects.filter(user_id=pk).exists()
    assert Ente.objects.filter(pk=ente.pk).exists()
    # The same person can register again with SPID: the fiscal number is free.
    factories.UserFactory(fiscal_number="FRRGLI88C54A944K")


def test_delete_requires_post_with_csrf(member):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    response = csrf_client.post("/profilo/elimina/")
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.deleted_at is None
    assert csrf_client.put("/profilo/elimina/").status_code in (403, 405)


def test_member_at_first_access_may_delete(client, site_tree):
    fresh = factories.UserFactory(onboarded=False)
    client.force_login(fresh)
    assert client.get("/profilo/elimina/").status_code == 200
    assert client.post("/profilo/elimina/").status_code == 302
    fresh.refresh_from_db()
    assert fresh.deleted_at is not None
