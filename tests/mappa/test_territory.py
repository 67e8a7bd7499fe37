"""The competence-centre survey's territorial view: the matching rules as data, who needs and who
offers what in a province and in a union of Comuni, the matching list nearest first, who sees a
territory (every role; 404 for everyone else and for forged codes and ids), the CSV (formula-
safe) and the number of queries.

The campaign is built here: a small competence questionnaire whose multiple-choice questions
carry the codes of ``mappa/rules/competence.toml`` over its topics, answered through the Mappa's
services by six Comuni in two provinces, three of them in a union."""

import csv
import html
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from mappa import services, territory
from mappa.models import Campaign
from membership.models import Ente
from surveys import services as survey_services
from surveys.definition import questions
from surveys.models import SurveyPage
from tests.communities.conftest import fresh
from tests.factories import EnteFactory, StaffFactory, UserFactory
from tests.surveys.factories import SurveyPageFactory, q, section

from .conftest import MappaPageFactory

pytestmark = pytest.mark.django_db

RULES = territory.load()
T = RULES.topics  # the shared topics, in the rules' order
EXTRA = "Intelligenza artificiale"  # an option the rules do not list


def t(message):
    with translation.override("it"):
        return gettext(message)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def topic_question(code, label, extra=False, other=False):
    return q(
        "multiple_choice",
        label,
        code=code,
        options=[*T[:5], *([EXTRA] if extra else [])],
        allow_other=other,
        required=False,
    )


def competence_questions():
    return [
        section(
            "Fabbisogni",
            topic_question("fabbisogni_formazione", "Formazione?", extra=True),
            topic_question("fabbisogni_supporto", "Supporto?", other=True),
        ),
        section("Criticità", topic_question("criticita_interne", "Processi interni?")),
        section("Competenze", topic_question("competenze_esperienze", "Esperienze?", extra=True)),
        section(
            "Risorse IT",
            q(
                "number",
                "Personale ICT interno?",
                code="personale_interno",
                unit="persone",
                min_value="0",
                max_value="200",
                decimals=0,
                required=False,
            ),
            topic_question("riuso", "Riuso?"),
            q("long_text", "Altre risorse", code="altre_risorse", required=False, max_length=500),
        ),
    ]


def field(page, code):
    version = survey_services.version_for_answering(page)
    return "q_" + next(x["key"] for x in questions(version.definition) if x["code"] == code)


def send(w, user, **answers):
    """Accredit ``user`` for their Comune and send its answers (``code=[values]``)."""
    request = services.request_accreditation(
        fresh(user),
        w.campaign,
        authorised_by="mayor",
        authorisation_date=timezone.localdate(),
        declaration=True,
    )
    services.decide_accreditation(fresh(w.staff), request, approve=True)
    data = {}
    for code, values in answers.items():
        if code.endswith("__other"):
            data[field(w.survey, code.removesuffix("__other")) + "__other"] = values
        else:
            data[field(w.survey, code)] = values
    return services.submit(fresh(user), w.campaign, data)


def comune(name, province_code, province, region="Lazio", **kwargs):
    return EnteFactory(
        name=name, province_code=province_code, province=province, region=region, **kwargs
    )


@pytest.fixture
def w(site_tree):
    page = MappaPageFactory(parent=site_tree.home)
    survey = SurveyPageFactory(
        parent=page,
        title="Centro di competenze 2026",
        questions=competence_questions(),
        respondent=SurveyPage.Respondent.ENTE,
    )
    campaign = Campaign.objects.create(
        title="Centro di competenze territoriale 2026",
        slug="centro-competenze-2026",
        kind=Campaign.Kind.COMPETENCE,
        full_survey=survey,
    )
    enti = SimpleNamespace(
        anguillara=comune("Comune di Anguillara", "RM", "Roma", population=19000),
        bracciano=comune("Comune di Bracciano", "RM", "Roma", population=19500),
        cerveteri=comune("Comune di Cerveteri", "RM", "Roma", population=37000),
        fiumicino=comune("Comune di Fiumicino", "RM", "Roma", population=80000),
        bagnoregio=comune("Comune di Bagnoregio", "VT", "Viterbo", population=3400),
        capranica=comune("Comune di Capranica", "VT", "Viterbo", population=6500),
        sutri=comune("Comune di Sutri", "VT", "Viterbo", population=6800),
        napoli=comune("Comune di Napoli", "NA", "Napoli", region="Campania"),
        union=comune(
            "Unione dei Comuni della Tuscia Romana", "VT", "Viterbo", kind=Ente.Kind.UNIONE
        ),
    )
    for member in (enti.cerveteri, enti.capranica, enti.sutri):
        member.unions.add(enti.union)
    users = {
        name: UserFactory(ente=getattr(enti, name))
        for name in (
            "anguillara",
            "bracciano",
            "cerveteri",
            "fiumicino",
            "bagnoregio",
            "capranica",
            "sutri",
            "napoli",
            "union",
        )
    }
    world = SimpleNamespace(
        page=page, survey=survey, campaign=campaign, enti=enti, users=users, staff=StaffFactory()
    )
    send(
        world,
        users["anguillara"],
        fabbisogni_formazione=[T[3], T[2]],
        criticita_interne=[T[3]],
        competenze_esperienze=[T[0]],
        personale_interno=["2"],
    )
    send(world, users["bracciano"], fabbisogni_supporto=[T[0]], competenze_esperienze=[T[3]],
         riuso=[T[3], T[2]])  # fmt: skip
    send(
        world,
        users["cerveteri"],
        competenze_esperienze=[T[2]],
        riuso=[T[4]],
        fabbisogni_supporto=["__other__"],
        fabbisogni_supporto__other=["=SUM(1+1)"],
        altre_risorse=['=HYPERLINK("http://example.invalid","x")'],
    )
    send(world, users["bagnoregio"], competenze_esperienze=[T[3]])
    send(world, users["capranica"], fabbisogni_formazione=[T[4], EXTRA])
    send(world, users["sutri"], riuso=[T[4]], competenze_esperienze=[EXTRA])
    return world


def page_url(w, kind, code, csv_=False):
    name = f"mappa:territory_{kind}{'_csv' if csv_ else ''}"
    return reverse(name, args=[w.campaign.slug, code])


def rm(w, csv_=False):
    return page_url(w, "province", "RM", csv_)


def vt(w, csv_=False):
    return page_url(w, "province", "VT", csv_)


def union_url(w, csv_=False):
    return page_url(w, "union", w.enti.union.pk, csv_)


# --- the rules --------------------------------------------------------------------------------


def test_rules_name_needs_offers_and_details_over_the_shared_topics():
    assert [x.code for x in RULES.needs] == [
        "fabbisogni_formazione",
        "fabbisogni_supporto",
        "criticita_interne",
        "criticita_esterne",
    ]
    assert [x.code for x in RULES.offers] == [
        "competenze_esperienze",
        "competenze_progetti",
        "buone_pratiche",
        "riuso",
        "specializzazioni",
    ]
    assert "personale_interno" in {x.code for x in RULES.details}
    assert len(T) == 15 and "Sicurezza informatica" in T


@pytest.mark.parametrize(
    "text",
    [
        'topics = ["a"]\n[[offers]]\nquestion = "x"\nlabel = "x"\n',  # no needs
        'topics = ["a", "a"]\n[[needs]]\nquestion = "x"\nlabel = "x"\n'
        '[[offers]]\nquestion = "y"\nlabel = "y"\n',  # a topic twice
        '[[needs]]\nquestion = "x"\nlabel = "x"\n[[offers]]\nquestion = "x"\nlabel = "y"\n',
        '[[needs]]\nlabel = "x"\n[[offers]]\nquestion = "y"\nlabel = "y"\n',  # no code
    ],
)
def test_bad_rules_are_refused(text):
    with pytest.raises(territory.RulesError):
        territory.parse(text, "bad")


# --- who needs what, who offers what, the matching --------------------------------------------


def test_province_needs_offers_and_matches(w):
    view = territory.build(w.campaign, territory.province("rm"))
    assert [e.name for e in view.entries] == [
        "Comune di Anguillara",
        "Comune di Bracciano",
        "Comune di Cerveteri",
    ]
    anguillara = view.entry(w.enti.anguillara.pk)
    assert anguillara.needs == {
        T[3]: ["formazione e confronto", "criticità nei processi interni"],
        T[2]: ["formazione e confronto"],
    }
    assert anguillara.offers == {T[0]: ["esperienze"]}
    assert anguillara.details["personale_interno"] == "2"
    # "Other" texts are never shown nor matched: Cerveteri named no listed need.
    assert view.entry(w.enti.cerveteri.pk).needs == {}
    by_topic = {row.topic: row for row in view.topics}
    assert list(by_topic) == [T[0], T[2], T[3], T[4]]  # the rules' order
    assert [e.name for e, _labels in by_topic[T[3]].needed_by] == ["Comune di Anguillara"]
    assert [(e.name, labels) for e, labels in by_topic[T[3]].offered_by] == [
        ("Comune di Bracciano", ["esperienze", "soluzioni in riuso"])
    ]
    matches = territory.matches(view, w.enti.anguillara.pk)
    assert [(m.topic, [e.name for e, _labels in m.offered_by]) for m in matches] == [
        (T[2], ["Comune di Bracciano", "Comune di Cerveteri"]),
        (T[3], ["Comune di Bracciano"]),
    ]
    assert territory.matches(view, w.enti.cerveteri.pk) == []
    assert territory.matches(view, w.enti.fiumicino.pk) is None  # has not answered


def test_union_matches_the_same_province_first_and_unlisted_topics_last(w):
    view = territory.build(w.campaign, territory.union(w.enti.union.pk))
    assert {e.name for e in view.entries} == {
        "Comune di Capranica",
        "Comune di Cerveteri",
        "Comune di Sutri",
    }
    matches = territory.matches(view, w.enti.capranica.pk)
    # Capranica (VT) needs App IO: Sutri (VT) comes before Cerveteri (RM), whatever the name.
    assert [(m.topic, [e.name for e, _labels in m.offered_by]) for m in matches] == [
        (T[4], ["Comune di Sutri", "Comune di Cerveteri"]),
        (EXTRA, ["Comune di Sutri"]),
    ]


# --- the pages: who sees what -----------------------------------------------------------------


def test_member_reads_their_province_with_their_matches(client, w):
    client.force_login(w.users["anguillara"])
    response = client.get(rm(w))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = text_of(response)
    assert t("Comuni that can help %(ente)s") % {"ente": "Comune di Anguillara (RM)"} in text
    assert t("Comuni that can help you on: %(topic)s") % {"topic": T[2]} in text
    assert "Comune di Bracciano (RM): esperienze, soluzioni in riuso" in text
    assert '<th scope="row">' in text and "<caption>" in text
    assert "=SUM" not in text  # an "Other" text is never shown
    assert "Comune di Bagnoregio" not in text  # another province


def test_member_whose_authority_has_not_answered_is_told_so(client, w):
    client.force_login(w.users["fiumicino"])
    response = client.get(rm(w))
    assert response.status_code == 200
    assert 'id="territory-not-answered"' in response.content.decode()
    assert "Comune di Anguillara" in text_of(response)


def test_member_of_the_union_sees_the_union_and_their_province_only(client, w):
    client.force_login(w.users["capranica"])
    assert client.get(union_url(w)).status_code == 200
    assert client.get(vt(w)).status_code == 200
    assert client.get(rm(w)).status_code == 404
    listing = client.get(reverse("mappa:territories", args=[w.campaign.slug]))
    assert listing.status_code == 200
    text = text_of(listing)
    assert (
        t("Province of %(name)s (%(code)s)") % {"name": "Viterbo", "code": "VT"} in text
        and "Unione dei Comuni della Tuscia Romana" in text
    )
    assert t("Province of %(name)s (%(code)s)") % {"name": "Roma", "code": "RM"} not in text
    # The union's own members see it too.
    client.force_login(w.users["union"])
    assert client.get(union_url(w)).status_code == 200


@pytest.mark.parametrize(
    "who, rm_status, vt_status, union_status",
    [
        ("napoli", 404, 404, 404),  # a member of another province
        ("bracciano", 200, 404, 404),  # in Rome's province, not in the union
        ("cerveteri", 200, 404, 200),  # in Rome's province and in the union
        ("staff", 200, 200, 200),
    ],
)
def test_visibility_by_role(client, w, who, rm_status, vt_status, union_status):
    user = w.staff if who == "staff" else w.users[who]
    client.force_login(user)
    assert client.get(rm(w)).status_code == rm_status
    assert client.get(vt(w)).status_code == vt_status
    assert client.get(union_url(w)).status_code == union_status
    assert client.get(rm(w, csv_=True)).status_code == rm_status
    assert client.get(union_url(w, csv_=True)).status_code == union_status


def test_anonymous_signs_in_and_unregistered_members_see_nothing(client, w):
    for url in (rm(w), union_url(w), rm(w, csv_=True)):
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response["Location"]
    # A member who has not completed the registration is sent to complete it first.
    unregistered = UserFactory(onboarded=False, ente=w.enti.anguillara)
    client.force_login(unregistered)
    for url in (rm(w), reverse("mappa:territories", args=[w.campaign.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("membership:onboarding"))


def test_forged_codes_ids_and_campaigns_are_not_found(client, w):
    mappa = Campaign.objects.create(
        title="Mappa 2026",
        slug="mappa-2026",
        kind=Campaign.Kind.MAPPA,
        full_survey=SurveyPageFactory(parent=w.page, respondent=SurveyPage.Respondent.ENTE),
    )
    client.force_login(w.staff)
    assert client.get(page_url(w, "province", "ZZ")).status_code == 404
    assert client.get(page_url(w, "province", "R'M")).status_code == 404
    assert client.get(page_url(w, "union", w.enti.capranica.pk)).status_code == 404  # a Comune
    assert client.get(page_url(w, "union", 987654)).status_code == 404
    assert client.get(page_url(w, "union", 987654, csv_=True)).status_code == 404
    # A Mappa campaign has no territories; an unknown campaign is unknown.
    for slug in (mappa.slug, "non-esiste"):
        assert client.get(reverse("mappa:territories", args=[slug])).status_code == 404
        url = reverse("mappa:territory_province", args=[slug, "RM"])
        assert client.get(url).status_code == 404
    # A rejected union is no territory.
    Ente.objects.filter(pk=w.enti.union.pk).update(status=Ente.Status.REJECTED)
    assert client.get(union_url(w)).status_code == 404
    # A forged ?ente= (not of the territory) shows no one's matches.
    response = client.get(rm(w), {"ente": w.enti.sutri.pk})
    assert response.status_code == 200
    assert t("Comuni that can help %(ente)s") % {"ente": "Comune di Sutri"} not in text_of(response)
    assert client.get(rm(w), {"ente": "x"}).status_code == 200


def test_staff_list_every_territory_and_choose_an_authority(client, w):
    client.force_login(w.staff)
    listing = text_of(client.get(reverse("mappa:territories", args=[w.campaign.slug])))
    for label in (
        t("Province of %(name)s (%(code)s)") % {"name": "Roma", "code": "RM"},
        t("Province of %(name)s (%(code)s)") % {"name": "Viterbo", "code": "VT"},
        "Unione dei Comuni della Tuscia Romana",
    ):
        assert label in listing
    response = client.get(union_url(w), {"ente": w.enti.capranica.pk})
    assert t("Comuni that can help %(ente)s") % {"ente": "Comune di Capranica (VT)"} in text_of(
        response
    )


def test_member_without_an_authority_is_asked_to_add_it(client, w):
    client.force_login(UserFactory(ente=None))
    response = client.get(reverse("mappa:territories", args=[w.campaign.slug]))
    assert response.status_code == 409


# --- CSV --------------------------------------------------------------------------------------


def test_csv_is_one_row_per_authority_and_topic_and_formula_safe(client, w):
    client.force_login(w.users["cerveteri"])
    response = client.get(rm(w, csv_=True))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:8] == [
        t("Authority"),
        t("ISTAT code"),
        t("Province"),
        t("Region"),
        t("Population"),
        t("Topic"),
        t("Needs"),
        t("Offers"),
    ]
    assert header[8:-1] == [x.label for x in RULES.details]
    body = rows[1:]
    anguillara = [r for r in body if r[0] == "Comune di Anguillara"]
    assert [(r[5], r[6], r[7]) for r in anguillara] == [
        (T[0], "", "esperienze"),
        (T[2], "formazione e confronto", ""),
        (T[3], "formazione e confronto; criticità nei processi interni", ""),
    ]
    assert anguillara[0][1] == w.enti.anguillara.istat_code and anguillara[0][4] == "19000"
    others = header.index("altre risorse e competenze")
    cerveteri = [r for r in body if r[0] == "Comune di Cerveteri"]
    assert cerveteri and all(r[others].startswith("'=HYPERLINK") for r in cerveteri)
    assert "=SUM" not in response.content.decode("utf-8-sig")
    assert {r[0] for r in body} == {
        "Comune di Anguillara",
        "Comune di Bracciano",
        "Comune di Cerveteri",
    }


# --- queries ----------------------------------------------------------------------------------


def test_the_page_reads_a_constant_number_of_queries(client, w):
    client.force_login(w.users["anguillara"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(rm(w)).status_code == 200
        return len(queries)

    count()  # the first request warms the site's caches
    before = count()
    for n in range(4):
        ente = comune(f"Comune di Roma {n}", "RM", "Roma")
        send(w, UserFactory(ente=ente), fabbisogni_formazione=[T[n]], riuso=[T[n + 1]])
    assert count() == before
    assert before <= 10, before  # 8 today


def test_the_demo_questionnaire_carries_the_rules_codes_and_topics():
    """The demo's competence grid (``demo/data/mappa.toml``) and the matching rules agree: every
    need and offer is a multiple choice over the rules' topics, every detail is asked."""
    from demo import mappa as demo_mappa
    from demo.content import load

    spec = load("mappa")["competence"]
    asked = {
        question["code"]: question
        for section in demo_mappa.sections("competence", "full")
        for question in section["questions"]
    }
    for rule in (*RULES.needs, *RULES.offers):
        assert asked[rule.code]["kind"] == "multiple_choice", rule.code
        assert list(asked[rule.code]["options"]) == list(T), rule.code
    assert {x.code for x in RULES.details} <= set(asked)
    assert spec["needs"] == [x.code for x in RULES.needs]
    assert spec["offers"] == [x.code for x in RULES.offers]
