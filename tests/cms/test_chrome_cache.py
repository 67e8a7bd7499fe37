"""The shared data of signed-in pages (cms/snapshots.py, cms/chrome.py, cms/locales.py): what is
cached is the same for everyone, every change shows on the very next request, and nothing a
member may see leaks to someone who may not."""

import contextlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from cms import snapshots
from cms.cache import ADMIN_ACCESS_KEY, GENERATION_KEY, current_token, uncommitted_invalidation
from cms.models import PortalSettings
from tests import factories
from tests.conftest import restrict_to_login

pytestmark = pytest.mark.django_db

USERBAR = "wagtail-userbar-template"


@pytest.fixture(autouse=True)
def _fresh_process_copies():
    snapshots.clear_local()
    yield
    snapshots.clear_local()


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in context.captured_queries]


def signed_in(client, user):
    client.force_login(user)
    return client


# --- Fewer queries --------------------------------------------------------------------------


def test_a_signed_in_page_reads_the_shared_data_from_the_snapshots(client, site_tree, member):
    signed_in(client, member)
    client.get(site_tree.news_index.url)  # warm the snapshots
    _response, sqls = queries_of(client, site_tree.news_index.url)
    for table in (
        "wagtailcore_site",
        "cms_portalsettings",
        "wagtailcore_locale",
        "wagtailcore_pageviewrestriction_groups",
        "auth_permission",  # the userbar's permission check
    ):
        assert not [sql for sql in sqls if f'FROM "{table}"' in sql], table
    # The access policy's list of every restriction (Wagtail's own check of the page's
    # restrictions, by page id, remains).
    restrictions = 'FROM "wagtailcore_pageviewrestriction"'
    assert not [sql for sql in sqls if restrictions in sql and "WHERE" not in sql]


def test_a_snapshot_is_shared_by_the_processes(site_tree, django_assert_num_queries):
    Locale.get_default()  # computed and stored in the shared cache
    snapshots.clear_local()  # another process: nothing of its own yet
    with django_assert_num_queries(0):
        assert Locale.get_default().language_code == "it"


def test_a_token_bumped_elsewhere_is_seen_at_once(site_tree, django_assert_num_queries):
    Locale.get_default()
    cache.set(GENERATION_KEY, "bumped-by-another-process")
    with django_assert_num_queries(1):
        Locale.get_default()


# --- Locales ----------------------------------------------------------------------------------


def test_locales_come_from_the_snapshot_as_new_instances(site_tree, django_assert_num_queries):
    first = Locale.get_active()
    with django_assert_num_queries(0):
        second = Locale.get_active()
        assert Locale.objects.get_for_language("it") == first
    assert second == first and second is not first


def test_a_new_or_deleted_locale_is_seen_at_once(site_tree):
    with pytest.raises(Locale.DoesNotExist):
        Locale.objects.get_for_language("en")
    english = Locale.objects.create(language_code="en")
    assert Locale.objects.get_for_language("en").pk == english.pk
    english.delete()
    with pytest.raises(Locale.DoesNotExist):
        Locale.objects.get_for_language("en")


def test_an_unsupported_language_still_raises_lookup_error(site_tree):
    with pytest.raises(LookupError):
        Locale.objects.get_for_language("xx")


def test_uncommitted_writes_are_neither_cached_nor_answered_from_the_cache(site_tree):
    Locale.get_default()  # a snapshot without English
    with transaction.atomic():
        Locale.objects.create(language_code="en")
        assert uncommitted_invalidation()
        # The transaction sees its own row...
        assert Locale.objects.get_for_language("en").language_code == "en"
        transaction.set_rollback(True)
    assert not uncommitted_invalidation()
    # ...and what it saw was not kept for others: the row never existed.
    with pytest.raises(Locale.DoesNotExist):
        Locale.objects.get_for_language("en")


def test_a_writing_transaction_keeps_its_own_snapshots_until_it_ends(
    site_tree, django_assert_num_queries
):
    with transaction.atomic():
        Locale.objects.create(language_code="en")
        with django_assert_num_queries(1):
            Locale.objects.get_for_language("en")
        with django_assert_num_queries(0):  # remembered for this transaction
            Locale.objects.get_for_language("en")
        with contextlib.suppress(RuntimeError), transaction.atomic():  # a savepoint
            Locale.objects.filter(language_code="en").delete()
            with pytest.raises(Locale.DoesNotExist):
                Locale.objects.get_for_language("en")
            raise RuntimeError  # rolled back
        # The deletion was rolled back, and so was what was computed after it.
        assert Locale.objects.get_for_language("en").language_code == "en"
        transaction.set_rollback(True)
    with pytest.raises(Locale.DoesNotExist):
        Locale.objects.get_for_language("en")


# --- Menu -------------------------------------------------------------------------------------


def menu_titles(response):
    menu = response.text.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    return menu


def test_a_published_menu_page_shows_on_the_next_request(client, site_tree, member):
    signed_in(client, member)
    assert "Trasparenza" not in menu_titles(client.get(site_tree.news_index.url))
    page = factories.StandardPageFactory(
        parent=site_tree.home, title="Trasparenza", show_in_menus=True
    )
    assert "Trasparenza" in menu_titles(client.get(site_tree.news_index.url))
    page.unpublish()
    assert "Trasparenza" not in menu_titles(client.get(site_tree.news_index.url))


def test_an_anonymous_visitor_never_gets_a_members_menu_item(client, site_tree, member):
    page = factories.StandardPageFactory(
        parent=site_tree.home, title="Spazio iscritti", show_in_menus=True
    )
    restrict_to_login(page)
    # The member fills the shared menu data first...
    member_client = signed_in(type(client)(), member)
    assert "Spazio iscritti" in menu_titles(member_client.get(site_tree.news_index.url))
    # ...and the anonymous visitor, served from the same data, does not see the item.
    assert "Spazio iscritti" not in menu_titles(client.get(site_tree.news_index.url))
    assert "Spazio iscritti" in menu_titles(member_client.get(site_tree.news_index.url))


def test_a_group_restricted_menu_item_follows_the_users_groups(client, site_tree, member):
    group = Group.objects.create(name="Redazione regionale")
    page = factories.StandardPageFactory(
        parent=site_tree.home, title="Area redazione", show_in_menus=True
    )
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    signed_in(client, member)
    assert "Area redazione" not in menu_titles(client.get(site_tree.news_index.url))
    member.groups.add(group)
    assert "Area redazione" in menu_titles(client.get(site_tree.news_index.url))
    member.groups.remove(group)
    assert "Area redazione" not in menu_titles(client.get(site_tree.news_index.url))


def test_a_restriction_added_to_a_menu_page_hides_it_on_the_next_request(client, site_tree):
    page = factories.StandardPageFactory(
        parent=site_tree.home, title="Bandi aperti", show_in_menus=True
    )
    assert "Bandi aperti" in menu_titles(client.get(site_tree.news_index.url))
    restriction = restrict_to_login(page)
    assert "Bandi aperti" not in menu_titles(client.get(site_tree.news_index.url))
    restriction.delete()
    assert "Bandi aperti" in menu_titles(client.get(site_tree.news_index.url))


# --- Invalidation of the generation -----------------------------------------------------------


def test_the_groups_of_a_restriction_and_a_deleted_group_bump_the_generation(site_tree):
    group = Group.objects.create(name="Comunità di prova")
    restriction = PageViewRestriction.objects.create(
        page=site_tree.resources, restriction_type=PageViewRestriction.GROUPS
    )
    before = current_token(GENERATION_KEY)
    restriction.groups.add(group)
    after_add = current_token(GENERATION_KEY)
    assert after_add != before
    restriction.groups.clear()
    after_clear = current_token(GENERATION_KEY)
    assert after_clear != after_add
    group.delete()
    assert current_token(GENERATION_KEY) != after_clear


# --- Site settings and footer ---------------------------------------------------------------


def test_portal_settings_changes_show_on_the_next_request(client, site_tree, member):
    signed_in(client, member)
    client.get(site_tree.news_index.url)
    portal = PortalSettings.for_site(site_tree.home.get_site())
    portal.owner_name = "Associazione dei Comuni di prova"
    privacy = factories.StandardPageFactory(
        parent=site_tree.home, title="Informativa", slug="informativa"
    )
    portal.privacy_page = privacy
    portal.save()
    response = client.get(site_tree.news_index.url)
    assert "Associazione dei Comuni di prova" in response.text
    assert 'href="/informativa/"' in response.text


# --- Userbar ----------------------------------------------------------------------------------


@pytest.fixture
def editors():
    group = Group.objects.create(name="Redattori del portale")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def test_the_userbar_shows_for_editors_only(client, site_tree, member, editors):
    editor = factories.StaffFactory(is_staff=False)  # an editor need not be staff
    editor.groups.add(editors)
    staff_without_admin = factories.StaffFactory()
    superuser = factories.StaffFactory(is_superuser=True)
    for user, shown in (
        (member, False),
        (editor, True),
        (staff_without_admin, False),
        (superuser, True),
    ):
        response = signed_in(type(client)(), user).get(site_tree.news_index.url)
        assert (USERBAR in response.text) is shown, user
    assert USERBAR not in client.get(site_tree.news_index.url).text


def test_userbar_follows_group_and_permission_changes(client, site_tree, member, editors):
    signed_in(client, member)
    assert USERBAR not in client.get(site_tree.news_index.url).text
    before = current_token(ADMIN_ACCESS_KEY)
    member.groups.add(editors)
    assert current_token(ADMIN_ACCESS_KEY) != before
    assert USERBAR in client.get(site_tree.news_index.url).text
    editors.permissions.clear()
    assert USERBAR not in client.get(site_tree.news_index.url).text


# --- Budget -----------------------------------------------------------------------------------

#: A member's home page: session, user, the page and its sections, Wagtail's own restriction
#: check, the body's content type; the chrome (site, settings, locales, menu, footer, language
#: switcher, userbar) adds none. Measured: 10 (2026-11-22; 37 on the load test's demo before).
MEMBER_HOME_BUDGET = 12


def test_member_home_query_budget(client, site_tree, member, django_assert_max_num_queries):
    factories.NewsPageFactory(parent=site_tree.news_index, title="Bando per i Comuni")
    signed_in(client, member)
    client.get(site_tree.home.url)  # warm the snapshots and the session
    with django_assert_max_num_queries(MEMBER_HOME_BUDGET):
        assert client.get(site_tree.home.url).status_code == 200
