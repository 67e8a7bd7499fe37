"""Discussions in a real browser with the demo content and the demo IdP's people: a designated
participant opens a topic; a simple participant replies in a thread, sees no "New topic" button
and gets a 403 from the new-topic form's URL; axe-core on the topic list, a topic page and the
new-topic form."""

import pytest

from .conftest import axe_violations, italian, sign_in_with_spid

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def cyber(demo_site):
    from communities.models import CommunityPage

    return CommunityPage.objects.get(slug="cybersicurezza", locale__language_code="it")


def test_designated_opens_topic_and_participant_replies(saml_live, browser, cyber):
    from django.urls import reverse

    from discussions.models import Reply, Topic

    list_url = saml_live + reverse("discussions:topic_list", args=[cyber.pk])
    new_url = saml_live + reverse("discussions:topic_new", args=[cyber.pk])

    # A designated participant opens a topic from the list's button.
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_with_spid(page, saml_live, "designato")
    page.goto(list_url)
    assert axe_violations(page) == []
    page.get_by_role("link", name=italian("New topic")).click()
    page.wait_for_url(new_url)
    assert axe_violations(page) == []
    page.get_by_label(italian("Title")).fill("Password dei servizi cloud: chi usa un gestore?")
    page.get_by_label(italian("Text"), exact=False).first.fill(
        "Cerchiamo un **gestore di password** condiviso per l'ufficio."
    )
    page.get_by_role("button", name=italian("Open the topic")).click()
    topic = Topic.objects.get(title="Password dei servizi cloud: chi usa un gestore?")
    page.wait_for_url(saml_live + topic.get_absolute_url())
    assert page.locator("main strong", has_text="gestore di password").count() == 1
    # Its author may add a quick poll: the poll's own form page.
    page.goto(saml_live + reverse("discussions:poll_edit", args=[topic.pk]))
    assert page.locator('input[name="poll_question"], textarea[name="poll_question"]').count()
    assert axe_violations(page) == []
    context.close()

    # A simple participant: no "New topic" button, the form's URL is refused, replies in a thread.
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_with_spid(page, saml_live, "partecipante")
    page.goto(list_url)
    assert page.get_by_role("link", name=italian("New topic")).count() == 0
    response = page.goto(new_url)
    assert response.status == 403
    demo_topic = Topic.objects.get(title__startswith="Backup dei dati")
    page.goto(saml_live + demo_topic.get_absolute_url())
    assert axe_violations(page) == []
    first = Reply.objects.filter(topic=demo_topic, level=0).order_by("thread_id").first()
    page.locator(f"#r{first.pk} a[href*='?parent={first.pk}']").click()
    page.get_by_label(italian("Your reply")).fill("Anche noi: copie immutabili, 14 giorni.")
    page.get_by_role("button", name=italian("Publish the reply")).click()
    page.wait_for_url(f"**{demo_topic.get_absolute_url()}*#r*")
    reply = Reply.objects.get(comment="Anche noi: copie immutabili, 14 giorni.")
    assert reply.parent_id == first.pk and reply.level == 1
    assert page.locator(f"#r{first.pk} ~ ol #r{reply.pk}").count() == 1
    context.close()
