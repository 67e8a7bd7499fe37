"""Audit of the API tokens (``cms.audit``): created and revoked, whoever does it and from wherever
(the community API's token endpoint, the admin, an account's erasure). Never the key itself: the
entry is about the owner's account (a token's primary key *is* its secret)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from wagtail.log_actions import get_active_log_context

from .gdpr import account_label


def _record(action, user_id):
    from cms import audit

    owner = get_user_model()(pk=user_id)  # no query: the entry needs the id only
    actor = get_active_log_context().user or owner  # staff, in the admin; else the owner
    audit.record(
        action, owner, actor=actor, data={"api": "community"}, title=account_label(user_id)
    )


def token_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        _record("membership.token_create", instance.user_id)


def token_deleted(sender, instance, **kwargs):
    _record("membership.token_revoke", instance.user_id)


if apps.is_installed("rest_framework.authtoken"):
    from rest_framework.authtoken.models import Token

    post_save.connect(token_saved, sender=Token, dispatch_uid="membership_token_saved")
    post_delete.connect(token_deleted, sender=Token, dispatch_uid="membership_token_deleted")
