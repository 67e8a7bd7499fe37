"""Factories of the events' pages."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from events.models import EventIndexPage, EventPage


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventIndexPage

    title = "Eventi"
    slug = "eventi"


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Evento numero {n}")
    slug = factory.Sequence(lambda n: f"evento-{n}")
    summary = "Un incontro della comunità."
    description = "<p>Un incontro per i Comuni.</p>"
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    first_published_at = factory.LazyFunction(timezone.now)


def grant_edit(users, page, name="Organizzatori di prova"):
    """Wagtail's edit permission on ``page``'s subtree for ``users`` (what the per-community
    groups give coordinators and support, what editors have)."""
    group, _created = Group.objects.get_or_create(name=name)
    permission = Permission.objects.get(
        content_type__app_label="wagtailcore", codename="change_page"
    )
    GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    for user in users:
        user.groups.add(group)
    return group
