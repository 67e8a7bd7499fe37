from types import SimpleNamespace

import pytest
from wagtail_factories import PageFactory

from mappa.models import Campaign, MappaPage
from surveys.models import SurveyPage
from tests.factories import EnteFactory, StaffFactory, UserFactory
from tests.surveys.factories import SurveyPageFactory, q, section


class MappaPageFactory(PageFactory):
    class Meta:
        model = MappaPage

    title = "Mappa dei Comuni Digitali"
    slug = "mappa"


def mappa_questions(simplified=False):
    servizi = section(
        "Servizi online",
        q("yes_no", "Il Comune accetta pagamenti con pagoPA?", code="pagopa"),
        q("yes_no", "I servizi online usano SPID e CIE?", code="spid"),
        q(
            "single_choice",
            "Quanti servizi sono online?",
            code="servizi_online",
            options=["Nessuno", "Da 1 a 5", "Più di 5"],
            allow_other=False,
        ),
    )
    sicurezza = section(
        "Sicurezza",
        q("yes_no", "Esiste un piano di continuità operativa?", code="continuita"),
        q(
            "scale",
            "Quanto è diffusa la formazione sulla sicurezza?",
            code="formazione_sicurezza",
            scale_min=1,
            scale_max=5,
            min_label="Per nulla",
            max_label="Molto",
        ),
    )
    return [servizi] if simplified else [servizi, sicurezza]


RULES = """
title = "Test"
[[areas]]
key = "servizi"
label = "Servizi online"
topics = ["pagoPA", "SPID"]
[[areas.items]]
question = "pagopa"
points = { yes = 10, no = 0 }
[[areas.items]]
question = "spid"
points = { yes = 10, no = 0 }
[[areas.items]]
question = "servizi_online"
points = { "Nessuno" = 0, "Da 1 a 5" = 5, "Più di 5" = 10 }

[[areas]]
key = "sicurezza"
label = "Sicurezza"
[[areas.items]]
question = "continuita"
points = { yes = 10, no = 0 }
weight = 2
[[areas.items]]
question = "formazione_sicurezza"
scale = true
"""


@pytest.fixture
def mappa(site_tree, tmp_path, monkeypatch):
    from mappa import scoring

    (tmp_path / "test.toml").write_text(RULES, encoding="utf-8")
    monkeypatch.setattr(scoring, "RULES_DIR", tmp_path)
    scoring.load.cache_clear()
    page = MappaPageFactory(parent=site_tree.home)
    full = SurveyPageFactory(
        parent=page,
        title="Mappa 2026",
        questions=mappa_questions(),
        respondent=SurveyPage.Respondent.ENTE,
    )
    simplified = SurveyPageFactory(
        parent=page,
        title="Mappa 2026 (versione semplificata)",
        questions=mappa_questions(simplified=True),
        respondent=SurveyPage.Respondent.ENTE,
    )
    campaign = Campaign.objects.create(
        title="Mappa dei Comuni Digitali 2026",
        slug="mappa-2026",
        kind=Campaign.Kind.MAPPA,
        full_survey=full,
        simplified_survey=simplified,
        rules="test",
    )
    small = EnteFactory(name="Comune di Piccolo", population=1200, region="Umbria")
    large = EnteFactory(name="Comune di Grande", population=80000, region="Lazio")
    yield SimpleNamespace(
        tree=site_tree,
        page=page,
        campaign=campaign,
        full=full,
        simplified=simplified,
        small=small,
        large=large,
        compiler=UserFactory(ente=small),
        colleague=UserFactory(ente=small),
        large_compiler=UserFactory(ente=large),
        staff=StaffFactory(),
    )
    scoring.load.cache_clear()
