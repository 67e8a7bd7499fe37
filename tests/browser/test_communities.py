"""Communities of practice in a real browser, with the demo content and the demo people of the
demo identity provider (signed in through the real SAML flow): joining as a designated
participant, the reserved area, the working group kept from simple participants, and axe-core
on the community pages as a member sees them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import axe_violations, italian, sign_in_with_spid, tick

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

INCIDENT_GROUP = "piano-di-risposta-agli-incidenti"


def demo_page(model, slug):
    return model.objects.get(slug=slug, locale__language_code="it")


@pytest.fixture
def cyber(demo_site):
    """The demo's "Cybersicurezza" pages: community, reserved area, its pages, a group."""
    from types import SimpleNamespace

    from wagtail.documents import get_document_model

    from communities.models import (
        CommunityAreaPage,
        CommunityPage,
        ReservedPage,
        ReservedSpace,
        WorkingGroupPage,
    )

    community = demo_page(CommunityPage, "cybersicurezza")
    area = CommunityAreaPage.objects.child_of(community).get()
    group = WorkingGroupPage.objects.child_of(area).get(slug=INCIDENT_GROUP)
    space = ReservedSpace.objects.get(
        kind=ReservedSpace.Kind.COMMUNITY, translation_key=community.translation_key
    )
    group_space = ReservedSpace.objects.get(
        kind=ReservedSpace.Kind.WORKING_GROUP, translation_key=group.translation_key
    )
    documents = get_document_model().objects
    return SimpleNamespace(
        community=community,
        area=area,
        pages=list(ReservedPage.objects.child_of(area).live().order_by("path")),
        group=group,
        document=documents.filter(collection=space.collection).first(),
        group_document=documents.filter(collection=group_space.collection).first(),
    )


def main_text(page) -> str:
    return page.locator("main").inner_text()


def assert_refused_document(page, url):
    """Wagtail's document view refuses the file (redirects are not followed: where they lead
    is the page tests' business). Direct MEDIA_URL files are not checked here: the live
    server serves MEDIA_URL itself, bypassing the portal's checked view (tests/communities
    test those with the Django client)."""
    response = page.request.get(url, max_redirects=0)
    assert response.status != 200, url
    assert not response.body().startswith(b"%PDF"), url


def test_registered_member_joins_as_designated_and_reads_reserved_area(saml_live, page, cyber):
    from communities.forms import JoinForm
    from communities.models import Designation, Membership
    from membership.models import User

    community_url = saml_live + cyber.community.get_url()
    person = sign_in_with_spid(page, saml_live, "iscritto", next_path=cyber.community.get_url())
    assert page.url == community_url, main_text(page)[:800]
    user = User.objects.get(fiscal_number=person.fiscal_code)
    assert not Membership.objects.filter(user=user).exists(), "the demo's iscritto is no member"

    # "Aderisci" on the community page opens the join form.
    join = italian("Join")
    page.get_by_role("link", name=re.compile(rf"^{re.escape(join)}\b")).click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    assert not axe_violations(page), "join form"

    form = page.locator("form.portal-join-form")
    tick(page, form.get_by_role("radio", name=italian(JoinForm.ROLE_CHOICES[1][1])))
    tick(page, form.get_by_role("radio", name=italian(Designation.SignedBy.SINDACO.label)))
    act_date = timezone.localdate() - timedelta(days=30)
    form.get_by_label(italian("Date of the act")).fill(act_date.isoformat())
    form.get_by_role("button", name=re.compile(rf"^{re.escape(join)}\b")).click()
    page.wait_for_load_state()

    membership = Membership.objects.filter(user=user, community=cyber.community).first()
    assert membership is not None, main_text(page)[:1500]
    assert membership.role == Membership.Role.DESIGNATED
    assert membership.designation.signed_by == Designation.SignedBy.SINDACO
    assert membership.designation.act_date == act_date

    # Now a member: the reserved area, its pages and the community's private document.
    page.goto(saml_live + cyber.area.get_url())
    assert page.locator("h1").inner_text().strip() == cyber.area.title
    for reserved in cyber.pages:
        assert page.get_by_role("link", name=reserved.title).count(), reserved.title
    material = next(p for p in cyber.pages if p.kind == "material")
    page.get_by_role("link", name=material.title).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == material.title
    response = page.request.get(saml_live + cyber.document.url)
    assert response.status == 200
    assert response.body().startswith(b"%PDF")

    # Designated, but not (yet) in the working group: its documents stay closed.
    assert_refused_document(page, saml_live + cyber.group_document.url)


def test_participant_reads_reserved_area_but_not_working_group(saml_live, page, cyber):

    # A visitor is sent to sign in.
    page.goto(saml_live + cyber.area.get_url())
    assert "/accedi/" in page.url

    sign_in_with_spid(page, saml_live, "partecipante", next_path=cyber.area.get_url())
    assert page.url == saml_live + cyber.area.get_url(), main_text(page)[:800]
    assert page.locator("h1").inner_text().strip() == cyber.area.title
    text = main_text(page)
    for reserved in cyber.pages:
        assert reserved.title in text, reserved.title
    # The working group is not even listed for a simple participant.
    assert cyber.group.title not in text
    assert page.request.get(saml_live + cyber.document.url).status == 200
    # The group's documents are not served to them.
    assert_refused_document(page, saml_live + cyber.group_document.url)


def test_participant_is_refused_the_working_group_page(saml_live, page, cyber):
    from playwright.sync_api import Error as PlaywrightError

    sign_in_with_spid(page, saml_live, "partecipante", next_path=cyber.area.get_url())
    assert page.url == saml_live + cyber.area.get_url(), main_text(page)[:800]
    # The group's URL is refused with an error page, and nothing of the group shows.
    try:
        response = page.goto(saml_live + cyber.group.get_url())
    except PlaywrightError as error:
        pytest.fail(f"the working group URL does not answer with an error page: {error}")
    assert response is not None
    assert response.status in (403, 404), (response.status, page.url)
    assert cyber.group.title not in main_text(page)
    assert cyber.group.deliverable not in page.content()


def test_community_pages_pass_axe_as_working_group_member(saml_live, page, cyber):
    from communities.models import ReservedPage

    sign_in_with_spid(page, saml_live, "membro-gdl", next_path=cyber.community.get_url())
    group_page = ReservedPage.objects.child_of(cyber.group).live().first()
    urls = [
        cyber.community.get_url(),
        cyber.area.get_url(),
        cyber.pages[0].get_url(),
        cyber.group.get_url(),
        group_page.get_url(),
    ]
    report = {}
    for url in urls:
        response = page.goto(saml_live + url)
        assert response is not None and response.status == 200, url
        assert page.locator("h1").count() == 1, f"{url}: expected exactly one h1"
        found = axe_violations(page)
        if found:
            report[url] = found
    assert not report, f"axe-core serious/critical violations: {report}"

    # The member reads the group's space and downloads its draft.
    page.goto(saml_live + cyber.group.get_url())
    assert page.locator("h1").inner_text().strip() == cyber.group.title
    assert page.get_by_role("link", name=group_page.title).count()
    response = page.request.get(saml_live + cyber.group_document.url)
    assert response.status == 200
    assert response.body().startswith(b"%PDF")
