"""Signal handlers keeping groups, restrictions and collections in sync (``spaces``)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
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
        spaces.community_space(instance)


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


# --- Who may enter the admin (``access.can_use_admin``) -----------------------------------------
# Its snapshot is keyed on ``cms.cache.ADMIN_ACCESS_KEY``: every write that can change who holds
# ``wagtailadmin.access_admin`` bumps it — a user's groups or permissions and a group's
# permissions (``add``/``remove``/``set``/``clear`` from either side), a group or a permission
# saved or deleted, a user deleted (their relation rows go by cascade, without m2m signals).
# Django sends no signal at all for rows of an automatic through model written directly
# (``User.groups.through.objects...``): the code never does that, and must not.


def _admin_access_changed(sender, action=None, **kwargs):
    if action is not None and not action.startswith("post_"):
        return
    from cms.cache import ADMIN_ACCESS_KEY, invalidate

    invalidate(ADMIN_ACCESS_KEY)


def _connect_admin_access_signals():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed

    user_model = get_user_model()
    throughs = (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    )
    for through in throughs:
        uid = f"admin_access_{through._meta.label_lower}"
        m2m_changed.connect(_admin_access_changed, sender=through, dispatch_uid=uid)
    for model in (Group, Permission):
        uid = f"admin_access_{model._meta.label_lower}"
        post_save.connect(_admin_access_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_admin_access_changed, sender=model, dispatch_uid=uid)
    post_delete.connect(
        _admin_access_changed, sender=user_model, dispatch_uid="admin_access_user_deleted"
    )


_connect_admin_access_signals()
