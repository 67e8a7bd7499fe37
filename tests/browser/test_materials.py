"""A working group's material from the first draft to a public output, in a real browser on the
demo content (issue 16): a member of the group signs in through the real SAML flow, uploads a
draft and a second version in the group's workspace; the community's coordinator opens a
validation round on version 2 from the version page; a simple participant finds it in La mia
area > Validazioni and approves it with comments; the coordinator closes the round (approved)
and publishes it in Risorse; an anonymous visitor finds the output in Risorse and in the
search, downloads its public file, and reaches none of the working group's pages or files (a
redirect to the sign-in or a 404, with nothing of them in the response).
axe-core: no serious or critical violation on every page of the path.

The forms are found by their action and their fields by name (COMMON.md's fixed names), not by
their labels, so the test survives the Italian translation of the buttons.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.materials.conftest import pdf_bytes

from .conftest import axe_violations, sign_in_as, sign_in_with_spid, tick

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Procedura di ripristino dai backup dopo un attacco"
SUMMARY = "Come ripartire dai backup in sicurezza dopo un ransomware, passo per passo."
ANSWER = "Chiara e applicabile; aggiungerei chi firma il verbale di ripristino."


def new_context(browser):
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab


def form_at(page, action):
    """The form posting to ``action`` (a path), following the link to it when the form lives on
    a page of its own."""
    form = page.locator(f'form[action$="{action}"]')
    if form.count() == 0:
        page.locator(f'a[href$="{action}"]').first.click()
        page.wait_for_load_state()
        form = page.locator(f'form[action$="{action}"]')
        if form.count() == 0:  # a form posting to its own page (action="")
            form = page.locator("main form[method=post], main form[method=POST]")
    assert form.count() >= 1, f"no form for {action} on {page.url}"
    return form.first


def submit(page, form):
    form.locator('button[type="submit"], input[type="submit"]').first.click()
    page.wait_for_load_state()


def choose(page, form, name, value):
    tick(page, form.locator(f'input[name="{name}"][value="{value}"]'))


def goto_ok(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    return response


def test_a_working_group_draft_becomes_a_public_output(
    saml_live, browser, page, demo_site, tmp_path
):
    from cms.models import ResourcesPage
    from communities.models import WorkingGroupPage
    from demo_idp import identities
    from materials.models import MaterialPage, RoundAnswer, ValidationRound, WorkingDocument
    from membership.models import User

    def user(key):
        return User.objects.get(fiscal_number=identities.get(key).fiscal_code)

    base = saml_live
    group = WorkingGroupPage.objects.get(
        slug="piano-di-risposta-agli-incidenti", locale__language_code="it"
    )
    workspace = f"/materiali/gruppi/{group.pk}/"
    report = {}

    # --- A member of the working group signs in and opens the group's workspace.
    sign_in_with_spid(page, base, "membro-gdl", next_path=workspace)
    goto_ok(page, base + workspace)
    report["workspace"] = axe_violations(page)

    # ... uploads a draft (a PDF file)...
    first = tmp_path / "ripristino-backup-bozza.pdf"
    first.write_bytes(pdf_bytes("Bozza del ripristino"))
    form = form_at(page, f"{workspace}nuovo/")
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('[name="summary"]').fill(SUMMARY)
    choose(page, form, "kind", "file")
    form.locator('input[name="file"]').set_input_files(str(first))
    form.locator('[name="note"]').fill("Prima stesura")
    submit(page, form)
    document = WorkingDocument.objects.get(title=TITLE)
    assert document.working_group_id == group.pk and document.versions.count() == 1
    document_url = f"/materiali/documenti/{document.pk}/"
    goto_ok(page, base + document_url)
    assert TITLE in page.locator("main").inner_text()
    report["document"] = axe_violations(page)

    # ... then a second version.
    second = tmp_path / "ripristino-backup-v2.pdf"
    second.write_bytes(pdf_bytes("Seconda versione del ripristino"))
    form = form_at(page, f"{document_url}nuova-versione/")
    form.locator('input[name="file"]').set_input_files(str(second))
    form.locator('[name="note"]').fill("Aggiunta la verifica dei backup prima del ripristino")
    submit(page, form)
    v1, v2 = document.versions.order_by("number")
    assert (v1.number, v2.number) == (1, 2) and v2.file_name == second.name
    goto_ok(page, base + f"/materiali/versioni/{v2.pk}/")
    report["version (member)"] = axe_violations(page)

    # --- The community's coordinator opens a round on version 2 from the version page.
    coordinator = new_context(browser)
    sign_in_as(coordinator, base, user("coordinatore"))
    goto_ok(coordinator, base + f"/materiali/versioni/{v2.pk}/")
    form = form_at(coordinator, f"/materiali/versioni/{v2.pk}/validazione/")
    deadline = timezone.localtime() + timedelta(days=7)
    form.locator('input[name="deadline"]').fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    # One answer makes the quorum (5% of the demo community's participants).
    form.locator('input[name="quorum_percent"]').fill("5")
    choose(coordinator, form, "majority", "simple")
    form.locator('[name="instructions"]').fill("Verificate i passaggi del ripristino.")
    submit(coordinator, form)
    round_ = ValidationRound.objects.get(document=document)
    assert round_.version == v2 and round_.is_open and round_.quorum_needed() == 1
    round_url = f"/materiali/validazioni/{round_.pk}/"

    # --- A simple participant finds it in La mia area > Validazioni and approves it with
    # comments.
    participant = new_context(browser)
    sign_in_as(participant, base, user("partecipante"))
    goto_ok(participant, base + "/la-mia-area/validazioni/")
    report["la mia area > validazioni"] = axe_violations(participant)
    # (the link may point at the answer form's anchor)
    participant.locator(f'main a[href*="{round_url}"]').first.click()
    participant.wait_for_load_state()
    assert round_url in participant.url
    report["round (participant)"] = axe_violations(participant)
    form = participant.locator('form:has(input[name="verdict"])').first
    choose(participant, form, "verdict", "approve_with_comments")
    form.locator('[name="comment"]').fill(ANSWER)
    submit(participant, form)
    answer = RoundAnswer.objects.get(round=round_, user=user("partecipante"))
    assert (answer.verdict, answer.comment) == ("approve_with_comments", ANSWER)
    # The demo's round in progress (a draft written in the portal) waits for their answer too.
    demo_round = ValidationRound.objects.get(
        document__title="Checklist di autovalutazione della sicurezza"
    )
    goto_ok(participant, base + f"/materiali/validazioni/{demo_round.pk}/")
    assert participant.locator('form:has(input[name="verdict"])').count() == 1
    report["demo round, a text draft (participant)"] = axe_violations(participant)
    # The version under validation is readable by the participant; the workspace and the other
    # versions are not.
    goto_ok(participant, base + f"/materiali/versioni/{v2.pk}/")
    for url in (workspace, f"/materiali/versioni/{v1.pk}/file/"):
        response = participant.request.get(base + url, max_redirects=0)
        assert response.status in (403, 404), (url, response.status)

    # --- The coordinator closes the round now: approved; then publishes it in Risorse.
    goto_ok(coordinator, base + round_url)
    report["round (coordinator)"] = axe_violations(coordinator)
    submit(coordinator, coordinator.locator(f'form[action$="{round_url}chiudi/"]').first)
    round_.refresh_from_db()
    assert round_.status == ValidationRound.Status.APPROVED, round_.outcome
    assert round_.outcome["early"] and round_.outcome["approve_with_comments"] == 1
    goto_ok(coordinator, base + round_url)
    submit(coordinator, coordinator.locator(f'form[action$="{round_url}pubblica/"]').first)
    round_.refresh_from_db()
    assert round_.published_at is not None
    output = MaterialPage.objects.get(pk=round_.page_id)
    assert output.live and output.version_label == "v2" and output.document is not None
    coordinator.context.close()
    participant.context.close()

    # --- An anonymous visitor finds the output in Risorse and in the search...
    visitor = new_context(browser)
    resources = ResourcesPage.objects.get(locale__language_code="it")
    goto_ok(visitor, base + resources.url + "?type=materials")
    link = visitor.locator(f'main a[href$="{output.url}"]')
    assert link.count() >= 1, "the output is not listed in Risorse"
    report["risorse (materials)"] = axe_violations(visitor)
    # The demo's published output is there too, and reads as well as the new one.
    demo_output = MaterialPage.objects.live().get(
        title="Linee guida per la gestione degli incidenti informatici nei Comuni"
    )
    assert visitor.locator(f'main a[href$="{demo_output.url}"]').count() >= 1
    goto_ok(visitor, base + demo_output.url)
    report["demo output page"] = axe_violations(visitor)
    goto_ok(visitor, base + "/cerca/?q=ripristino backup")
    assert visitor.locator(f'main a[href$="{output.url}"]').count() >= 1, "not found in search"
    # ... reads it and downloads its public file...
    goto_ok(visitor, base + output.url)
    main = visitor.locator("main").inner_text()
    assert TITLE in main and "v2" in main
    report["output page"] = axe_violations(visitor)
    download = visitor.locator(f'main a[href*="{output.document.url}"]')
    assert download.count() >= 1, "no link to the public file"
    response = visitor.request.get(base + output.document.url)
    assert response.status == 200 and response.body()[:4] == b"%PDF"

    # ... and reaches none of the working group's files and pages: each sends to the sign-in or
    # is not found, and nothing of it shows.
    for url in (
        f"/materiali/versioni/{v1.pk}/file/",
        f"/materiali/versioni/{v2.pk}/file/",
        workspace,
        document_url,
        f"/materiali/versioni/{v1.pk}/",
        f"/materiali/versioni/{v2.pk}/",
        round_url,
    ):
        response = visitor.request.get(base + url, max_redirects=0)
        assert response.status in (302, 404), (url, response.status)
        if response.status == 302:
            assert "/accedi/" in response.headers["location"], (url, response.headers)
        body = response.body()
        assert not body.startswith(b"%PDF"), url
        for secret in (TITLE, "Prima stesura", ANSWER):
            assert secret.encode() not in body, (url, secret)
    visitor.context.close()

    assert not any(report.values()), f"axe-core serious/critical violations: {report}"
