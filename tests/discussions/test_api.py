"""The discussions API (/api/community/v1/discussions/): every role for listing topics, opening
a topic, replying and flagging; 404 for non-members, 403 for refused actions, 429 with
Retry-After; a constant number of queries for a topic's page; the OpenAPI schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from wagtail.models import Page

from discussions.models import Flag, Reply, Topic

from .conftest import COLUMNS
from .factories import ReplyFactory, make_replies

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"community_api:{name}", args=args)


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def expect(disc, expected: dict, call):
    """``call(client, column) -> response`` for every column; compare with ``expected``."""
    got = {}
    for column in COLUMNS:
        response = call(client_for(disc.users[column]), column)
        got[column] = response.status_code
    assert got == expected


COMMUNITY_READERS = {"participant", "designated", "wg_member", "wg_coordinator"} | {
    "coordinator",
    "support",
}
GROUP_READERS = {"wg_member", "wg_coordinator", "coordinator", "support"}


def statuses(ok, allowed, *, refused=(), refused_status=403):
    result = {}
    for column in COLUMNS:
        if column == "anonymous":
            result[column] = 401
        elif column in allowed:
            result[column] = ok
        elif column in refused:
            result[column] = refused_status
        else:
            result[column] = 404
    return result


# --- Listing topics -------------------------------------------------------------------------------


def test_list_topics_of_the_community_per_role(disc):
    expect(
        disc,
        statuses(200, COMMUNITY_READERS),
        lambda c, col: c.get(url("discussion_topics", disc.community.pk)),
    )


def test_list_topics_of_the_working_group_per_role(disc):
    expect(
        disc,
        statuses(200, GROUP_READERS),
        lambda c, col: c.get(url("discussion_topics", disc.group.pk)),
    )


def test_the_list_shows_the_topics_of_the_space_pinned_first(disc):
    Topic.objects.filter(pk=disc.topic.pk).update(pinned=True)
    later = Topic.objects.create(
        space=disc.community,
        community=disc.community,
        title="Più recente",
        body="x",
        author=disc.users["coordinator"],
    )
    data = client_for(disc.users["participant"]).get(url("discussion_topics", disc.community.pk))
    data = data.json()
    assert data["count"] == 2
    assert [t["id"] for t in data["results"]] == [disc.topic.pk, later.pk]
    first = data["results"][0]
    assert first["pinned"] is True and first["space"]["kind"] == "community"
    assert first["url"].endswith(disc.topic.get_absolute_url())
    assert first["author"]["name"] == disc.users["designated"].get_full_name()
    # A group topic is never in the community's list; nor another community's.
    ids = {t["id"] for t in data["results"]}
    assert disc.group_topic.pk not in ids and disc.other_topic.pk not in ids


def test_an_unknown_space_or_a_page_that_is_not_a_space_is_404(disc):
    client = client_for(disc.users["coordinator"])
    assert client.get(url("discussion_topics", 999999)).status_code == 404
    root = Page.get_first_root_node()  # a page that is not a community or a working group
    assert client.get(url("discussion_topics", root.pk)).status_code == 404
    # As on the site, a reserved area's id stands for its community.
    area = client.get(url("discussion_topics", disc.area.pk))
    assert area.status_code == 200
    assert area.json() == client.get(url("discussion_topics", disc.community.pk)).json()


# --- Opening a topic ------------------------------------------------------------------------------


def test_open_a_topic_in_the_community_per_role(disc):
    def call(client, column):
        return client.post(
            url("discussion_topics", disc.community.pk),
            {"title": f"Nuovo argomento di {column}", "body": "Testo **in grassetto**."},
            format="json",
        )

    expect(
        disc,
        statuses(201, COMMUNITY_READERS - {"participant"}, refused={"participant"}),
        call,
    )
    topic = Topic.objects.get(title="Nuovo argomento di designated")
    assert topic.space_id == disc.community.pk and "<strong>" in topic.body_html
    assert not Topic.objects.filter(title__in=["Nuovo argomento di participant"]).exists()
    assert not Topic.objects.filter(title__endswith="di registered").exists()


def test_open_a_topic_in_the_working_group_per_role(disc):
    def call(client, column):
        return client.post(
            url("discussion_topics", disc.group.pk),
            {"title": f"Bozza di {column}", "body": "Testo.", "tags": ["bozza"]},
            format="json",
        )

    expect(disc, statuses(201, GROUP_READERS), call)
    assert set(
        Topic.objects.filter(space=disc.group, title__startswith="Bozza di ").values_list(
            "title", flat=True
        )
    ) == {f"Bozza di {column}" for column in GROUP_READERS}


def test_the_participant_is_told_why_and_bad_input_is_400(disc):
    response = client_for(disc.users["participant"]).post(
        url("discussion_topics", disc.community.pk), {"title": "T", "body": "B"}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert response.json()["detail"]
    client = client_for(disc.users["designated"])
    response = client.post(
        url("discussion_topics", disc.community.pk), {"title": "", "body": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "body"}
    response = client.post(
        url("discussion_topics", disc.community.pk), {"title": "  ", "body": "x"}, format="json"
    )
    assert response.status_code == 400


def test_the_created_topic_is_returned(disc):
    response = client_for(disc.users["coordinator"]).post(
        url("discussion_topics", disc.group.pk),
        {"title": "Calendario", "body": "Le date", "tags": ["riunioni", "calendario"]},
        format="json",
    )
    data = response.json()
    assert data["title"] == "Calendario" and data["space"]["kind"] == "working_group"
    assert data["tags"] == ["calendario", "riunioni"]
    assert data["threads"]["count"] == 0 and data["permissions"]["moderate"] is True


# --- Topic detail ---------------------------------------------------------------------------------


def test_topic_detail_per_role(disc):
    expect(
        disc,
        statuses(200, COMMUNITY_READERS),
        lambda c, col: c.get(url("discussion_topic", disc.topic.pk)),
    )
    expect(
        disc,
        statuses(200, GROUP_READERS),
        lambda c, col: c.get(url("discussion_topic", disc.group_topic.pk)),
    )


def test_topic_detail_nests_threads_and_hides_what_members_may_not_read(disc):
    child = ReplyFactory(topic=disc.topic, parent=disc.reply, user=disc.users["designated"])
    grandchild = ReplyFactory(topic=disc.topic, parent=child, user=disc.users["support"])
    Reply.objects.filter(pk=child.pk).update(
        is_public=False, hidden_reason="Fuori tema", hidden_at=child.submit_date
    )
    data = client_for(disc.users["participant"]).get(url("discussion_topic", disc.topic.pk)).json()
    assert data["permissions"] == {
        "reply": True,
        "flag": True,
        "moderate": False,
        "flag_topic": True,
        "edit_topic": False,
        "delete_topic": False,
    }
    [thread] = data["threads"]["results"]
    assert thread["id"] == disc.reply.pk and thread["text"] == "Noi abbiamo usato il modello AgID."
    [hidden] = thread["children"]
    assert hidden["state"] == "hidden" and hidden["text"] is None and hidden["html"] is None
    assert hidden["hidden_reason"] is None
    assert hidden["children"][0]["id"] == grandchild.pk
    data = client_for(disc.users["coordinator"]).get(url("discussion_topic", disc.topic.pk)).json()
    hidden = data["threads"]["results"][0]["children"][0]
    assert hidden["text"] and hidden["hidden_reason"] == "Fuori tema"


def _queries_for_topic_page(client, topic):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("discussion_topic", topic.pk))
    assert response.status_code == 200
    return len(queries), response.json()


def test_topic_detail_queries_do_not_grow_with_the_replies(disc):
    users = [disc.users[c] for c in ("participant", "designated", "coordinator")]
    make_replies(disc.group_topic, 2, users, children=2, grandchildren=1)
    client = client_for(disc.users["wg_member"])
    client.get(url("discussion_topic", disc.group_topic.pk))  # warm the caches
    small, data = _queries_for_topic_page(client, disc.group_topic)
    make_replies(disc.group_topic, 30, users, children=2, grandchildren=1)
    large, data = _queries_for_topic_page(client, disc.group_topic)
    assert large == small
    assert data["threads"]["count"] == 33 and len(data["threads"]["results"]) == 20
    assert data["threads"]["next"] == 2
    page2 = client.get(url("discussion_topic", disc.group_topic.pk), {"page": 2}).json()
    assert len(page2["threads"]["results"]) == 13
    assert client.get(url("discussion_topic", disc.group_topic.pk), {"page": 9}).status_code == 404


# --- Replying -------------------------------------------------------------------------------------


def test_reply_per_role(disc):
    def community_call(client, column):
        return client.post(
            url("discussion_replies", disc.topic.pk), {"text": f"Risposta di {column}"}
        )

    expect(disc, statuses(201, COMMUNITY_READERS), community_call)

    def group_call(client, column):
        return client.post(
            url("discussion_replies", disc.group_topic.pk),
            {"text": f"Nel gruppo: {column}", "parent": disc.group_reply.pk},
            format="json",
        )

    expect(disc, statuses(201, GROUP_READERS), group_call)
    assert Reply.objects.filter(topic=disc.topic, comment__startswith="Risposta di ").count() == 6
    stored = Reply.objects.filter(topic=disc.group_topic, comment__startswith="Nel gruppo: ")
    assert {r.parent_id for r in stored} == {disc.group_reply.pk}
    assert stored.count() == len(GROUP_READERS)


def test_a_locked_topic_takes_replies_from_managers_only(disc):
    Topic.objects.filter(pk=disc.topic.pk).update(locked=True)
    expect(
        disc,
        statuses(
            201,
            {"coordinator", "support"},
            refused={"participant", "designated", "wg_member", "wg_coordinator"},
        ),
        lambda c, col: c.post(url("discussion_replies", disc.topic.pk), {"text": "Ancora"}),
    )


def test_the_reply_is_returned_and_bad_input_keeps_nothing(disc):
    client = client_for(disc.users["participant"])
    response = client.post(url("discussion_replies", disc.topic.pk), {"text": "Vedi *qui*"})
    data = response.json()
    assert response.status_code == 201 and data["state"] == "published"
    assert data["html"] == "<p>Vedi <em>qui</em></p>" or "<em>qui</em>" in data["html"]
    before = Reply.objects.count()
    assert client.post(url("discussion_replies", disc.topic.pk), {"text": ""}).status_code == 400
    response = client.post(url("discussion_replies", disc.topic.pk), {"text": "   "})
    assert response.status_code == 400
    response = client.post(url("discussion_replies", disc.topic.pk), {"text": "x" * 3001})
    assert response.status_code == 400
    assert Reply.objects.count() == before


def test_posting_too_quickly_is_429_with_retry_after(disc, rate_limits):
    client = client_for(disc.users["participant"])
    for n in range(5):
        response = client.post(url("discussion_replies", disc.topic.pk), {"text": f"N. {n}"})
        assert response.status_code == 201
    response = client.post(url("discussion_replies", disc.topic.pk), {"text": "Una di troppo"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "rate_limited" and response.json()["detail"]
    assert not Reply.objects.filter(comment="Una di troppo").exists()


# --- Flagging -------------------------------------------------------------------------------------


def test_flag_per_role(disc):
    def call(client, column):
        return client.post(
            url("discussion_flag", disc.reply.pk), {"reason": "spam", "note": column}
        )

    # The participant wrote the reply: they may not report it.
    expect(
        disc,
        statuses(201, COMMUNITY_READERS - {"participant"}, refused={"participant"}),
        call,
    )
    assert set(Flag.objects.values_list("note", flat=True)) == COMMUNITY_READERS - {"participant"}

    def group_call(client, column):
        return client.post(url("discussion_flag", disc.group_reply.pk), {"reason": "off_topic"})

    # The group reply is by the working group's coordinator.
    expect(
        disc,
        statuses(201, GROUP_READERS - {"wg_coordinator"}, refused={"wg_coordinator"}),
        group_call,
    )


def test_flag_twice_is_409_and_a_bad_reason_400(disc):
    client = client_for(disc.users["designated"])
    assert client.post(url("discussion_flag", disc.reply.pk), {"reason": "boh"}).status_code == 400
    assert client.post(url("discussion_flag", disc.reply.pk), {"reason": "spam"}).status_code == 201
    response = client.post(url("discussion_flag", disc.reply.pk), {"reason": "other"})
    assert response.status_code == 409 and response.json()["code"] == "already"
    assert Flag.objects.count() == 1
    assert client.post(url("discussion_flag", 999999), {"reason": "spam"}).status_code == 404


# --- Authentication and the schema --------------------------------------------------------------


def test_token_authentication_and_csrf_with_the_session(disc):
    token = Token.objects.create(user=disc.users["participant"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(url("discussion_replies", disc.topic.pk), {"text": "Con il token"})
    assert response.status_code == 201
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(disc.users["participant"])
    response = browser.post(url("discussion_replies", disc.topic.pk), {"text": "Senza CSRF"})
    assert response.status_code == 403
    assert not Reply.objects.filter(comment="Senza CSRF").exists()


def test_the_schema_documents_the_discussions_endpoints(client):
    response = client.get(reverse("community_api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    prefix = "/api/community/v1/discussions/"
    assert set(paths[prefix + "spaces/{space_id}/topics/"]) >= {"get", "post"}
    assert "get" in paths[prefix + "topics/{id}/"]
    assert "post" in paths[prefix + "topics/{id}/replies/"]
    assert "post" in paths[prefix + "replies/{id}/flag/"]
    flag = paths[prefix + "replies/{id}/flag/"]["post"]
    assert {"201", "403", "404", "409"} <= set(flag["responses"])
    assert "429" in paths[prefix + "topics/{id}/replies/"]["post"]["responses"]
