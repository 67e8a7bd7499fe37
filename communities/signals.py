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
