"""Member notices (``communities.signals.member_notified``): kept for La mia area, emailed on
commit unless the member chose "no emails" for that community."""

import pytest
from django.core import mail
from django.urls import reverse

from communities.signals import member_notified
from mailing.models import Notice

from .conftest import set_frequency

pytestmark = pytest.mark.django_db


def notify(world, user, subject="Invito al gruppo di lavoro"):
    member_notified.send(
        sender=None,
        user=user,
        community=world.community,
        kind="working_group_invitation",
        subject=subject,
        message="Sei stato invitato nel gruppo Gestione incidenti.",
        url="/la-mia-area/",
    )


def test_notice_is_stored_and_emailed(world, django_capture_on_commit_callbacks):
    user = world.users["designated"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(world, user)
    notice = Notice.objects.get(user=user)
    assert notice.emailed_at is not None and notice.read_at is None
    assert [message.to[0] for message in mail.outbox] == [user.email]
    assert mail.outbox[0].subject == "Invito al gruppo di lavoro"
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers

    mail.outbox.clear()
    set_frequency(user, world.community, "none")
    with django_capture_on_commit_callbacks(execute=True):
        notify(world, user, "Secondo avviso")
    assert mail.outbox == []
    assert Notice.objects.filter(user=user).count() == 2


def test_notices_page_marks_read(client, world, django_capture_on_commit_callbacks):
    user = world.users["participant"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(world, user, "Primo")
        notify(world, user, "Secondo")
    first, second = Notice.objects.filter(user=user).order_by("pk")
    client.force_login(user)
    url = reverse("mailing:notices")
    html = client.get(url).content.decode()
    assert "Primo" in html and "Secondo" in html
    client.post(url, {"notice": [first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    client.post(url)
    second.refresh_from_db()
    assert second.read_at is not None
    # Nobody marks another member's notices.
    client.force_login(world.users["designated"])
    assert client.post(url, {"notice": ["abc"]}).status_code == 400
