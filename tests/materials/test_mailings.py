"""The rounds' emails and jobs (``materials.tasks``, ``manage.py run_material_rounds``) and the
divulgation of a publication (``materials.divulgation``): invitation once, reminder once two
days before the deadline, to the subscribed participants who have not answered, with the
mailing list's headers, nothing after the close; the announcement to the community's mailing
list, the draft news item and the editors' email."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from mailing import services as mailing_services
from mailing.models import Subscription
from materials import services, tasks
from materials.models import RoundMailing, ValidationRound
from tests.communities.conftest import fresh

from . import rounds_support
from .rounds_support import TITLE, approved_round, open_round, past_deadline

_world_rows = rounds_support._world_rows
world = rounds_support.world

pytestmark = pytest.mark.django_db

#: The community's participants (simple and designated) of the world: who is invited.
PARTICIPANTS = ("participant", "designated", "wg_member", "wg_coordinator")


@pytest.fixture
def subscribed(world):
    """Every member subscribed to their community's list; the designated member chose "no
    emails"."""
    mailing_services.subscribe_current_members()
    Subscription.objects.filter(user=world.users["designated"]).update(
        frequency=Subscription.Frequency.NONE
    )
    return world


def _addresses(messages):
    return sorted(address for message in messages for address in message.to)


def _emails_of(w, keys):
    """The addresses of the world's users ``keys`` (``subject`` is the designated member the
    matrix's designation rows act on: a participant too)."""
    users = [w.subject if key == "subject" else w.users[key] for key in keys]
    return sorted(fresh(user).email for user in users)


def _round_mails(messages, round_):
    """The rounds' emails (not Wagtail's own workflow notifications)."""
    return [m for m in messages if f"/materiali/validazioni/{round_.pk}/" in m.body]


def test_invitation_once_to_subscribed_participants(subscribed, mailoutbox):
    w = subscribed
    round_ = open_round(w)
    done = tasks.dispatch_due_mailings()
    assert [(r, k) for r, k, _n in done] == [(round_.pk, RoundMailing.Kind.INVITATION)]
    # Not who chose "no emails" (designated), not the managers, not another community's.
    expected = ["participant", "wg_member", "wg_coordinator", "subject"]
    mails = _round_mails(mailoutbox, round_)
    assert _addresses(mails) == _emails_of(w, expected)
    message = mails[0]
    assert TITLE in message.subject and w.community.title in message.subject
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/materiali/validazioni/{round_.pk}/" in message.body
    assert RoundMailing.objects.get(round=round_).recipients == 4

    assert tasks.dispatch_due_mailings() == []
    assert len(_round_mails(mailoutbox, round_)) == 4


def test_reminder_once_two_days_before_to_who_has_not_answered(subscribed, mailoutbox):
    w = subscribed
    round_ = open_round(w, days=7)
    tasks.dispatch_due_mailings()
    mailoutbox.clear()
    services.answer_round(fresh(w.users["participant"]), round_, "approve")

    assert tasks.dispatch_due_mailings(now=round_.deadline - timedelta(days=3)) == []
    at = round_.deadline - tasks.REMINDER_BEFORE + timedelta(minutes=1)
    done = tasks.dispatch_due_mailings(now=at)
    assert [(r, k) for r, k, _n in done] == [(round_.pk, RoundMailing.Kind.REMINDER)]
    mails = _round_mails(mailoutbox, round_)
    assert _addresses(mails) == _emails_of(w, ["wg_member", "wg_coordinator", "subject"])
    assert "Promemoria" in mails[0].subject or "Reminder" in mails[0].subject
    assert tasks.dispatch_due_mailings(now=at + timedelta(hours=1)) == []
    assert len(_round_mails(mailoutbox, round_)) == 3


def test_nothing_after_the_close(subscribed, mailoutbox):
    w = subscribed
    round_ = open_round(w)
    services.close_round(round_, user=fresh(w.users["coordinator"]))
    assert tasks.dispatch_due_mailings() == []
    # A batch enqueued before the close sends nothing after it.
    assert (
        tasks.send_round_mail_batch.call(
            round_id=round_.pk, kind="reminder", user_ids=[w.users["participant"].pk]
        )
        == 0
    )
    late = open_round(w, rounds_support.make_document(w, title="Altro documento"))
    past_deadline(late)
    assert tasks.dispatch_due_mailings() == []
    assert _round_mails(mailoutbox, round_) == [] and _round_mails(mailoutbox, late) == []


def test_run_material_rounds_command(subscribed, mailoutbox):
    w = subscribed
    due = past_deadline(open_round(w))
    fresh_round = open_round(w, rounds_support.make_document(w, title="Glossario"))
    out = StringIO()
    call_command("run_material_rounds", stdout=out)
    text = out.getvalue()
    assert f"round {due.pk}: closed" in text
    assert f"round {fresh_round.pk}: invitation to 4 recipients" in text
    assert "rounds closed: 1; round mailings started: 1" in text
    due.refresh_from_db()
    assert due.status == ValidationRound.Status.REJECTED  # nobody answered: no quorum
    assert len(_round_mails(mailoutbox, fresh_round)) == 4
    out = StringIO()
    call_command("run_material_rounds", stdout=out)
    assert "rounds closed: 0; round mailings started: 0" in out.getvalue()


def test_publishing_divulges(subscribed, mailoutbox, django_capture_on_commit_callbacks):
    from cms.models import NewsPage
    from mailing.models import AnnouncementPage

    w = subscribed
    round_ = approved_round(w)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = services.publish(fresh(w.users["coordinator"]), round_)

    announcement = AnnouncementPage.objects.child_of(w.area).live().get()
    assert TITLE in announcement.title
    members = [
        message
        for message in mailoutbox
        if message.subject and announcement.title in message.subject
    ]
    # Every member receiving each message by email (not the one who chose "no emails").
    assert fresh(w.users["participant"]).email in _addresses(members)
    assert fresh(w.users["designated"]).email not in _addresses(members)
    assert "List-Unsubscribe" in members[0].extra_headers

    news = NewsPage.objects.get(title__contains=TITLE)
    assert not news.live
    editors = [m for m in mailoutbox if fresh(w.users["staff"]).email in m.to]
    assert len(editors) == 1
    assert f"/admin/pages/{news.pk}/edit/" in editors[0].body
    assert page.live
