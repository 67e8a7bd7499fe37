"""The access policy's shared snapshots (cms/access.py): the page view restrictions, the
community and working group pages and who may enter the admin are cached per token, for
everyone; what they answer must be exactly what the database says, and every change must show on
the very next request."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from wagtail.models import Page, PageViewRestriction

from cms import access, snapshots
from communities import permissions as community_permissions
from communities import services
from communities.models import Membership
from tests import factories as base

from . import factories
from .conftest import COLUMNS, fresh, make_member, user_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_process_copies():
    snapshots.clear_local()
    yield
    snapshots.clear_local()


def database_can_view(user, page):
    """The policy's rule, straight from Wagtail's restrictions in the database."""
    if not page.live:
        return False
    return all(
        access.restriction_accepts(user, restriction)
        for restriction in page.get_view_restrictions().prefetch_related("groups")
    )


def database_visible_ids(user):
    hidden = [
        restriction.page.path
        for restriction in PageViewRestriction.objects.select_related("page")
        if not access.restriction_accepts(user, restriction)
    ]
    return {
        page.pk
        for page in Page.objects.live()
        if not any(page.path.startswith(path) for path in hidden)
    }


@pytest.fixture
def tree_pages(world):
    restricted_news = base.NewsPageFactory(parent=world.tree.news_index, title="Solo iscritti")
    PageViewRestriction.objects.create(
        page=restricted_news, restriction_type=PageViewRestriction.LOGIN
    )
    secret = base.StandardPageFactory(parent=world.tree.home, title="Con password")
    PageViewRestriction.objects.create(
        page=secret,
        restriction_type=PageViewRestriction.PASSWORD,
        password="segreta",  # noqa: S106
    )
    return list(Page.objects.all())


@pytest.mark.parametrize("column", COLUMNS)
def test_the_snapshot_answers_as_the_database(world, tree_pages, column):
    user = user_for(world, column)
    for page in tree_pages:
        assert access.can_view_page(fresh(user), page) == database_can_view(user, page), page
        assert access.is_restricted(page) == page.get_view_restrictions().exists(), page
    visible = set(access.visible_pages(fresh(user)).values_list("pk", flat=True))
    assert visible == database_visible_ids(user)
    assert access.visible_pages(fresh(user)).count() == len(visible)
    for page in Page.objects.live():
        assert access.is_path_visible(fresh(user), page.path) == (page.pk in visible), page


def test_a_superuser_sees_every_groups_restricted_page(world, tree_pages):
    admin = base.StaffFactory(is_superuser=True)
    assert access.can_view_page(admin, world.group_page)
    assert access.is_path_visible(fresh(admin), world.group_page.path)


def test_an_alias_is_checked_as_wagtail_checks_it(world, django_assert_max_num_queries):
    alias = world.area.create_alias(parent=world.tree.home, update_slug="area-alias")
    anonymous = AnonymousUser()
    # Wagtail resolves the alias to its source (restricted): the database decides, not the
    # snapshot, which knows only the alias's own path.
    assert access.is_restricted(alias)
    assert not access.can_view_page(anonymous, alias)
    assert access.can_view_page(fresh(world.users["participant"]), alias)
    assert access.can_view_page(anonymous, alias) == database_can_view(anonymous, alias)


def test_membership_changes_show_on_the_next_request(client, world):
    user = world.users["registered"]
    client.force_login(user)
    assert client.get(world.area.url).status_code != 200
    services.join(fresh(user), world.community)
    assert client.get(world.area.url).status_code == 200
    services.leave(fresh(user), world.community)
    assert client.get(world.area.url).status_code != 200


def test_a_group_removed_from_a_restriction_shows_on_the_next_request(client, world):
    participant = world.users["participant"]
    client.force_login(participant)
    assert client.get(world.area.url).status_code == 200
    restriction = PageViewRestriction.objects.get(page=world.area)
    groups = list(restriction.groups.all())
    restriction.groups.clear()
    assert not access.can_view_page(fresh(participant), world.area)
    assert not access.is_path_visible(fresh(participant), world.announcement.path)
    assert client.get(world.area.url).status_code != 200
    restriction.groups.set(groups)
    assert access.can_view_page(fresh(participant), world.area)
    assert client.get(world.area.url).status_code == 200


def test_new_and_moved_spaces_are_seen_at_once(world):
    user = world.users["coordinator"]
    assert world.group.pk in community_permissions.discussion_space_ids(fresh(user))
    group = factories.WorkingGroupPageFactory(parent=world.area, title="Nuovo gruppo")
    # A coordinator reads every working group of the community, the new one too.
    assert group.pk in community_permissions.discussion_space_ids(fresh(user))
    assert community_permissions._context_keys(Page.objects.get(pk=group.pk)) == (
        world.community.translation_key,
        group.translation_key,
    )
    # Moved to the other community: no longer theirs.
    group.move(world.other_area, pos="last-child")
    moved = Page.objects.get(pk=group.pk)
    assert community_permissions._context_keys(moved) == (
        world.other.translation_key,
        group.translation_key,
    )
    assert group.pk not in community_permissions.discussion_space_ids(fresh(user))


def test_a_page_context_needs_no_query(world, django_assert_num_queries):
    page = Page.objects.get(pk=world.group_page.pk)
    community_permissions._context_keys(
        Page.objects.get(pk=world.announcement.pk)
    )  # warm the snapshot
    with django_assert_num_queries(0):
        assert community_permissions._context_keys(page) == (
            world.community.translation_key,
            world.group.translation_key,
        )


# --- Who may enter the admin (the userbar) -------------------------------------------------


@pytest.fixture
def access_admin():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def assert_as_django(users):
    for user in users:
        expected = fresh(user).has_perm("wagtailadmin.access_admin")
        assert access.can_use_admin(fresh(user)) == expected, user


def test_can_use_admin_answers_as_has_perm(world, access_admin):
    editors = Group.objects.create(name="Redattori")
    editors.permissions.add(access_admin)
    editor = base.StaffFactory(is_staff=False)
    editor.groups.add(editors)
    direct = base.StaffFactory(is_staff=False)
    direct.user_permissions.add(access_admin)
    inactive_superuser = base.StaffFactory(is_superuser=True, is_active=False)
    inactive_editor = base.StaffFactory(is_active=False)
    inactive_editor.groups.add(editors)
    users = [
        editor,
        direct,
        inactive_superuser,
        inactive_editor,
        base.StaffFactory(is_superuser=True),
        *[user for user in world.users.values() if user is not None],
    ]
    assert_as_django(users)
    assert access.can_use_admin(fresh(editor)) and access.can_use_admin(fresh(direct))
    assert not access.can_use_admin(AnonymousUser())

    # Every change is seen at once.
    editors.user_set.remove(editor)
    direct.user_permissions.clear()
    assert_as_django(users)
    assert not access.can_use_admin(fresh(editor)) and not access.can_use_admin(fresh(direct))
    world.users["participant"].groups.add(editors)
    assert access.can_use_admin(fresh(world.users["participant"]))
    editors.permissions.remove(access_admin)
    assert not access.can_use_admin(fresh(world.users["participant"]))
    editors.permissions.add(access_admin)
    assert access.can_use_admin(fresh(world.users["participant"]))
    editors.delete()
    assert not access.can_use_admin(fresh(world.users["participant"]))
    assert_as_django(users)


def test_membership_roles_are_never_shared(world):
    """Per-user data (roles, working groups, groups) stays per request: two users, two answers."""
    participant, other = fresh(world.users["participant"]), fresh(world.users["other_member"])
    assert (
        community_permissions.role_in(participant, world.community) == Membership.Role.PARTICIPANT
    )
    assert community_permissions.role_in(other, world.community) is None
    make_member(world.community, Membership.Role.PARTICIPANT, user=world.users["other_member"])
    assert (
        community_permissions.role_in(fresh(world.users["other_member"]), world.community)
        is not None
    )
