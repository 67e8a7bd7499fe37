"""Attendance recorded for a course's synchronous session may complete its edition
(``services.complete_from_attendance``)."""

from __future__ import annotations

from django.dispatch import receiver

from events.signals import attendance_recorded

from .models import CourseSessionPage
from .services import complete_from_attendance


@receiver(attendance_recorded)
def complete_on_attendance(sender, page, **kwargs):
    session = CourseSessionPage.objects.filter(pk=page.pk).select_related("edition").first()
    if session is not None:
        complete_from_attendance(session.edition)
