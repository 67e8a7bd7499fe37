"""First access is the registration: the gate, its exemptions, the form and re-acceptance."""

import pytest
from django.urls import reverse

from cms.models import PortalSettings
from membership.models import Consent, Ente
from tests import factories

ONBOARDING = "/registrazione/"


@pytest.fixture
def fresh(db):
    """A member right after their first SPID sign-in: nothing completed yet."""
    return factories.UserFactory(onboarded=False, email="maria.rossi@spid.example.it")


@pytest.fixture
def ente(db):
    return factories.EnteFactory(name="Roma", istat_code="058091", province_code="RM")


@pytest.fixture
def documents(site_tree):
    settings = PortalSettings.for_site(site_tree.home.get_site())
    settings.rules_page = factories.StandardPageFactory(
        parent=site_tree.home, title="Regole", slug="regole"
    )
    settings.privacy_page = factories.StandardPageFactory(
        parent=site_tree.home, title="Privacy", slug="privacy"
    )
    settings.save()
    return settings


def valid_data(chosen, **overrides):
    data = {
        "accept_rules": "on",
        "accept_privacy": "on",
        "ente_query": str(chosen),
        "ente": str(chosen.pk),
        "office": "Servizi demografici",
        "position": "employee",
        "contact_email": "m.rossi@comune.roma.it",
        "phone": "+39 06 1234567",
        "show_in_directory": "on",
    }
    data.update(overrides)
    return data


# The gate --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/notizie/", "/comunita/", "/kit/", "/cerca/?q=prova", "/profilo/", "/en/", "/accedi/"],
)
def test_gate_redirects_every_page(client, site_tree, fresh, path):
    client.force_login(fresh)
    response = client.get(path)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(ONBOARDING) or location.startswith("/en" + ONBOARDING)
    if path not in ("/", "/accedi/"):
        assert "next=" in location
    assert "no-store" in response["Cache-Control"]


def test_gate_keeps_the_language(client, site_tree, fresh):
    client.force_login(fresh)
    response = client.get("/en/cerca/")
    assert response["Location"].startswith("/en/registrazione/")


def test_gate_redirects_posts_too(client, site_tree, fresh):
    client.force_login(fresh)
    response = client.post("/cerca/", {"q": "x"})
    assert response.status_code == 302
    assert response["Location"] == ONBOARDING


def test_api_gets_403_json(client, site_tree, fresh):
    client.force_login(fresh)
    response = client.get("/api/v2/pages/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "registration_required"
    assert "registration" in body["detail"].lower() or "registrazione" in body["detail"].lower()


def test_json_accept_header_gets_403_json(client, site_tree, fresh):
    client.force_login(fresh)
    response = client.get("/notizie/", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert response.json()["code"] == "registration_required"


@pytest.mark.parametrize(
    "path",
    [
        "/registrazione/",
        "/en/registrazione/",
        "/enti/cerca/?q=Ro",
        "/static/css/portal.css",
        "/spid/metadata/",
        "/cie/metadata/",
        "/profilo/elimina/",
        "/profilo/dati.json",
    ],
)
def test_exempt_paths_are_not_gated(client, site_tree, fresh, path):
    client.force_login(fresh)
    response = client.get(path)
    location = response.get("Location", "")
    assert not location.startswith(ONBOARDING)


def test_logout_is_not_gated(client, site_tree, fresh):
    client.force_login(fresh)
    response = client.post("/esci/")
    assert not response.get("Location", "").startswith(ONBOARDING)
    assert "_auth_user_id" not in client.session


def test_language_switch_is_not_gated(client, site_tree, fresh):
    client.force_login(fresh)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert not response["Location"].startswith(ONBOARDING)


def test_rules_and_privacy_pages_are_readable(client, documents, fresh):
    client.force_login(fresh)
    assert client.get("/regole/").status_code == 200
    assert client.get("/privacy/").status_code == 200
    assert client.get("/notizie/").status_code == 302


def test_anonymous_and_completed_members_are_not_gated(client, site_tree, member):
    assert client.get("/notizie/").status_code == 200
    client.force_login(member)
    assert client.get("/notizie/").status_code == 200


def test_staff_without_fiscal_number_is_not_gated(client, site_tree):
    staff = factories.StaffFactory(is_superuser=True)
    client.force_login(staff)
    assert client.get("/notizie/").status_code == 200
    assert client.get("/admin/").status_code == 200
    # Registration has nothing to ask them.
    assert client.get(ONBOARDING)["Location"] == "/"


def test_staff_signs_in_to_the_admin_with_password(client, site_tree):
    factories.StaffFactory(username="redazione", is_superuser=True)
    response = client.post(
        "/admin/login/", {"username": "redazione", "password": "Password-di-prova-1"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_onboarding_requires_sign_in(client, site_tree):
    response = client.get(ONBOARDING)
    assert response.status_code == 302
    assert "/accedi/" in response["Location"]


# The form --------------------------------------------------------------------------------------


def test_form_is_prefilled_with_the_spid_email(client, site_tree, fresh):
    client.force_login(fresh)
    response = client.get(ONBOARDING + "?next=/notizie/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="maria.rossi@spid.example.it"' in html
    assert 'name="next" value="/notizie/"' in html
    assert "accept_rules" in html and "accept_privacy" in html


def test_completion_records_everything_and_goes_next(client, site_tree, fresh, ente):
    client.force_login(fresh)
    response = client.post(ONBOARDING, valid_data(ente, next="/notizie/"))
    assert response.status_code == 302
    assert response["Location"] == "/notizie/"
    fresh.refresh_from_db()
    assert fresh.onboarded_at is not None
    assert fresh.ente == ente
    assert fresh.office == "Servizi demografici"
    assert fresh.position == "employee"
    assert fresh.contact_email == "m.rossi@comune.roma.it"
    consents = {(c.kind, c.version) for c in fresh.consents.all()}
    assert consents == {("rules", "1.0"), ("privacy", "1.0")}
    assert all(c.accepted_at for c in fresh.consents.all())
    page = client.get("/notizie/")
    assert page.status_code == 200
    assert "registration is complete" in page.content.decode() or "registrazione" in (
        page.content.decode().lower()
    )


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_unsafe_next_goes_home(client, site_tree, fresh, ente, target):
    client.force_login(fresh)
    response = client.post(ONBOARDING, valid_data(ente, next=target))
    assert response["Location"] == "/"


def test_validation_error_keeps_what_was_typed(client, site_tree, fresh, ente):
    client.force_login(fresh)
    data = valid_data(ente, office="Ufficio tecnico", contact_email="non-una-email")
    del data["accept_rules"]
    response = client.post(ONBOARDING, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Ufficio tecnico"' in html
    assert 'value="non-una-email"' in html
    assert 'value="Roma (RM)"' in html
    assert 'value="employee" checked' in html or ('value="employee"' in html and "checked" in html)
    # An error summary that takes the focus, and fields tied to their messages.
    assert 'id="form-errors"' in html and "data-portal-focus" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_contact_email_helptext id_contact_email_error"' in html
    assert 'id="id_contact_email_error"' in html
    assert 'id="id_accept_rules_error"' in html
    fresh.refresh_from_db()
    assert fresh.onboarded_at is None
    assert not fresh.consents.exists()


def test_authority_typed_without_javascript_is_resolved(client, site_tree, fresh, ente):
    client.force_login(fresh)
    response = client.post(ONBOARDING, valid_data(ente, ente="", ente_query="roma"))
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.ente == ente


def test_ambiguous_authority_offers_candidates(client, site_tree, fresh):
    a = factories.EnteFactory(name="San Paolo", province_code="BS")
    b = factories.EnteFactory(name="San Paolo", province_code="TA")
    client.force_login(fresh)
    response = client.post(ONBOARDING, valid_data(a, ente="", ente_query="San Paolo"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="ente-choice-{a.pk}"' in html and f'id="ente-choice-{b.pk}"' in html
    response = client.post(
        ONBOARDING, valid_data(a, ente="", ente_query="San Paolo", ente_choice=str(b.pk))
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.ente == b


def test_unknown_authority_is_an_error(client, site_tree, fresh, ente):
    client.force_login(fresh)
    response = client.post(ONBOARDING, valid_data(ente, ente="", ente_query="Atlantide"))
    assert response.status_code == 200
    assert "Atlantide" in response.content.decode()
    fresh.refresh_from_db()
    assert fresh.onboarded_at is None


def test_proposing_a_missing_authority(client, site_tree, fresh, ente):
    client.force_login(fresh)
    data = valid_data(
        ente,
        ente="",
        ente_query="",
        propose="on",
        proposal_kind="unione",
        proposal_name="Unione dei Comuni della Valle",
        proposal_region="Piemonte",
        proposal_province="Cuneo",
    )
    response = client.post(ONBOARDING, data)
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.ente.name == "Unione dei Comuni della Valle"
    assert fresh.ente.status == Ente.Status.PENDING
    assert fresh.ente.proposed_by == fresh


def test_incomplete_proposal_keeps_the_details_open(client, site_tree, fresh, ente):
    client.force_login(fresh)
    data = valid_data(ente, ente="", ente_query="", propose="on", proposal_name="Unione X")
    response = client.post(ONBOARDING, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<details" in html and " open>" in html
    assert 'value="Unione X"' in html
    assert not Ente.objects.filter(name="Unione X").exists()


# Re-acceptance ---------------------------------------------------------------------------------


def test_new_rules_version_asks_again(client, site_tree, member):
    client.force_login(member)
    assert client.get("/notizie/").status_code == 200
    settings = PortalSettings.for_site(site_tree.home.get_site())
    settings.rules_version = "2.0"
    settings.save()
    response = client.get("/notizie/")
    assert response.status_code == 302
    assert response["Location"].startswith(ONBOARDING)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "accept_rules" in html
    assert "accept_privacy" not in html  # privacy did not change
    assert "ente_query" not in html  # only the re-acceptance, not the whole profile
    response = client.post(ONBOARDING, {"accept_rules": "on", "next": "/notizie/"})
    assert response["Location"] == "/notizie/"
    assert Consent.objects.filter(user=member, kind="rules", version="2.0").exists()
    assert Consent.objects.filter(user=member, kind="rules", version="1.0").exists()
    assert client.get("/notizie/").status_code == 200


def test_reacceptance_refused_stays_gated(client, site_tree, member):
    settings = PortalSettings.for_site(site_tree.home.get_site())
    settings.privacy_version = "2026-11"
    settings.save()
    client.force_login(member)
    response = client.post(ONBOARDING, {})
    assert response.status_code == 200
    assert 'id="id_accept_privacy_error"' in response.content.decode()
    assert client.get("/notizie/").status_code == 302


def test_completed_member_visiting_onboarding_goes_on(client, site_tree, member):
    client.force_login(member)
    response = client.get(ONBOARDING + "?next=/kit/")
    assert response["Location"] == "/kit/"


def test_onboarding_page_query_budget(client, site_tree, fresh, django_assert_max_num_queries):
    client.force_login(fresh)
    client.get(ONBOARDING)  # warm up caches (site, locale)
    # session, user, consents...; the site, settings, menu and userbar come from snapshots
    # (cms/snapshots.py): 4 measured
    with django_assert_max_num_queries(7):
        response = client.get(ONBOARDING)
    assert response.status_code == 200


def test_gate_costs_no_consent_query_for_registered_members(client, site_tree, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    client.get("/notizie/")  # the first request checks the consents and remembers the answer
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/notizie/").status_code == 200
    assert not [q for q in queries.captured_queries if "membership_consent" in q["sql"]]


def test_onboarding_url_is_named(db):
    assert reverse("membership:onboarding") == ONBOARDING
