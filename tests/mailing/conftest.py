"""The permission matrix's world (a community, its area, a working group, one user per role),
with every member subscribed (each message), and helpers to publish announcements."""

import pytest
from django.contrib.auth import get_user_model

from mailing import services
from mailing.models import AnnouncementPage, Subscription
from tests.communities.conftest import build_world


@pytest.fixture
def world(site_tree):
    w = build_world(site_tree)
    services.subscribe_current_members()
    return w


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
