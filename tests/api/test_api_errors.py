"""What the API fuzzing (test_schemathesis.py) found, each pinned by a plain test: malformed paths
answer the API's JSON 404, NUL bytes in query parameters are bad input rather than a server
error, and the schema documents what the endpoints answer."""

import copy
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.communities.conftest import build_world
from tests.conftest import build_site, module_transaction
from tests.discussions.conftest import build_discussions

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"community_api:{name}", args=args)


@pytest.fixture(scope="module")
def _disc_rows(django_db_setup, django_db_blocker):
    """The discussions world's rows, built once for the module (tests/conftest.py)."""
    with module_transaction(django_db_blocker):
        yield build_discussions(build_world(build_site()))


@pytest.fixture
def disc(_disc_rows, db):
    return copy.deepcopy(_disc_rows)


@pytest.fixture
def member(disc):
    client = APIClient()
    client.force_login(disc.users["designated"])
    return client


MALFORMED = [
    ("get", "/api/community/v1/communities/abc/"),
    ("get", "/api/community/v1/communities/null,null/working-groups/"),
    ("post", "/api/community/v1/communities/-1/join/"),
    ("post", "/api/community/v1/communities/%0A/leave/"),
    ("get", "/api/community/v1/discussions/topics/1.5/"),
    ("post", "/api/community/v1/discussions/replies/%C3%A4/flag/"),
    ("put", "/api/community/v1/no-such-endpoint/"),
]


@pytest.mark.parametrize(("method", "path"), MALFORMED)
@pytest.mark.parametrize("signed_in", [False, True])
def test_malformed_and_unknown_paths_answer_the_api_json_404(disc, member, method, path, signed_in):
    client = member if signed_in else APIClient()
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
    assert "no-store" in response["Cache-Control"]


def test_a_path_without_its_slash_is_still_redirected_to_it(db):
    response = APIClient().get("/api/community/v1/communities")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/community/v1/communities/")


def test_the_endpoints_still_answer_behind_the_catch_all(disc, member):
    assert member.get(url("community_detail", disc.community.pk)).status_code == 200
    assert APIClient().get(url("schema"), {"format": "json"}).status_code == 200


@pytest.mark.parametrize("locale", ["\x00", "it\x00", "xx", "ä" * 300])
def test_an_unknown_locale_is_bad_input_even_with_a_nul_byte(member, locale):
    response = member.get(url("community_list"), {"locale": locale})
    assert response.status_code == 400
    assert "locale" in response.json()


def test_a_tag_with_a_nul_byte_lists_no_topic(disc, member):
    path = url("discussion_topics", disc.community.pk)
    assert member.get(path, {"tag": "piano"}).status_code == 200
    response = member.get(path, {"tag": "pia\x00no"})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_the_schema_documents_what_the_fuzzing_found(db):
    schema = json.loads(APIClient().get(url("schema"), {"format": "json"}).content)
    listing = schema["paths"]["/api/community/v1/communities/"]["get"]["responses"]
    assert "400" in listing  # an unknown ?locale=
    support_kind = schema["components"]["schemas"]["Membership"]["properties"]["support_kind"]
    # Blank for every member but the support team: "" is documented beside the enum.
    choices = [ref["$ref"].rsplit("/", 1)[1] for ref in support_kind["oneOf"]]
    assert schema["components"]["schemas"][choices[-1]]["enum"] == [""]


HUGE = 2**70  # beyond any database's integer


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "community_detail"),
        ("post", "community_join"),
        ("get", "working_group_detail"),
        ("post", "working_group_invite"),
        ("post", "invitation_accept"),
        ("get", "discussion_topic"),
        ("get", "discussion_topics"),
        ("post", "discussion_flag"),
    ],
)
def test_an_id_beyond_the_database_range_is_not_found(member, method, name):
    response = getattr(member, method)(url(name, HUGE))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_ids_beyond_the_database_range_in_a_body_are_bad_input(disc):
    coordinator = APIClient()
    coordinator.force_login(disc.users["coordinator"])
    response = coordinator.post(url("working_group_invite", disc.group.pk), {"user": HUGE})
    assert response.status_code == 400
    assert "user" in response.json()
    reply = {"text": "Risposta", "parent": HUGE}
    response = coordinator.post(url("discussion_replies", disc.topic.pk), reply, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()
