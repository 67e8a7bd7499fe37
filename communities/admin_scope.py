"""What a community's coordinator and support team may do in Wagtail's admin, beyond Wagtail's
page permissions (``communities.spaces`` grants their admin group add/change/publish on the
community page's subtree).

The community page and its reserved area hold the community together: its members' access
(the reserved area's restriction), its groups and collections (``communities.spaces``). The
managers edit and publish them, but only staff (and superusers) delete, move, unpublish, copy
or lock them, or change their privacy: those are the portal's structure.
"""

from __future__ import annotations

from cms import access
from cms.admin_permissions import PortalPagePermissionTester


class StructurePagePermissionTester(PortalPagePermissionTester):
    def _structure_allowed(self) -> bool:
        return self.user.is_superuser or access.is_staff(self.user)

    def can_delete(self, ignore_bulk=False):
        return self._structure_allowed() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        return self._structure_allowed() and super().can_move()

    def can_unpublish(self):
        return self._structure_allowed() and super().can_unpublish()

    def can_copy(self):
        return self._structure_allowed() and super().can_copy()

    def can_set_view_restrictions(self):
        return self._structure_allowed() and super().can_set_view_restrictions()

    def can_lock(self):
        return self._structure_allowed() and super().can_lock()

    def can_unlock(self):
        return self._structure_allowed() and super().can_unlock()
