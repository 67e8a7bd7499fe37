"""The community's plan: objectives (rich text) and the timeline of milestones on its page.

``plan_of`` reads it as today's timeline (milestones in date order, where today falls, the next
milestone); ``update_plan`` writes it as a new revision of the community page, published as the
user who made the change (Wagtail logs the revision and the publication; the portal's audit
trail records it too). A newer draft of the page by someone else is not overwritten: 409.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, audit, errors

from ..models import CommunityPage
from ..permissions import Action
from ._common import _deny

STATUSES = ("planned", "ongoing", "done")
MAX_MILESTONES = 50


def _status_labels():
    return {"planned": _("Planned"), "ongoing": _("Ongoing"), "done": _("Done")}


def milestones_of(page: CommunityPage) -> list[dict]:
    rows = []
    for block in page.timeline:
        value = block.value
        rows.append(
            {
                "title": value.get("title") or "",
                "date": value.get("date"),
                "status": value.get("status") or "planned",
                "description": value.get("description") or "",
            }
        )
    return sorted(rows, key=lambda row: (row["date"] or datetime.date.max, row["title"]))


def plan_of(page: CommunityPage, today: datetime.date | None = None) -> dict:
    """The plan as today's timeline: ``milestones`` in date order (each with its status label,
    whether it is past and whether it is the next one), ``today_index`` (how many milestones
    fall before today: "Oggi" goes before the milestone at that index) and ``next``."""
    today = today or timezone.localdate()
    labels = _status_labels()
    milestones = milestones_of(page)
    today_index = sum(1 for row in milestones if row["date"] and row["date"] < today)
    next_index = next(
        (
            i
            for i, row in enumerate(milestones)
            if row["date"] and row["date"] >= today and row["status"] != "done"
        ),
        None,
    )
    for i, row in enumerate(milestones):
        row["status_label"] = str(labels.get(row["status"], row["status"]))
        row["past"] = i < today_index
        row["is_next"] = i == next_index
    return {
        "objectives": str(page.objectives or ""),
        "milestones": milestones,
        "today": today,
        "today_index": today_index,
        "next": milestones[next_index] if next_index is not None else None,
    }


def _validate(objectives, milestones) -> tuple[str | None, list[dict] | None]:
    problems = {}
    if objectives is not None and not isinstance(objectives, str):
        problems["objectives"] = [_("Write the objectives as text.")]
    if milestones is not None:
        if not isinstance(milestones, list):
            problems["milestones"] = [_("Give the milestones as a list.")]
        elif len(milestones) > MAX_MILESTONES:
            problems["milestones"] = [
                _("At most %(count)d milestones.") % {"count": MAX_MILESTONES}
            ]
        else:
            for i, row in enumerate(milestones):
                row_problems = _validate_milestone(row)
                if row_problems:
                    problems.setdefault("milestones", {})[str(i)] = row_problems
    if problems:
        raise errors.Invalid(problems, code="invalid")
    return objectives, milestones


def _validate_milestone(row) -> dict:
    if not isinstance(row, dict):
        return {"non_field_errors": [_("Each milestone has a title, a date and a status.")]}
    problems = {}
    title = row.get("title")
    if not isinstance(title, str) or not title.strip():
        problems["title"] = [_("Give the milestone a title.")]
    elif len(title) > 200:
        problems["title"] = [_("Write at most 200 characters.")]
    date = row.get("date")
    if isinstance(date, str):
        try:
            date = datetime.date.fromisoformat(date)
        except ValueError:
            date = None
    if not isinstance(date, datetime.date):
        problems["date"] = [_("Give a valid date (YYYY-MM-DD).")]
    else:
        row["date"] = date
    if row.get("status", "planned") not in STATUSES:
        problems["status"] = [_("The status is one of: planned, ongoing, done.")]
    description = row.get("description") or ""
    if not isinstance(description, str) or len(description) > 2000:
        problems["description"] = [_("Write at most 2000 characters.")]
    return problems


@transaction.atomic
def update_plan(actor, community: CommunityPage, *, objectives=None, milestones=None):
    """Replace the objectives and/or the milestones (``None``: unchanged) of ``community``'s
    plan, as a new revision published by ``actor``."""
    if not access.can(actor, Action.EDIT_PLAN, community):
        _deny(_("Only the coordinator and the support team edit the plan of this community."))
    objectives, milestones = _validate(objectives, milestones)
    page = CommunityPage.objects.select_for_update().get(pk=community.pk)
    latest = page.get_latest_revision()
    if page.has_unpublished_changes and latest is not None and latest.user_id != actor.pk:
        raise errors.Conflict(
            _(
                "This page has a draft not yet published by someone else: publish or discard "
                "it in the admin first, so that nothing is lost."
            ),
            code="newer_draft",
        )
    if latest is not None and page.has_unpublished_changes:
        page = latest.as_object()  # the actor's own draft goes on from where it was
    if objectives is not None:
        page.objectives = objectives
    if milestones is not None:
        page.timeline = [
            (
                "milestone",
                {
                    "title": row["title"].strip(),
                    "date": row["date"],
                    "status": row.get("status") or "planned",
                    "description": (row.get("description") or "").strip(),
                },
            )
            for row in milestones
        ]
    revision = page.save_revision(user=actor, log_action=True)
    revision.publish(user=actor)
    audit.record(
        "communities.plan_updated",
        page,
        actor=actor,
        data={
            "objectives": objectives is not None,
            "milestones": None if milestones is None else len(milestones),
        },
    )
    page = CommunityPage.objects.get(pk=community.pk)
    return page
