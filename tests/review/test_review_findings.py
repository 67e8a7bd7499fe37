"""An outside review of issue 12's hardening (helper 7): each confirmed defect as a test, from
the outside, as the role concerned; fixed since, they stay as regression tests (the fuller
tests are beside each app's: tests/discussions/test_gate.py, tests/communities/test_page_cache.py,
tests/communities/test_measures.py, tests/cms/test_security_headers.py)."""

import pytest
from django.test import Client
from django.urls import reverse
from django_comments import get_form
from rest_framework.test import APIClient

from discussions.models import Reply
from tests.communities.conftest import add_measures, fresh
from tests.discussions.conftest import build_discussions

pytestmark = pytest.mark.django_db


def signed_in(user, api=False):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="it") if api else Client()
    client.force_login(fresh(user))
    return client


@pytest.mark.parametrize("variant", ["preview", "empty_comment", "missing_reply_to"])
def test_comment_endpoint_never_answers_500(world, settings, variant):
    settings.DISCUSSIONS_RATE_LIMITS = {}
    build_discussions(world)
    data = dict(get_form()(world.topic).initial)
    data.update({"comment": "Testo di prova", "name": "x", "email": "x@example.org"})
    data["reply_to"] = "0"
    if variant == "preview":
        data["preview"] = "1"
    elif variant == "empty_comment":
        data["comment"] = ""
    else:
        del data["reply_to"]
    client = Client()  # a stranger: no account needed
    client.raise_request_exception = False
    response = client.post("/commenti/post/", data)
    assert response.status_code == 400
    assert not Reply.objects.filter(comment="Testo di prova").exists()


def test_deleted_coordinator_leaves_the_cached_community_page(
    world, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    coordinator = fresh(world.users["coordinator"])
    name = coordinator.get_full_name()
    stranger = Client()
    assert name in stranger.get(world.community.url).content.decode()  # stored in the cache
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in(coordinator).post("/profilo/elimina/").status_code == 302
    assert name not in signed_in(world.users["participant"]).get(world.community.url).text
    assert name not in stranger.get(world.community.url).content.decode()


def test_suspended_member_does_not_read_the_working_group_through_the_api(world):
    add_measures(world)
    url = reverse("community_api:working_group_detail", args=[world.group.pk])
    # A participant of the community who is not in the group gets a 404...
    assert signed_in(world.users["participant"], api=True).get(url).status_code == 404
    # ...and so should a suspended member of the group, until the date.
    assert signed_in(world.users["suspended"], api=True).get(url).status_code == 404


@pytest.mark.parametrize("name", ["community_api:schema", "community_api:docs"])
def test_every_signed_in_response_is_private(world, name):
    response = signed_in(world.users["designated"]).get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "")
