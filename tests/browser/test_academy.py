"""The Accademia dei Comuni Digitali in a real browser, on the demo content (issue 18's "Done
when"): a registered member (the demo's "iscritto") finds a course through the catalogue's facets
(level "Base" and area "Cybersicurezza", applied), opens it and enrols in its open edition; the
staff import the completion in Wagtail's admin (the e-learning platform's CSV with the member's
fiscal code, the course code and the date: a dry run, then the confirmation); the member sees the
badge in La mia area > Accademia and opens its public verification page, which says it is valid,
and the badge class's page; the staff revoke the badge (the issued badges' admin, with a reason);
the verification page then says it is revoked.
axe-core: no serious or critical violation on every public page of the path (the catalogue
filtered, the course, La mia area > Accademia, the verification page valid and revoked, the badge
class page).

Forms are found by their action and fields by name, buttons by their (translated) labels through
``italian``, so the test survives the Italian translation of the UI.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import axe_violations, italian, sign_in_as, tick

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: The demo course the member enrols in (level base, area cybersicurezza; see
#: tests/academy/test_demo_content.py) and the demo member, not enrolled in it.
COURSE_CODE = "CYB-B-02"
COURSE_TITLE = "Riconoscere e segnalare il phishing"
MEMBER = "iscritto"
CATALOGUE = "/accademia/"
REASON = "Completamento importato per errore: la persona non ha sostenuto il test finale."


def new_context(browser):
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab


def goto_ok(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    return response


def sign_in_to_admin(page, base):
    from demo.people import ADMIN_PASSWORD, ADMIN_USERNAME

    page.goto(base + "/admin/login/")
    page.fill('input[name="username"]', ADMIN_USERNAME)
    page.fill('input[name="password"]', ADMIN_PASSWORD)
    page.locator('button[type="submit"]').click()
    page.wait_for_url("**/admin/")


def click_and_wait(page, locator):
    locator.click()
    page.wait_for_load_state()


def open_in_admin_menu(page, base, label):
    """Follow the admin sidebar's item ``label`` (an English msgid), in the "Academy" menu
    ("Accademia") when it is not at the top level."""
    goto_ok(page, base + "/admin/")
    sidebar = page.locator("#wagtail-sidebar")
    academy = sidebar.get_by_role("button", name=italian("Academy"), exact=True)
    academy.wait_for()  # the sidebar is drawn by a script once the page has loaded
    link = sidebar.get_by_role("link", name=italian(label), exact=True)
    if not link.is_visible():
        academy.click()
    click_and_wait(page, link)


def test_a_member_enrols_gets_the_badge_and_anyone_sees_it_valid_then_revoked(
    saml_live, browser, page, demo_site
):
    from academy.models import CourseEdition, CoursePage, Enrolment, IssuedBadge
    from demo_idp import identities
    from membership.models import User

    base = saml_live
    member = User.objects.get(fiscal_number=identities.get(MEMBER).fiscal_code)
    course = CoursePage.objects.get(code=COURSE_CODE, locale__language_code="it")
    edition = CourseEdition.objects.filter(course=course).open_on(timezone.localdate()).get()
    assert not Enrolment.objects.filter(user=member, edition__course=course).exists()
    report = {}

    # --- The member finds the course through the catalogue's facets.
    sign_in_as(page, base, member)
    goto_ok(page, base + CATALOGUE)
    filters = page.locator(f'main form[action$="{CATALOGUE}"]')
    tick(page, filters.locator('input[name="level"][value="base"]'))
    tick(page, filters.locator('input[name="area"][value="cybersicurezza"]'))
    click_and_wait(page, filters.get_by_role("button", name=italian("Apply filters")))
    assert "level=base" in page.url and "area=cybersicurezza" in page.url, page.url
    cards = page.locator("main .portal-course-card")
    titles = cards.locator("a").all_inner_texts()
    assert COURSE_TITLE in [title.strip() for title in titles], titles
    expected = (
        CoursePage.objects.child_of(course.get_parent())
        .live()
        .filter(level="base", area="cybersicurezza")
        .count()
    )
    assert cards.count() == expected, (cards.count(), expected)
    report["catalogue (filtered)"] = axe_violations(page)

    # ... opens it and enrols in the open edition (the button on the course page).
    click_and_wait(page, cards.get_by_role("link", name=COURSE_TITLE))
    assert page.url.rstrip("/").endswith(course.slug), page.url
    report["course"] = axe_violations(page)
    enrol = page.locator(f'main form[action$="{reverse("academy:enrol", args=[edition.pk])}"]')
    click_and_wait(page, enrol.locator('button[type="submit"]'))
    enrolment = Enrolment.objects.get(user=member, edition=edition)
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert page.locator(
        f'main form[action$="{reverse("academy:cancel", args=[edition.pk])}"]'
    ).count()
    report["course (enrolled)"] = axe_violations(page)

    # --- The staff import the completion: the platform's CSV, a dry run, the confirmation.
    staff = new_context(browser)
    sign_in_to_admin(staff, base)
    open_in_admin_menu(staff, base, "Import completions")
    assert staff.url.endswith(reverse("academy_admin:import")), staff.url
    today = timezone.localdate()
    csv = (
        "codice_fiscale;codice_corso;data_completamento\n"
        f"{member.fiscal_number};{COURSE_CODE};{today:%d/%m/%Y}\n"
    ).encode()
    upload = staff.locator('form[enctype="multipart/form-data"]')
    upload.locator('input[type="file"][name="file"]').set_input_files(
        files=[{"name": "completamenti.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    click_and_wait(staff, upload.locator('button[type="submit"]'))
    # The dry run changed nothing and says what the import will do.
    assert staff.locator("#import-summary").count() == 1, staff.url
    assert italian("Will be completed") in staff.locator("main").inner_text()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert not IssuedBadge.objects.filter(enrolment=enrolment).exists()
    click_and_wait(staff, staff.get_by_role("button", name=italian("Confirm the import")))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED and enrolment.completed_on == today
    assert enrolment.completion_source == Enrolment.Source.IMPORT
    badge = IssuedBadge.objects.get(enrolment=enrolment)
    assert badge.user == member and not badge.is_revoked

    # --- The member sees the badge in La mia area > Accademia...
    goto_ok(page, base + reverse("participation:dashboard"))
    record = reverse("academy_member:record")
    click_and_wait(page, page.locator(f'main a[href$="{record}"]').first)
    assert page.url.endswith(record), page.url
    assert page.locator("main h1").count() == 1  # the page, not an error
    card = page.locator(f"#badge-{badge.uuid}")
    assert card.count() == 1
    assert course.title in card.inner_text()
    assert italian("Valid") in card.inner_text()
    report["La mia area > Accademia"] = axe_violations(page)

    # ... opens its public verification page: valid (anyone may open it: a fresh browser).
    public = reverse("academy:badge", args=[badge.uuid])
    assert card.locator(f'a[href$="{public}"]').count() >= 1
    visitor = new_context(browser)
    goto_ok(visitor, base + public)
    state = visitor.locator('[data-testid="badge-state"]')
    assert state.get_attribute("data-state") == "valid"
    assert italian("Valid") in state.inner_text()
    report["verification (valid)"] = axe_violations(visitor)

    # ... and the badge class's page.
    badge_class = reverse("academy_public:badge_class", args=[COURSE_CODE])
    click_and_wait(visitor, visitor.locator(f'main a[href$="{badge_class}"]').first)
    assert visitor.url.endswith(badge_class), visitor.url
    assert course.title in visitor.locator("main").inner_text()
    report["badge class"] = axe_violations(visitor)

    # --- The staff revoke the badge in the admin ("Open Badge rilasciati" > Revoca), with a reason.
    open_in_admin_menu(staff, base, "Open Badges issued")
    assert staff.url.endswith(reverse("academy_badges:index")), staff.url
    # The row's "Revoca" is in its "more" menu: follow the link it holds.
    revoke = reverse("academy_badges:revoke", args=[badge.pk])
    link = staff.locator(f'a[href$="{revoke}"]')
    assert link.count() == 1, staff.url
    assert italian("Revoke") in link.first.text_content()
    goto_ok(staff, base + link.first.get_attribute("href").removeprefix(base))
    form = staff.locator("form[method='post']").filter(has=staff.locator('[name="reason"]'))
    form.locator('[name="reason"]').fill(REASON)
    click_and_wait(staff, form.locator('button[type="submit"]').first)
    badge.refresh_from_db()
    assert badge.is_revoked and badge.revocation_reason == REASON
    staff.context.close()

    # --- The verification page now says it is revoked, and why.
    goto_ok(visitor, base + public)
    state = visitor.locator('[data-testid="badge-state"]')
    assert state.get_attribute("data-state") == "revoked"
    assert REASON in state.inner_text()
    report["verification (revoked)"] = axe_violations(visitor)
    visitor.context.close()

    assert report == dict.fromkeys(report, []), report
