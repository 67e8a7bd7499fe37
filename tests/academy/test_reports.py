"""The Academy's staff reports: the figures on a small fixture, the page (charts with their
tables), the CSV files, a constant number of queries, staff only."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy import reports, services
from academy.models import Enrolment
from tests.factories import EnteFactory, UserFactory

from .factories import CoursePageFactory, edition_for

pytestmark = pytest.mark.django_db

Status = Enrolment.Status


def enrol(user, edition, status=Status.ENROLLED):
    return Enrolment.objects.create(user=user, edition=edition, status=status)


@pytest.fixture
def figures_fixture(academy):
    """Course A (cybersecurity, base, 8 h), course B (simplification, in depth, 4.5 h); two
    members in Lazio (Comuni), one in Toscana (a Unione)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    course_b = CoursePageFactory(
        parent=academy.page, area="semplificazione", level="approfondimento", hours="4.5"
    )
    edition_b = edition_for(course_b)
    tuscan = UserFactory(ente=EnteFactory(region="Toscana", kind="unione"))
    staff = academy.staff
    first = enrol(academy.member, academy.edition)
    services.complete(staff, first, yesterday, source=Enrolment.Source.STAFF)
    enrol(academy.other, academy.edition)
    third = enrol(tuscan, edition_b)
    badge = services.complete(staff, third, yesterday, source=Enrolment.Source.STAFF)
    services.revoke_badge(staff, badge, "Errore di registrazione")
    enrol(tuscan, academy.edition, status=Status.CANCELLED)  # not counted
    return academy


def test_the_figures_on_a_small_fixture(figures_fixture):
    data = reports.figures()
    by = data["breakdowns"]
    zero = {"enrolments": 0, "completions": 0, "hours": 0, "issued": 0, "revoked": 0}
    a = {"enrolments": 2, "completions": 1, "hours": Decimal(8), "issued": 1, "revoked": 0}
    b = {"enrolments": 1, "completions": 1, "hours": Decimal("4.5"), "issued": 1, "revoked": 1}
    assert by["area"] == {"cybersicurezza": a, "semplificazione": b}
    assert by["livello"] == {"base": a, "approfondimento": b}
    assert by["regione"] == {"Lazio": a, "Toscana": b}
    assert by["ente"] == {"comune": a, "unione": b}
    assert data["total"] == {
        "enrolments": 3,
        "completions": 2,
        "hours": Decimal("12.5"),
        "issued": 2,
        "revoked": 1,
    }
    # Every area and level is listed (at zero too), in the seed's order.
    (area_table,) = [t for t in reports.tables(data) if t["slug"] == "area"]
    assert len(area_table["rows"]) == 5
    assert area_table["rows"][0][1] == list(b.values())  # simplification comes first
    assert [values for _l, values in area_table["rows"][2:4]] == [list(zero.values())] * 2


def test_figures_take_two_queries(figures_fixture, django_assert_num_queries):
    with django_assert_num_queries(2):
        reports.figures()


def test_the_report_page_charts_tables_and_csv(client, figures_fixture):
    staff = figures_fixture.staff
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.get(reverse("academy_admin:report"))
    assert response.status_code == 200
    html = response.content.decode()
    for slug in reports.SLUGS:
        assert f'id="table-{slug}"' in html
        assert f'id="chart-{slug}-enrolments-title"' in html
        assert reverse("academy_admin:report_csv", args=[slug]) in html
    assert "<caption>" in html and 'scope="row">Toscana</th>' in html
    assert 'role="img"' in html
    assert "12,5" in html or "12.5" in html  # total hours, in the admin's language

    response = client.get(reverse("academy_admin:report_csv", args=["regione"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 6  # region, enrolments, completions, hours, badges issued, revoked
    assert rows[1:] == [["Lazio", "2", "1", "8", "1", "0"], ["Toscana", "1", "1", "4.5", "1", "1"]]
    assert client.get("/admin/academy/report/nope.csv").status_code == 404


def test_the_report_page_queries_do_not_grow_with_the_data(client, figures_fixture):
    staff = figures_fixture.staff
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = reverse("academy_admin:report")
    client.get(url)  # warm the caches of the admin (menus, permissions)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for region in ("Puglia", "Sicilia", "Veneto"):
        course = CoursePageFactory(parent=figures_fixture.page, level="specialistico")
        enrol(UserFactory(ente=EnteFactory(region=region, kind="in_house")), edition_for(course))
    client.get(url)  # the new pages invalidated the admin's cached chrome: warm it again
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


def test_a_csv_cell_cannot_be_a_formula(client, academy):
    enrol(UserFactory(ente=EnteFactory(region="=HYPERLINK(1)")), academy.edition)
    academy.staff.is_superuser = True
    academy.staff.save()
    client.force_login(academy.staff)
    response = client.get(reverse("academy_admin:report_csv", args=["regione"]))
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_members_without_an_authority_count_as_not_given_last(academy):
    enrol(UserFactory(ente=None), academy.edition)
    enrol(academy.member, academy.edition)
    data = reports.figures()
    (regions,) = [t for t in reports.tables(data) if t["slug"] == "regione"]
    assert [(label, values[0]) for label, values in regions["rows"]][0] == ("Lazio", 1)
    assert len(regions["rows"]) == 2 and regions["rows"][-1][1][0] == 1
    assert reports.NOT_GIVEN in data["breakdowns"]["regione"]
    assert reports.NOT_GIVEN in data["breakdowns"]["ente"]


def test_a_period_counts_what_happened_in_it(client, figures_fixture):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    data = reports.figures(yesterday, yesterday)  # completed yesterday; enrolled, issued today
    assert data["total"] == {
        "enrolments": 0,
        "completions": 2,
        "hours": Decimal("12.5"),
        "issued": 0,
        "revoked": 0,
    }
    data = reports.figures(today, None)
    assert (data["total"]["enrolments"], data["total"]["issued"]) == (3, 2)
    assert data["total"]["completions"] == 0 and data["total"]["revoked"] == 1
    assert reports.figures(today + datetime.timedelta(days=1), None)["breakdowns"]["regione"] == {}

    staff = figures_fixture.staff
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = reverse("academy_admin:report")
    period = {"dal": yesterday.isoformat(), "al": yesterday.isoformat()}
    response = client.get(url, period)
    assert response.status_code == 200
    csv_url = reverse("academy_admin:report_csv", args=["area"])
    assert f"{csv_url}?dal={period['dal']}&amp;al={period['al']}" in response.content.decode()
    rows = list(csv.reader(io.StringIO(client.get(csv_url, period).content.decode("utf-8-sig"))))
    assert [row[1:3] for row in rows[1:3]] == [["0", "1"], ["0", "0"]]
    # A period that ends before it starts: the form says so, with a 400 and the dates kept.
    bad = {"dal": today.isoformat(), "al": yesterday.isoformat()}
    response = client.get(url, bad)
    assert response.status_code == 400
    assert f'value="{today.isoformat()}"' in response.content.decode()
    assert 'id="table-area"' not in response.content.decode()
    assert client.get(csv_url, bad).status_code == 400
