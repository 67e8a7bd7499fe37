"""The questionnaires in the community API (tag ``surveys``): listing, definition, drafts,
sending, results, my drafts; every status (401, 403, 404, 400, 409) and the schema."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from membership.models import Ente
from surveys import services
from surveys.forms import DRAFT_VALUE_MAX
from surveys.models import Draft, Participation, Response
from tests.factories import EnteFactory, UserFactory

from .factories import SurveyPageFactory, field, valid_answers

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"community_api:{name}", args=args)


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def as_json(data):
    return {"answers": data}


def close(page, *, results=None):
    page.opens_at = timezone.now() - datetime.timedelta(days=5)
    page.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    if results:
        page.results_visibility = results
    page.save()


# --- Anonymous --------------------------------------------------------------------------------


def test_every_endpoint_answers_401_to_anonymous(world):
    client = client_for()
    pk = world.survey.pk
    calls = [
        ("get", url("survey_list")),
        ("get", url("survey_detail", pk)),
        ("get", url("survey_draft", pk)),
        ("put", url("survey_draft", pk)),
        ("delete", url("survey_draft", pk)),
        ("get", url("survey_response", pk)),
        ("post", url("survey_response", pk)),
        ("get", url("survey_results", pk)),
        ("get", url("my_survey_drafts")),
    ]
    for method, path in calls:
        response = getattr(client, method)(path, format="json")
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "not_authenticated"


# --- Listing and definition ----------------------------------------------------------------------


def test_the_list_shows_what_i_may_see_with_my_state(world):
    registered = client_for(world.users["registered"])
    rows = registered.get(url("survey_list")).json()
    assert [row["id"] for row in rows] == [world.survey.pk]
    row = rows[0]
    assert row["state"] == "open" and row["audience"] == "registered"
    assert row["community_id"] is None and row["respondent"] == "person"
    assert not row["answered"] and not row["has_draft"] and not row["results_visible"]

    participant = world.users["participant"]
    services.save_draft(participant, world.consultation, {})
    rows = {row["id"]: row for row in client_for(participant).get(url("survey_list")).json()}
    assert set(rows) == {world.survey.pk, world.consultation.pk}
    consultation = rows[world.consultation.pk]
    assert consultation["audience"] == "community"
    assert consultation["community_id"] == world.community.pk
    assert consultation["has_draft"] and not consultation["answered"]
    assert consultation["url"] == world.consultation.url

    # The other community's member does not see the consultation.
    other = client_for(world.users["other_member"]).get(url("survey_list")).json()
    assert [row["id"] for row in other] == [world.survey.pk]


def test_the_list_filters_by_state_and_refuses_an_unknown_state(world):
    later = SurveyPageFactory(
        parent=world.index,
        opens_at=timezone.now() + datetime.timedelta(days=2),
        closes_at=timezone.now() + datetime.timedelta(days=9),
    )
    client = client_for(world.users["registered"])
    assert [r["id"] for r in client.get(url("survey_list"), {"state": "not_open"}).json()] == [
        later.pk
    ]
    assert [r["id"] for r in client.get(url("survey_list"), {"state": "open"}).json()] == [
        world.survey.pk
    ]
    response = client.get(url("survey_list"), {"state": "whatever"})
    assert response.status_code == 400 and "state" in response.json()


def test_the_list_costs_the_same_queries_whatever_the_number_of_questionnaires(world):
    user = world.users["participant"]
    client = client_for(user)
    client.get(url("survey_list"))  # warm the per-process snapshots
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url("survey_list")).json()) == 2
    for _n in range(4):
        page = SurveyPageFactory(parent=world.index)
        services.save_draft(user, page, {})
    client.get(url("survey_list"))  # the new pages renewed the snapshots
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url("survey_list")).json()) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_detail_gives_the_definition_with_field_names(world):
    client = client_for(world.users["registered"])
    response = client.get(url("survey_detail", world.survey.pk))
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 1 and data["may_answer"] and not data["taken"]
    questions = {q["code"]: q for s in data["sections"] for q in s["questions"]}
    assert len(questions) == 10
    provider = questions["provider"]
    assert provider["condition"] == {"question": questions["cloud"]["key"], "value": "Sì"}
    assert provider["fields"] == [
        field(world.survey, "provider"),
        field(world.survey, "provider", "__other"),
    ]
    assert provider["other_field"] == field(world.survey, "provider", "__other")
    assert [o["value"] for o in provider["options"]] == ["Fornitore A", "Fornitore B", "__other__"]
    matrix = questions["strumenti"]
    assert [row["label"] for row in matrix["rows"]] == ["Antivirus", "Firewall"]
    assert matrix["rows"][1]["field"] == field(world.survey, "strumenti", "__r1")
    assert matrix["scale"]["min"] == 1 and matrix["scale"]["max"] == 5
    number = questions["dipendenti"]
    assert (number["min"], number["max"], number["unit"]) == ("0", "1000", "persone")
    assert questions["referente"]["max_length"] == 50
    assert [o["value"] for o in questions["piano"]["options"]] == ["yes", "no"]


def test_a_questionnaire_i_may_not_see_is_a_404(world):
    outsider = client_for(world.users["other_member"])
    for name in ("survey_detail", "survey_draft", "survey_response", "survey_results"):
        assert outsider.get(url(name, world.consultation.pk)).status_code == 404, name
    put = outsider.put(url("survey_draft", world.consultation.pk), as_json({}), format="json")
    assert put.status_code == 404
    post = outsider.post(url("survey_response", world.consultation.pk), as_json({}), format="json")
    assert post.status_code == 404
    assert outsider.get(url("survey_detail", 999_999)).status_code == 404
    assert outsider.get(url("survey_detail", 2**63)).status_code == 404
    # A page that is not a questionnaire.
    assert outsider.get(url("survey_detail", world.index.pk)).status_code == 404


# --- Drafts -------------------------------------------------------------------------------------


def test_draft_put_get_delete(world):
    user = world.users["registered"]
    client = client_for(user)
    draft_url = url("survey_draft", world.survey.pk)
    assert client.get(draft_url).status_code == 404
    data = valid_answers(world.survey, dipendenti="5000")  # out of range: kept as typed
    response = client.put(draft_url, as_json(data), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["answers"][field(world.survey, "dipendenti")] == ["5000"]
    got = client.get(draft_url).json()
    assert got["version"] == 1 and got["answers"] == response.json()["answers"]
    assert Draft.objects.get(user=user).data[field(world.survey, "cloud")] == ["Sì"]

    mine = client.get(url("my_survey_drafts")).json()
    assert [(row["survey"], row["title"]) for row in mine] == [
        (world.survey.pk, world.survey.title)
    ]

    assert client.delete(draft_url).status_code == 204
    assert client.get(draft_url).status_code == 404
    assert client.get(url("my_survey_drafts")).json() == []


def test_a_forged_field_name_is_a_400_naming_it(world):
    client = client_for(world.users["registered"])
    data = {**valid_answers(world.survey), "q_forged": ["1"], "cloud": ["Sì"]}
    for method, name in (("put", "survey_draft"), ("post", "survey_response")):
        response = getattr(client, method)(url(name, world.survey.pk), as_json(data), format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"q_forged", "cloud"}
    assert not Draft.objects.exists() and not Response.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"answers": "Sì"},
        {"answers": {"q_x": "not a list"}},
        {"answers": {"q_x": [["nested"]]}},
        {"answers": {"q_x": ["a"] * 101}},
    ],
)
def test_malformed_bodies_are_a_400(world, body):
    client = client_for(world.users["registered"])
    response = client.put(url("survey_draft", world.survey.pk), body, format="json")
    assert response.status_code == 400
    assert "answers" in response.json()


def test_a_draft_value_too_long_to_keep_is_a_400_on_its_field(world):
    client = client_for(world.users["registered"])
    name = field(world.survey, "commenti")
    data = {name: ["x" * (DRAFT_VALUE_MAX + 1)]}
    response = client.put(url("survey_draft", world.survey.pk), as_json(data), format="json")
    assert response.status_code == 400
    assert name in response.json()


# --- Sending ------------------------------------------------------------------------------------


def test_send_201_get_it_and_replace_it_200(world):
    user = world.users["registered"]
    client = client_for(user)
    response_url = url("survey_response", world.survey.pk)
    assert client.get(response_url).json()["code"] == "no_response"
    response = client.post(response_url, as_json(valid_answers(world.survey)), format="json")
    assert response.status_code == 201, response.content
    sent = response.json()
    assert sent["id"] and sent["version"] == 1 and sent["ente"] == str(user.ente)
    cloud = field(world.survey, "cloud")[2:]
    assert sent["answers"][cloud] == {"choice": "Sì", "other": ""}
    assert sent["fields"][field(world.survey, "dipendenti")] == ["42"]

    got = client.get(response_url)
    assert got.status_code == 200 and got.json()["answers"] == sent["answers"]
    again = client.post(
        response_url,
        as_json(got.json()["fields"] | {field(world.survey, "cloud"): ["No"]}),
        format="json",
    )
    assert again.status_code == 200, again.content
    assert again.json()["answers"][cloud] == {"choice": "No", "other": ""}
    assert Response.objects.count() == 1
    rows = client.get(url("survey_list")).json()
    assert rows[0]["answered"] and not rows[0]["has_draft"]


def test_invalid_answers_are_a_400_by_field_and_everything_is_kept_as_draft(world):
    user = world.users["registered"]
    client = client_for(user)
    data = valid_answers(world.survey, provider=None, dipendenti="5000", referente="x" * 60)
    response = client.post(url("survey_response", world.survey.pk), as_json(data), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {
        field(world.survey, "provider"),
        field(world.survey, "dipendenti"),
        field(world.survey, "referente"),
    }
    assert "1000" in errors[field(world.survey, "dipendenti")][0]
    assert "50" in errors[field(world.survey, "referente")][0]
    draft = client.get(url("survey_draft", world.survey.pk)).json()
    assert draft["answers"][field(world.survey, "referente")] == ["x" * 60]
    assert draft["answers"][field(world.survey, "dipendenti")] == ["5000"]
    assert not Response.objects.exists()


def test_closed_and_not_open_are_409(world):
    client = client_for(world.users["registered"])
    close(world.survey)
    response = client.post(
        url("survey_response", world.survey.pk), as_json(valid_answers(world.survey)), format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "closed"
    put = client.put(url("survey_draft", world.survey.pk), as_json({}), format="json")
    assert put.status_code == 409 and put.json()["code"] == "closed"
    later = SurveyPageFactory(
        parent=world.index,
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    response = client.post(url("survey_response", later.pk), as_json({}), format="json")
    assert response.status_code == 409 and response.json()["code"] == "not_open"
    assert response.json()["detail"]


def test_anonymous_questionnaire_already_answered_is_409_and_not_linked(world):
    world.survey.anonymous = True
    world.survey.save()
    client = client_for(world.users["registered"])
    response_url = url("survey_response", world.survey.pk)
    first = client.post(response_url, as_json(valid_answers(world.survey)), format="json")
    assert first.status_code == 201 and first.json()["id"] is None
    again = client.post(response_url, as_json(valid_answers(world.survey)), format="json")
    assert again.status_code == 409 and again.json()["code"] == "already"
    got = client.get(response_url)
    assert got.status_code == 404 and got.json()["code"] == "anonymous"


def test_the_authority_s_response_taken_is_409(world):
    world.survey.respondent = world.survey.Respondent.ENTE
    world.survey.save()
    first = world.users["registered"]
    services.submit(first, world.survey, valid_answers(world.survey))
    colleague = UserFactory(ente=first.ente)
    client = client_for(colleague)
    assert client.get(url("survey_detail", world.survey.pk)).json()["taken"] is True
    response = client.post(
        url("survey_response", world.survey.pk), as_json(valid_answers(world.survey)), format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "taken"
    assert first.last_name in response.json()["detail"]


def test_outside_the_audience_is_403(world):
    world.consultation.designated_only = True
    world.consultation.save()
    client = client_for(world.users["participant"])
    detail = client.get(url("survey_detail", world.consultation.pk))
    assert detail.status_code == 200 and detail.json()["may_answer"] is False
    assert detail.json()["audience"] == "designated"
    for method, name in (("post", "survey_response"), ("put", "survey_draft")):
        response = getattr(client, method)(
            url(name, world.consultation.pk), as_json({"q_forged": ["x"]}), format="json"
        )
        assert response.status_code == 403, name
        assert response.json()["code"] == "permission_denied"
    assert not Participation.objects.exists()


# --- Results ------------------------------------------------------------------------------------


def answer_consultation(world, count, **overrides):
    members = ["participant", "designated", "wg_member", "wg_coordinator", "support"]
    for column in members[:count]:
        services.submit(
            world.users[column],
            world.consultation,
            valid_answers(world.consultation, **overrides),
        )


def test_results_for_the_managers_with_the_minimum_and_filters(world):
    coordinator = client_for(world.users["coordinator"])
    results_url = url("survey_results", world.consultation.pk)
    answer_consultation(world, 4)
    # The whole questionnaire is shown to who manages it whatever its size (as on the results
    # page); a breakdown of fewer than 5 respondents is not.
    few = coordinator.get(results_url).json()
    assert not few["suppressed"] and few["respondents"] == 4
    few = coordinator.get(results_url, {"region": "Lazio"}).json()
    assert few["suppressed"] and few["respondents"] is None and few["questions"] == []
    answer_consultation(world, 5)  # the fifth member answers (the others replace theirs)
    with CaptureQueriesContext(connection) as queries:
        data = coordinator.get(results_url).json()
    assert not data["suppressed"] and data["respondents"] == 5 and data["minimum"] == 5
    questions = {q["code"]: q for q in data["questions"]}
    cloud = {o["value"]: o["count"] for o in questions["cloud"]["options"]}
    assert cloud == {"Sì": 5, "No": 0, "Non so": 0}
    assert questions["preparazione"]["mean"] == "4.00"
    assert questions["dipendenti"]["mean"] == "42.00"
    rows = {row["label"]: row for row in questions["strumenti"]["rows"]}
    assert rows["Firewall"]["mean"] == "5.00" and rows["Antivirus"]["answered"] == 5
    assert questions["commenti"]["answered"] == 5 and questions["commenti"]["options"] == []
    assert len(queries.captured_queries) < 30

    # A filter that keeps fewer than 5 respondents gives no figure.
    lazio = coordinator.get(results_url, {"region": "Lazio", "position": "employee"}).json()
    assert lazio["filters"]["region"] == "Lazio" and lazio["respondents"] == 5
    nobody = coordinator.get(results_url, {"ente_kind": Ente.Kind.PROVINCIA}).json()
    assert nobody["suppressed"] and nobody["questions"] == []

    bad = coordinator.get(results_url, {"ente_kind": "planet", "population_class": "huge"})
    assert bad.status_code == 400 and set(bad.json()) == {"ente_kind", "population_class"}


def test_results_filter_by_segment(world):
    kinds = [Ente.Kind.COMUNE] * 5 + [Ente.Kind.UNIONE]
    for kind in kinds:
        user = UserFactory(ente=EnteFactory(kind=kind, region="Lazio"))
        services.submit(user, world.survey, valid_answers(world.survey))
    close(world.survey, results=world.survey.Results.PUBLIC)
    member = client_for(world.users["registered"])  # public results
    results_url = url("survey_results", world.survey.pk)
    everyone = member.get(results_url)
    assert everyone.json()["respondents"] == 6
    comuni = member.get(results_url, {"ente_kind": Ente.Kind.COMUNE}).json()
    assert comuni["respondents"] == 5
    unioni = member.get(results_url, {"ente_kind": Ente.Kind.UNIONE}).json()
    assert unioni["suppressed"]


def test_results_not_shown_are_403_and_shown_after_the_close(world):
    participant = client_for(world.users["participant"])
    results_url = url("survey_results", world.consultation.pk)
    response = participant.get(results_url)
    assert response.status_code == 403 and response.json()["detail"]
    answer_consultation(world, 5)
    close(world.consultation, results=world.consultation.Results.RESPONDENTS)
    assert participant.get(results_url).status_code == 200
    rows = {r["id"]: r for r in participant.get(url("survey_list")).json()}
    assert rows[world.consultation.pk]["results_visible"]
    assert rows[world.consultation.pk]["state"] == "closed"
    # The coordinator did not answer: a manager sees them anyway; a non-respondent does not.
    assert client_for(world.users["coordinator"]).get(results_url).status_code == 200
    assert client_for(world.subject).get(results_url).status_code == 403


# --- Schema -------------------------------------------------------------------------------------


def test_the_schema_lists_the_surveys_endpoints_under_their_tag(db):
    from drf_spectacular.validation import validate_schema

    schema = json.loads(APIClient().get(url("schema"), {"format": "json"}).content)
    validate_schema(schema)
    prefix = "/api/community/v1/"
    expected = {
        f"{prefix}surveys/": {"get"},
        f"{prefix}surveys/{{id}}/": {"get"},
        f"{prefix}surveys/{{id}}/draft/": {"get", "put", "delete"},
        f"{prefix}surveys/{{id}}/response/": {"get", "post"},
        f"{prefix}surveys/{{id}}/results/": {"get"},
        f"{prefix}me/survey-drafts/": {"get"},
    }
    for path, methods in expected.items():
        assert set(schema["paths"][path]) == methods, path
        for method in methods:
            assert schema["paths"][path][method]["tags"] == ["surveys"]
    submit = schema["paths"][f"{prefix}surveys/{{id}}/response/"]["post"]
    assert {"200", "201", "400", "401", "403", "404", "409"} <= set(submit["responses"])
    assert "application/json" in submit["requestBody"]["content"]
    tagged = {
        path
        for path, operations in schema["paths"].items()
        if any("surveys" in op.get("tags", []) for op in operations.values())
    }
    assert tagged == set(expected)
