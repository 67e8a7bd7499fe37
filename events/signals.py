"""The events' signals, for the apps built on them.

``attendance_recorded(sender=Registration, page=<event page>, actor=<user>)``: sent on commit
after the organisers recorded or imported the attendance of an event (the Accademia completes
its courses from the attendance of their sessions)."""

from django.dispatch import Signal

attendance_recorded = Signal()
