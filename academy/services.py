"""Every write of the Accademia: enrolment (with the waiting list), cancellation, completions
(recorded by staff, imported from the e-learning platform's export, or from the attendance of
the synchronous sessions) and the Open Badges they issue, revocation.

The services ask the access policy and raise ``cms.errors`` (404 a course the user may not see,
403 refused, 409 a conflict with the state: ``already_enrolled``, ``completed``, ``closed``,
``full``, ``not_enrolled``, ``revoked``; 400 bad input). Enrolments in one edition are
serialised by a row lock on the edition, so two members cannot take the last place at once.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access
from cms.errors import Conflict, Invalid, NotFound, Refused
from events.models import Registration

from . import credentials
from .models import CourseEdition, CoursePage, Enrolment, IssuedBadge
from .permissions import Action

logger = logging.getLogger("academy")

Status = Enrolment.Status


def _lock(edition: CourseEdition) -> CourseEdition:
    return CourseEdition.objects.select_for_update().select_related("course").get(pk=edition.pk)


def _source_course(course: CoursePage) -> CoursePage:
    """The course in the default language (editions and enrolments hang on it)."""
    from wagtail.models import Locale

    default = Locale.get_default()
    if course.locale_id == default.pk:
        return course
    return CoursePage.objects.get(translation_key=course.translation_key, locale=default)


def live_enrolment(user, course) -> Enrolment | None:
    """``user``'s live (enrolled, waiting or completed) enrolment in any edition of ``course``."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.live()
        .filter(user=user, edition__course__translation_key=course.translation_key)
        .select_related("edition")
        .order_by("-created_at")
        .first()
    )


def _sessions(edition):
    from .models import CourseSessionPage

    return CourseSessionPage.objects.filter(edition=edition)


def _register_sessions(enrolment: Enrolment) -> None:
    """Register an enrolled member to the edition's sessions still to come (reminders, calendar,
    attendance)."""
    now = timezone.now()
    for session in _sessions(enrolment.edition).filter(end__gte=now):
        Registration.objects.get_or_create(
            page_id=session.pk,
            user_id=enrolment.user_id,
            status__in=Registration.OPEN,
            defaults={"status": Registration.Status.REGISTERED},
        )


def _unregister_sessions(enrolment: Enrolment) -> None:
    now = timezone.now()
    Registration.objects.open().filter(
        user_id=enrolment.user_id,
        page_id__in=_sessions(enrolment.edition).filter(start__gte=now).values("pk"),
    ).update(status=Registration.Status.CANCELLED, cancelled_at=now)


def _notify(enrolment: Enrolment, kind: str) -> None:
    from .tasks import send_enrolment_email

    transaction.on_commit(lambda: send_enrolment_email.enqueue(enrolment.pk, kind))


def enrol(user, edition: CourseEdition) -> Enrolment:
    """Enrol ``user`` in ``edition``: a place, or the waiting list when it is full."""
    course = edition.course
    if not access.can_view_page(user, course) or not course.live:
        raise NotFound()
    if not access.can(user, Action.ENROL_COURSE, course):
        raise Refused(
            _("Only members registered to the Community can enrol in the Academy's courses."),
            code="registration_required",
        )
    with transaction.atomic():
        edition = _lock(edition)
        existing = live_enrolment(user, course)
        if existing is not None:
            if existing.status == Status.COMPLETED:
                raise Conflict(
                    _("You have already completed this course (%(date)s).")
                    % {"date": existing.completed_on.strftime("%d/%m/%Y")},
                    code="completed",
                )
            raise Conflict(
                _("You are already enrolled in this course (edition “%(edition)s”).")
                % {"edition": existing.edition.name},
                code="already_enrolled",
            )
        state = edition.state
        if state == CourseEdition.State.UPCOMING:
            raise Conflict(
                _("Enrolment in this edition opens on %(date)s.")
                % {"date": edition.enrolment_opens_on.strftime("%d/%m/%Y")},
                code="not_open",
            )
        if state != CourseEdition.State.OPEN:
            raise Conflict(_("Enrolment in this edition is closed."), code="closed")
        taken = edition.enrolments.filter(status__in=[Status.ENROLLED, Status.COMPLETED]).count()
        full = edition.capacity is not None and taken >= edition.capacity
        if full and not edition.waiting_list:
            raise Conflict(_("This edition is full."), code="full")
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    edition=edition,
                    user=user,
                    status=Status.WAITING if full else Status.ENROLLED,
                )
        except IntegrityError as error:
            raise Conflict(
                _("You are already enrolled in this edition."), code="already_enrolled"
            ) from error
        if enrolment.status == Status.ENROLLED:
            _register_sessions(enrolment)
        _notify(enrolment, "enrolled" if enrolment.status == Status.ENROLLED else "waiting")
    return enrolment


def cancel(user, edition: CourseEdition) -> Enrolment:
    """Withdraw ``user`` from ``edition`` (enrolled or waiting); the first member waiting takes
    a freed place. A completed course cannot be withdrawn from."""
    with transaction.atomic():
        edition = _lock(edition)
        enrolment = (
            Enrolment.objects.filter(edition=edition, user=user)
            .filter(status__in=[Status.ENROLLED, Status.WAITING])
            .first()
        )
        if enrolment is None:
            if Enrolment.objects.filter(
                edition=edition, user=user, status=Status.COMPLETED
            ).exists():
                raise Conflict(_("You have completed this course."), code="completed")
            raise Conflict(_("You are not enrolled in this edition."), code="not_enrolled")
        was_enrolled = enrolment.status == Status.ENROLLED
        enrolment.status = Status.CANCELLED
        enrolment.cancelled_at = timezone.now()
        enrolment.save(update_fields=["status", "cancelled_at"])
        _unregister_sessions(enrolment)
        if was_enrolled:
            promote(edition)
    return enrolment


def promote(edition: CourseEdition) -> list[Enrolment]:
    """Give the free places of ``edition`` to the members waiting, first come first served
    (inside the caller's transaction and lock)."""
    if edition.capacity is None:
        waiting = list(edition.enrolments.waiting())
    else:
        taken = edition.enrolments.filter(status__in=[Status.ENROLLED, Status.COMPLETED]).count()
        waiting = list(edition.enrolments.waiting()[: max(edition.capacity - taken, 0)])
    now = timezone.now()
    for enrolment in waiting:
        enrolment.status = Status.ENROLLED
        enrolment.promoted_at = now
        enrolment.save(update_fields=["status", "promoted_at"])
        _register_sessions(enrolment)
        _notify(enrolment, "promoted")
    return waiting


# --- Completions and badges ------------------------------------------------------------------


def _require_staff(actor):
    if not access.can(actor, Action.MANAGE_ACADEMY, actor):
        raise Refused(_("Only the Academy's staff can do this."))


def complete(
    actor, enrolment: Enrolment, completed_on: date, *, source: str, completion_import=None
) -> IssuedBadge:
    """Record that ``enrolment``'s member completed the course on ``completed_on`` and issue
    their Open Badge. Idempotent on an already completed enrolment (its badge is returned)."""
    if source != Enrolment.Source.ATTENDANCE:
        _require_staff(actor)
    if completed_on > timezone.localdate():
        raise Invalid(_("The completion date cannot be in the future."), code="future_date")
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("edition__course", "user")
            .get(pk=enrolment.pk)
        )
        if enrolment.status == Status.COMPLETED:
            return IssuedBadge.objects.get(enrolment=enrolment)
        if enrolment.status == Status.CANCELLED:
            raise Conflict(_("This enrolment was cancelled."), code="cancelled")
        course = enrolment.edition.course
        enrolment.status = Status.COMPLETED
        enrolment.completed_on = completed_on
        enrolment.completion_source = source
        enrolment.completion_recorded_by = actor if actor and actor.is_authenticated else None
        enrolment.completion_import = completion_import
        enrolment.hours = course.hours
        enrolment.save()
        badge = issue_badge(enrolment)
        _notify(enrolment, "completed")
    return badge


def _next_status_index() -> int:
    highest = IssuedBadge.objects.aggregate(top=Max("status_index"))["top"]
    return 0 if highest is None else highest + 1


def issue_badge(enrolment: Enrolment) -> IssuedBadge:
    """Sign and store the Open Badge of a completed ``enrolment`` (inside a transaction)."""
    course = enrolment.edition.course
    user = enrolment.user
    email = (getattr(user, "contact_email", "") or user.email or "").strip()
    for attempt in range(5):
        badge = IssuedBadge(
            enrolment=enrolment,
            user=user,
            course=course,
            name=course.title,
            course_code=course.code,
            issued_at=timezone.now().replace(microsecond=0),
            status_index=_next_status_index() + attempt,
            holder_name=user.get_full_name() or user.get_username(),
        )
        badge.credential = credentials.sign(credentials.build_credential(badge, course, email))
        try:
            with transaction.atomic():
                badge.save()
        except IntegrityError:
            continue
        return badge
    raise Conflict(_("The badge could not be issued; try again."), code="busy")


def revoke_badge(actor, badge: IssuedBadge, reason: str) -> IssuedBadge:
    """Revoke ``badge`` (staff): its verification page and the status list say so."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": _("Say why the badge is revoked.")}, code="reason_required")
    with transaction.atomic():
        badge = IssuedBadge.objects.select_for_update().get(pk=badge.pk)
        if badge.is_revoked:
            raise Conflict(_("This badge is already revoked."), code="revoked")
        badge.revoked_at = timezone.now()
        badge.revoked_by = actor
        badge.revocation_reason = reason[:500]
        badge.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        _forget_status_list()
        _audit("academy.badge_revoked", badge, actor)
    return badge


def _audit(action: str, badge: IssuedBadge, actor) -> None:
    from cms import audit

    data = {"uuid": str(badge.uuid), "course_code": badge.course_code}
    audit.record(action, badge, actor=actor, data=data, title=badge.name)


def reinstate_badge(actor, badge: IssuedBadge) -> IssuedBadge:
    """Undo a revocation made in error (staff)."""
    _require_staff(actor)
    with transaction.atomic():
        badge = IssuedBadge.objects.select_for_update().get(pk=badge.pk)
        if not badge.is_revoked:
            raise Conflict(_("This badge is not revoked."), code="not_revoked")
        badge.revoked_at = None
        badge.revoked_by = None
        badge.revocation_reason = ""
        badge.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        _forget_status_list()
        _audit("academy.badge_reinstated", badge, actor)
    return badge


def set_badge_sharing(user, badge: IssuedBadge, show_name: bool) -> IssuedBadge:
    """The member chooses whether the public verification page shows their name."""
    if badge.user_id != user.pk:
        raise NotFound()
    badge.show_name = bool(show_name)
    badge.save(update_fields=["show_name"])
    return badge


def resign_badges() -> int:
    """Sign every issued badge's credential again with the current key (same content and id, a
    new proof), after the key that signed them was compromised and withdrawn (``manage.py
    badge_key --resign``, ``docs/deploy.md``); the status list too. Returns how many."""
    count = 0
    badges = IssuedBadge.objects.filter(erased_at__isnull=True).exclude(credential={})
    for pk in badges.values_list("pk", flat=True):
        with transaction.atomic():
            badge = IssuedBadge.objects.select_for_update().get(pk=pk)
            badge.credential = credentials.resign(badge.credential)
            badge.save(update_fields=["credential"])
        count += 1
    _forget_status_list()
    return count


STATUS_LIST_CACHE_KEY = "academy:status-list"


def _forget_status_list() -> None:
    from django.core.cache import cache

    transaction.on_commit(lambda: cache.delete(STATUS_LIST_CACHE_KEY))


def status_list() -> dict:
    """The signed revocation list (cached until a revocation changes it)."""
    from django.core.cache import cache

    document = cache.get(STATUS_LIST_CACHE_KEY)
    if document is None:
        indices = list(IssuedBadge.objects.revoked().values_list("status_index", flat=True))
        document = credentials.status_list_credential(indices)
        cache.set(STATUS_LIST_CACHE_KEY, document, 3600)
    return document


# --- Completion from the attendance of the synchronous sessions ------------------------------


def complete_from_attendance(edition: CourseEdition) -> list[IssuedBadge]:
    """Complete the enrolments of the members who attended at least the edition's share of its
    synchronous sessions, once every session is over and its attendance recorded."""
    sessions = list(_sessions(edition).values_list("pk", "end"))
    if not sessions:
        return []
    now = timezone.now()
    if any(end > now for _pk, end in sessions):
        return []
    session_ids = [pk for pk, _end in sessions]
    recorded = Registration.objects.filter(page_id__in=session_ids, attended__isnull=False)
    if set(recorded.values_list("page_id", flat=True).distinct()) != set(session_ids):
        return []
    needed = -(-len(session_ids) * edition.attendance_percent // 100)  # ceiling
    attended = {}
    for user_id in recorded.filter(attended=True).values_list("user_id", flat=True):
        attended[user_id] = attended.get(user_id, 0) + 1
    last_day = timezone.localdate(max(end for _pk, end in sessions))
    issued = []
    for enrolment in edition.enrolments.enrolled().filter(user_id__in=list(attended)):
        if attended[enrolment.user_id] >= max(needed, 1):
            issued.append(complete(None, enrolment, last_day, source=Enrolment.Source.ATTENDANCE))
    return issued
