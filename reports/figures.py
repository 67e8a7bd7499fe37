"""Participation figures of a community, or of the whole portal: the numbers a PNRR-funded
programme reports (members over time, by role, by region and kind of Ente; activity by month).

Only aggregates leave this module: counts, never a person. Every figure is one aggregate query
(conditional aggregation over the months, or a GROUP BY), so computing them costs the same
fixed number of queries whatever the number of members, topics or months
(``tests/reports/test_figures.py`` holds the budget):

1. members by month (joined, left, members at the month's end): one query;
2. members by role at the end of the period: one query;
3. members by region and kind of Ente at the end of the period: one query (GROUP BY both; a
   person has one Ente, so the two breakdowns are sums of its rows);
4. topics opened by month: one query;
5. replies posted by month: one query;
6. event attendance by month (``events.Registration``): one query.

Counting rules (docs/decisions.md, "Participation figures"):

- a *member at a month's end* is a membership started before the end of the month and not ended
  by then (a suspended member still counts: suspensions are temporary measures); for the portal,
  distinct people members of at least one community;
- *joined* / *left* count memberships started / ended in the month (one person leaving and
  joining again counts twice);
- roles, regions and kinds of Ente are the current ones of the members at the period's end (the
  portal keeps no history of them); a member without an Ente, or whose Ente has no region, is
  counted as "non indicato";
- region and Ente breakdowns hide groups smaller than ``THRESHOLD`` people (shown as "< 3"), so
  that nobody is recognisable from where they work;
- topics count every topic opened in the community and its working groups that still exists;
  replies every reply posted there (hidden or deleted by their author included: they were
  posted); event attendance, the attendances recorded by the organisers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership
from discussions.models import Reply, Topic
from events.models import Registration
from membership.models import Ente

#: Groups of fewer people than this are masked in the region and Ente breakdowns.
THRESHOLD = 3
#: The longest period one request may ask for, in months.
MAX_MONTHS = 36
#: The default period: the last twelve months, the current one included.
DEFAULT_MONTHS = 12
#: The key of members without the information (no Ente, or an Ente without a region).
NOT_GIVEN = "non_indicato"


@dataclass(frozen=True)
class Period:
    """Whole months, from ``first`` to ``last`` included (dates on the 1st of the month)."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def last_months(cls, count=DEFAULT_MONTHS, now=None) -> Period:
        today = timezone.localdate(now or timezone.now())
        last = today.replace(day=1)
        return cls(add_months(last, -(count - 1)), last)

    @property
    def months(self) -> list[datetime.date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = add_months(month, 1)
        return months

    @property
    def end(self) -> datetime.datetime:
        """The period's end: the start of the month after the last one (aware, local time)."""
        return month_start(add_months(self.last, 1))


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_start(month: datetime.date) -> datetime.datetime:
    """Midnight of the 1st of ``month`` in the portal's time zone (Europe/Rome)."""
    return timezone.make_aware(datetime.datetime(month.year, month.month, 1))


def month_key(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def _month_bounds(period: Period):
    for month in period.months:
        yield month_key(month), month_start(month), month_start(add_months(month, 1))


# --- Querysets of one scope ------------------------------------------------------------------


def _memberships(community):
    queryset = Membership.objects.all()
    return queryset if community is None else queryset.of(community)


def _in_force_at(moment) -> Q:
    return Q(joined_at__lt=moment) & (Q(left_at__isnull=True) | Q(left_at__gte=moment))


def _topics(community):
    queryset = Topic.objects.all()
    return queryset if community is None else queryset.in_community(community)


def _replies(community):
    queryset = Reply.objects.all()
    return queryset if community is None else queryset.in_community(community)


# --- The figures -----------------------------------------------------------------------------


def members_by_month(period: Period, community=None) -> list[dict]:
    """For each month: memberships started, ended, and the members at its end (one query)."""
    aggregates = {}
    for key, start, end in _month_bounds(period):
        aggregates[f"joined_{key}"] = Count("pk", filter=Q(joined_at__gte=start, joined_at__lt=end))
        aggregates[f"left_{key}"] = Count("pk", filter=Q(left_at__gte=start, left_at__lt=end))
        aggregates[f"members_{key}"] = Count("user", distinct=True, filter=_in_force_at(end))
    row = _memberships(community).order_by().aggregate(**aggregates)
    return [
        {
            "month": key,
            "joined": row[f"joined_{key}"],
            "left": row[f"left_{key}"],
            "members": row[f"members_{key}"],
        }
        for key, _start, _end in _month_bounds(period)
    ]


def members_by_role(period: Period, community=None) -> list[dict]:
    """Members at the period's end by role, every role listed (one query)."""
    counts = dict(
        _memberships(community)
        .filter(_in_force_at(period.end))
        .order_by()
        .values_list("role")
        .annotate(count=Count("user", distinct=True))
    )
    return [
        {"key": value, "label": str(label), "count": counts.get(value, 0), "masked": False}
        for value, label in Membership.Role.choices
    ]


def _masked(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["masked"] = 0 < row["count"] < THRESHOLD
        if row["masked"]:
            row["count"] = None
    return rows


def members_by_place(period: Period, community=None) -> tuple[list[dict], list[dict]]:
    """Members at the period's end by region and by kind of Ente, groups under ``THRESHOLD``
    masked (one query)."""
    rows = (
        _memberships(community)
        .filter(_in_force_at(period.end))
        .order_by()
        .values_list("user__ente__region", "user__ente__kind")
        .annotate(count=Count("user", distinct=True))
    )
    regions, kinds = {}, {}
    for region, kind, count in rows:
        region = (region or "").strip() or NOT_GIVEN
        kind = kind or NOT_GIVEN
        regions[region] = regions.get(region, 0) + count
        kinds[kind] = kinds.get(kind, 0) + count
    not_given = _("not given")
    by_region = [
        {"key": key, "label": key, "count": count}
        for key, count in sorted(regions.items(), key=lambda item: item[0].casefold())
        if key != NOT_GIVEN
    ]
    if NOT_GIVEN in regions:
        by_region.append({"key": NOT_GIVEN, "label": not_given, "count": regions[NOT_GIVEN]})
    labels = dict(Ente.Kind.choices)
    by_kind = [
        {"key": value, "label": str(label), "count": kinds[value]}
        for value, label in Ente.Kind.choices
        if value in kinds
    ]
    # Kinds the registry no longer lists (old data) are shown with their code.
    by_kind += [
        {"key": value, "label": value, "count": count}
        for value, count in sorted(kinds.items())
        if value != NOT_GIVEN and value not in labels
    ]
    if NOT_GIVEN in kinds:
        by_kind.append({"key": NOT_GIVEN, "label": not_given, "count": kinds[NOT_GIVEN]})
    return _masked(by_region), _masked(by_kind)


def _count_by_month(queryset, field: str, period: Period) -> dict[str, int]:
    aggregates = {
        key: Count("pk", filter=Q(**{f"{field}__gte": start, f"{field}__lt": end}))
        for key, start, end in _month_bounds(period)
    }
    return queryset.order_by().aggregate(**aggregates)


def attendance_by_month(period: Period, community=None) -> dict[str, int]:
    """Attendances recorded by the organisers (``events.Registration.attended``), counted in
    the month of the event (community events, portal events and webinars alike); for one
    community, the events inside its page (events are published in the community's own locale)."""
    queryset = Registration.objects.filter(attended=True).annotate(
        event_start=Coalesce("page__eventpage__start", "page__webinarpage__start")
    )
    if community is not None:
        queryset = queryset.filter(page__path__startswith=community.path)
    return _count_by_month(queryset, "event_start", period)


def activity_by_month(period: Period, community=None) -> tuple[list[dict], bool]:
    """For each month: topics opened, replies posted, event attendance (``None`` when events
    do not record it yet); and whether attendance is known."""
    topics = _count_by_month(_topics(community), "created_at", period)
    replies = _count_by_month(_replies(community), "submit_date", period)
    attendance = attendance_by_month(period, community)
    rows = [
        {
            "month": key,
            "topics": topics[key],
            "replies": replies[key],
            "attendances": None if attendance is None else attendance[key],
        }
        for key, _start, _end in _month_bounds(period)
    ]
    return rows, attendance is not None


def figures(period: Period, community=None) -> dict:
    """Every figure of ``community`` (``None``: the whole portal) over ``period``."""
    by_region, by_kind = members_by_place(period, community)
    activity, attendance_known = activity_by_month(period, community)
    return {
        "community": None if community is None else {"id": community.pk, "title": community.title},
        "period": {"from": month_key(period.first), "to": month_key(period.last)},
        "threshold": THRESHOLD,
        "members_by_month": members_by_month(period, community),
        "members_by_role": members_by_role(period, community),
        "members_by_region": by_region,
        "members_by_ente_kind": by_kind,
        "activity_by_month": activity,
        "attendance_available": attendance_known,
    }
