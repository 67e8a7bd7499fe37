"""The Mappa's pages for members, through the test client: the campaign page for each state, the
declaration to compile (errors next to the fields, nothing lost), the referent's and staff's
decisions (with the email), compiling the simplified questionnaire in the shared draft, sending
once, and the refusals (no Ente, not a compiler, after the deadline, a second send, forged ids)."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from mailing.emails import address
from mappa import services
from mappa.models import Accreditation, DraftChange, EnteDraft, Submission
from surveys import services as survey_services
from surveys.definition import questions
from tests.communities.conftest import fresh
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def t(message, **values):
    with translation.override("it"):
        text = gettext(message)
    return text % values if values else text


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def url(name, m, *args):
    return reverse(f"mappa:{name}", args=[m.campaign.slug, *args])


def accredit(m, user, approver=None):
    request = services.request_accreditation(
        fresh(user),
        m.campaign,
        authorised_by="mayor",
        authorisation_date=timezone.localdate(),
        declaration=True,
    )
    return services.decide_accreditation(fresh(approver or m.staff), request, approve=True)


def field(page, code):
    version = survey_services.version_for_answering(page)
    key = next(q["key"] for q in questions(version.definition) if q["code"] == code)
    return f"q_{key}"


def answers(page, **values):
    return {field(page, code): value for code, value in values.items()}


# --- the campaign page ------------------------------------------------------------------------


def test_no_ente_is_a_conflict_with_a_link_to_the_profile(client, mappa):
    client.force_login(UserFactory(ente=None))
    response = client.get(url("campaign", mappa))
    assert response.status_code == 409
    assert reverse("membership:profile") in text_of(response)


def test_anonymous_signs_in_and_a_forged_campaign_is_not_found(client, mappa):
    response = client.get(url("campaign", mappa))
    assert response.status_code == 302 and "next=" in response["Location"]
    client.force_login(mappa.compiler)
    assert client.get(reverse("mappa:campaign", args=["non-esiste"])).status_code == 404
    assert client.get(reverse("mappa:compile", args=["non-esiste"])).status_code == 404


def test_request_with_errors_keeps_what_was_typed_then_pending(client, mappa):
    m = mappa
    client.force_login(m.compiler)
    page = client.get(url("campaign", m))
    assert page.status_code == 200
    assert t("Ask to compile for %(ente)s") % {"ente": m.small} in text_of(page)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url("campaign", m), {"authorisation_date": future})
    text = text_of(response)
    assert response.status_code == 400
    assert t("Say who authorised you.") in text
    assert t("The date cannot be in the future.") in text
    assert t("Accept the declaration to go on.") in text
    assert f'value="{future}"' in text  # nothing lost
    assert 'id="id_authorised_by_error"' in text
    assert not Accreditation.objects.exists()
    response = client.post(
        url("campaign", m),
        {
            "authorised_by": "rtd",
            "authorisation_date": timezone.localdate().isoformat(),
            "declaration": "on",
        },
    )
    assert response.status_code == 303
    accreditation = Accreditation.objects.get(user=m.compiler)
    assert accreditation.status == "requested" and accreditation.authorised_by == "rtd"
    text = text_of(client.get(url("campaign", m)))
    assert "mappa-state" in text and url("compile", m) not in text
    # Asking twice is a conflict, not a second request.
    again = client.post(
        url("campaign", m),
        {
            "authorised_by": "rtd",
            "authorisation_date": timezone.localdate().isoformat(),
            "declaration": "on",
        },
    )
    assert again.status_code == 409
    assert Accreditation.objects.count() == 1
    # Pending: compiling is refused with a clear message.
    response = client.get(url("compile", m))
    assert response.status_code == 403
    assert "refusal-message" in text_of(response)


def test_staff_decide_in_the_admin_and_the_member_is_emailed(
    client, mappa, mailoutbox, django_capture_on_commit_callbacks
):
    m = mappa
    request = services.request_accreditation(
        fresh(m.compiler),
        m.campaign,
        authorised_by="mayor",
        authorisation_date=timezone.localdate(),
        declaration=True,
    )
    staff = m.staff
    staff.is_superuser = True  # the admin's own access; the decision is staff's by the policy
    staff.save()
    client.force_login(staff)
    listing = client.get(
        reverse("mappa_accreditations:index"),
        {"campaign": m.campaign.pk, "status": "requested"},
    )
    assert listing.status_code == 200
    assert m.compiler.get_full_name() in text_of(listing)
    edit = reverse("mappa_accreditations:edit", args=[request.pk])
    # Refusing needs a reason: shown on the form, nothing decided.
    response = client.post(edit, {"status": "refused", "reason": ""})
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == "requested"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {"status": "approved", "reason": ""})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and request.is_referent
    assert len(mailoutbox) == 1 and m.campaign.title in mailoutbox[0].subject
    assert url("campaign", m) in mailoutbox[0].body


def test_referent_decides_colleagues_requests(
    client, mappa, mailoutbox, django_capture_on_commit_callbacks
):
    m = mappa
    accredit(m, m.compiler)
    request = services.request_accreditation(
        fresh(m.colleague),
        m.campaign,
        authorised_by="secretary",
        authorisation_date=timezone.localdate(),
        declaration=True,
    )
    # A compiler of another Ente cannot even see the request.
    accredit(m, m.large_compiler)
    client.force_login(m.large_compiler)
    forged = client.post(url("decide", m, request.pk), {f"r{request.pk}-decision": "approve"})
    assert forged.status_code == 404
    client.force_login(m.compiler)
    page = text_of(client.get(url("campaign", m)))
    assert m.colleague.get_full_name() in page
    assert t("Colleagues asking to compile") in page
    response = client.post(url("decide", m, request.pk), {f"r{request.pk}-decision": "refuse"})
    assert response.status_code == 400
    assert t("Say why the request is refused.") in text_of(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("decide", m, request.pk),
            {f"r{request.pk}-decision": "refuse", f"r{request.pk}-reason": "Non è del Comune"},
        )
    assert response.status_code == 303
    request.refresh_from_db()
    assert request.status == "refused" and request.reason == "Non è del Comune"
    assert mailoutbox[-1].to == [address(m.colleague)]
    assert "Non è del Comune" in mailoutbox[-1].body
    # Deciding again is a conflict.
    again = client.post(url("decide", m, request.pk), {f"r{request.pk}-decision": "approve"})
    assert again.status_code == 409
    # The refused colleague reads why and may ask again.
    client.force_login(m.colleague)
    text = text_of(client.get(url("campaign", m)))
    assert "Non è del Comune" in text and "authorised_by" in text


# --- compiling --------------------------------------------------------------------------------


def test_compile_simplified_shared_draft_send_and_report(client, mappa):
    m = mappa
    accredit(m, m.compiler)
    accredit(m, m.colleague, approver=m.compiler)
    page = m.simplified
    client.force_login(m.compiler)
    response = client.get(url("compile", m))
    text = text_of(response)
    assert response.status_code == 200
    assert "5.000" in text and "1.200" in text  # the simplified version, and why
    assert "Sicurezza" not in text  # the full version's section is not asked
    assert f'data-autosave-url="{url("autosave", m)}"' in text
    # "Salva bozza" without JavaScript, then the autosave of a colleague.
    response = client.post(url("compile", m), {**answers(page, pagopa=["yes"]), "action": "draft"})
    assert response.status_code == 303
    client.force_login(m.colleague)
    saved = client.post(url("autosave", m), answers(page, pagopa=["yes"], spid=["no"]))
    assert saved.status_code == 200 and "saved_at" in saved.json()
    text = text_of(client.get(url("compile", m)))
    assert m.colleague.get_full_name() in text  # who saved the shared draft last
    campaign_page = text_of(client.get(url("campaign", m)))
    assert t("Last changes to the draft") in campaign_page
    assert "I servizi online usano SPID e CIE?" in campaign_page
    assert DraftChange.objects.count() == 2
    # An incomplete send: 400, the errors, everything typed kept (page and shared draft).
    response = client.post(url("compile", m), {**answers(page, pagopa=["no"]), "action": "submit"})
    text = text_of(response)
    assert response.status_code == 400
    assert "survey-errors" in text
    assert EnteDraft.objects.get().data[field(page, "pagopa")] == ["no"]
    assert not Submission.objects.exists()
    response = client.post(
        url("compile", m),
        {
            **answers(page, pagopa=["yes"], spid=["no"], servizi_online=["Più di 5"]),
            "action": "submit",
        },
    )
    assert response.status_code == 303 and response["Location"] == url("report", m)
    report = client.get(url("report", m))
    assert report.status_code == 200 and str(m.small) in text_of(report)
    # A second send: a clear conflict naming who sent it, what was typed shown again.
    client.force_login(m.compiler)
    second = client.post(url("compile", m), {**answers(page, pagopa=["no"]), "action": "submit"})
    assert second.status_code == 409
    assert m.colleague.get_full_name() in text_of(second)
    assert Submission.objects.count() == 1
    assert client.get(url("compile", m)).status_code == 409
    text = text_of(client.get(url("campaign", m)))
    assert url("report", m) in text and m.colleague.get_full_name() in text


def test_population_change_keeps_the_draft_version(client, mappa):
    m = mappa
    accredit(m, m.compiler)
    client.force_login(m.compiler)
    client.post(url("compile", m), {**answers(m.simplified, pagopa=["yes"]), "action": "draft"})
    m.small.population = 12000
    m.small.save()
    text = text_of(client.get(url("compile", m)))
    assert (
        t(
            "The population of %(ente)s changed after the draft was started: the draft keeps "
            "the version it was started on."
        )
        % {"ente": m.small}
        in text
    )
    assert "Sicurezza" not in text


def test_after_the_deadline_nothing_typed_is_lost(client, mappa):
    m = mappa
    accredit(m, m.compiler)
    for page in (m.full, m.simplified):
        page.closes_at = timezone.now() - datetime.timedelta(minutes=5)
        page.save()
    client.force_login(m.compiler)
    assert client.get(url("compile", m)).status_code == 409
    response = client.post(
        url("compile", m), {**answers(m.simplified, pagopa=["no"]), "action": "submit"}
    )
    text = text_of(response)
    assert response.status_code == 409
    assert "survey-problem" in text
    assert 'value="no" checked' in text
    assert 'name="action" value="submit"' not in text  # nothing to send any more
    autosaved = client.post(url("autosave", m), answers(m.simplified, pagopa=["no"]))
    assert autosaved.status_code == 409 and autosaved.json()["code"] == "closed"


def test_a_member_not_accredited_and_another_ente(client, mappa):
    m = mappa
    accredit(m, m.large_compiler)
    client.force_login(m.colleague)
    assert client.get(url("compile", m)).status_code == 403
    response = client.post(url("compile", m), {"action": "draft"})
    assert response.status_code == 403
    assert not EnteDraft.objects.exists()
    assert client.post(url("autosave", m), {}).status_code == 403
    # The large Comune's compiler compiles the full version, for their own Ente only.
    client.force_login(m.large_compiler)
    text = text_of(client.get(url("compile", m)))
    assert "Sicurezza" in text
