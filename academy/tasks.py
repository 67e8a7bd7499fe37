"""The Accademia's emails, through Django's task framework (enqueued on commit by the services;
the immediate backend in tests, the database backend and its worker in production).

``send_enrolment_email(enrolment_id, kind)``: ``enrolled``, ``waiting``, ``promoted`` (a place
freed up) and ``completed`` (with the link to the badge). Nothing is sent when the enrolment's
state changed in the meantime.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from . import credentials
from .models import Enrolment

logger = logging.getLogger("academy")

EXPECTED = {
    "enrolled": Enrolment.Status.ENROLLED,
    "promoted": Enrolment.Status.ENROLLED,
    "waiting": Enrolment.Status.WAITING,
    "completed": Enrolment.Status.COMPLETED,
}


def _address(user) -> str:
    return (getattr(user, "contact_email", "") or user.email or "").strip()


def _message(enrolment: Enrolment, kind: str) -> EmailMessage:
    edition = enrolment.edition
    course = edition.course
    values = {
        "name": enrolment.user.first_name or "",
        "course": course.title,
        "edition": edition.name,
        "start": edition.starts_on.strftime("%d/%m/%Y"),
        "end": edition.ends_on.strftime("%d/%m/%Y"),
        "url": credentials.absolute(course.url or "/"),
    }
    subjects = {
        "enrolled": _("Enrolment confirmed: %(course)s"),
        "promoted": _("A place is yours: %(course)s"),
        "waiting": _("You are on the waiting list: %(course)s"),
        "completed": _("Course completed: your Open Badge for %(course)s"),
    }
    leads = {
        "enrolled": _(
            "you are enrolled in the course “%(course)s”, edition “%(edition)s” (from %(start)s "
            "to %(end)s)."
        ),
        "promoted": _(
            "a place freed up: you are now enrolled in the course “%(course)s”, edition "
            "“%(edition)s” (from %(start)s to %(end)s)."
        ),
        "waiting": _(
            "the edition “%(edition)s” of the course “%(course)s” is full: you are on its waiting "
            "list and will be enrolled, with an email, as soon as a place frees up."
        ),
        "completed": _(
            "you completed the course “%(course)s”. Your Open Badge is in La mia area > "
            "Accademia, where you can download the credential and share its public link."
        ),
    }
    lines = [
        _("Hello %(name)s,") % values,
        "",
        leads[kind] % values,
        "",
        _("The course: %(url)s") % values,
    ]
    if kind == "completed" and hasattr(enrolment, "badge"):
        lines.append(
            _("Verification page of your badge: %(url)s")
            % {
                "url": credentials.absolute(
                    credentials.BADGE_PATH.format(uuid=enrolment.badge.uuid)
                )
            }
        )
    lines += ["", _("The Academy of the Community dei Comuni Digitali")]
    return EmailMessage(
        subject=subjects[kind] % values,
        body="\n".join(lines),
        to=[_address(enrolment.user)],
    )


@task
def send_enrolment_email(enrolment_id: int, kind: str) -> bool:
    enrolment = (
        Enrolment.objects.select_related("user", "edition__course").filter(pk=enrolment_id).first()
    )
    if enrolment is None or not _address(enrolment.user):
        return False
    if enrolment.status != EXPECTED[kind]:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        _message(enrolment, kind).send()
    return True
