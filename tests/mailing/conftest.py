"""The permission matrix's world (a community, its area, a working group, one user per role),
with every member subscribed (each message), and helpers to publish announcements."""

import copy

import pytest
from django.contrib.auth import get_user_model

from mailing import services
from mailing.models import AnnouncementPage, Subscription
from tests.communities.conftest import build_world
from tests.conftest import build_site, module_transaction


@pytest.fixture(scope="module")
def _world_rows(django_db_setup, django_db_blocker):
    """The world's rows, built once per module (tests/conftest.py)."""
    with module_transaction(django_db_blocker):
        w = build_world(build_site())
        services.subscribe_current_members()
        yield w


@pytest.fixture
def world(_world_rows, db):
    """The module's world for one test: its writes are rolled back, its objects are copies."""
    return copy.deepcopy(_world_rows)


def subscription(user, community):
    return Subscription.objects.get(user=user, community__translation_key=community.translation_key)


def set_frequency(user, community, frequency):
    Subscription.objects.filter(
        user=user, community__translation_key=community.translation_key
    ).update(frequency=frequency)


def publish(parent, user=None, *, title="Riunione plenaria", audience="all", capture=None):
    """Create and publish an announcement under ``parent`` (on-commit callbacks run)."""
    page = AnnouncementPage(
        title=title, body="<p>Ci vediamo lunedì.</p>", audience=audience, live=False
    )
    parent.add_child(instance=page)
    revision = page.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()
    return page


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)
