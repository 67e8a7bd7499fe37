"""Attendance recorded for a course's synchronous session may complete its edition
(``services.complete_from_attendance``). Saving or deleting an edition changes what the public
course pages, the catalogue and the home page show: the page cache is invalidated."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from events.signals import attendance_recorded

from .models import CourseEdition, CourseSessionPage
from .services import complete_from_attendance


@receiver(attendance_recorded)
def complete_on_attendance(sender, page, **kwargs):
    session = CourseSessionPage.objects.filter(pk=page.pk).select_related("edition").first()
    if session is not None:
        complete_from_attendance(session.edition)


@receiver(post_save, sender=CourseEdition)
@receiver(post_delete, sender=CourseEdition)
def edition_changed(sender, instance, **kwargs):
    from cms import cache

    cache.invalidate()
