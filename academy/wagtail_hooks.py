"""The Accademia's answers to Wagtail's hooks."""

from __future__ import annotations

from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_badge_admin():
    """Staff list the Open Badges issued and revoke them (``academy.admin_badges``)."""
    from .admin_badges import badge_viewset

    return badge_viewset
