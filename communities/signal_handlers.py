"""Signal handlers keeping groups, restrictions and collections in sync (``spaces``)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from . import spaces
from .models import (
    CommunityAreaPage,
    CommunityPage,
    Membership,
    WorkingGroupMembership,
    WorkingGroupPage,
)


@receiver(post_save, sender=CommunityPage)
def community_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        space = spaces.community_space(instance)
        spaces.ensure_admin_permissions(space, instance)  # on each translation's page


@receiver(post_save, sender=CommunityAreaPage)
def area_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        spaces.sync_area(instance)


@receiver(post_save, sender=WorkingGroupPage)
def working_group_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        spaces.sync_working_group_page(instance)


@receiver(page_published)
def reserved_page_published(sender, instance, **kwargs):
    """Publishing repairs the restriction if someone changed the page's privacy by hand."""
    if isinstance(instance, CommunityAreaPage):
        spaces.sync_area(instance)
    elif isinstance(instance, WorkingGroupPage):
        spaces.sync_working_group_page(instance)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    community = CommunityPage.objects.filter(pk=instance.community_id).first()
    if community is not None:
        spaces.sync_community_member(instance.user, community)


@receiver(post_save, sender=WorkingGroupMembership)
@receiver(post_delete, sender=WorkingGroupMembership)
def working_group_membership_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    group_page = WorkingGroupPage.objects.filter(pk=instance.group_id).first()
    if group_page is not None:
        spaces.sync_working_group_member(instance.user, group_page)


# --- The page cache (``cms.cache``): people named on public pages ---------------------------------
# The public community page names its coordinators and support team (with their authority and
# support role; ``community_tags.community_people``). The core does not know memberships, so the
# writes that change those names bump the page cache from here: a coordinator or support
# membership created, ended, deleted or changed (role, support role), and a change of the name,
# username or authority of someone who holds one. Ordinary members joining and leaving do not:
# the page shows only their number, which may lag by PAGE_CACHE_TIMEOUT (docs/decisions.md).
# An account's erasure bumps it as well (``membership.erasure.erase_user``).
# What the rows held when loaded is kept by ``post_init`` from the instance's own fields (no
# query; a deferred field is not loaded, and counts as changed).

_UNKNOWN = object()


def _membership_state(instance):
    values = instance.__dict__
    left_at = values.get("left_at", _UNKNOWN)
    return (
        values.get("role", _UNKNOWN),
        values.get("support_kind", _UNKNOWN),
        left_at if left_at is _UNKNOWN else left_at is None,
    )


def _invalidate_public_pages():
    from cms.cache import invalidate

    invalidate()


@receiver(post_init, sender=Membership, dispatch_uid="pagecache_membership_loaded")
def membership_loaded(sender, instance, **kwargs):
    instance._pagecache_state = _membership_state(instance)


@receiver(post_save, sender=Membership, dispatch_uid="pagecache_membership_saved")
def membership_saved_for_public_pages(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_pagecache_state", None)
    after = _membership_state(instance)
    instance._pagecache_state = after
    roles = {after[0]} if created or before is None else {before[0], after[0]}
    if roles & Membership.MANAGER_ROLES and (created or before != after):
        _invalidate_public_pages()


@receiver(post_delete, sender=Membership, dispatch_uid="pagecache_membership_deleted")
def membership_deleted_for_public_pages(sender, instance, **kwargs):
    if instance.__dict__.get("role", _UNKNOWN) in Membership.MANAGER_ROLES | {_UNKNOWN}:
        _invalidate_public_pages()


_PUBLIC_USER_FIELDS = ("first_name", "last_name", "username", "ente_id")


def _user_state(instance):
    values = instance.__dict__
    return tuple(values.get(name, _UNKNOWN) for name in _PUBLIC_USER_FIELDS)


def _user_loaded(sender, instance, **kwargs):
    instance._pagecache_state = _user_state(instance)


def _user_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return  # a new account holds no role yet
    before = getattr(instance, "_pagecache_state", None)
    after = _user_state(instance)
    instance._pagecache_state = after
    if before == after:
        return
    holds_public_role = Membership.objects.current().managers().filter(user=instance).exists()
    if holds_public_role:
        _invalidate_public_pages()


def _connect_public_people_signals():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    post_init.connect(_user_loaded, sender=user_model, dispatch_uid="pagecache_user_loaded")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="pagecache_user_saved")


_connect_public_people_signals()
