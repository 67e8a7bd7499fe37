"""Invitations and reminders of the questionnaires, through the mailing list: recipients,
unsubscribed members excluded, reminders only to who has not answered, sent once, headers."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cms.templatetags.portal_tags import human_date
from mailing import services as mailing_services
from mailing.models import Subscription
from surveys import services
from surveys.models import SurveyMailing
from surveys.tasks import dispatch_due_mailings, send_survey_mail_batch
from tests.communities.conftest import make_member
from tests.factories import UserFactory

from .factories import SurveyPageFactory, valid_answers

pytestmark = pytest.mark.django_db

Kind = SurveyMailing.Kind
MEMBERS = ["participant", "designated", "wg_member", "wg_coordinator", "coordinator", "support"]


@pytest.fixture
def mailing_world(world):
    """The surveys' world with every member subscribed (each message); only the consultation
    sends invitations."""
    mailing_services.subscribe_current_members()
    world.survey.send_invitations = False
    world.survey.save()
    return world


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


def emails_of(*users):
    return sorted(user.contact_email or user.email for user in users)


def community_members(w):
    return [w.users[column] for column in MEMBERS] + [w.subject]


def set_frequency(user, community, frequency):
    Subscription.objects.filter(user=user, community=community).update(frequency=frequency)


def to_reminder_window(page, *, invited_days_ago=2):
    page.closes_at = timezone.now() + datetime.timedelta(days=1)
    page.opens_at = timezone.now() - datetime.timedelta(days=invited_days_ago + 1)
    page.save()
    SurveyMailing.objects.update_or_create(
        survey=page,
        kind=Kind.INVITATION,
        defaults={"sent_at": timezone.now() - datetime.timedelta(days=invited_days_ago)},
    )


def test_the_invitation_goes_to_the_consultation_s_subscribed_members(mailing_world):
    w = mailing_world
    set_frequency(w.users["participant"], w.community, Subscription.Frequency.NONE)
    set_frequency(w.users["designated"], w.community, Subscription.Frequency.WEEKLY)
    Subscription.objects.filter(user=w.users["support"]).update(ended_at=timezone.now())
    done = dispatch_due_mailings()
    expected = [
        u for u in community_members(w) if u not in (w.users["participant"], w.users["support"])
    ]
    assert done == [(w.consultation.pk, Kind.INVITATION, len(expected))]
    assert recipients() == emails_of(*expected)
    assert w.users["other_member"].email not in recipients()
    mailing = SurveyMailing.objects.get(survey=w.consultation)
    assert mailing.kind == Kind.INVITATION and mailing.recipients == len(expected)


def test_the_email_has_the_link_the_close_date_and_the_list_headers(mailing_world):
    w = mailing_world
    dispatch_due_mailings()
    coordinator = w.users["coordinator"]
    message = next(m for m in mail.outbox if m.to == [coordinator.contact_email])
    subscription = Subscription.objects.get(user=coordinator, community=w.community)
    unsubscribe = mailing_services.unsubscribe_url(subscription)
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert w.community.slug in message.extra_headers["List-Id"]
    assert message.subject.startswith(f"[{w.community.title}] ")
    assert message.subject.endswith(w.consultation.title)
    closes = human_date(timezone.localtime(w.consultation.closes_at), "datetime")
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert w.consultation.url in body or w.consultation.full_url in body
        assert closes in body
        assert unsubscribe in body
    # The unsubscribe link is the mailing list's own: it stops the community's emails.
    token = unsubscribe.rstrip("/").rsplit("/", 1)[-1]
    current, _stale = mailing_services.subscriptions_for_token(token)
    assert current == [subscription]


def test_running_twice_sends_nothing_more(mailing_world):
    dispatch_due_mailings()
    first = len(mail.outbox)
    assert first == 7
    assert dispatch_due_mailings() == []
    out = StringIO()
    call_command("send_survey_mailings", stdout=out)
    assert "started: 0" in out.getvalue()
    assert len(mail.outbox) == first
    assert SurveyMailing.objects.count() == 1


def test_the_reminder_goes_only_to_who_has_not_answered(mailing_world):
    w = mailing_world
    dispatch_due_mailings()
    mail.outbox.clear()
    # Not yet: the close is far.
    assert dispatch_due_mailings() == []
    services.submit(w.users["designated"], w.consultation, valid_answers(w.consultation))
    services.save_draft(w.users["wg_member"], w.consultation, {})
    set_frequency(w.users["coordinator"], w.community, Subscription.Frequency.NONE)
    to_reminder_window(w.consultation)
    done = dispatch_due_mailings()
    expected = [
        u for u in community_members(w) if u not in (w.users["designated"], w.users["coordinator"])
    ]
    assert done == [(w.consultation.pk, Kind.REMINDER, len(expected))]
    assert recipients() == emails_of(*expected)
    draft_mail = next(m for m in mail.outbox if m.to == [w.users["wg_member"].contact_email])
    other_mail = next(m for m in mail.outbox if m.to == [w.users["support"].contact_email])
    assert draft_mail.body != other_mail.body  # the draft is mentioned
    assert "List-Unsubscribe" in draft_mail.extra_headers
    mail.outbox.clear()
    assert dispatch_due_mailings() == []
    assert mail.outbox == []


def test_no_reminder_right_after_a_late_invitation(mailing_world):
    w = mailing_world
    to_reminder_window(w.consultation)
    SurveyMailing.objects.all().delete()
    assert [kind for _pk, kind, _n in dispatch_due_mailings()] == [Kind.INVITATION]
    assert dispatch_due_mailings() == []  # the reminder waits a day after the invitation


def test_nothing_for_closed_not_open_or_silent_questionnaires(mailing_world):
    w = mailing_world
    w.consultation.send_invitations = False
    w.consultation.save()
    SurveyPageFactory(
        parent=w.area,
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=5),
    )
    SurveyPageFactory(
        parent=w.area,
        opens_at=timezone.now() - datetime.timedelta(days=5),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert dispatch_due_mailings() == []
    assert mail.outbox == []


def test_a_portal_survey_goes_to_members_who_receive_some_community_s_emails(mailing_world):
    w = mailing_world
    w.consultation.send_invitations = False
    w.consultation.save()
    w.survey.send_invitations = True
    w.survey.save()
    # A member of both communities who silenced one still receives (and unsubscribes from
    # both with one click); one who silenced every community receives nothing.
    both = make_member(w.other, user=w.users["participant"])
    set_frequency(both, w.community, Subscription.Frequency.NONE)
    mailing_services.subscribe_current_members()
    silent = w.users["designated"]
    set_frequency(silent, w.community, Subscription.Frequency.NONE)
    dispatch_due_mailings()
    expected = [u for u in community_members(w) if u != silent] + [w.users["other_member"]]
    # The registered member of no community has no subscription: not emailed.
    assert recipients() == emails_of(*expected)
    message = next(m for m in mail.outbox if m.to == [both.contact_email])
    assert "[" not in message.subject  # not a community's email
    assert "sondaggi" in message.extra_headers["List-Id"]
    token = message.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[-1]
    current, _stale = mailing_services.subscriptions_for_token(token)
    assert {s.community_id for s in current} == {w.other.pk}
    coordinator = w.users["coordinator"]
    coordinator_mail = next(m for m in mail.outbox if m.to == [coordinator.contact_email])
    token = coordinator_mail.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/")
    current, _stale = mailing_services.subscriptions_for_token(token.rsplit("/", 1)[-1])
    assert [s.community_id for s in current] == [w.community.pk]


def test_per_authority_reminder_skips_the_colleagues_of_an_authority_that_answered(
    mailing_world,
):
    w = mailing_world
    w.consultation.respondent = w.consultation.Respondent.ENTE
    w.consultation.save()
    first = w.users["participant"]
    colleague = w.users["designated"]
    colleague.ente = first.ente
    colleague.save()
    services.submit(first, w.consultation, valid_answers(w.consultation))
    to_reminder_window(w.consultation)
    dispatch_due_mailings()
    assert first.contact_email not in recipients()
    assert colleague.contact_email not in recipients()
    assert w.users["coordinator"].contact_email in recipients()


def test_a_batch_checks_again_before_sending(mailing_world):
    w = mailing_world
    participant, designated = w.users["participant"], w.users["designated"]
    set_frequency(participant, w.community, Subscription.Frequency.NONE)
    services.submit(designated, w.consultation, valid_answers(w.consultation))
    stranger = UserFactory()
    ids = [participant.pk, designated.pk, stranger.pk, w.users["support"].pk]
    sent = send_survey_mail_batch.call(
        survey_id=w.consultation.pk, kind=Kind.REMINDER, user_ids=ids
    )
    assert sent == 1 and recipients() == emails_of(w.users["support"])
    assert send_survey_mail_batch.call(survey_id=10**9, kind=Kind.REMINDER, user_ids=ids) == 0
