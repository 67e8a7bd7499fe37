"""The validation rounds' pages from the outside: opening a round, the round's page as each role,
answering (and every way an answer is refused, nothing lost), following, closing, withdrawing,
publishing and sending back, and "Validazioni" in La mia area."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from materials.models import RoundAnswer, ValidationRound, WorkingDocument
from tests.communities.conftest import fresh

from . import rounds_support
from .rounds_support import TITLE, approved_round, make_document, open_round, past_deadline

_world_rows = rounds_support._world_rows
world = rounds_support.world

pytestmark = pytest.mark.django_db


def _login(client, w, key):
    client.force_login(fresh(w.users[key]))
    return client


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _text(response):
    return response.content.decode()


# --- opening ------------------------------------------------------------------------------------


def test_open_a_round(client, world):
    document = make_document(world)
    version = document.latest_version
    url = reverse("materials:round_open", args=[version.pk])
    _login(client, world, "wg_coordinator")

    page = client.get(url)
    assert page.status_code == 200
    body = _text(page)
    for name in ('name="deadline"', 'type="datetime-local"', 'name="quorum_percent"'):
        assert name in body
    assert 'name="majority"' in body and 'name="instructions"' in body
    assert _("Open the validation") in body

    when = timezone.now() + timedelta(days=10)
    response = client.post(
        url,
        {
            "deadline": _local(when),
            "quorum_percent": "30",
            "majority": "two_thirds",
            "instructions": "Controllate il capitolo 3.",
        },
    )
    round_ = ValidationRound.objects.get(version=version)
    assert response.status_code == 303
    assert response["Location"] == reverse("materials:round", args=[round_.pk])
    # The deadline typed in Italian time is the moment stored.
    assert abs((round_.deadline - when).total_seconds()) < 60
    assert round_.quorum_percent == 30 and round_.majority == "two_thirds"
    assert round_.instructions == "Controllate il capitolo 3."


def test_open_refused_keeps_what_was_typed(client, world):
    document = make_document(world)
    url = reverse("materials:round_open", args=[document.latest_version.pk])
    _login(client, world, "wg_coordinator")
    typed = {
        "deadline": _local(timezone.now() + timedelta(hours=2)),
        "quorum_percent": "40",
        "majority": "unanimity",
        "instructions": "Leggete con attenzione le definizioni.",
    }
    response = client.post(url, typed)
    assert response.status_code == 400
    body = _text(response)
    assert escape(_("The deadline must be at least 24 hours from now.")) in body
    assert "Leggete con attenzione le definizioni." in body
    assert 'value="40"' in body and 'value="unanimity" checked' in body
    assert not ValidationRound.objects.exists()

    bad = client.post(url, {**typed, "deadline": "domani", "quorum_percent": "120"})
    assert bad.status_code == 400
    body = _text(bad)
    assert escape(_("Give the date and time of the deadline.")) in body
    assert escape(_("The quorum is a percentage from 0 to 100.")) in body

    too_far = client.post(url, {**typed, "deadline": _local(timezone.now() + timedelta(days=120))})
    assert too_far.status_code == 400

    ok = {**typed, "deadline": _local(timezone.now() + timedelta(days=5))}
    assert client.post(url, ok).status_code == 303
    again = client.post(url, ok)
    assert again.status_code == 409
    assert escape(_("A validation round of this document is already open: close it first.")) in (
        _text(again)
    )
    assert "Leggete con attenzione le definizioni." in _text(again)
    assert ValidationRound.objects.count() == 1


def test_open_as_each_role(client, world):
    document = make_document(world)
    url = reverse("materials:round_open", args=[document.latest_version.pk])
    data = {
        "deadline": _local(timezone.now() + timedelta(days=5)),
        "quorum_percent": "20",
        "majority": "simple",
    }
    anonymous = client.post(url, data)
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
    for key, status in (
        ("registered", 404),
        ("other_member", 404),
        ("participant", 404),  # the version is not submitted: they do not see it
        ("wg_member", 403),
        ("support", 403),
    ):
        _login(client, world, key)
        assert client.post(url, data).status_code == status, key
    assert not ValidationRound.objects.exists()
    _login(client, world, "coordinator")
    assert client.post(url, data).status_code == 303


# --- the round's page -----------------------------------------------------------------------------


def test_round_page_as_each_role(client, world):
    round_ = open_round(world, instructions="Verificate gli allegati.")
    url = reverse("materials:round", args=[round_.pk])
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response["Location"]
    for key in ("registered", "other_member"):
        _login(client, world, key)
        assert client.get(url).status_code == 404, key
    assert client.get(reverse("materials:round", args=[999999])).status_code == 404

    _login(client, world, "participant")
    page = client.get(url)
    assert page.status_code == 200
    body = _text(page)
    assert escape(TITLE) in body and "v1" in body
    assert escape(round_.rule_text()) in body
    assert "Verificate gli allegati." in body
    assert reverse("materials:version_file", args=[round_.version_id]) in body
    assert _("Send my answer") in body and 'name="verdict"' in body
    assert 'value="approve_with_comments"' in body and 'value="changes"' in body
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]
    # A participant does not follow: no progress, no buttons.
    assert _("Close the validation now") not in body
    assert _("Withdraw the round") not in body

    _login(client, world, "coordinator")
    body = _text(client.get(url))
    assert _("Close the validation now") in body and _("Withdraw the round") in body
    assert _("Send my answer") not in body  # the managers follow; they do not vote
    assert _("Nobody has answered yet.") in body

    _login(client, world, "support")
    body = _text(client.get(url))
    assert _("Close the validation now") in body
    assert _("Withdraw the round") not in body  # only the coordinators withdraw

    _login(client, world, "staff")
    assert client.get(url).status_code == 200


def test_a_draft_round_shows_its_text(client, world):
    document = make_document(
        world, kind=WorkingDocument.Kind.TEXT, body="## Premessa\n\nIl testo **in bozza**."
    )
    round_ = open_round(world, document)
    _login(client, world, "designated")
    body = _text(client.get(reverse("materials:round", args=[round_.pk])))
    assert "<strong>in bozza</strong>" in body and "Premessa" in body


def test_answering(client, world):
    round_ = open_round(world)
    url = reverse("materials:round", args=[round_.pk])
    _login(client, world, "participant")

    missing = client.post(url, {"verdict": "changes", "comment": "  "})
    assert missing.status_code == 400
    assert escape(_("Say what should change and why.")) in _text(missing)
    assert 'value="changes" checked' in _text(missing)
    nothing = client.post(url, {"comment": "Bene"})
    assert nothing.status_code == 400
    assert escape(_("Choose your answer.")) in _text(nothing)
    assert "Bene" in _text(nothing)
    with_comments = client.post(url, {"verdict": "approve_with_comments"})
    assert with_comments.status_code == 400
    assert escape(_("Write your comments.")) in _text(with_comments)
    assert not RoundAnswer.objects.exists()

    done = client.post(url, {"verdict": "changes", "comment": "Manca la sezione sui ruoli."})
    assert done.status_code == 303 and done["Location"] == url
    answer = RoundAnswer.objects.get()
    assert answer.verdict == "changes" and answer.comment == "Manca la sezione sui ruoli."
    body = _text(client.get(url))
    assert _("Send my answer") not in body  # no second form
    assert "Manca la sezione sui ruoli." in body

    again = client.post(url, {"verdict": "approve", "comment": "Ci ho ripensato."})
    assert again.status_code == 409
    assert "Ci ho ripensato." in _text(again)  # what was typed is shown back
    assert RoundAnswer.objects.count() == 1

    _login(client, world, "coordinator")
    refused = client.post(url, {"verdict": "approve"})
    assert refused.status_code == 403
    assert escape(_("Only the community's participants validate its materials.")) in _text(refused)
    _login(client, world, "other_member")
    assert client.post(url, {"verdict": "approve"}).status_code == 404
    client.logout()
    assert client.post(url, {"verdict": "approve"}).status_code == 302
    assert RoundAnswer.objects.count() == 1


def test_answering_late_or_closed_keeps_the_text(client, world):
    round_ = past_deadline(open_round(world))
    url = reverse("materials:round", args=[round_.pk])
    _login(client, world, "designated")
    body = _text(client.get(url))
    assert _("Send my answer") not in body
    late = client.post(url, {"verdict": "changes", "comment": "Il mio parere dettagliato."})
    assert late.status_code == 409
    assert "Il mio parere dettagliato." in _text(late)
    assert not RoundAnswer.objects.exists()

    from materials import services

    services.close_round(round_)
    closed = client.post(url, {"verdict": "approve", "comment": "Tardi."})
    assert closed.status_code == 409
    assert escape(_("This validation round is closed.")) in _text(closed)
    assert "Tardi." in _text(closed)


def test_following_and_closing(client, world):
    round_ = open_round(world)
    url = reverse("materials:round", args=[round_.pk])
    for key, verdict, comment in (
        ("participant", "approve", ""),
        ("designated", "approve_with_comments", "Aggiungere esempi."),
        ("wg_member", "changes", "Rivedere il titolo."),
    ):
        _login(client, world, key)
        assert client.post(url, {"verdict": verdict, "comment": comment}).status_code == 303

    _login(client, world, "wg_coordinator")
    body = _text(client.get(url))
    assert "Aggiungere esempi." in body and "Rivedere il titolo." in body
    assert fresh(world.users["designated"]).get_full_name() in body
    assert "67%" in body  # 2 of 3 approve

    _login(client, world, "participant")
    assert client.post(reverse("materials:round_close", args=[round_.pk])).status_code == 403

    _login(client, world, "wg_coordinator")
    closed = client.post(reverse("materials:round_close", args=[round_.pk]))
    assert closed.status_code == 303
    round_.refresh_from_db()
    assert round_.status == ValidationRound.Status.APPROVED and round_.outcome["early"]
    body = _text(client.get(url))
    assert _("Approved by the participants.") in body
    assert _("Closed before the deadline by the managers.") in body
    # The group's coordinator does not publish.
    assert _("Publish in Risorse") not in body
    again = client.post(reverse("materials:round_close", args=[round_.pk]))
    assert again.status_code == 409

    _login(client, world, "coordinator")
    body = _text(client.get(url))
    assert _("Publish in Risorse") in body and _("Send back to the working group") in body
    assert _("Close the validation now") not in body


def test_rejected_round_shows_the_figures(client, world):
    round_ = open_round(world, quorum_percent=100)
    _login(client, world, "participant")
    client.post(reverse("materials:round", args=[round_.pk]), {"verdict": "approve"})
    _login(client, world, "coordinator")
    client.post(reverse("materials:round_close", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == ValidationRound.Status.REJECTED
    body = _text(client.get(reverse("materials:round", args=[round_.pk])))
    assert _("Not approved: the working group is asked for changes.") in body
    assert _("Quorum not reached.") in body
    assert _("Publish in Risorse") not in body
    refused = client.post(reverse("materials:round_publish", args=[round_.pk]))
    assert refused.status_code == 409
    message = _(
        "This version was not approved by the participants: only an approved version is published."
    )
    assert escape(message) in _text(refused)


def test_withdraw(client, world):
    round_ = open_round(world)
    url = reverse("materials:round_cancel", args=[round_.pk])
    _login(client, world, "support")
    assert client.post(url).status_code == 403
    _login(client, world, "wg_coordinator")
    assert client.post(url).status_code == 303
    round_.refresh_from_db()
    assert round_.status == ValidationRound.Status.CANCELLED
    assert client.post(url).status_code == 409
    assert client.get(url).status_code == 405


def test_publish_and_send_back(client, world, django_capture_on_commit_callbacks):
    round_ = approved_round(world)
    publish = reverse("materials:round_publish", args=[round_.pk])
    _login(client, world, "wg_coordinator")
    assert client.post(publish).status_code == 403
    _login(client, world, "support")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish)
    assert response.status_code == 303
    round_.refresh_from_db()
    assert round_.published_at is not None and round_.page.live
    body = _text(client.get(reverse("materials:round", args=[round_.pk])))
    assert round_.page.url in body
    assert _("Publish in Risorse") not in body
    assert client.post(publish).status_code == 409

    other = approved_round(world, make_document(world, title="Modello di registro"))
    _login(client, world, "coordinator")
    sent = client.post(
        reverse("materials:round_send_back", args=[other.pk]),
        {"comment": "Manca la licenza dei contenuti di terzi."},
    )
    assert sent.status_code == 303
    other.refresh_from_db()
    assert other.outcome["sent_back"]["comment"] == "Manca la licenza dei contenuti di terzi."
    body = _text(client.get(reverse("materials:round", args=[other.pk])))
    assert "Manca la licenza dei contenuti di terzi." in body
    assert _("Publish in Risorse") not in body
    assert not other.page.live


# --- La mia area > Validazioni ------------------------------------------------------------------


def test_my_rounds(client, world):
    later = open_round(world, days=20)
    sooner = open_round(world, make_document(world, title="Glossario comune"), days=3)
    url = reverse("materials_member:rounds")
    assert url == "/la-mia-area/validazioni/"
    assert client.get(url).status_code == 302

    _login(client, world, "participant")
    body = _text(client.get(url))
    assert body.index("Glossario comune") < body.index(escape(TITLE))  # deadline first
    assert reverse("materials:round", args=[sooner.pk]) in body
    client.post(reverse("materials:round", args=[later.pk]), {"verdict": "approve"})
    body = _text(client.get(url))
    waiting, answered = body.split('id="rounds-answered"')
    assert escape(TITLE) not in waiting and escape(TITLE) in answered
    assert _("Validations you follow") not in body

    _login(client, world, "other_member")
    body = _text(client.get(url))
    assert "Glossario comune" not in body and escape(TITLE) not in body

    _login(client, world, "coordinator")
    body = _text(client.get(url))
    assert _("Validations you follow") in body
    assert "Glossario comune" in body and escape(TITLE) in body

    _login(client, world, "wg_coordinator")
    body = _text(client.get(url))
    assert _("Validations you follow") in body

    dashboard = client.get(reverse("participation:dashboard"))
    assert url in _text(dashboard)
