"""The Mappa's core: accreditation, the variant from the population, the shared draft and its
history, one submission per Ente, scores by rules written as data."""

import datetime

import pytest
from django.utils import timezone

from cms import errors
from mappa import scoring, services
from mappa.models import Accreditation, AreaScore, DraftChange, Submission
from surveys import services as survey_services
from surveys.definition import questions
from tests.communities.conftest import fresh

pytestmark = pytest.mark.django_db


def _accredit(m, user, approver=None):
    request = services.request_accreditation(
        user,
        m.campaign,
        authorised_by="mayor",
        authorisation_date=timezone.localdate(),
        declaration=True,
    )
    return services.decide_accreditation(approver or fresh(m.staff), request, approve=True)


def _field(page, code):
    version = survey_services.version_for_answering(page)
    key = next(qq["key"] for qq in questions(version.definition) if qq["code"] == code)
    return f"q_{key}"


def test_accreditation_and_referent(mappa):
    m = mappa
    first = _accredit(mappa, fresh(m.compiler))
    assert first.is_referent
    request = services.request_accreditation(
        fresh(m.colleague),
        m.campaign,
        authorised_by="rtd",
        authorisation_date=timezone.localdate(),
        declaration=True,
    )
    # The Ente's referent approves a colleague; the colleague is not a referent.
    second = services.decide_accreditation(fresh(m.compiler), request, approve=True)
    assert second.status == Accreditation.Status.APPROVED and not second.is_referent
    # A compiler of another Ente may not decide for this one.
    other = services.request_accreditation(
        fresh(m.large_compiler),
        m.campaign,
        authorised_by="mayor",
        authorisation_date=timezone.localdate(),
        declaration=True,
    )
    with pytest.raises(errors.Refused):
        services.decide_accreditation(fresh(m.compiler), other, approve=True)
    with pytest.raises(errors.Conflict):
        services.request_accreditation(
            fresh(m.compiler),
            m.campaign,
            authorised_by="mayor",
            authorisation_date=timezone.localdate(),
            declaration=True,
        )


def test_declaration_required(mappa):
    m = mappa
    with pytest.raises(errors.Invalid) as info:
        services.request_accreditation(
            fresh(m.compiler),
            m.campaign,
            authorised_by="nobody",
            authorisation_date=timezone.localdate() + datetime.timedelta(days=2),
            declaration=False,
        )
    assert set(info.value.message_dict) == {"authorised_by", "authorisation_date", "declaration"}


def test_simplified_variant_shared_draft_submit_and_scores(mappa):
    m = mappa
    _accredit(mappa, fresh(m.compiler))
    services.decide_accreditation(
        fresh(m.compiler),
        services.request_accreditation(
            fresh(m.colleague),
            m.campaign,
            authorised_by="rtd",
            authorisation_date=timezone.localdate(),
            declaration=True,
        ),
        approve=True,
    )
    variant, changed = services.variant_for_compiling(m.campaign, m.small)
    assert variant == "simplified" and not changed
    page = m.simplified
    draft = services.save_draft(fresh(m.compiler), m.campaign, {_field(page, "pagopa"): ["yes"]})
    # A colleague goes on with the same draft; the history says who changed what.
    draft = services.save_draft(
        fresh(m.colleague),
        m.campaign,
        {_field(page, "pagopa"): ["yes"], _field(page, "spid"): ["no"]},
    )
    changes = list(DraftChange.objects.filter(draft=draft).order_by("at", "pk"))
    assert [c.user for c in changes] == [fresh(m.compiler), fresh(m.colleague)]
    assert list(changes[1].changes) == [_field(page, "spid")]
    # A population change after the draft started keeps the draft's variant.
    m.small.population = 9000
    m.small.save()
    assert services.variant_for_compiling(m.campaign, m.small) == ("simplified", True)
    # An incomplete send keeps everything in the shared draft.
    with pytest.raises(errors.Invalid):
        services.submit(fresh(m.colleague), m.campaign, {_field(page, "pagopa"): ["no"]})
    draft.refresh_from_db()
    assert draft.data[_field(page, "pagopa")] == ["no"]
    submission = services.submit(
        fresh(m.colleague),
        m.campaign,
        {
            _field(page, "pagopa"): ["yes"],
            _field(page, "spid"): ["no"],
            _field(page, "servizi_online"): ["Più di 5"],
        },
    )
    assert submission.variant == "simplified" and submission.region == "Umbria"
    scores = dict(AreaScore.objects.filter(submission=submission).values_list("area", "score"))
    # The simplified version has no "Sicurezza" questions: only the area asked is scored.
    assert scores == {"servizi": pytest.approx(66.7)}
    # One response per Ente: the other compiler gets a conflict naming who sent it.
    with pytest.raises(errors.Conflict) as info:
        services.save_draft(fresh(m.compiler), m.campaign, {})
    assert info.value.code == "submitted"
    assert Submission.objects.count() == 1


def test_only_compilers_answer(mappa):
    m = mappa
    with pytest.raises(errors.Refused):
        services.save_draft(fresh(m.compiler), m.campaign, {})
    # The engine's own page refuses them too (the audience hook).
    with pytest.raises(errors.Refused):
        survey_services.save_draft(fresh(m.compiler), m.full, {})
    _accredit(mappa, fresh(m.large_compiler))
    # Even a compiler answers only through the Mappa (shared draft, submission, scores), never
    # through the engine's own pages or API.
    with pytest.raises(errors.Refused):
        survey_services.save_draft(fresh(m.large_compiler), m.full, {})
    with services.compiling():
        # A compiler of a large Comune answers the full version, not the simplified one.
        with pytest.raises(errors.Refused):
            survey_services.save_draft(fresh(m.large_compiler), m.simplified, {})
        survey_services.save_draft(fresh(m.large_compiler), m.full, {})


def test_engine_page_redirects_to_the_campaign(mappa, client):
    m = mappa
    _accredit(mappa, fresh(m.compiler))
    client.force_login(m.compiler)
    response = client.get(m.simplified.url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/mappa/campagne/{m.campaign.slug}/")


def test_after_deadline_and_extension(mappa):
    m = mappa
    _accredit(mappa, fresh(m.compiler))
    for page in (m.full, m.simplified):
        page.closes_at = timezone.now() - datetime.timedelta(hours=1)
        page.save()
    m.campaign.refresh_from_db()
    with pytest.raises(errors.Conflict) as info:
        services.save_draft(fresh(m.compiler), m.campaign, {})
    assert info.value.code == "closed"
    with pytest.raises(errors.Refused):
        services.extend_deadline(fresh(m.compiler), m.campaign, timezone.now())
    services.extend_deadline(
        fresh(m.staff), m.campaign, timezone.now() + datetime.timedelta(days=30), "Proroga"
    )
    m.campaign.refresh_from_db()
    assert m.campaign.is_open
    services.save_draft(fresh(m.compiler), m.campaign, {})


def test_rules_parse_errors():
    with pytest.raises(scoring.RulesError):
        scoring.parse('[[areas]]\nkey = "a"\n', "bad")
    with pytest.raises(scoring.RulesError):
        scoring.parse('[[areas]]\nkey = "a"\nlabel = "A"\n[[areas.items]]\nquestion = "x"\n')


def test_personal_data(mappa):
    from membership.erasure import erasers
    from membership.export import exporters

    m = mappa
    _accredit(m, fresh(m.compiler))
    page = m.simplified
    data = {
        _field(page, "pagopa"): ["yes"],
        _field(page, "spid"): ["yes"],
        _field(page, "servizi_online"): ["Nessuno"],
    }
    services.save_draft(fresh(m.compiler), m.campaign, data)
    submission = services.submit(fresh(m.compiler), m.campaign, data)
    exported = {
        name: fn(m.compiler) for name, fn in exporters().items() if name.startswith("mappa")
    }
    assert exported["mappa_accreditations"][0]["declaration"] is True
    assert exported["mappa_submissions"][0]["authority"] == str(m.small)
    assert exported["mappa_draft_changes"]["changes"]
    erasers()["mappa"](m.compiler)
    submission.refresh_from_db()
    assert submission.submitted_by is None  # the authority's response stays, without its sender
    assert not Accreditation.objects.filter(user=m.compiler).exists()
    assert not DraftChange.objects.filter(user=m.compiler).exists()


def test_home_page_links_the_portals_mappa(mappa, client):
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="{mappa.page.url}"' in response.content.decode()
