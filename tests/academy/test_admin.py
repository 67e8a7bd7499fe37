"""The Accademia in the Wagtail admin: the "Academy" menu with the editions (list, filter,
search, create and edit with validation) and the course targets; the session editor offers only
the editions of its course."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.models import CourseEdition, CourseSessionPage, CourseTarget
from tests.factories import StaffFactory

from .factories import CoursePageFactory, CourseSessionPageFactory, edition_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, academy):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def edition_data(course, **overrides):
    today = timezone.localdate()
    data = {
        "course": course.pk,
        "name": "Primavera",
        "starts_on": (today + datetime.timedelta(days=30)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=60)).isoformat(),
        "enrolment_opens_on": "",
        "enrolment_closes_on": (today + datetime.timedelta(days=20)).isoformat(),
        "capacity": "30",
        "waiting_list": "on",
        "attendance_percent": "75",
    }
    data.update(overrides)
    return data


def test_menu_has_the_academy_group(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert reverse("academy_editions:index") in html
    assert reverse("wagtailsnippets_academy_coursetarget:list") in html


def test_editions_listing_shows_course_dates_state_and_places(admin_client, academy):
    services.enrol(academy.member, academy.edition)
    other = CoursePageFactory(parent=academy.page, title="Firma digitale")
    edition_for(other, name="Autunno", capacity=None)
    url = reverse("academy_editions:index")
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert academy.course.title in html and "Firma digitale" in html
    assert "1 / 1" in html  # places taken / capacity
    assert "Open for enrolment" in html or "Iscrizioni aperte" in html

    response = admin_client.get(url, {"course": other.pk})
    html = response.content.decode()
    assert "Autunno" in html and academy.edition.name not in html
    response = admin_client.get(url, {"q": "Firma"})
    assert "Autunno" in response.content.decode()
    assert academy.edition.name not in response.content.decode()


def test_create_and_edit_an_edition(admin_client, academy):
    response = admin_client.post(reverse("academy_editions:add"), edition_data(academy.course))
    assert response.status_code == 302, response.content.decode()[:2000]
    edition = CourseEdition.objects.get(name="Primavera")
    assert edition.course_id == academy.course.pk and edition.capacity == 30

    data = edition_data(academy.course, name="Primavera 2", capacity="")
    response = admin_client.post(reverse("academy_editions:edit", args=[edition.pk]), data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.name == "Primavera 2" and edition.capacity is None


def test_bad_edition_is_refused_with_messages_and_input_kept(admin_client, academy):
    today = timezone.localdate()
    data = edition_data(
        academy.course,
        name="Date sbagliate",
        ends_on=(today + datetime.timedelta(days=10)).isoformat(),  # before it starts
    )
    response = admin_client.post(reverse("academy_editions:add"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "ends_on" in form.errors
    assert 'value="Date sbagliate"' in response.content.decode()
    assert not CourseEdition.objects.filter(name="Date sbagliate").exists()

    data = edition_data(
        academy.course,
        name="Chiusura tardiva",
        enrolment_closes_on=(today + datetime.timedelta(days=90)).isoformat(),
    )
    response = admin_client.post(reverse("academy_editions:add"), data)
    assert response.status_code == 200
    assert "enrolment_closes_on" in response.context["form"].errors


def test_editions_cannot_be_deleted_and_members_stay_out(client, admin_client, academy):
    # Nobody deletes an edition (enrolments hang on it): it is cancelled instead.
    response = admin_client.get(reverse("academy_editions:delete", args=[academy.edition.pk]))
    assert response.status_code in (302, 403)
    assert CourseEdition.objects.filter(pk=academy.edition.pk).exists()
    member_client = type(client)()
    member_client.force_login(academy.member)
    response = member_client.get(reverse("academy_editions:index"))
    assert response.status_code in (302, 403)


def test_course_targets_snippet(admin_client):
    url = reverse("wagtailsnippets_academy_coursetarget:add")
    response = admin_client.post(url, {"name": "Dirigenti", "slug": "dirigenti"})
    assert response.status_code == 302
    assert CourseTarget.objects.filter(slug="dirigenti").exists()
    response = admin_client.get(reverse("wagtailsnippets_academy_coursetarget:list"))
    assert "Dirigenti" in response.content.decode()


def test_session_editor_offers_only_the_editions_of_its_course(admin_client, academy):
    other = CoursePageFactory(parent=academy.page, title="Altro corso")
    foreign = edition_for(other, name="Edizione di un altro corso")
    own = edition_for(academy.course, name="Seconda edizione")
    add_url = reverse(
        "wagtailadmin_pages:add", args=("academy", "coursesessionpage", academy.course.pk)
    )
    response = admin_client.get(add_url)
    assert response.status_code == 200
    choices = set(response.context["form"].fields["edition"].queryset)
    assert choices == {academy.edition, own}
    assert foreign not in choices

    session = CourseSessionPageFactory(parent=academy.course, edition=academy.edition)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[session.pk]))
    assert response.status_code == 200
    assert set(response.context["form"].fields["edition"].queryset) == {academy.edition, own}
    assert isinstance(session, CourseSessionPage)


def test_other_admin_views_join_the_academy_menu_through_its_hook():
    from wagtail import hooks
    from wagtail.admin.menu import MenuItem

    from academy.wagtail_hooks import AcademyAdminGroup

    def extra_item():
        return MenuItem("Voce di prova", "/admin/voce-di-prova/", name="voce-di-prova")

    with hooks.register_temporarily(AcademyAdminGroup.submenu_hook, extra_item):
        menu = AcademyAdminGroup().get_menu_item().menu
        names = [item.name for item in menu.registered_menu_items]
    assert "voce-di-prova" in names
