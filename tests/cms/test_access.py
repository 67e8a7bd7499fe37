"""The access policy's page and document visibility, queried directly."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from cms import access
from cms.models import NewsPage
from tests import factories
from tests.conftest import restrict_to_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(site_tree):
    public = factories.NewsPageFactory(parent=site_tree.news_index, title="Pubblica")
    login_only = factories.NewsPageFactory(parent=site_tree.news_index, title="Solo iscritti")
    restrict_to_login(login_only)
    group = Group.objects.create(name="Comunità Cybersicurezza")
    reserved = factories.StandardPageFactory(parent=site_tree.home, title="Area riservata")
    reserved_child = factories.StandardPageFactory(parent=reserved, title="Materiale riservato")
    restriction = PageViewRestriction.objects.create(
        page=reserved, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    secret = factories.StandardPageFactory(parent=site_tree.home, title="Con password")
    PageViewRestriction.objects.create(
        page=secret,
        restriction_type=PageViewRestriction.PASSWORD,
        password="segreta",  # noqa: S106
    )
    draft = factories.NewsPageFactory(parent=site_tree.news_index, title="Bozza", live=False)
    return {
        "public": public,
        "login_only": login_only,
        "reserved": reserved,
        "reserved_child": reserved_child,
        "secret": secret,
        "group": group,
        "draft": draft,
    }


def titles(user):
    return set(access.visible_pages(user, Page.objects.all()).values_list("title", flat=True))


def test_anonymous_sees_only_public_live_pages(pages, anonymous):
    seen = titles(anonymous)
    assert "Pubblica" in seen
    assert not seen & {
        "Solo iscritti",
        "Area riservata",
        "Materiale riservato",
        "Con password",
        "Bozza",
    }


def test_signed_in_user_sees_login_only_but_not_group_pages(pages, member):
    seen = titles(member)
    assert {"Pubblica", "Solo iscritti"} <= seen
    assert not seen & {"Area riservata", "Materiale riservato", "Con password", "Bozza"}


def test_group_member_sees_the_reserved_subtree(pages, member):
    member.groups.add(pages["group"])
    seen = titles(member)
    assert {"Pubblica", "Solo iscritti", "Area riservata", "Materiale riservato"} <= seen
    assert "Con password" not in seen


def test_superuser_sees_group_pages(pages):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    assert {"Area riservata", "Materiale riservato"} <= titles(admin)


def test_can_view_page_matches_visible_pages(pages, anonymous, member):
    for user in (anonymous, member):
        visible = set(access.visible_pages(user, Page.objects.all()).values_list("pk", flat=True))
        for page in pages.values():
            if isinstance(page, Group):
                continue
            assert access.can_view_page(user, page) == (page.pk in visible), page.title


def test_public_pages_is_anonymous_visibility(pages):
    public = set(access.public_pages(NewsPage.objects.all()).values_list("title", flat=True))
    assert public == {"Pubblica"}


def test_visible_documents_respects_collection_restrictions(site_tree, member, anonymous):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Riservata")
    open_doc = factories.DocumentFactory(title="Aperto")
    closed_doc = factories.DocumentFactory(title="Chiuso", collection=private)
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.GROUPS
    )
    group = Group.objects.create(name="Gruppo")
    restriction.groups.add(group)

    def seen(user):
        return set(access.visible_documents(user).values_list("title", flat=True))

    assert seen(anonymous) == {"Aperto"}
    assert seen(member) == {"Aperto"}
    member.groups.add(group)
    member = type(member).objects.get(pk=member.pk)  # drop the cached group ids
    assert seen(member) == {"Aperto", "Chiuso"}
    assert open_doc.pk and closed_doc.pk
