"""The figures through the site and the API, from outside: who may see them (the managers of
the community and staff; staff only for the portal), the page (charts with their tables, masked
groups, no person), a bad period (400 in Italian), the CSV files (headers, rows, formula-safe)."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from rest_framework.test import APIClient

from communities.models import Membership
from tests.communities import factories
from tests.discussions.factories import TopicFactory

from .conftest import at, ente, join, person

pytestmark = pytest.mark.django_db

PERIOD = {"dal": "2025-01", "al": "2025-06"}


def page_url(community=None):
    if community is None:
        return reverse("reports:portal")
    return reverse("reports:community", args=[community.pk])


def csv_url(slug, community=None):
    if community is None:
        return reverse("reports:portal_csv", args=[slug])
    return reverse("reports:community_csv", args=[community.pk, slug])


def api_url(community=None):
    if community is None:
        return reverse("community_api:figures")
    return reverse("community_api:community_figures", args=[community.pk])


def signed_in(client, user):
    client.force_login(user)
    return client


def people(d):
    """The users of each column of the access test."""
    other_coordinator = d.users["u7"]  # coordinator of the other community
    return {
        "coordinator": d.users["u3"],
        "support": d.users["u4"],
        "participant": d.users["u1"],
        "stranger": d.stranger,
        "other_coordinator": other_coordinator,
        "staff": d.staff,
    }


ALLOWED = {"coordinator", "support", "staff"}


def test_who_sees_a_communitys_figures_on_the_site_and_in_the_api(client, dataset):
    for column, user in people(dataset).items():
        expected = 200 if column in ALLOWED else 403
        client.force_login(user)
        assert client.get(page_url(dataset.community), PERIOD).status_code == expected, column
        assert client.get(csv_url("ruoli", dataset.community), PERIOD).status_code == expected
        api = APIClient()
        api.force_login(user)
        response = api.get(api_url(dataset.community), PERIOD)
        assert response.status_code == expected, column
        if expected == 403:
            assert response.json()["code"] == "permission_denied"


def test_only_staff_see_the_portals_figures(client, dataset):
    for column, user in people(dataset).items():
        expected = 200 if column == "staff" else 403
        client.force_login(user)
        assert client.get(page_url(), PERIOD).status_code == expected, column
        api = APIClient()
        api.force_login(user)
        assert api.get(api_url(), PERIOD).status_code == expected, column


def test_visitors_and_unknown_communities(client, dataset):
    response = client.get(page_url(dataset.community))
    assert response.status_code == 302 and "next=" in response["Location"]
    assert APIClient().get(api_url(dataset.community)).status_code in (401, 403)
    assert APIClient().get(api_url()).status_code in (401, 403)
    signed_in(client, dataset.staff)
    missing = dataset.other.pk + 1000
    assert client.get(reverse("reports:community", args=[missing])).status_code == 404
    assert client.get(csv_url("nessuna", dataset.community)).status_code == 404
    api = APIClient()
    api.force_login(dataset.staff)
    assert api.get(reverse("community_api:community_figures", args=[missing])).status_code == 404


def test_the_page_shows_charts_tables_and_no_person(client, dataset):
    signed_in(client, dataset.users["u3"])
    client.get(page_url(dataset.community), PERIOD)  # warm the portal's shared caches
    with CaptureQueriesContext(connection) as first:
        response = client.get(page_url(dataset.community), PERIOD)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    html = response.content.decode()
    charts = html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert charts == 5  # members, roles, regions, kinds, activity (with attendance)
    assert html.count("<caption>") == 5
    assert not re.search(r'="-?\d+,\d', html)  # SVG coordinates are never localized
    assert '<th scope="row">Lazio</th><td class="text-end">3</td>' in html
    assert '<th scope="row">Toscana</th><td class="text-end">&lt; 3</td>' in html
    for user in dataset.users.values():  # the viewer's own name is in the header only
        if user != dataset.users["u3"]:
            assert not re.search(rf"\b{re.escape(user.last_name)}\b", html)
        assert user.fiscal_number not in html
        assert user.email not in html
    assert csv_url("regioni", dataset.community) + "?dal=2025-01&amp;al=2025-06" in html
    # The same queries with more members and topics (the figures are aggregates).
    for month in (1, 3, 5):
        join(person(dataset.users["u1"].ente), dataset.community, "participant", at(month, 2))
        TopicFactory(space=dataset.community, author=dataset.users["u3"], created_at=at(month, 3))
    client.get(page_url(dataset.community), PERIOD)  # the caches the new rows invalidated
    with CaptureQueriesContext(connection) as second:
        assert client.get(page_url(dataset.community), PERIOD).status_code == 200
    assert len(second) == len(first) <= 14  # with Wagtail's userbar (coordinators edit pages)


def test_without_a_period_the_last_twelve_months_are_shown(client, dataset):
    signed_in(client, dataset.staff)
    response = client.get(page_url())
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">') >= 24  # two tables of 12 months


def test_a_bad_period_answers_400_with_the_form(client, dataset):
    signed_in(client, dataset.users["u3"])
    response = client.get(page_url(dataset.community), {"dal": "2025-06", "al": "2025-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2025-06"' in html  # what was typed stays in the form
    assert 'aria-invalid="true"' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' not in html  # no chart
    api = APIClient()
    api.force_login(dataset.users["u3"])
    response = api.get(api_url(dataset.community), {"dal": "marzo"})
    assert response.status_code == 400
    assert "dal" in response.json()


def test_the_api_answers_the_same_figures(dataset):
    api = APIClient()
    api.force_login(dataset.users["u4"])
    data = api.get(api_url(dataset.community), PERIOD).json()
    assert data["period"] == {"from": "2025-01", "to": "2025-06"}
    assert [row["members"] for row in data["members_by_month"]] == [2, 3, 5, 4, 5, 5]
    toscana = [row for row in data["members_by_region"] if row["key"] == "Toscana"]
    assert toscana == [{"key": "Toscana", "label": "Toscana", "count": None, "masked": True}]
    assert data["attendance_available"] is True


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="partecipazione-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_files_hold_the_tables(client, dataset):
    signed_in(client, dataset.users["u3"])
    rows = read_csv(client.get(csv_url("membri", dataset.community), PERIOD))
    assert rows[0] == [
        gettext(text)
        for text in ("Month", "Joinings", "Departures", "Members at the end of the month")
    ]
    assert rows[1:3] == [["2025-01", "1", "0", "2"], ["2025-02", "1", "0", "3"]]
    rows = read_csv(client.get(csv_url("regioni", dataset.community), PERIOD))
    assert rows[1:] == [["Lazio", "3"], ["Toscana", "< 3"], [gettext("not given"), "< 3"]]
    rows = read_csv(client.get(csv_url("attivita", dataset.community), PERIOD))
    assert rows[0] == [
        gettext(text) for text in ("Month", "Topics opened", "Replies posted", "Event attendances")
    ]
    assert rows[4] == ["2025-04", "1", "3", "0"]


def test_csv_cells_are_formula_safe(client, dataset):
    """A region typed by whoever proposed an Ente never runs as a formula in a spreadsheet."""
    hostile = ente('=HYPERLINK("http://x.example","clic")')
    for _ in range(3):
        join(person(hostile), dataset.other, Membership.Role.PARTICIPANT, at(2, 1))
    signed_in(client, factories.StaffUserFactory())
    rows = read_csv(client.get(csv_url("regioni", dataset.other), PERIOD))
    assert ['\'=HYPERLINK("http://x.example","clic")', "3"] in rows


def test_the_admin_menu_shows_the_portals_figures_to_staff_only(rf, dataset):
    from reports.wagtail_hooks import register_figures_menu_item

    item = register_figures_menu_item()
    assert item.url == page_url()
    for user, shown in ((dataset.staff, True), (dataset.users["u3"], False)):
        request = rf.get("/admin/")
        request.user = user
        assert item.is_shown(request) is shown


def test_the_managers_home_links_to_the_figures(client, dataset):
    signed_in(client, dataset.users["u4"])
    response = client.get(reverse("communities:manage_home", args=[dataset.community.pk]))
    assert page_url(dataset.community) in response.content.decode()
