"""The Mappa's demo content: the questionnaires of ``demo/data/mappa.toml`` against the scoring
rules ``mappa/rules/mappa.toml``, and the synthetic responses (deterministic, in bulk, shaped,
idempotent)."""

import statistics

import pytest

from demo import mappa as demo_mappa
from demo.content import load
from mappa import scoring
from mappa.models import AreaScore, Campaign, MappaPage, Submission
from membership.forms import REGIONS
from surveys import definition as d
from surveys import services as survey_services
from surveys.models import Answer, Response, ResultCell
from tests.factories import EnteFactory


def _questions(key, variant="full"):
    return {
        question["code"]: question
        for section in demo_mappa.sections(key, variant)
        for question in section["questions"]
    }


def test_rules_load_and_name_the_questionnaires_questions_and_options():
    scoring.load.cache_clear()
    rules = scoring.load("mappa")
    full = _questions("mappa")
    sections = [section["title"] for section in load("mappa")["mappa"]["sections"]]
    # One area per section, in the same order.
    assert [area.label for area in rules.areas] == sections
    assert 25 <= len(full) <= 35
    for area in rules.areas:
        assert area.topics and 0 < area.weak_below < 100, area.key
        for item in area.items:
            question = full.get(item.question)
            assert question is not None, f"{area.key}: no question {item.question}"
            kind = question["kind"]
            if item.scale:
                assert kind == "scale", item.question
            elif item.thresholds:
                assert kind == "number", item.question
            elif kind == "yes_no":
                assert set(item.points) == {"yes", "no"}, item.question
            else:
                # Every option has its points, and no points name a missing option.
                assert set(item.points) == set(question["options"]), item.question


def test_the_simplified_version_is_a_subset_with_every_area():
    rules = scoring.load("mappa")
    full, simplified = _questions("mappa"), _questions("mappa", "simplified")
    assert set(simplified) < set(full) and 10 <= len(simplified) <= 14
    for code, question in simplified.items():
        assert question == full[code]
    for area in rules.areas:
        assert any(item.question in simplified for item in area.items), area.key


def test_competence_grid_uses_the_shared_topics():
    spec = load("mappa")["competence"]
    questions = _questions("competence")
    assert "simplified" not in spec and not spec["rules"]
    for code in spec["needs"] + spec["offers"]:
        assert questions[code]["kind"] == "multiple_choice"
        assert questions[code]["options"] == spec["topics"]


@pytest.fixture
def campaigns(site_tree):
    mappa_page = MappaPage(title="Mappa dei Comuni Digitali", slug="mappa")
    site_tree.home.add_child(instance=mappa_page)
    return demo_mappa.build_campaigns(mappa_page)


def _enti(count):
    """Comuni in every region, from 300 to 300,000 inhabitants, some without a population."""
    enti = []
    for n in range(count):
        population = None if n % 10 == 9 else int(300 * (1000 ** ((n * 7 % count) / count)))
        enti.append(
            EnteFactory(
                istat_code=f"99{n:04d}",
                region=REGIONS[n % len(REGIONS)],
                population=population,
            )
        )
    return enti


def _scores(campaign):
    return {
        (score.submission.ente.istat_code, score.area): score.score
        for score in AreaScore.objects.filter(campaign=campaign).select_related("submission__ente")
    }


@pytest.mark.django_db
def test_synthetic_responses_are_deterministic_shaped_and_idempotent(campaigns):
    mappa = campaigns["mappa"]
    enti = _enti(200)
    assert demo_mappa.load_synthetic(mappa, enti, seed=7) == 200
    first = _scores(mappa)
    submissions = Submission.objects.filter(campaign=mappa)
    assert submissions.count() == 200 and not submissions.filter(is_demo=False).exists()
    # Every submission scored on the six areas, whatever its variant.
    assert len(first) == 200 * 6 and all(0 <= value <= 100 for value in first.values())
    # The simplified version for the Comuni under 5,000 inhabitants (synthetic populations
    # for those the registry has none for), the full one otherwise.
    small = submissions.filter(population_class="lt5k")
    assert small.exists() and set(small.values_list("variant", flat=True)) == {"simplified"}
    assert set(submissions.exclude(population_class="lt5k").values_list("variant", flat=True)) == {
        "full"
    }
    # Realistic shapes: bigger Comuni score higher; security is weaker than the platforms.
    big = submissions.filter(population_class__in=["20k-60k", "60k-250k", "250k+"])
    assert statistics.mean(s.total_score for s in big) > statistics.mean(
        s.total_score for s in small
    )

    def area_mean(area):
        return statistics.mean(s.score for s in AreaScore.objects.filter(area=area))

    assert area_mean("sicurezza") < area_mean("piattaforme")
    # The engine's rows and result cells are those of real responses.
    full = mappa.full_survey
    response = Response.objects.filter(survey=full).first()
    version = response.version
    answers = survey_services.response_answers(response)
    assert d.visible_keys(version.definition, answers) >= set(answers)
    assert scoring.score(scoring.load("mappa"), version.definition, answers) == {
        score.area: score.score for score in response.mappa_submission.scores.all()
    }
    for page in (full, mappa.simplified_survey):
        respondents = ResultCell.objects.filter(survey=page, question="", row="", option="")
        assert sum(c.count for c in respondents) == Response.objects.filter(survey=page).count()

    # A second load changes nothing.
    rows = Answer.objects.count()
    assert demo_mappa.load_synthetic(mappa, enti, seed=7) == 0
    assert Answer.objects.count() == rows

    # The same seed gives the same answers and scores, whatever else is loaded.
    Response.objects.filter(survey__in=[full, mappa.simplified_survey]).delete()
    assert not Submission.objects.filter(campaign=mappa).exists()
    assert demo_mappa.load_synthetic(mappa, list(reversed(enti))[:120], seed=7) == 120
    again = _scores(mappa)
    assert again == {key: value for key, value in first.items() if key in again}
    Response.objects.filter(survey__in=[full, mappa.simplified_survey]).delete()
    demo_mappa.load_synthetic(mappa, enti, seed=8)
    assert _scores(mappa) != first


@pytest.mark.django_db
def test_synthetic_competence_grid(campaigns):
    competence = campaigns["competence"]
    assert competence.kind == Campaign.Kind.COMPETENCE and competence.simplified_survey is None
    enti = _enti(40)
    assert demo_mappa.load_synthetic(competence, enti, seed=3) == 40
    spec = load("mappa")["competence"]
    definition = survey_services.version_for_answering(competence.full_survey).definition
    codes = {q["key"]: q["code"] for q in d.questions(definition)}
    needs = Answer.objects.filter(survey=competence.full_survey).values_list("question", "option")
    needed = {option for key, option in needs if codes[key] in spec["needs"]}
    offered = {option for key, option in needs if codes[key] in spec["offers"]}
    # Needs and offers over the same topics, so that the territory can be matched.
    assert needed and offered and needed & offered
    assert not AreaScore.objects.filter(campaign=competence).exists()
