from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page, PageViewRestriction, Site

from tests import factories


@contextmanager
def module_transaction(django_db_blocker):
    """A transaction for a module's shared rows, rolled back when the module ends. Each test runs
    in a savepoint inside it (pytest-django's ``db``), so what a test writes is rolled back after
    it, as usual; a module's transactional tests must not use it."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def build_site():
    """The portal's page tree, as ARCHITECTURE.md draws it, with one page of each type."""
    root = Page.get_first_root_node()
    for child in root.get_children():
        if not isinstance(child.specific, factories.HomePageFactory._meta.model):
            child.delete()
    home = factories.HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Community dei Comuni Digitali",
        },
    )
    tree = SimpleNamespace(home=home)
    tree.news_index = factories.NewsIndexPageFactory(parent=home)
    tree.communities = factories.CommunityIndexPageFactory(parent=home)
    tree.kit_index = factories.KitIndexPageFactory(parent=home)
    tree.webinar_index = factories.WebinarIndexPageFactory(parent=home)
    tree.faq = factories.FAQIndexPageFactory(parent=home)
    tree.resources = factories.ResourcesPageFactory(parent=home)
    return tree


@pytest.fixture
def site_tree(db):
    return build_site()


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def member(db):
    return factories.UserFactory()


def restrict_to_login(page):
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Every test starts with empty caches (rate-limit counters, cached counts, the page cache):
    SQLite reuses the ids of rolled-back rows, so a cached value could belong to another test."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Italian): a request to an ``/en/`` URL leaves
    English active in the thread, and ``reverse()`` would then build the next test's URLs with
    the ``/en/`` prefix, whatever the test order."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
