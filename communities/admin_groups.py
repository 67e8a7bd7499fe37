"""Wagtail's group admin without the groups that ``communities.spaces`` keeps in sync.

Community, managers and working group groups are derived from the memberships: editing them by
hand would be undone by the next membership change (or ``sync_community_access``). They are left
out of *Settings → Groups* and their edit and delete views answer 404; memberships are managed
under *Communities* instead. Installed by ``CommunitiesConfig.ready`` through the
``wagtailusers`` app config's documented ``group_viewset`` attribute.
"""

from __future__ import annotations

from django.http import Http404
from wagtail.users.views import groups


def _managed_ids():
    from .spaces import managed_group_ids

    return managed_group_ids()


class _RefuseManagedGroups:
    def get_object(self, queryset=None):
        group = super().get_object(queryset)
        if group.pk in _managed_ids():
            raise Http404
        return group


class IndexView(groups.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().exclude(pk__in=_managed_ids())


class EditView(_RefuseManagedGroups, groups.EditView):
    pass


class DeleteView(_RefuseManagedGroups, groups.DeleteView):
    pass


class GroupViewSet(groups.GroupViewSet):
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView
