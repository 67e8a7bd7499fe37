import pytest
from django.contrib.auth.models import AnonymousUser

from cms import access
from tests.communities.conftest import build_world

from .factories import EventIndexPageFactory, EventPageFactory


@pytest.fixture
def world(site_tree):
    """A community (public page, reserved area, working group) with one user per role."""
    w = build_world(site_tree)
    w.index = EventIndexPageFactory(parent=site_tree.home)
    w.public_event = EventPageFactory(parent=w.community, title="Apertura annuale", capacity=1)
    w.members_event = EventPageFactory(parent=w.area, title="Riunione riservata")
    assert access.can_view_page(AnonymousUser(), w.public_event)
    assert not access.can_view_page(AnonymousUser(), w.members_event)
    return w


@pytest.fixture
def portal_event(site_tree):
    index = EventIndexPageFactory(parent=site_tree.home)
    return EventPageFactory(parent=index, title="Forum dei Comuni digitali")
