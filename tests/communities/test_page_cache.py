"""The page cache (cms/cache.py) and the people a public community page names: its coordinators
and support team. Appointing, changing or removing them, a change of their name, and any
account's erasure refresh the stored page at once; ordinary members joining and leaving do not
flush the cache (the page shows only their number, which may lag by PAGE_CACHE_TIMEOUT:
docs/decisions.md)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from communities import services
from communities.models import Membership
from tests import factories as base

from . import factories
from .conftest import fresh, make_member

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


def stranger_sees(world):
    response = Client().get(world.community.url)
    assert response.status_code == 200
    return response["X-Cache"], response.content.decode()


def stored(world):
    """The community page, stored for visitors (the first request fills the cache)."""
    stranger_sees(world)
    assert stranger_sees(world)[0] == "HIT"


def named(first, last, **kwargs):
    return factories.RegisteredUserFactory(first_name=first, last_name=last, **kwargs)


def test_appointing_and_demoting_a_coordinator_refreshes_the_page(
    world, page_cache, django_capture_on_commit_callbacks
):
    staff = factories.StaffUserFactory(is_superuser=True)
    member = make_member(world.community, Role.PARTICIPANT, user=named("Ottavia", "Zanardelli"))
    membership = Membership.objects.get(user=member, community=world.community)
    stored(world)
    assert "Zanardelli" not in stranger_sees(world)[1]

    with django_capture_on_commit_callbacks(execute=True):
        services.assign_role(staff, membership, Role.COORDINATOR)
    cache_state, page = stranger_sees(world)
    assert cache_state == "MISS"
    assert "Ottavia Zanardelli" in page

    stored(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_role(staff, membership, Role.SUPPORT, Membership.SupportKind.NATIONAL)
    assert "Ottavia Zanardelli" in stranger_sees(world)[1]  # now in the support team
    stored(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_role(staff, membership, Role.PARTICIPANT)
    assert "Zanardelli" not in stranger_sees(world)[1]


def test_a_coordinator_removed_in_the_admin_leaves_the_page(world, page_cache):
    coordinator = make_member(world.community, Role.COORDINATOR, user=named("Berenice", "Quaglia"))
    assert "Berenice Quaglia" in stranger_sees(world)[1]
    stored(world)
    Membership.objects.get(user=coordinator, community=world.community).delete()
    assert "Quaglia" not in stranger_sees(world)[1]


def test_a_listed_person_renamed_or_moved_to_another_authority_refreshes_the_page(
    world, page_cache
):
    coordinator = fresh(world.users["coordinator"])
    stored(world)
    coordinator.first_name, coordinator.last_name = "Gelsomina", "Trabucchi"
    coordinator.save()
    assert "Gelsomina Trabucchi" in stranger_sees(world)[1]

    ente = base.EnteFactory(name="Comune di Roccacannuccia")
    stored(world)
    coordinator.ente = ente
    coordinator.save(update_fields=["ente"])
    assert "Comune di Roccacannuccia" in stranger_sees(world)[1]


def test_ordinary_members_do_not_flush_the_cache(world, page_cache):
    participant = fresh(world.users["participant"])
    stored(world)
    # A participant's profile, a sign-in (``last_login``), joining and leaving: not on the page.
    participant.first_name = "Cunegonda"
    participant.save()
    participant.save(update_fields=["last_login"])
    client = Client()
    client.force_login(fresh(world.users["registered"]))
    with translation.override("it"):
        join = reverse("participation:join", args=[world.community.pk])
        leave = reverse("participation:leave", args=[world.community.pk])
    assert client.post(join, {"role": "participant"}).status_code == 302
    assert client.post(leave).status_code == 302
    assert stranger_sees(world)[0] == "HIT"


def test_any_account_erasure_flushes_the_cache(world, page_cache):
    from membership.erasure import erase_user

    stored(world)
    erase_user(fresh(world.users["participant"]))
    assert stranger_sees(world)[0] == "MISS"


def test_the_erased_support_member_leaves_the_page(
    world, page_cache, django_capture_on_commit_callbacks
):
    support = fresh(world.users["support"])
    support.first_name, support.last_name = "Ildebranda", "Scarpellini"
    support.save()
    assert "Ildebranda Scarpellini" in stranger_sees(world)[1]
    stored(world)
    client = Client()
    client.force_login(support)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/profilo/elimina/").status_code == 302
    assert "Scarpellini" not in stranger_sees(world)[1]
