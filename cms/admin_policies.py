"""A permission policy for the admin views of the portal's own models (``ModelViewSet``s and
snippets): staff — active superusers and staff accounts (``cms.access.is_staff``) — may do the
``allowed`` actions ("view", "add", "change", "delete") on every instance, nobody else may do
anything, unless ``model_permissions`` lets the model's Django permissions count too. The
objects' own rules stay in their services: a read-only listing allows "view" alone, and its
actions (close a round, revoke a badge) go through the app's services, which ask the policy."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy

from . import access


class StaffPolicy(ModelPermissionPolicy):
    def __init__(self, model, allowed=("view",), *, model_permissions: bool = False):
        super().__init__(model)
        self.allowed = frozenset(allowed)
        self.model_permissions = model_permissions

    def user_has_permission(self, user, action):
        if action not in self.allowed or not user.is_active:
            return False
        if user.is_superuser or access.is_staff(user):
            return True
        return self.model_permissions and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return self.model._default_manager.all()
        return self.model._default_manager.none()

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.allowed.intersection(actions):
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(is_staff=True))
