"""The Mappa in the community API (tag ``mappa``), through the API client as each role:
campaigns with my state, asking to compile, the referent's and staff's decisions, the shared
draft, sending once, the report; every error (401, 403, 404, 400 by field, 409 with its code)
with nothing lost, and the schema."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from communities.models import Membership
from mappa import services
from mappa.models import Accreditation, Campaign, DraftChange, EnteDraft, Submission
from tests.communities.conftest import fresh, make_member
from tests.factories import CommunityPageFactory, UserFactory

from .test_compile_views import accredit, answers, field, t
from .test_report import peers
from .test_territory import T
from .test_territory import w as competence_world  # noqa: F401 (a fixture, by this name)

pytestmark = pytest.mark.django_db

PREFIX = "/api/community/v1/"


def url(name, *args):
    return reverse(f"community_api:{name}", args=args)


def client_for(user=None):
    client = APIClient()
    client.default_format = "json"
    if user is not None:
        client.force_login(fresh(user))
    return client


def declaration(**overrides):
    return {
        "authorised_by": "rtd",
        "authorisation_date": timezone.localdate().isoformat(),
        "declaration": True,
        **overrides,
    }


def close(m, *, opens=None, closes=None):
    for page in (m.full, m.simplified):
        if opens is not None:
            page.opens_at = opens
        if closes is not None:
            page.closes_at = closes
        page.save()
    m.campaign.refresh_from_db()


# --- Anonymous, unknown campaigns ---------------------------------------------------------------


def test_every_endpoint_answers_401_to_anonymous(mappa):
    client = client_for()
    slug = mappa.campaign.slug
    calls = [
        ("get", url("mappa_campaign_list")),
        ("get", url("mappa_campaign_detail", slug)),
        ("post", url("mappa_accreditation_request", slug)),
        ("get", url("mappa_accreditation_list", slug)),
        ("post", url("mappa_accreditation_approve", 1)),
        ("post", url("mappa_accreditation_refuse", 1)),
        ("get", url("mappa_draft", slug)),
        ("put", url("mappa_draft", slug)),
        ("post", url("mappa_submission", slug)),
        ("get", url("mappa_report", slug)),
        ("get", url("competence_territory", slug, "province", "RM")),
    ]
    for method, path in calls:
        response = getattr(client, method)(path, {}, format="json")
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "not_authenticated"


def test_a_forged_or_unpublished_campaign_is_not_found(mappa):
    m = mappa
    client = client_for(m.compiler)
    for name in ("mappa_campaign_detail", "mappa_draft", "mappa_report"):
        assert client.get(url(name, "non-esiste")).status_code == 404
    response = client.post(url("mappa_accreditation_request", "non-esiste"), declaration())
    assert response.status_code == 404
    m.full.live = False
    m.full.save()
    assert client.get(url("mappa_campaign_list")).json() == []
    assert client.get(url("mappa_campaign_detail", m.campaign.slug)).status_code == 404
    response = client.post(url("mappa_accreditation_request", m.campaign.slug), declaration())
    assert response.status_code == 404
    assert not Accreditation.objects.exists()


# --- Campaigns ------------------------------------------------------------------------------------


def test_campaigns_with_my_state_and_the_version_to_compile(mappa):
    m = mappa
    services.extend_deadline(
        fresh(m.staff), m.campaign, m.campaign.closes_at + datetime.timedelta(days=30), "Proroga"
    )
    rows = client_for(m.compiler).get(url("mappa_campaign_list")).json()
    assert [row["slug"] for row in rows] == [m.campaign.slug]
    row = rows[0]
    assert row["state"] == "open" and row["kind"] == "mappa" and row["has_simplified"]
    assert row["url"] == reverse("mappa:campaign", args=[m.campaign.slug])
    assert [e["reason"] for e in row["extensions"]] == ["Proroga"]
    me = row["me"]
    assert me["ente"] == {"id": m.small.pk, "name": str(m.small)}
    assert me["may_request"] and not me["is_compiler"] and me["accreditation"] is None
    assert me["variant"] == "simplified" and "5.000" in me["variant_reason"]
    assert me["submission"] is None
    # The detail adds the questions of the simplified version, with their field names.
    detail = client_for(m.compiler).get(url("mappa_campaign_detail", m.campaign.slug)).json()
    questionnaire = detail["questionnaire"]
    assert questionnaire["survey"] == m.simplified.pk and questionnaire["variant"] == "simplified"
    assert [s["title"] for s in questionnaire["sections"]] == ["Servizi online"]
    fields = [f for q in questionnaire["sections"][0]["questions"] for f in q["fields"]]
    assert field(m.simplified, "pagopa") in fields
    # The large Comune compiles the full version.
    large = client_for(m.large_compiler).get(url("mappa_campaign_detail", m.campaign.slug))
    assert large.json()["me"]["variant"] == "full"
    assert len(large.json()["questionnaire"]["sections"]) == 2
    # A member without an authority sees the campaign, not a version.
    nobody = client_for(UserFactory(ente=None)).get(url("mappa_campaign_detail", m.campaign.slug))
    assert nobody.status_code == 200
    assert nobody.json()["me"]["ente"] is None and nobody.json()["questionnaire"] is None
    assert not nobody.json()["me"]["may_request"]
    # Filters.
    client = client_for(m.compiler)
    assert client.get(url("mappa_campaign_list"), {"kind": "competence"}).json() == []
    bad = client.get(url("mappa_campaign_list"), {"kind": "altro"})
    assert bad.status_code == 400 and "kind" in bad.json()


# --- Asking to compile, deciding ------------------------------------------------------------------


def test_asking_to_compile_errors_by_field_then_created_then_already(mappa):
    m = mappa
    client = client_for(m.compiler)
    path = url("mappa_accreditation_request", m.campaign.slug)
    response = client.post(path, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"authorised_by", "authorisation_date", "declaration"}
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        path,
        declaration(authorised_by="nessuno", authorisation_date=future, declaration=False),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"authorised_by"}
    response = client.post(
        path, declaration(authorisation_date=future, declaration=False), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"authorisation_date", "declaration"}
    assert not Accreditation.objects.exists()
    response = client.post(path, declaration(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "requested" and body["authorised_by"] == "rtd"
    assert body["ente"]["id"] == m.small.pk and body["user"]["id"] == m.compiler.pk
    again = client.post(path, declaration(), format="json")
    assert again.status_code == 409 and again.json()["code"] == "already"
    assert Accreditation.objects.count() == 1
    me = client.get(url("mappa_campaign_detail", m.campaign.slug)).json()["me"]
    assert me["accreditation"]["status"] == "requested" and not me["may_request"]


def test_asking_without_an_authority_or_after_the_deadline_is_a_conflict(mappa):
    m = mappa
    path = url("mappa_accreditation_request", m.campaign.slug)
    response = client_for(UserFactory(ente=None)).post(path, declaration(), format="json")
    assert response.status_code == 409 and response.json()["code"] == "no_ente"
    close(m, closes=timezone.now() - datetime.timedelta(minutes=1))
    response = client_for(m.compiler).post(path, declaration(), format="json")
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert not Accreditation.objects.exists()


def test_the_referent_and_staff_decide(mappa, mailoutbox, django_capture_on_commit_callbacks):
    m = mappa
    slug = m.campaign.slug
    client_for(m.compiler).post(url("mappa_accreditation_request", slug), declaration())
    first = Accreditation.objects.get(user=m.compiler)
    # Not yet a referent: no list, no decision on their own request.
    assert client_for(m.compiler).get(url("mappa_accreditation_list", slug)).status_code == 403
    own = client_for(m.compiler).post(url("mappa_accreditation_approve", first.pk), {})
    assert own.status_code == 403
    # Staff approve: the first compiler of the Ente is its referent.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(m.staff).post(url("mappa_accreditation_approve", first.pk), {})
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["is_referent"]
    assert response.json()["decided_by"] == m.staff.get_full_name()
    assert len(mailoutbox) == 1
    # A colleague and another Ente's member ask.
    client_for(m.colleague).post(url("mappa_accreditation_request", slug), declaration())
    client_for(m.large_compiler).post(url("mappa_accreditation_request", slug), declaration())
    colleague = Accreditation.objects.get(user=m.colleague)
    other = Accreditation.objects.get(user=m.large_compiler)
    referent = client_for(m.compiler)
    rows = referent.get(url("mappa_accreditation_list", slug)).json()
    assert [row["id"] for row in rows] == [colleague.pk]
    # Another Ente's request is not disclosed to the referent; the colleague decides nothing.
    assert referent.post(url("mappa_accreditation_approve", other.pk), {}).status_code == 404
    assert referent.post(url("mappa_accreditation_approve", 10**6)).status_code == 404
    assert referent.post(url("mappa_accreditation_approve", 2**70)).status_code == 404
    response = client_for(m.colleague).post(url("mappa_accreditation_approve", colleague.pk))
    assert response.status_code == 403
    # Refusing needs a reason.
    response = referent.post(url("mappa_accreditation_refuse", colleague.pk), {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = referent.post(
        url("mappa_accreditation_refuse", colleague.pk), {"reason": "x" * 501}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()
    colleague.refresh_from_db()
    assert colleague.status == "requested"
    with django_capture_on_commit_callbacks(execute=True):
        response = referent.post(
            url("mappa_accreditation_refuse", colleague.pk),
            {"reason": "Non lavora all'ufficio"},
            format="json",
        )
    assert response.status_code == 200 and response.json()["status"] == "refused"
    assert len(mailoutbox) == 2
    again = referent.post(url("mappa_accreditation_approve", colleague.pk), {})
    assert again.status_code == 409 and again.json()["code"] == "not_pending"
    # The refused colleague sees why, and may ask again.
    me = client_for(m.colleague).get(url("mappa_campaign_detail", slug)).json()["me"]
    assert me["accreditation"]["status"] == "refused"
    assert me["accreditation"]["reason"] == "Non lavora all'ufficio" and me["may_request"]
    # Staff see every request, by status; a bad status is named.
    staff = client_for(m.staff)
    assert len(staff.get(url("mappa_accreditation_list", slug)).json()) == 3
    pending = staff.get(url("mappa_accreditation_list", slug), {"status": "requested"}).json()
    assert [row["id"] for row in pending] == [other.pk]
    bad = staff.get(url("mappa_accreditation_list", slug), {"status": "x"})
    assert bad.status_code == 400 and "status" in bad.json()


# --- Compiling ------------------------------------------------------------------------------------


def test_who_is_not_a_compiler_neither_reads_nor_writes_the_draft(mappa):
    m = mappa
    slug = m.campaign.slug
    body = {"answers": answers(m.simplified, pagopa=["yes"])}
    nobody = client_for(UserFactory(ente=None))
    for method in ("get", "put"):
        response = getattr(nobody, method)(url("mappa_draft", slug), body, format="json")
        assert response.status_code == 409 and response.json()["code"] == "no_ente"
    client_for(m.colleague).post(url("mappa_accreditation_request", slug), declaration())
    pending = client_for(m.colleague)
    response = pending.get(url("mappa_draft", slug))
    assert response.status_code == 403
    assert response.json()["detail"] == t(
        "Your request to compile for %(ente)s is waiting for a decision of its referent or of "
        "the staff.",
        ente=m.small,
    )
    assert pending.put(url("mappa_draft", slug), body, format="json").status_code == 403
    assert pending.post(url("mappa_submission", slug), body, format="json").status_code == 403
    # Another Ente's compiler works on their own Ente's draft only.
    accredit(m, m.large_compiler)
    accredit(m, m.compiler)
    client_for(m.compiler).put(url("mappa_draft", slug), body, format="json")
    draft = client_for(m.large_compiler).get(url("mappa_draft", slug)).json()
    assert draft["ente"]["id"] == m.large.pk and draft["answers"] == {}
    assert draft["variant"] == "full" and draft["updated_at"] is None
    assert EnteDraft.objects.get().ente == m.small


def test_shared_draft_send_with_errors_then_once(mappa):
    m = mappa
    slug = m.campaign.slug
    accredit(m, m.compiler)
    accredit(m, m.colleague, approver=m.compiler)
    client = client_for(m.compiler)
    draft = client.get(url("mappa_draft", slug)).json()
    assert draft["answers"] == {} and draft["variant"] == "simplified"
    assert draft["survey"] == m.simplified.pk and draft["changes"] == []
    # A field the questionnaire does not have is named; nothing is saved.
    forged = client.put(url("mappa_draft", slug), {"answers": {"q_nope": ["1"]}}, format="json")
    assert forged.status_code == 400 and "q_nope" in forged.json()
    sicurezza = field(m.full, "continuita")  # a question of the full version only
    response = client.put(url("mappa_draft", slug), {"answers": {sicurezza: ["yes"]}})
    assert response.status_code == 400 and sicurezza in response.json()
    assert not EnteDraft.objects.exists()
    bad_shape = client.put(url("mappa_draft", slug), {"answers": "tutto"}, format="json")
    assert bad_shape.status_code == 400 and "answers" in bad_shape.json()
    pagopa = field(m.simplified, "pagopa")
    response = client.put(url("mappa_draft", slug), {"answers": {pagopa: ["yes"]}}, format="json")
    assert response.status_code == 200
    assert response.json()["answers"] == {pagopa: ["yes"]}
    # The colleague shares the draft and sees who changed what.
    shared = client_for(m.colleague).get(url("mappa_draft", slug)).json()
    assert shared["answers"] == {pagopa: ["yes"]}
    assert shared["updated_by"] == m.compiler.get_full_name()
    assert shared["changes"][0]["user"] == m.compiler.get_full_name()
    assert shared["changes"][0]["changes"] == {pagopa: [[], ["yes"]]}
    # Sending what does not validate: 400 by field name, everything kept in the shared draft.
    spid = field(m.simplified, "spid")
    incomplete = {"answers": {pagopa: ["no"], spid: ["forse"]}}
    response = client_for(m.colleague).post(url("mappa_submission", slug), incomplete)
    assert response.status_code == 400
    errors = response.json()
    assert spid in errors and field(m.simplified, "servizi_online") in errors
    assert not Submission.objects.exists()
    kept = EnteDraft.objects.get()
    assert kept.data == {pagopa: ["no"], spid: ["forse"]} and kept.updated_by == m.colleague
    assert DraftChange.objects.count() == 2
    # Sent once.
    valid = {
        "answers": answers(m.simplified, pagopa=["yes"], spid=["no"], servizi_online=["Più di 5"])
    }
    response = client_for(m.colleague).post(url("mappa_submission", slug), valid, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["variant"] == "simplified" and body["ente"]["id"] == m.small.pk
    assert body["submitted_by"] == m.colleague.get_full_name()
    assert body["total_score"] == pytest.approx(66.7)
    assert body["report"] == reverse("mappa:report", args=[slug])
    again = client.post(url("mappa_submission", slug), valid, format="json")
    assert again.status_code == 409 and again.json()["code"] == "submitted"
    assert m.colleague.get_full_name() in again.json()["detail"]
    late = client.put(url("mappa_draft", slug), valid, format="json")
    assert late.status_code == 409 and late.json()["code"] == "submitted"
    assert Submission.objects.count() == 1
    me = client.get(url("mappa_campaign_detail", slug)).json()["me"]
    assert me["submission"]["submitted_by"] == m.colleague.get_full_name()
    assert me["submission"]["variant"] == "simplified" and me["submission"]["report_visible"]


def test_before_the_opening_and_after_the_deadline(mappa):
    m = mappa
    slug = m.campaign.slug
    accredit(m, m.compiler)
    client = client_for(m.compiler)
    body = {"answers": answers(m.simplified, pagopa=["yes"])}
    close(m, opens=timezone.now() + datetime.timedelta(days=1))
    for method, name in (("put", "mappa_draft"), ("post", "mappa_submission")):
        response = getattr(client, method)(url(name, slug), body, format="json")
        assert response.status_code == 409 and response.json()["code"] == "not_open"
    assert client.get(url("mappa_campaign_detail", slug)).json()["state"] == "not_open"
    close(
        m,
        opens=timezone.now() - datetime.timedelta(days=10),
        closes=timezone.now() - datetime.timedelta(minutes=1),
    )
    for method, name in (("put", "mappa_draft"), ("post", "mappa_submission")):
        response = getattr(client, method)(url(name, slug), body, format="json")
        assert response.status_code == 409 and response.json()["code"] == "closed"
    assert client.get(url("mappa_campaign_detail", slug)).json()["state"] == "closed"
    assert not EnteDraft.objects.exists() and not Submission.objects.exists()
    # The draft is still readable.
    assert client.get(url("mappa_draft", slug)).status_code == 200


def test_a_population_change_keeps_the_draft_version(mappa):
    m = mappa
    slug = m.campaign.slug
    accredit(m, m.compiler)
    client = client_for(m.compiler)
    pagopa = field(m.simplified, "pagopa")
    client.put(url("mappa_draft", slug), {"answers": {pagopa: ["yes"]}}, format="json")
    m.small.population = 12000
    m.small.save()
    draft = client_for(m.compiler).get(url("mappa_draft", slug)).json()
    assert draft["variant"] == "simplified" and draft["variant_changed"]
    assert draft["answers"] == {pagopa: ["yes"]}
    detail = client_for(m.compiler).get(url("mappa_campaign_detail", slug)).json()
    assert detail["me"]["variant_changed"] and detail["questionnaire"]["variant"] == "simplified"
    # The full version's questions are still refused by name.
    sicurezza = field(m.full, "continuita")
    response = client_for(m.compiler).put(
        url("mappa_draft", slug), {"answers": {sicurezza: ["yes"]}}, format="json"
    )
    assert response.status_code == 400 and sicurezza in response.json()


# --- The report -----------------------------------------------------------------------------------


def test_the_report_as_json_for_who_may_see_it(mappa):
    m = mappa
    slug = m.campaign.slug
    path = url("mappa_report", slug)
    assert client_for(m.compiler).get(path).status_code == 404  # nothing sent yet
    accredit(m, m.compiler)
    services.submit(
        fresh(m.compiler),
        m.campaign,
        answers(m.simplified, pagopa=["yes"], spid=["no"], servizi_online=["Più di 5"]),
    )
    peers(m)
    response = client_for(m.compiler).get(path)
    assert response.status_code == 200
    report = response.json()
    assert report["ente"]["id"] == m.small.pk and report["variant"] == "simplified"
    assert report["region"] == "Umbria" and report["minimum"] == 5
    assert report["pdf"] == reverse("mappa:report_pdf", args=[slug])
    [servizi] = report["areas"]
    assert servizi["key"] == "servizi" and servizi["score"] == pytest.approx(66.7)
    groups = {c["group"]: c for c in servizi["comparisons"]}
    assert set(groups) == {"region", "population_class", "national"}
    assert groups["region"]["available"] and groups["region"]["n"] == 6
    assert groups["region"]["median"] == pytest.approx(66.7)
    assert groups["region"]["percentile"] == round((2 + 2 / 2) / 6 * 100)
    assert report["total"]["key"] == "__total__"
    assert report["agenda"] == []  # 66.7 is not weak
    # Who may not see it: a colleague (neither compiler nor designated), another Ente.
    assert client_for(m.colleague).get(path).status_code == 404
    other = client_for(m.large_compiler)
    assert other.get(path).status_code == 404
    assert other.get(path, {"ente": m.small.pk}).status_code == 404
    # A designated participant of the Ente reads it; staff read any with ?ente=.
    community = CommunityPageFactory(parent=m.tree.communities)
    designated = make_member(community, Membership.Role.DESIGNATED, user=UserFactory(ente=m.small))
    assert client_for(designated).get(path).status_code == 200
    staff = client_for(UserFactory(ente=None, is_staff=True))
    assert staff.get(path).status_code == 404
    assert staff.get(path, {"ente": "x"}).status_code == 404
    response = staff.get(path, {"ente": m.small.pk})
    assert response.status_code == 200 and response.json()["ente"]["id"] == m.small.pk
    assert response.json()["url"].endswith(f"?ente={m.small.pk}")


def test_the_agenda_lists_the_resources_of_weak_areas(mappa):
    from tests.factories import KitPageFactory

    m = mappa
    kit = KitPageFactory(parent=m.tree.kit_index, title="Kit pagoPA per i piccoli Comuni")
    accredit(m, m.compiler)
    services.submit(
        fresh(m.compiler),
        m.campaign,
        answers(m.simplified, pagopa=["no"], spid=["no"], servizi_online=["Più di 5"]),
    )
    report = client_for(m.compiler).get(url("mappa_report", m.campaign.slug)).json()
    [weak] = report["agenda"]
    assert weak["key"] == "servizi" and report["areas"][0]["weak"]
    assert [r["title"] for r in weak["resources"]] == [kit.title]
    assert weak["resources"][0]["kind"]


# --- Schema ---------------------------------------------------------------------------------------


def test_the_schema_lists_the_mappa_endpoints_under_their_tag(db):
    from drf_spectacular.validation import validate_schema

    schema = json.loads(APIClient().get(url("schema"), {"format": "json"}).content)
    validate_schema(schema)
    campaign = f"{PREFIX}mappa/campaigns/{{slug}}/"
    expected = {
        f"{PREFIX}mappa/campaigns/": {"get"},
        campaign: {"get"},
        f"{campaign}accreditation/": {"post"},
        f"{campaign}accreditations/": {"get"},
        f"{PREFIX}mappa/accreditations/{{id}}/approve/": {"post"},
        f"{PREFIX}mappa/accreditations/{{id}}/refuse/": {"post"},
        f"{campaign}draft/": {"get", "put"},
        f"{campaign}submission/": {"post"},
        f"{campaign}report/": {"get"},
    }
    territory = schema["paths"][f"{campaign}territories/{{kind}}/{{code}}/"]
    assert territory["get"]["tags"] == ["competence"]
    for path, methods in expected.items():
        assert set(schema["paths"][path]) == methods, path
        for method in methods:
            assert schema["paths"][path][method]["tags"] == ["mappa"]
    submit = schema["paths"][f"{campaign}submission/"]["post"]
    assert {"201", "400", "401", "403", "404", "409"} <= set(submit["responses"])
    request = schema["paths"][f"{campaign}accreditation/"]["post"]
    assert {"201", "400", "409"} <= set(request["responses"])
    tagged = {
        path
        for path, operations in schema["paths"].items()
        if any("mappa" in op.get("tags", []) for op in operations.values())
    }
    assert tagged == set(expected)


# --- Competence: the territorial view -------------------------------------------------------------


def territory_url(w, kind, code):
    return url("competence_territory", w.campaign.slug, kind, code)


def test_a_province_with_who_needs_and_offers_and_my_matches(request):
    w = request.getfixturevalue("competence_world")
    client = client_for(w.users["anguillara"])
    response = client.get(territory_url(w, "province", "RM"))
    assert response.status_code == 200
    body = response.json()
    assert body["territory"]["kind"] == "province" and body["territory"]["code"] == "RM"
    assert [e["ente"]["id"] for e in body["enti"]] == [
        w.enti.anguillara.pk,
        w.enti.bracciano.pk,
        w.enti.cerveteri.pk,
    ]
    anguillara = body["enti"][0]
    assert anguillara["needs"][T[2]] == ["formazione e confronto"]
    assert anguillara["details"]["personale_interno"] == "2"
    by_topic = {row["topic"]: row for row in body["topics"]}
    assert [e["ente"]["id"] for e in by_topic[T[3]]["offered_by"]] == [w.enti.bracciano.pk]
    assert "=SUM" not in response.content.decode()  # an "Other" text is never shown
    matches = body["matches"]
    assert matches["ente"]["id"] == w.enti.anguillara.pk
    offered = [(m["topic"], [e["ente"]["id"] for e in m["offered_by"]]) for m in matches["topics"]]
    assert offered == [
        (T[2], [w.enti.bracciano.pk, w.enti.cerveteri.pk]),
        (T[3], [w.enti.bracciano.pk]),
    ]
    assert body["csv"] == reverse("mappa:territory_province_csv", args=[w.campaign.slug, "RM"])
    # Another Ente of the territory's matches; one outside it or forged: none.
    other = client.get(territory_url(w, "province", "RM"), {"ente": w.enti.cerveteri.pk})
    assert other.json()["matches"] == {
        "ente": {"id": w.enti.cerveteri.pk, "name": str(w.enti.cerveteri)},
        "topics": [],
    }
    for forged in (w.enti.sutri.pk, "x", 2**70):
        response = client.get(territory_url(w, "province", "RM"), {"ente": forged})
        assert response.status_code == 200 and response.json()["matches"] is None
    # Fiumicino has not answered: the view, no matches.
    response = client_for(w.users["fiumicino"]).get(territory_url(w, "province", "rm"))
    assert response.status_code == 200 and response.json()["matches"] is None


def test_a_territory_is_not_disclosed_to_who_is_not_in_it(request):
    w = request.getfixturevalue("competence_world")
    union = territory_url(w, "union", w.enti.union.pk)
    capranica = client_for(w.users["capranica"])
    assert capranica.get(union).status_code == 200
    assert {e["ente"]["id"] for e in capranica.get(union).json()["enti"]} == {
        w.enti.capranica.pk,
        w.enti.cerveteri.pk,
        w.enti.sutri.pk,
    }
    assert capranica.get(territory_url(w, "province", "RM")).status_code == 404
    napoli = client_for(w.users["napoli"])
    assert napoli.get(union).status_code == 404
    for kind, code in (("province", "ZZ"), ("province", "R M"), ("union", "x"), ("union", 10**30)):
        assert napoli.get(territory_url(w, kind, code)).status_code == 404
    assert napoli.get(territory_url(w, "comune", "NA")).status_code == 404
    assert client_for(UserFactory(ente=None)).get(union).status_code == 404
    assert client_for().get(union).status_code == 401
    staff = client_for(w.staff)
    assert staff.get(union).status_code == 200
    assert staff.get(territory_url(w, "province", "RM")).json()["matches"] is None
    # A Mappa campaign has no territories.
    Campaign.objects.filter(pk=w.campaign.pk).update(kind=Campaign.Kind.MAPPA)
    response = client_for(w.users["anguillara"]).get(territory_url(w, "province", "RM"))
    assert response.status_code == 404
