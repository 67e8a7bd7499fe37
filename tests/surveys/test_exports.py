"""The exports of a questionnaire's results: CSV and XLSX, in Italian, formulas escaped, nothing
identifying for an anonymous questionnaire, managers only."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.events.factories import grant_edit

from .test_results import answer, respondent

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(world):
    grant_edit([world.users["staff"]], world.tree.home, name="Redazione")
    return world.users["staff"]


def url(name, page):
    with translation.override("it"):
        return reverse(f"surveys:{name}", args=[page.pk])


def it(message):
    """``message`` in Italian (the exports' language)."""
    with translation.override("it"):
        return translation.gettext(message)


def csv_rows(response):
    text = b"".join(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def workbook(response):
    return load_workbook(io.BytesIO(b"".join(response)), read_only=True)


def sheet_rows(book, name):
    return [list(row) for row in book[name].iter_rows(values_only=True)]


@pytest.fixture
def named(world):
    survey = world.survey
    first = respondent()
    answer(survey, first, referente='=HYPERLINK("http://x","y")', commenti="@SUM(A1)")
    for _n in range(4):
        answer(survey)
    return survey, first


def test_the_csv_of_a_named_questionnaire_has_one_row_per_response(named, manager, client):
    survey, first = named
    client.force_login(manager)
    response = client.get(url("export_csv", survey))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="risultati-{survey.slug}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    header = rows[0]
    assert header[:4] == [it("Respondent"), "Ente", "Data", "Versione"]
    assert "Usate servizi cloud?" in header
    assert "Valutate gli strumenti – Antivirus" in header  # a matrix: one column per row
    assert len(rows) == 6
    first_row = next(row for row in rows[1:] if row[0] == first.get_full_name())
    assert first_row[1] == str(first.ente)
    assert '\'=HYPERLINK("http://x","y")' in first_row and "'@SUM(A1)" in first_row


def test_the_xlsx_has_a_summary_and_the_responses(named, manager, client):
    survey, first = named
    client.force_login(manager)
    response = client.get(url("export_xlsx", survey))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(f'risultati-{survey.slug}.xlsx"')
    book = workbook(response)
    assert book.sheetnames == ["Riepilogo", "Risposte"]
    summary = sheet_rows(book, "Riepilogo")
    assert summary[0] == [it("Questionnaire"), survey.title]
    assert summary[2][1] == 5  # respondents
    header = next(row for row in summary if row and "Domanda" in row)
    assert header[:4] == [it("Section"), "Domanda", it("Row"), "Risposta"]
    cloud = [row for row in summary[4:] if row[1] == "Usate servizi cloud?" and row[3] == "Sì"]
    assert cloud[0][4] == 5
    answers = sheet_rows(book, "Risposte")
    assert answers[0][1] == "Ente" and len(answers) == 6
    cells = [cell for row in answers for cell in row]
    assert first.get_full_name() in cells
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert not any(isinstance(cell, str) and cell.startswith("=") for cell in cells)


def test_an_anonymous_questionnaire_exports_no_names_nor_dates(world, manager, client):
    survey = world.survey
    survey.anonymous = True
    survey.save()
    people = [respondent() for _n in range(5)]
    for person in people:
        answer(survey, person, commenti=f"Commento di {person.last_name}")
    client.force_login(manager)
    rows = csv_rows(client.get(url("export_csv", survey)))
    flat = " ".join(cell for row in rows for cell in row)
    assert rows[0] == [it("Questionnaire"), survey.title]  # the summary
    assert not any(person.last_name in flat.replace("Commento di ", "") for person in people)
    book = workbook(client.get(url("export_xlsx", survey)))
    assert book.sheetnames == ["Riepilogo", "Risposte"]
    answers = sheet_rows(book, "Risposte")
    header = answers[0]
    assert "Ente" not in header and "Data" not in header and it("Respondent") not in header
    assert header[0] == "Usate servizi cloud?" and len(answers) == 6
    cells = {cell for row in answers for cell in row if isinstance(cell, str)}
    for person in people:
        assert person.get_full_name() not in cells and str(person.ente) not in cells


def test_an_anonymous_questionnaire_under_the_threshold_has_no_response_sheet(
    world, manager, client
):
    survey = world.survey
    survey.anonymous = True
    survey.save()
    for _n in range(3):
        answer(survey)
    client.force_login(manager)
    book = workbook(client.get(url("export_xlsx", survey)))
    assert book.sheetnames == ["Riepilogo"]
    summary = sheet_rows(book, "Riepilogo")
    assert summary[2][1] == 3  # the managers see the whole questionnaire, however small


def test_a_filtered_summary_under_the_threshold_shows_no_figures(named, manager, client):
    survey, _first = named
    answer(survey, respondent(region="Toscana"))
    client.force_login(manager)
    book = workbook(client.get(url("export_xlsx", survey) + "?region=Toscana"))
    summary = sheet_rows(book, "Riepilogo")
    assert summary[1][1] == "Regione: Toscana"
    assert summary[2][1] is None and len(summary) == 4  # no count, no figures


def test_only_managers_export(world, named, client):
    survey, first = named
    for name in ("export_csv", "export_xlsx"):
        client.force_login(first)  # a respondent
        assert client.get(url(name, survey)).status_code == 403
        client.logout()
        assert client.get(url(name, survey)).status_code == 302  # sign in first
        client.force_login(world.users["other_member"])
        assert client.get(url(name, world.consultation)).status_code == 404
        client.force_login(world.users["participant"])
        assert client.get(url(name, world.consultation)).status_code == 403
    grant_edit([world.users["coordinator"]], world.community)
    client.force_login(world.users["coordinator"])
    assert client.get(url("export_xlsx", world.consultation)).status_code == 200


def test_rebuild_command_prints_counts(named):
    survey, _first = named
    out = io.StringIO()
    call_command("rebuild_survey_results", str(survey.pk), stdout=out)
    assert f"(id {survey.pk}): 5 responses" in out.getvalue()
    out = io.StringIO()
    call_command("rebuild_survey_results", "--sql", stdout=out)
    assert "5 responses" in out.getvalue() and "questionnaires recounted" in out.getvalue()
