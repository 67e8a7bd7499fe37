"""Answering on the site: the questionnaire's page for each role, drafts without JavaScript and
by autosave, sending, the 400 / 403 / 404 / 409 answers with nothing typed lost, one response per
authority, editing until the close, anonymity, La mia area > Sondaggi, the admin's rules."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from surveys import services
from surveys.models import Draft, Participation, Response
from tests.factories import UserFactory

from .factories import SurveyPageFactory, field, valid_answers

pytestmark = pytest.mark.django_db


def t(message, **values):
    """``message`` as the site shows it (Italian, once translated)."""
    with translation.override("it"):
        text = gettext(message)
    return text % values if values else text


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def answer_url(page):
    return reverse("surveys:answer", args=[page.pk])


def login(client, user):
    client.force_login(user)
    return client


def checked(text, name, value) -> bool:
    """Whether the radio or check box ``name`` = ``value`` is checked in the page."""
    value = re.escape(value)
    pattern = rf'<input type="(?:radio|checkbox)"[^>]*name="{name}"[^>]*value="{value}"[^>]*>'
    match = re.search(pattern, text)
    return bool(match) and " checked" in match.group(0)


# --- the page for each role -----------------------------------------------------------------


def test_visitor_sees_the_rules_and_a_sign_in_link(client, world):
    response = client.get(world.survey.url)
    text = text_of(response)
    assert response.status_code == 200
    assert reverse("membership:login") + "?next=" in text
    assert "data-survey-form" not in text
    assert t("One response per person.") in text
    assert world.survey.closes_at.year and str(world.survey.closes_at.year) in text


def test_member_gets_the_form_with_sections_conditions_and_buttons(client, world):
    login(client, world.users["registered"])
    response = client.get(world.survey.url)
    text = text_of(response)
    assert response.status_code == 200
    assert 'name="action" value="draft"' in text and 'name="action" value="submit"' in text
    assert text.count('<fieldset class="portal-survey-section') == 2
    assert text.count("<legend") >= 8  # sections, choice questions, the matrix
    provider = field(world.survey, "provider")
    cloud = field(world.survey, "cloud")
    assert f'data-question="{provider}" data-condition-field="{cloud}"' in text
    assert 'data-condition-value="Sì"' in text
    assert "Usate servizi cloud?" in text.split(f'data-question="{provider}"')[1][:800]
    assert f"({t('required')})" in text
    assert "persone" in text  # the number's unit
    assert 'class="table table-sm portal-matrix"' in text and 'scope="row"' in text
    assert "js/surveys.js" in text
    # A signed-in member's page is never stored by a shared cache.
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_roles_on_the_consultation(client, world):
    page = world.consultation
    # A member of the community answers; a manager also gets the admin link.
    login(client, world.users["participant"])
    text = text_of(client.get(page.url))
    assert "data-survey-form" in text
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) not in text
    login(client, world.users["coordinator"])
    text = text_of(client.get(page.url))
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in text
    # Outsiders are refused the page without its title, and its URLs answer 404.
    for column in ("other_member", "registered"):
        login(client, world.users[column])
        response = client.get(page.url)
        assert response.status_code == 403
        assert page.title not in text_of(response)
        for name in ("surveys:answer", "surveys:autosave", "surveys:discard"):
            response = client.post(reverse(name, args=[page.pk]), {"action": "draft"})
            assert response.status_code == 404, (column, name)
            assert page.title not in text_of(response)
    assert not Draft.objects.exists()


def test_member_outside_a_designated_only_audience_is_told_and_refused(client, world):
    page = world.consultation
    page.designated_only = True
    page.save()
    login(client, world.users["participant"])
    text = text_of(client.get(page.url))
    assert "data-survey-form" not in text and 'id="survey-state"' in text
    response = client.post(answer_url(page), valid_answers(page) | {"action": "submit"})
    assert response.status_code == 403
    assert t("This questionnaire is not addressed to you.") in text_of(response)
    assert "private" in response["Cache-Control"]


def test_unknown_and_unpublished_pages_are_404(client, world):
    login(client, world.users["registered"])
    assert client.post(reverse("surveys:answer", args=[999999]), {}).status_code == 404
    world.survey.unpublish()
    assert client.post(answer_url(world.survey), {"action": "draft"}).status_code == 404


def test_visitor_posting_is_sent_to_sign_in(client, world):
    response = client.post(answer_url(world.survey), {"action": "draft"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("membership:login"))
    response = client.post(reverse("surveys:autosave", args=[world.survey.pk]), {})
    assert response.status_code == 403 and "message" in response.json()


# --- drafts, sending, errors ------------------------------------------------------------------


def test_draft_without_javascript_then_resume_then_send(client, world):
    page = world.survey
    user = world.users["registered"]
    login(client, user)
    data = valid_answers(page, preparazione=None, referente="Ufficio CED del Comune")
    response = client.post(answer_url(page), data | {"action": "draft"})
    assert response.status_code == 303 and response["Location"].endswith("#rispondi")
    draft = Draft.objects.get(survey=page, user=user)
    assert draft.data[field(page, "referente")] == ["Ufficio CED del Comune"]
    # Coming back: the message, the values typed, the draft's state.
    text = text_of(client.get(page.url))
    saved_at = timezone.localtime(draft.updated_at).strftime("%H:%M")
    assert t("Draft saved at %(time)s.", time=saved_at) in text
    assert 'value="Ufficio CED del Comune"' in text
    assert checked(text, field(page, "cloud"), "Sì")
    assert checked(text, field(page, "temi"), "Phishing")
    assert not checked(text, field(page, "preparazione"), "4")
    assert reverse("surveys:discard", args=[page.pk]) in text
    # Sending.
    response = client.post(answer_url(page), valid_answers(page) | {"action": "submit"})
    assert response.status_code == 303 and "?inviato=1" in response["Location"]
    assert Participation.objects.filter(survey=page, user=user).exists()
    assert not Draft.objects.filter(survey=page, user=user).exists()
    text = text_of(client.get(response["Location"]))
    assert 'id="survey-thanks"' in text
    assert t("Thank you: your answers have been sent.") in text


def test_invalid_send_is_400_with_messages_and_values_kept(client, world):
    page = world.survey
    user = world.users["registered"]
    login(client, user)
    data = valid_answers(page, provider=None, dipendenti="5000", referente="Ufficio tecnico")
    response = client.post(answer_url(page), data | {"action": "submit"})
    text = text_of(response)
    assert response.status_code == 400
    assert not Participation.objects.exists()
    # The summary at the top links to the fields.
    assert 'id="survey-errors"' in text and "data-portal-focus" in text
    provider, dipendenti = field(page, "provider"), field(page, "dipendenti")
    assert f'href="#id_{provider}_0"' in text and f'href="#id_{dipendenti}"' in text
    # Each message next to its field, bound by aria-describedby.
    assert f'id="id_{provider}_error"' in text
    assert t("This question requires an answer.") in text
    assert re.search(rf'aria-describedby="[^"]*id_{dipendenti}_error"', text)
    assert re.search(rf'<input[^>]*name="{dipendenti}"[^>]*aria-invalid="true"', text)
    # Everything typed is kept, and saved as a draft.
    assert 'value="Ufficio tecnico"' in text and 'value="5000"' in text
    assert checked(text, field(page, "cloud"), "Sì")
    assert Draft.objects.get(survey=page, user=user).data[dipendenti] == ["5000"]


def test_hidden_questions_are_ignored(client, world):
    page = world.survey
    login(client, world.users["registered"])
    # "No" hides the provider: its (required) answer is neither asked nor stored.
    data = valid_answers(page, cloud="No", provider="Fornitore B")
    response = client.post(answer_url(page), data | {"action": "submit"})
    assert response.status_code == 303
    response_row = Response.objects.get(survey=page)
    assert not response_row.answers.filter(question=field(page, "provider")[2:]).exists()


def test_closed_questionnaire_is_409_with_the_typed_values(client, world):
    page = world.survey
    login(client, world.users["registered"])
    page.opens_at = timezone.now() - datetime.timedelta(days=5)
    page.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save()
    data = valid_answers(page, referente="Testo da non perdere")
    response = client.post(answer_url(page), data | {"action": "submit"})
    text = text_of(response)
    assert response.status_code == 409
    assert 'value="Testo da non perdere"' in text
    assert 'name="action" value="submit"' not in text  # nothing more to send
    response = client.post(reverse("surveys:autosave", args=[page.pk]), data)
    assert response.status_code == 409 and response.json()["code"] == "closed"


def test_autosave_and_discard(client, world):
    page = world.survey
    user = world.users["registered"]
    login(client, user)
    response = client.post(
        reverse("surveys:autosave", args=[page.pk]), {field(page, "referente"): "Bozza"}
    )
    assert response.status_code == 200
    assert re.fullmatch(r"\d\d:\d\d", response.json()["saved_at"])
    assert Draft.objects.get(user=user).data == {field(page, "referente"): ["Bozza"]}
    response = client.post(
        reverse("surveys:autosave", args=[page.pk]), {field(page, "commenti"): "x" * 30_000}
    )
    assert response.status_code == 400 and response.json()["message"]
    response = client.post(reverse("surveys:discard", args=[page.pk]))
    assert response.status_code == 303
    assert not Draft.objects.filter(user=user).exists()


def test_edit_until_the_close(client, world):
    page = world.survey
    user = world.users["registered"]
    login(client, user)
    client.post(answer_url(page), valid_answers(page) | {"action": "submit"})
    text = text_of(client.get(page.url))
    # The sent answers are in the form, to change them.
    assert checked(text, field(page, "piano"), "yes")
    assert 'value="Ufficio CED"' in text
    assert 'name="action" value="submit"' in text
    data = valid_answers(page, piano="no")
    assert client.post(answer_url(page), data | {"action": "submit"}).status_code == 303
    assert Response.objects.count() == 1
    assert checked(text_of(client.get(page.url)), field(page, "piano"), "no")


def test_anonymous_questionnaire_cannot_be_changed(client, world):
    page = world.survey
    page.anonymous = True
    page.save()
    login(client, world.users["registered"])
    client.post(answer_url(page), valid_answers(page) | {"action": "submit"})
    assert Response.objects.get().user is None
    text = text_of(client.get(page.url))
    assert "data-survey-form" not in text
    assert t("Your answers are anonymous: they cannot be changed.") in text
    response = client.post(answer_url(page), valid_answers(page) | {"action": "submit"})
    assert response.status_code == 409


def test_one_response_per_authority_shows_who_answered(client, world):
    page = world.survey
    page.respondent = page.Respondent.ENTE
    page.save()
    first = world.users["registered"]
    colleague = UserFactory(ente=first.ente)
    login(client, first)
    client.post(answer_url(page), valid_answers(page) | {"action": "submit"})
    text = text_of(client.get(page.url))
    assert str(first.ente) in text and 'id="survey-state"' in text
    login(client, colleague)
    text = text_of(client.get(page.url))
    assert first.get_full_name() in text and str(first.ente) in text
    assert "data-survey-form" not in text
    response = client.post(answer_url(page), valid_answers(page) | {"action": "submit"})
    assert response.status_code == 409
    assert first.get_full_name() in text_of(response)


# --- listings, La mia area ----------------------------------------------------------------------


def test_index_lists_open_and_closed_with_the_member_status(client, world):
    closed = SurveyPageFactory(
        parent=world.index,
        title="Sondaggio chiuso",
        opens_at=timezone.now() - datetime.timedelta(days=20),
        closes_at=timezone.now() - datetime.timedelta(days=2),
    )
    user = world.users["registered"]
    services.save_draft(user, world.survey, valid_answers(world.survey))
    login(client, user)
    text = text_of(client.get(world.index.url))
    assert world.survey.title in text and closed.title in text
    assert t("Draft saved") in text
    assert world.consultation.title not in text


def test_my_surveys_lists_drafts_and_answered(client, world, django_assert_num_queries):
    user = world.users["participant"]
    other = SurveyPageFactory(parent=world.index, title="Secondo sondaggio")
    services.save_draft(user, world.consultation, valid_answers(world.consultation))
    services.submit(user, other, valid_answers(other))
    login(client, user)
    url = reverse("surveys_member:my_surveys")
    client.get(url)  # warm the per-process snapshots (sites, restrictions)
    with django_assert_num_queries(9):
        client.get(url)
    for number in range(3):  # more questionnaires, answered or not: the same queries
        extra = SurveyPageFactory(parent=world.area, title=f"Consultazione {number}")
        services.submit(user, extra, valid_answers(extra))
        SurveyPageFactory(parent=world.index, title=f"Sondaggio {number}")
    client.get(url)  # the new pages renewed the snapshots
    with django_assert_num_queries(9):
        response = client.get(url)
    text = text_of(response)
    assert response.status_code == 200
    assert world.survey.title in text and world.consultation.title in text
    to_answer, answered = text.split('id="surveys-answered"')
    assert other.title in answered and other.title not in to_answer
    assert t("Not started") in to_answer
    assert "private" in response["Cache-Control"]
    # Linked from La mia area.
    assert url in text_of(client.get(reverse("participation:dashboard")))


def test_survey_page_query_budget(client, world, django_assert_num_queries):
    user = world.users["participant"]
    services.save_draft(user, world.consultation, valid_answers(world.consultation))
    login(client, user)
    client.get(world.consultation.url)
    # Wagtail's routing (a query per level), the session, the policy's snapshots, then the
    # questionnaire's own: the editor check, the participation, the draft, the version.
    with django_assert_num_queries(23):
        response = client.get(world.consultation.url)
    assert response.status_code == 200
    assert "data-survey-form" in text_of(response)


# --- the admin ----------------------------------------------------------------------------------


def test_a_questionnaire_with_responses_is_not_deleted(client, world):
    from tests.communities.factories import StaffUserFactory

    services.submit(world.users["registered"], world.survey, valid_answers(world.survey))
    admin = StaffUserFactory(is_superuser=True)
    login(client, admin)
    url = reverse("wagtailadmin_pages:delete", args=[world.survey.pk])
    response = client.post(url, follow=True)
    assert world.survey.__class__.objects.filter(pk=world.survey.pk).exists()
    assert t("It already has responses: withdraw it from publication instead of deleting it.") in (
        text_of(response)
    )
    # Without responses it may go.
    empty = SurveyPageFactory(parent=world.index)
    response = client.get(reverse("wagtailadmin_pages:delete", args=[empty.pk]))
    assert response.status_code == 200


def test_coordinator_adds_a_consultation_in_their_reserved_area(client, world):
    url = reverse("wagtailadmin_pages:add", args=["surveys", "surveypage", world.area.pk])
    login(client, world.users["coordinator"])
    assert client.get(url).status_code == 200
    login(client, world.users["other_member"])
    assert client.get(url).status_code in (302, 403)
