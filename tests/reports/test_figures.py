"""The figures on a hand-built dataset (tests/reports/conftest.py), 2025-01 to 2025-06:

community "Cybersicurezza"             joined      left        role         Ente
  u1                                   10 Jan                  participant  Lazio, comune
  u2                                   5 Feb       20 Apr      designated   Lazio, comune
  u3                                   1 Dec 2024              coordinator  Lazio, unione
  u4                                   3 Mar                   support      Toscana, comune
  u5                                   15 Mar                  participant  (no Ente)
  u6                                   31 May 23:30            participant  Lazio, comune
  u8                                   10 Jun      12 Jun      participant  Lazio, comune
community "Dati aperti": u7 (coordinator, Toscana) from 1 Feb, u1 (participant) from 1 Apr.
"""

import datetime

import pytest
from django.utils.translation import gettext

from reports import figures as f
from reports.forms import PeriodForm

from .conftest import at

pytestmark = pytest.mark.django_db

PERIOD = f.Period(datetime.date(2025, 1, 1), datetime.date(2025, 6, 1))


def by_key(rows):
    return {row["key"]: (row["count"], row["masked"]) for row in rows}


def test_members_by_month_of_a_community(dataset):
    rows = f.members_by_month(PERIOD, dataset.community)
    assert [(r["month"], r["joined"], r["left"], r["members"]) for r in rows] == [
        ("2025-01", 1, 0, 2),
        ("2025-02", 1, 0, 3),
        ("2025-03", 2, 0, 5),
        ("2025-04", 0, 1, 4),
        ("2025-05", 1, 0, 5),  # 31 May 23:30 in Rome is May, though June 1st never is
        ("2025-06", 1, 1, 5),
    ]


def test_breakdowns_at_the_end_of_the_period_mask_small_groups(dataset):
    data = f.figures(PERIOD, dataset.community)
    assert by_key(data["members_by_role"]) == {
        "participant": (3, False),
        "designated": (0, False),
        "coordinator": (1, False),
        "support": (1, False),
    }
    assert by_key(data["members_by_region"]) == {
        "Lazio": (3, False),
        "Toscana": (None, True),
        f.NOT_GIVEN: (None, True),
    }
    assert by_key(data["members_by_ente_kind"]) == {
        "comune": (3, False),
        "unione": (None, True),
        f.NOT_GIVEN: (None, True),
    }
    assert data["members_by_region"][-1]["label"] == gettext("not given")  # "non indicato"


def test_activity_by_month(dataset):
    data = f.figures(PERIOD, dataset.community)
    assert [(r["topics"], r["replies"]) for r in data["activity_by_month"]] == [
        (0, 0),
        (2, 0),
        (0, 0),
        (1, 3),
        (0, 1),
        (0, 0),
    ]
    assert data["attendance_available"] is True
    assert [r["attendances"] for r in data["activity_by_month"]] == [0] * 6


def test_attendance_counts_in_the_month_of_the_event(dataset):
    """Attendances recorded by the organisers, in the month the event took place; the other
    community's events only in the portal's figures; absences and cancellations never."""
    from events.models import Registration
    from tests.events.factories import EventPageFactory

    march = EventPageFactory(parent=dataset.community, start=at(3, 12), end=at(3, 12, 14))
    may = EventPageFactory(parent=dataset.other, start=at(5, 7), end=at(5, 7, 14))
    users = [m.user for m in dataset.community.memberships.all()[:3]]
    for user, attended in zip(users, (True, True, False), strict=True):
        Registration.objects.create(page=march, user=user, status="registered", attended=attended)
    Registration.objects.create(page=may, user=users[0], status="registered", attended=True)
    mine = [r["attendances"] for r in f.figures(PERIOD, dataset.community)["activity_by_month"]]
    assert mine == [0, 0, 2, 0, 0, 0]
    portal = [r["attendances"] for r in f.figures(PERIOD)["activity_by_month"]]
    assert portal == [0, 0, 2, 0, 1, 0]


def test_portal_counts_people_once(dataset):
    data = f.figures(PERIOD)
    months = data["members_by_month"]
    # u1 joins a second community in April: one more membership, not one more person.
    assert [r["members"] for r in months] == [2, 4, 6, 5, 6, 6]
    assert [r["joined"] for r in months] == [1, 2, 2, 1, 1, 1]
    assert by_key(data["members_by_role"])["coordinator"] == (2, False)
    assert by_key(data["members_by_region"])["Toscana"] == (None, True)  # u4, u7
    assert [r["topics"] for r in data["activity_by_month"]] == [0, 2, 0, 2, 0, 0]
    assert data["community"] is None


def test_a_fixed_number_of_queries_whatever_the_size(dataset, django_assert_num_queries):
    """One query per figure: members by month, by role, by place, topics, replies, attendance."""
    with django_assert_num_queries(6):
        f.figures(PERIOD, dataset.community)
    long = f.Period(datetime.date(2023, 1, 1), datetime.date(2025, 12, 1))
    with django_assert_num_queries(6):
        f.figures(long)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"dal": "2025-06", "al": "2025-01"}, "dal"),
        ({"dal": "2022-01", "al": "2025-06"}, "dal"),  # more than 36 months
        ({"dal": "giugno"}, "dal"),
        ({"al": "2027-01"}, "al"),  # after the current month (now is December 2026 below)
    ],
)
def test_period_form_refuses_bad_ranges(data, error):
    form = PeriodForm(data, now=at(12, 15, year=2026))
    assert not form.is_valid()
    assert error in form.errors


def test_period_form_defaults_to_the_last_twelve_months():
    form = PeriodForm({}, now=at(3, 15, year=2026))
    assert form.is_valid()
    assert form.period == f.Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 1))
