"""Receivers of Wagtail's signals: publishing an event whose capacity grew (or whose waiting
list has members while places are free) promotes the members waiting, first come first served."""

from __future__ import annotations

from django.db import transaction
from wagtail.signals import page_published

from .models import RegistrableEvent


def promote_on_publish(sender, instance, **kwargs):
    if not isinstance(instance, RegistrableEvent) or not instance.registration_enabled:
        return
    from . import services

    with transaction.atomic():
        services.lock(instance)
        services.promote(instance)


page_published.connect(promote_on_publish, dispatch_uid="events_promote_on_publish")
