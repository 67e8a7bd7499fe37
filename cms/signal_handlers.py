"""Signal handlers of the core: who may enter the admin (``access.can_use_admin``)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .cache import ADMIN_ACCESS_KEY, invalidate

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
    invalidate(ADMIN_ACCESS_KEY)


def connect_admin_access_signals():
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
