"""Demo questionnaires for ``manage.py load_demo`` (``demo/data/surveys.toml``): the portal's
open survey on the themes of the next communities (built with the page tree, so that the news
can link to it and it is translated) with a few responses, and the Cybersicurezza community's
closed consultation on its objectives, answered by its members, with results.

Idempotent like the rest of the demo: a questionnaire is looked up by slug under its parent and
its responses are added only when it has none. Responses go through ``surveys.services.submit``
while the questionnaire is open, then the dates are moved to the window the data file gives.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from communities.models import CommunityAreaPage, CommunityPage, Membership
from surveys import services
from surveys.forms import field_name, row_suffix
from surveys.models import Participation, Response, SurveyPage

from .content import load
from .discussions import CYBER, _users

NAMESPACE = uuid.UUID("6f1d1f5e-3c51-4c43-9f4a-5d2c8e0b7a11")


def _key(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _condition(spec) -> dict:
    code, value = spec if spec else ("", "")
    return {"question": code, "answer": value}


def questions_stream(slug, sections) -> list[dict]:
    """The raw StreamField value of ``sections`` (stable block ids: reloading changes nothing)."""
    stream = []
    for number, section in enumerate(sections):
        questions = []
        for question in section["questions"]:
            value = {
                key: val
                for key, val in question.items()
                if key not in ("kind", "condition", "required")
            }
            value.setdefault("help_text", "")
            value["required"] = question.get("required", True)
            value["condition"] = _condition(question.get("condition"))
            questions.append(
                {
                    "type": question["kind"],
                    "id": _key(slug, question["code"]),
                    "value": value,
                }
            )
        stream.append(
            {
                "type": "section",
                "id": _key(slug, f"section-{number}"),
                "value": {
                    "title": section["title"],
                    "description": section.get("description", ""),
                    "condition": _condition(section.get("condition")),
                    "questions": questions,
                },
            }
        )
    return stream


def survey_fields(builder, spec) -> dict:
    return {
        "title": spec["title"],
        "summary": spec["summary"],
        "intro": spec["intro"],
        "questions": questions_stream(spec["slug"], spec["sections"]),
        "opens_at": builder.at(builder.today + timedelta(days=spec["days_open"])),
        "closes_at": builder.at(builder.today + timedelta(days=spec["days_close"]), 18),
        "results_visibility": spec["results_visibility"],
        "respondent": spec["respondent"],
        # Demo content never emails anyone.
        "send_invitations": False,
        "first_published_at": builder.at(builder.today + timedelta(days=spec["days_open"])),
    }


def portal_survey_page(builder, parent, spec):
    """A portal survey under "Sondaggi" (a page of the demo tree)."""
    return builder.page(
        spec["key"], parent, SurveyPage, spec["slug"], lambda: survey_fields(builder, spec)
    )


def load_surveys(builder) -> int:
    """The community consultation, and the demo responses of every questionnaire that has
    none; the number of responses created."""
    users = _users()
    created = 0
    for spec in load("surveys")["portal"]:
        page = SurveyPage.objects.filter(slug=spec["slug"], locale=builder.it).first()
        if page is None:
            continue
        for answer in spec.get("responses", []):
            user = users.get(answer["who"])
            if user is not None and _answer(page, user, answer["answers"], builder.log):
                created += 1
    community = CommunityPage.objects.get(slug=CYBER, locale=builder.it)
    area = CommunityAreaPage.objects.child_of(community).get()
    for spec in load("surveys")["community"]:
        page = area.get_children().filter(slug=spec["slug"]).first()
        if page is None:
            page = SurveyPage(
                slug=spec["slug"], locale=builder.it, live=False, **_open_now(builder, spec)
            )
            area.add_child(instance=page)
            page.save_revision().publish()
        page = SurveyPage.objects.get(pk=page.pk)  # as published (live)
        if Response.objects.filter(survey=page).exists():
            continue
        members = (
            Membership.objects.active()
            .of(community)
            .select_related("user")
            .order_by("user__last_name", "user__pk")
        )
        for index, membership in enumerate(members):
            if _answer(page, membership.user, _consultation_answers(index), builder.log):
                created += 1
        _move_to_window(builder, page, spec)
    return created


def _open_now(builder, spec) -> dict:
    """The fields of a questionnaire open right now (its responses are sent through the
    services); ``_move_to_window`` then gives it the dates of the data file."""
    fields = survey_fields(builder, spec)
    fields["opens_at"] = builder.now - timedelta(days=1)
    fields["closes_at"] = builder.now + timedelta(days=1)
    return fields


def _move_to_window(builder, page, spec) -> None:
    opens = builder.at(builder.today + timedelta(days=spec["days_open"]))
    closes = builder.at(builder.today + timedelta(days=spec["days_close"]), 18)
    SurveyPage.objects.filter(translation_key=page.translation_key).update(
        opens_at=opens, closes_at=closes
    )
    # The responses arrived during the window, a few a day.
    for number, participation in enumerate(
        Participation.objects.filter(survey=page).order_by("pk")
    ):
        day = opens + timedelta(days=1 + number % max(1, (closes - opens).days - 1))
        Participation.objects.filter(pk=participation.pk).update(submitted_on=day.date())
        if participation.response_id:
            Response.objects.filter(pk=participation.response_id).update(submitted_at=day)
    # The latest revision carries the dates too (what the editors see in the admin).
    page.refresh_from_db()
    page.save_revision().publish()


OBJECTIVES = [
    "Un piano di risposta agli incidenti condiviso",
    "Formazione del personale sul phishing",
    "Modelli per le misure minime di sicurezza ICT",
    "Esercitazioni periodiche",
    "Un elenco di fornitori qualificati",
]
INCIDENTS = ["Ransomware", "Phishing con furto di credenziali", "Interruzione di un servizio"]
EXPECTATIONS = [
    "Modelli pronti da adattare, non solo linee guida.",
    "Confronto con Comuni della nostra dimensione.",
    "Un canale rapido per chiedere aiuto durante un incidente.",
    "",
]


def _consultation_answers(index: int) -> dict:
    """Varied, deterministic answers of the ``index``-th member to the consultation."""
    incident = index % 3 == 0
    answers = {
        "obiettivi": [OBJECTIVES[index % 5], OBJECTIVES[(index * 2 + 1) % 5]],
        "preparazione": str(1 + (index * 3) % 5),
        "dipendenti": str(12 + (index * 37) % 480),
        "incidente": "yes" if incident else "no",
        "attese": EXPECTATIONS[index % len(EXPECTATIONS)],
    }
    if answers["obiettivi"][0] == answers["obiettivi"][1]:
        answers["obiettivi"] = answers["obiettivi"][:1]
    if incident:
        answers["tipo"] = INCIDENTS[index % 3]
    return answers


def _answer(page, user, answers, log=print) -> bool:
    """Send ``answers`` (by question code) as ``user``; False if they may not answer."""
    from cms import errors

    version = services.version_for_answering(page)
    by_code = {}
    for section in version.definition["sections"]:
        for question in section["questions"]:
            by_code[question["code"]] = question
    data: dict[str, list[str]] = {}
    for code, value in answers.items():
        question = by_code[code]
        if isinstance(value, dict):
            for index, row in enumerate(question["rows"]):
                if row in value:
                    data[field_name(question["key"], row_suffix(index))] = [value[row]]
        elif isinstance(value, list):
            data[field_name(question["key"])] = list(value)
        elif value:
            data[field_name(question["key"])] = [value]
    try:
        services.submit(user, page, data)
    except errors.ServiceError as error:
        log(f"  ! {user} could not answer “{page.title}”: {error.user_message}")
        return False
    return True
