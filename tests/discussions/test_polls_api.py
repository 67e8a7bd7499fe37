"""A topic's quick poll in the discussions API (tag ``polls``): every column for reading and
voting (401 anonymous, 404 outside the audience), results only when allowed, bad votes (400),
a closed poll (409), adding and replacing a poll, the OpenAPI schema."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions.models import Poll, PollVote

from .conftest import COLUMNS
from .test_api import client_for
from .test_polls import make_poll, option_ids

pytestmark = pytest.mark.django_db

READERS = {"participant", "designated", "wg_member", "wg_coordinator", "coordinator", "support"}


def poll_url(topic):
    return reverse("community_api:discussion_poll", args=[topic.pk])


def vote_url(topic):
    return reverse("community_api:discussion_poll_vote", args=[topic.pk])


def expected(ok):
    return {
        column: 401 if column == "anonymous" else ok if column in READERS else 404
        for column in COLUMNS
    }


def test_who_reads_the_poll(disc):
    make_poll(disc.topic)
    got = {
        column: client_for(disc.users[column]).get(poll_url(disc.topic)).status_code
        for column in COLUMNS
    }
    assert got == expected(200)


def test_who_votes(disc):
    poll = make_poll(disc.topic)
    first = option_ids(poll)[0]
    got = {
        column: client_for(disc.users[column])
        .post(vote_url(disc.topic), {"options": [first]}, format="json")
        .status_code
        for column in COLUMNS
    }
    assert got == expected(200)
    assert PollVote.objects.count() == len(READERS)


def test_vote_answers_with_the_results(disc):
    poll = make_poll(disc.topic)
    yes, no, _unsure = option_ids(poll)
    PollVote.objects.create(poll=poll, option_id=yes, user=disc.users["support"])
    client = client_for(disc.users["participant"])
    before = client.get(poll_url(disc.topic)).json()
    assert before["results_visible"] is False and before["voters"] is None
    assert [o["votes"] for o in before["options"]] == [None, None, None]
    assert before["can_vote"] is True and before["voted"] is False
    response = client.post(vote_url(disc.topic), {"options": [no]}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["results_visible"] is True and data["voters"] == 2 and data["voted"] is True
    assert [(o["votes"], o["percent"], o["mine"]) for o in data["options"]] == [
        (1, 50, False),
        (1, 50, True),
        (0, 0, False),
    ]
    # Change, then withdraw.
    changed = client.post(vote_url(disc.topic), {"options": [yes]}, format="json").json()
    assert changed["options"][0]["mine"]
    assert client.delete(vote_url(disc.topic)).status_code == 204
    assert not PollVote.objects.filter(user=disc.users["participant"]).exists()
    assert client.delete(vote_url(disc.topic)).status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"options": []}, "options"),
        ({"options": ["abc"]}, "options"),
        ({"options": [0]}, "options"),
        ({}, "options"),
        ("two", "options"),
        ("other_poll", "options"),
        ({"options": [987654321]}, "options"),
    ],
)
def test_bad_votes_are_400(disc, body, field):
    poll = make_poll(disc.topic)
    if body == "two":
        body = {"options": option_ids(poll)[:2]}
    elif body == "other_poll":
        body = {"options": option_ids(make_poll(disc.group_topic))[:1]}
    response = client_for(disc.users["participant"]).post(vote_url(disc.topic), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not PollVote.objects.filter(poll=poll).exists()


def test_closed_poll_is_409(disc):
    poll = make_poll(disc.topic, closes_at=timezone.now() - timedelta(seconds=1))
    response = client_for(disc.users["participant"]).post(
        vote_url(disc.topic), {"options": option_ids(poll)[:1]}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "Questo sondaggio è chiuso: non accetta più voti."
    data = client_for(disc.users["participant"]).get(poll_url(disc.topic)).json()
    assert data["closed"] and data["results_visible"] and not data["can_vote"]


def test_locked_topic_refuses_votes_403(disc):
    poll = make_poll(disc.topic)
    type(disc.topic).objects.filter(pk=disc.topic.pk).update(locked=True)
    response = client_for(disc.users["participant"]).post(
        vote_url(disc.topic), {"options": option_ids(poll)[:1]}, format="json"
    )
    assert response.status_code == 403
    assert "chiuso" in response.json()["detail"]


def test_no_poll_is_404(disc):
    assert client_for(disc.users["participant"]).get(poll_url(disc.topic)).status_code == 404


def test_the_author_puts_a_poll_and_cannot_replace_it_after_a_vote(disc):
    author = client_for(disc.users["designated"])
    body = {"question": "Quale modello?", "options": ["AgID", "Proprio"], "multiple": True}
    response = author.put(poll_url(disc.topic), body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["multiple"] and [o["label"] for o in data["options"]] == ["AgID", "Proprio"]
    assert data["can_edit"] and data["results_visible"]  # the author sees the counts
    bad = author.put(poll_url(disc.topic), {**body, "options": ["A", "a"]}, format="json")
    assert bad.status_code == 400 and "options" in bad.json()
    past = (timezone.now() - timedelta(days=1)).isoformat()
    bad = author.put(poll_url(disc.topic), {**body, "closes_at": past}, format="json")
    assert bad.status_code == 400 and "closes_at" in bad.json()
    poll = Poll.objects.get(topic=disc.topic)
    PollVote.objects.create(
        poll=poll, option=poll.options.first(), user=disc.users["participant"], multiple=True
    )
    assert author.put(poll_url(disc.topic), body, format="json").status_code == 409
    assert author.delete(poll_url(disc.topic)).status_code == 409
    assert client_for(disc.users["participant"]).delete(poll_url(disc.topic)).status_code == 403
    assert client_for(disc.users["coordinator"]).delete(poll_url(disc.topic)).status_code == 204
    assert not Poll.objects.filter(topic=disc.topic).exists()


def test_participants_may_not_put_a_poll(disc):
    body = {"question": "Domanda?", "options": ["A", "B"]}
    response = client_for(disc.users["participant"]).put(poll_url(disc.topic), body, format="json")
    assert response.status_code == 403
    response = client_for(disc.users["other_member"]).put(poll_url(disc.topic), body, format="json")
    assert response.status_code == 404


def test_the_schema_tags_the_poll_operations(client):
    response = client.get(reverse("community_api:schema"), {"format": "json"})
    schema = response.json()
    paths = schema["paths"]
    poll_path = "/api/community/v1/discussions/topics/{id}/poll/"
    if poll_path not in paths:  # the path parameter's name
        poll_path = next(p for p in paths if p.endswith("/poll/"))
    vote_path = poll_path + "vote/"
    assert paths[poll_path]["get"]["tags"] == ["polls"]
    assert paths[poll_path]["put"]["tags"] == ["polls"]
    assert paths[vote_path]["post"]["tags"] == ["polls"]
    assert "409" in paths[vote_path]["post"]["responses"]
