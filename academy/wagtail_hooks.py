"""The Accademia's answers to Wagtail's hooks."""

from __future__ import annotations

from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_badge_admin():
    """Staff list the Open Badges issued and revoke them (``academy.admin_badges``)."""
    from .admin_badges import badge_viewset

    return badge_viewset


@hooks.register("register_log_actions")
def register_badge_log_actions(actions):
    """Revocations in the audit trail (``cms.audit``; recorded by ``academy.services``)."""
    from django.utils.translation import gettext_lazy as _

    actions.register_action(
        "academy.badge_revoked", _("Revoke an Open Badge"), _("Revoked the Open Badge")
    )
    actions.register_action(
        "academy.badge_reinstated",
        _("Undo the revocation of an Open Badge"),
        _("Undid the revocation of the Open Badge"),
    )
