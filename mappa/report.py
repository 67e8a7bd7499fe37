"""The Ente's report: its score per area and in total, compared with the Comuni of the same
region, of the same population class and nationally (median and the Ente's percentile), and the
*agenda digitale*: for each weak area, the portal's resources that address it.

The comparisons are computed from the stored scores (``AreaScore`` and ``Submission.total_score``,
denormalised with the region, population class and kind of Ente when sent), among the Enti of the
same kind (Comuni with Comuni):

- on PostgreSQL in one query (``percentile_cont(0.5)`` for the median, counts ``FILTER``\\ ed per
  group for the percentile);
- elsewhere (SQLite) in Python over the scores (two queries).

Both give the same figures (``tests/mappa/test_report.py``). The percentile is the mid-rank one:
the share of the group's Enti with a lower score, plus half of those with the same score (the
Ente itself included), 0 to 100. A group of fewer than ``MIN_GROUP`` Enti shows no figures.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import access, locales
from membership.enti import POPULATION_CLASSES

from . import scoring
from .models import AreaScore, Submission

#: Fewer Enti than this in a group: its figures are not shown (nor computable back).
MIN_GROUP = 5
#: The key of the total score among the areas' rows.
TOTAL = "__total__"
#: At most this many resources per area in the agenda digitale.
AGENDA_PER_AREA = 6

REGION, POPULATION, NATIONAL = "region", "population_class", "national"
GROUPS = (REGION, POPULATION, NATIONAL)


@dataclass
class Comparison:
    group: str
    label: str
    n: int = 0
    median: float | None = None
    percentile: int | None = None

    @property
    def available(self) -> bool:
        return self.n >= MIN_GROUP and self.median is not None


@dataclass
class Row:
    key: str
    label: str
    score: float
    weak_below: float | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    resources: list[dict] = field(default_factory=list)

    @property
    def weak(self) -> bool:
        return self.weak_below is not None and self.score < self.weak_below

    def comparison(self, group: str) -> Comparison | None:
        return next((c for c in self.comparisons if c.group == group), None)


# --- figures per group ------------------------------------------------------------------------


def _percentile(below: int, equal: int, n: int) -> int | None:
    if not n:
        return None
    return round((below + equal / 2) / n * 100)


def _median(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _groups_of(submission: Submission) -> dict[str, str | None]:
    """``{group: the submission's value}`` (``None``: the Ente has no value, no comparison)."""
    return {
        REGION: submission.region or None,
        POPULATION: submission.population_class or None,
        NATIONAL: "",
    }


def _own_scores(submission: Submission) -> dict[str, float]:
    own = dict(AreaScore.objects.filter(submission=submission).values_list("area", "score"))
    if submission.total_score is not None:
        own[TOTAL] = submission.total_score
    return own


def compare_sql(submission: Submission, own: dict[str, float]) -> dict[str, dict[str, tuple]]:
    """``{area: {group: (n, median, below, equal)}}`` in one PostgreSQL query."""
    if not own:
        return {}
    groups = _groups_of(submission)
    scores, submissions = AreaScore._meta.db_table, Submission._meta.db_table
    source = (
        f"SELECT area, score, region, population_class FROM {scores} "  # noqa: S608 - model tables
        "WHERE campaign_id = %s AND ente_kind = %s "
        f"UNION ALL SELECT %s::varchar, total_score, region, population_class FROM {submissions} "
        "WHERE campaign_id = %s AND ente_kind = %s AND total_score IS NOT NULL"
    )
    params: list = [
        submission.campaign_id,
        submission.ente_kind,
        TOTAL,
        submission.campaign_id,
        submission.ente_kind,
    ]
    values = ", ".join(["(%s, %s::double precision)"] * len(own))
    own_params = [item for pair in own.items() for item in pair]
    columns, column_params = [], []
    for group in GROUPS:
        if group == NATIONAL:
            condition, condition_params = "TRUE", []
        elif groups[group] is None:
            condition, condition_params = "FALSE", []
        else:
            condition, condition_params = f"s.{group} = %s", [groups[group]]
        columns += [
            f"count(*) FILTER (WHERE {condition})",
            f"percentile_cont(0.5) WITHIN GROUP (ORDER BY s.score) FILTER (WHERE {condition})",
            f"count(*) FILTER (WHERE {condition} AND s.score < own.score)",
            f"count(*) FILTER (WHERE {condition} AND s.score = own.score)",
        ]
        column_params += condition_params * 4
    sql = (
        f"WITH own(area, score) AS (VALUES {values}) "  # noqa: S608 - placeholders only
        f"SELECT s.area, {', '.join(columns)} "
        f"FROM ({source}) s JOIN own ON own.area = s.area GROUP BY s.area"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, own_params + column_params + params)
        rows = cursor.fetchall()
    out = {}
    for row in rows:
        area, figures = row[0], row[1:]
        out[area] = {
            group: tuple(figures[index * 4 : index * 4 + 4]) for index, group in enumerate(GROUPS)
        }
    return out


def compare_python(submission: Submission, own: dict[str, float]) -> dict[str, dict[str, tuple]]:
    """The same as ``compare_sql``, computed in Python over the scores (any database)."""
    if not own:
        return {}
    groups = _groups_of(submission)
    rows = list(
        AreaScore.objects.filter(
            campaign_id=submission.campaign_id, ente_kind=submission.ente_kind, area__in=own
        ).values_list("area", "score", "region", "population_class")
    )
    if TOTAL in own:
        rows += [
            (TOTAL, *rest)
            for rest in Submission.objects.filter(
                campaign_id=submission.campaign_id,
                ente_kind=submission.ente_kind,
                total_score__isnull=False,
            ).values_list("total_score", "region", "population_class")
        ]
    by_area: dict[str, dict[str, list[float]]] = {}
    for area, score, region, klass in rows:
        groups_here = by_area.setdefault(area, {group: [] for group in GROUPS})
        groups_here[NATIONAL].append(score)
        if groups[REGION] is not None and region == groups[REGION]:
            groups_here[REGION].append(score)
        if groups[POPULATION] is not None and klass == groups[POPULATION]:
            groups_here[POPULATION].append(score)
    out = {}
    for area, group_scores in by_area.items():
        mine = own[area]
        out[area] = {
            group: (
                len(values),
                statistics.median(values) if values else None,
                sum(1 for v in values if v < mine),
                sum(1 for v in values if v == mine),
            )
            for group, values in group_scores.items()
        }
    return out


def compare(submission: Submission, own: dict[str, float]) -> dict[str, dict[str, tuple]]:
    if connection.vendor == "postgresql":
        return compare_sql(submission, own)
    return compare_python(submission, own)


# --- the report -------------------------------------------------------------------------------


def population_class_label(code: str) -> str:
    return str(next((label for _b, c, label in POPULATION_CLASSES if c == code), code))


def group_labels(submission: Submission) -> dict[str, str]:
    return {
        REGION: _("Comuni of %(region)s") % {"region": submission.region}
        if submission.region
        else _("Comuni of the same region"),
        POPULATION: _("Comuni with %(class)s")
        % {"class": population_class_label(submission.population_class).lower()}
        if submission.population_class
        else _("Comuni of the same size"),
        NATIONAL: _("All Comuni in Italy"),
    }


def build(submission: Submission, *, with_agenda: bool = True) -> dict:
    """The report of ``submission``: ``{"rows": [Row per area], "total": Row | None,
    "agenda": [Row of the weak areas, with resources], "groups": {group: label}}``."""
    campaign = submission.campaign
    rules = scoring.load(campaign.rules) if campaign.rules else None
    own = _own_scores(submission)
    figures = compare(submission, own)
    labels = group_labels(submission)

    def row(key, label, weak_below=None):
        by_group = figures.get(key, {})
        comparisons = []
        for group in GROUPS:
            n, median, below, equal = by_group.get(group, (0, None, 0, 0))
            comparison = Comparison(group=group, label=labels[group], n=n or 0)
            if comparison.n >= MIN_GROUP:
                comparison.median = _median(median)
                comparison.percentile = _percentile(below or 0, equal or 0, n)
            comparisons.append(comparison)
        return Row(
            key=key, label=label, score=own[key], weak_below=weak_below, comparisons=comparisons
        )

    rows = []
    if rules is not None:
        for area in rules.areas:
            if area.key in own:
                rows.append(row(area.key, area.label, area.weak_below))
    total = row(TOTAL, _("Total")) if TOTAL in own else None
    weak = [r for r in rows if r.weak]
    if with_agenda and rules is not None and weak:
        agenda_for(weak, {area.key: area.topics for area in rules.areas})
    return {"rows": rows, "total": total, "agenda": weak, "groups": labels}


# --- the agenda digitale ----------------------------------------------------------------------


def _resource_models():
    """``[(model, kind label, text fields, has tags)]``: the portal's content that helps."""
    from academy.models import CoursePage
    from communities.models import CommunityPage
    from events.models import EventPage
    from kits.models import KitPage
    from materials.models import MaterialPage
    from webinars.models import WebinarPage

    return [
        (CoursePage, gettext_lazy("Academy course"), ("title", "summary", "competences"), False),
        (KitPage, gettext_lazy("Kit"), ("title", "summary"), True),
        (WebinarPage, gettext_lazy("Webinar"), ("title", "summary"), True),
        (EventPage, gettext_lazy("Event"), ("title", "summary"), False),
        (
            CommunityPage,
            gettext_lazy("Community of practice"),
            ("title", "summary", "theme"),
            False,
        ),
        (MaterialPage, gettext_lazy("Community output"), ("title", "summary"), True),
    ]


def _matches(text: str, topic: str) -> bool:
    return topic.casefold() in text.casefold()


def agenda_for(weak_rows: list[Row], topics: dict[str, tuple[str, ...]]) -> None:
    """Fill ``row.resources`` of each weak area with the live, public pages (in the visitor's
    language) whose title, summary or tags name one of the area's topics: one query per kind of
    content (and one for the tags), whatever the number of areas."""
    wanted = {row.key: [t for t in topics.get(row.key, ()) if t.strip()] for row in weak_rows}
    every_topic = sorted({t for values in wanted.values() for t in values})
    if not every_topic:
        return
    locale = locales.get_active()
    for model, kind, fields, has_tags in _resource_models():
        condition = Q()
        for topic in every_topic:
            for name in fields:
                condition |= Q(**{f"{name}__icontains": topic})
            if has_tags:
                condition |= Q(tags__name__iexact=topic)
        queryset = access.public_pages(model.objects.filter(locale_id=locale.pk)).filter(condition)
        if has_tags:
            queryset = queryset.distinct().prefetch_related("tags")
        for page in queryset.order_by("-first_published_at", "pk")[:50]:
            text = " ".join(str(getattr(page, name, "") or "") for name in fields)
            tags = [tag.name for tag in page.tags.all()] if has_tags else []
            for row in weak_rows:
                if len(row.resources) >= AGENDA_PER_AREA:
                    continue
                if any(
                    _matches(text, topic) or any(t.casefold() == topic.casefold() for t in tags)
                    for topic in wanted[row.key]
                ):
                    row.resources.append(
                        {
                            "title": page.title,
                            "url": page.url,
                            "kind": str(kind),
                            "summary": page.summary,
                        }
                    )
