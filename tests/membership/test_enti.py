"""The registry of authorities: loading ISTAT's list, proposals, autocomplete, admin."""

import time

import pytest
from django.core.management import call_command

from membership.enti import resolve_ente, search_enti, selectable_enti
from membership.models import Ente
from tests import factories


@pytest.fixture
def loaded(db):
    call_command("load_enti", verbosity=0)


def test_load_enti_loads_every_comune_quickly(db):
    started = time.monotonic()
    call_command("load_enti", verbosity=0)
    elapsed = time.monotonic() - started
    assert Ente.objects.filter(kind=Ente.Kind.COMUNE).count() >= 7800
    assert elapsed < 30
    roma = Ente.objects.get(istat_code="058091")
    assert (roma.name, roma.province_code, roma.region) == ("Roma", "RM", "Lazio")
    assert roma.status == Ente.Status.APPROVED
    assert Ente.objects.get(istat_code="021008").name == "Bolzano/Bozen"


def test_load_enti_derives_the_metropolitan_cities(loaded):
    metro = Ente.objects.filter(kind=Ente.Kind.CITTA_METROPOLITANA)
    assert metro.count() == 14
    assert metro.filter(name="Città metropolitana di Milano", province_code="MI").exists()


def test_load_enti_is_idempotent(loaded, capsys):
    count = Ente.objects.count()
    roma = Ente.objects.get(istat_code="058091")
    roma.name = "Roma Capitale (vecchio nome)"
    roma.save()
    rejected = Ente.objects.get(istat_code="001001")
    rejected.status = Ente.Status.REJECTED
    rejected.save()
    proposal = factories.EnteFactory(istat_code=None, name="Consorzio X", status="pending")
    call_command("load_enti")
    out = capsys.readouterr().out
    assert "0 created, 1 updated" in out
    assert Ente.objects.count() == count + 1
    assert Ente.objects.get(istat_code="058091").name == "Roma"
    assert Ente.objects.get(istat_code="001001").status == Ente.Status.REJECTED  # staff decided
    proposal.refresh_from_db()
    assert proposal.status == Ente.Status.PENDING


def test_search_by_name_code_and_label(loaded):
    names = [str(e) for e in search_enti("roma")]
    assert names[0] == "Roma (RM)"  # exact name first, then names starting with it
    assert len(names) <= 20
    assert [e.name for e in search_enti("058091")] == ["Roma"]
    assert resolve_ente("Roma (RM)")[0].istat_code == "058091"
    assert search_enti("r") == []  # too short


def test_search_is_fast(loaded, django_assert_num_queries):
    with django_assert_num_queries(1):
        started = time.monotonic()
        results = search_enti("san")
        elapsed = time.monotonic() - started
    assert len(results) == 20
    assert elapsed < 0.5


def test_pending_authority_is_visible_only_to_its_proposer(db):
    proposer = factories.UserFactory()
    other = factories.UserFactory()
    pending = factories.EnteFactory(name="Unione Montana Alta Valle", status="pending")
    pending.proposed_by = proposer
    pending.save()
    rejected = factories.EnteFactory(name="Unione Montana Bassa", status="rejected")
    assert pending in selectable_enti(proposer)
    assert pending not in selectable_enti(other)
    assert rejected not in selectable_enti(proposer)
    assert [e.pk for e in search_enti("Unione Montana", proposer)] == [pending.pk]
    assert search_enti("Unione Montana", other) == []
    pending.status = Ente.Status.APPROVED
    pending.save()
    assert [e.pk for e in search_enti("Unione Montana", other)] == [pending.pk]


def test_autocomplete_json(client, db):
    roma = factories.EnteFactory(name="Roma", istat_code="058091", province_code="RM")
    factories.EnteFactory(name="Romagnano Sesia", province_code="NO")
    factories.EnteFactory(name="Romeo", status="pending")
    response = client.get("/enti/cerca/", {"q": "rom"})
    assert response.status_code == 200
    data = response.json()
    labels = [r["label"] for r in data["results"]]
    assert labels == ["Roma (RM)", "Romagnano Sesia (NO)"]
    first = data["results"][0]
    assert first["id"] == roma.pk and first["istat_code"] == "058091"
    assert client.get("/enti/cerca/", {"q": ""}).json()["results"] == []


def test_autocomplete_includes_own_pending_authority(client, db):
    member = factories.UserFactory()
    factories.EnteFactory(name="Romeo", status="pending", proposed_by=member)
    client.force_login(member)
    labels = [r["label"] for r in client.get("/enti/cerca/", {"q": "rom"}).json()["results"]]
    assert "Romeo (RM)" in labels


def test_autocomplete_caps_results(client, loaded):
    assert len(client.get("/enti/cerca/", {"q": "a"}).json()["results"]) == 0
    assert len(client.get("/enti/cerca/", {"q": "an"}).json()["results"]) == 20


def test_proposal_of_an_existing_authority_is_refused(client, site_tree):
    factories.EnteFactory(name="Roma", province_code="RM")
    fresh = factories.UserFactory(onboarded=False)
    client.force_login(fresh)
    response = client.post(
        "/registrazione/",
        {
            "accept_rules": "on",
            "accept_privacy": "on",
            "propose": "on",
            "proposal_kind": "comune",
            "proposal_name": "roma",
            "proposal_region": "Lazio",
            "office": "Anagrafe",
            "position": "employee",
            "contact_email": "a@b.it",
        },
    )
    assert response.status_code == 200
    assert "already in the registry" in response.content.decode() or "registro" in (
        response.content.decode()
    )
    assert Ente.objects.filter(name__iexact="roma").count() == 1


def test_staff_manage_authorities_in_the_admin(client, db):
    staff = factories.StaffFactory(is_superuser=True)
    pending = factories.EnteFactory(name="Consorzio Digitale", status="pending")
    client.force_login(staff)
    listing = client.get("/admin/snippets/membership/ente/", {"status": "pending"})
    assert listing.status_code == 200
    assert "Consorzio Digitale" in listing.content.decode()
    search = client.get("/admin/snippets/membership/ente/", {"q": "Consorzio"})
    assert "Consorzio Digitale" in search.content.decode()
    edit_url = f"/admin/snippets/membership/ente/edit/{pending.pk}/"
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {
            "status": "approved",
            "kind": "consorzio",
            "name": "Consorzio Digitale",
            "ipa_code": "",
            "istat_code": "",
            "region": "Lazio",
            "province": "Roma",
            "province_code": "RM",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pending.refresh_from_db()
    assert pending.status == Ente.Status.APPROVED


def test_staff_see_members_in_the_admin(client, db):
    staff = factories.StaffFactory(is_superuser=True)
    member = factories.UserFactory(last_name="Verdi")
    client.force_login(staff)
    response = client.get("/admin/members/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Verdi" in html
    assert staff.username not in html
    assert client.get(f"/admin/members/inspect/{member.pk}/").status_code == 200


def test_staff_bulk_approve_and_reject(client, db):
    staff = factories.StaffFactory(is_superuser=True)
    a = factories.EnteFactory(name="Unione A", status="pending")
    b = factories.EnteFactory(name="Unione B", status="pending")
    client.force_login(staff)
    url = f"/admin/bulk/membership/ente/approve/?id={a.pk}&id={b.pk}"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Unione A" in confirm.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert set(Ente.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {
        "approved"
    }
    client.post(f"/admin/bulk/membership/ente/reject/?id={a.pk}")
    a.refresh_from_db()
    assert a.status == Ente.Status.REJECTED


def test_staff_set_the_unions_of_a_comune_in_the_admin(client, db):
    """``Ente.unions``: only authorities of kind ``unione`` can be chosen (the competence
    survey's territories, ``mappa.territory``)."""
    staff = factories.StaffFactory(is_superuser=True)
    union = factories.EnteFactory(name="Unione dei Comuni del Lago", kind=Ente.Kind.UNIONE)
    comune = factories.EnteFactory(name="Comune di Riva")
    other = factories.EnteFactory(name="Comune di Sponda")
    client.force_login(staff)
    edit_url = f"/admin/snippets/membership/ente/edit/{comune.pk}/"
    form = client.get(edit_url).content.decode()
    assert "Unione dei Comuni del Lago" in form
    data = {
        "status": "approved",
        "kind": "comune",
        "name": "Comune di Riva",
        "ipa_code": "",
        "istat_code": comune.istat_code,
        "region": "Lazio",
        "province": "Roma",
        "province_code": "RM",
    }
    refused = client.post(edit_url, {**data, "unions": [other.pk]})
    assert refused.status_code == 200  # a Comune is no union: the form says so
    assert not comune.unions.exists()
    response = client.post(edit_url, {**data, "unions": [union.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(comune.unions.all()) == [union]
    assert list(union.union_members.all()) == [comune]
