"""A community's working life in a real browser, with the demo content and the demo people
signed in through the real SAML flow: the coordinator edits the plan and publishes an
announcement in Wagtail's admin (scoped to their own community), a participant receives it by
email, registers for an event and gets its .ics, and the waiting list promotes the next member
when one cancels. axe-core runs on every new page on the way."""

import re

import pytest
from django.core import mail

from .conftest import axe_violations, italian, publish_in_admin, sign_in_with_spid

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CYBER = "cybersicurezza"
OTHER = "servizi-digitali-e-interoperabilita"


def it_page(model, slug):
    return model.objects.get(slug=slug, locale__language_code="it")


def assert_axe_clean(page, report):
    found = axe_violations(page)
    if found:
        report[page.url] = found


def messages_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_coordinator_edits_the_plan_in_the_admin_scoped_to_their_community(
    saml_live, page, demo_site
):
    from communities.models import CommunityPage

    community = it_page(CommunityPage, CYBER)
    other = it_page(CommunityPage, OTHER)
    sign_in_with_spid(page, saml_live, "coordinatore", next_path=community.get_url())

    # The quick action on the community page opens the plan in the admin.
    page.get_by_role("link", name=italian("Edit the plan")).first.click()
    page.wait_for_url(f"**/admin/pages/{community.pk}/edit/")
    title = page.locator('input[name="timeline-0-value-title"]')
    title.fill("Apertura delle adesioni e primo incontro")
    publish_in_admin(page)

    community.refresh_from_db()
    assert community.timeline[0].value["title"] == "Apertura delle adesioni e primo incontro"
    page.goto(saml_live + community.get_url())
    timeline = page.locator("main").inner_text()
    assert "Apertura delle adesioni e primo incontro" in timeline
    assert italian("Today") in timeline
    report = {}
    assert_axe_clean(page, report)

    # An announcement to all participants, written and published in the admin.
    from communities.models import CommunityAreaPage
    from demo_idp import identities

    area = CommunityAreaPage.objects.child_of(community).get()
    participant = identities.get("partecipante")
    mail.outbox.clear()
    # (Wagtail's own editor is not axe-checked here: Draftail's editable area has no
    # accessible name upstream; the portal's pages are.)
    page.goto(f"{saml_live}/admin/pages/add/mailing/announcementpage/{area.pk}/")
    page.locator('input[name="title"]').fill("Esercitazione: iscrizioni aperte")
    body = page.locator(".Draftail-Editor .public-DraftEditor-content").first
    body.click()
    body.press_sequentially("Dieci giorni per iscriversi all'esercitazione sugli incidenti.")
    # Draftail writes its hidden field a moment after the last keystroke.
    page.wait_for_function("() => document.querySelector('[name=body]').value.includes('Dieci')")
    publish_in_admin(page)
    (received,) = messages_to(participant.email)
    assert "Esercitazione: iscrizioni aperte" in received.subject
    assert received.extra_headers.get("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    # It is in the reserved area's News too.
    page.goto(saml_live + area.get_url())
    assert "Esercitazione: iscrizioni aperte" in page.locator("main").inner_text()
    assert_axe_clean(page, report)

    # Scoped: nothing of another community, nor the users' admin.
    for url in (
        f"/admin/pages/{other.pk}/edit/",
        f"/admin/pages/add/communities/communityareapage/{other.pk}/",
        f"/admin/pages/{other.pk}/unpublish/",
        "/admin/users/",
    ):
        response = page.request.get(saml_live + url, max_redirects=0)
        assert response.status in (302, 403), (url, response.status)
        assert "/edit/" not in (response.headers.get("location") or ""), url
    assert not report, f"axe-core serious/critical violations: {report}"


def test_participant_registers_gets_the_ics_and_the_waiting_list_moves(
    saml_live, page, browser, demo_site
):
    from events.models import EventPage, Registration

    public = it_page(EventPage, "incontro-annuale-di-apertura")
    full = it_page(EventPage, "esercitazione-risposta-agli-incidenti")
    person = sign_in_with_spid(page, saml_live, "partecipante", next_path=public.get_url())
    assert page.url == saml_live + public.get_url()
    report = {}
    assert_axe_clean(page, report)

    # A place at the public event: the confirmation email carries the .ics.
    mail.outbox.clear()
    page.get_by_role("button", name=italian("Register for the event")).click()
    page.wait_for_load_state()
    status = page.locator("#event-status")
    assert italian("You are registered to this event.") in status.inner_text()
    (confirmation,) = messages_to(person.email)
    calendars = [
        attachment
        for attachment in confirmation.attachments
        if attachment[2].startswith("text/calendar")
    ]
    assert len(calendars) == 1
    ics = calendars[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "BEGIN:VEVENT" in ics and public.title[:30] in ics.replace("\r\n ", "")
    # And the page's own download.
    link = page.get_by_role("link", name=italian("Add to calendar (.ics)"))
    download = page.request.get(saml_live + link.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in download.body()

    # The members-only exercise is full: the participant joins the waiting list.
    page.goto(saml_live + full.get_url())
    assert_axe_clean(page, report)
    page.get_by_role("button", name=italian("Join the waiting list")).click()
    page.wait_for_load_state()
    assert re.search(r"\(\D*1\)", page.locator("#event-status").inner_text())
    waiting = Registration.objects.get(page=full, user__fiscal_number=person.fiscal_code)
    assert waiting.status == Registration.Status.WAITING

    # A designated participant gives up their place, in their own browser.
    mail.outbox.clear()
    other = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    try:
        tab = other.new_page()
        sign_in_with_spid(tab, saml_live, "designato", next_path=full.get_url())
        tab.get_by_role("button", name=italian("Cancel my registration")).click()
        tab.wait_for_load_state()
    finally:
        other.close()

    # The participant was first in line: promoted, told by email, with the .ics.
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    (promotion,) = messages_to(person.email)
    assert any(a[2].startswith("text/calendar") for a in promotion.attachments)
    page.reload()
    status = page.locator("#event-status").inner_text()
    assert italian("You are registered to this event.") in status

    # I miei eventi lists both, with the private calendar feed.
    page.goto(saml_live + "/la-mia-area/eventi/")
    text = page.locator("main").inner_text()
    assert public.title in text and full.title in text
    assert_axe_clean(page, report)
    page.goto(saml_live + "/calendario/")
    assert_axe_clean(page, report)
    assert not report, f"axe-core serious/critical violations: {report}"
