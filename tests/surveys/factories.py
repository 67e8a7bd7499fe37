"""Factories of the questionnaires: pages built from plain question dicts."""

from __future__ import annotations

import datetime
import uuid

import factory
import wagtail_factories
from django.utils import timezone

from surveys.models import SurveyIndexPage, SurveyPage


def q(kind, label, *, code="", required=True, condition=None, key=None, **settings):
    """A question block's raw value; ``condition``: ``(code, answer)``."""
    value = {
        "label": label,
        "code": code,
        "help_text": settings.pop("help_text", ""),
        "required": required,
        "condition": {"question": condition[0], "answer": condition[1]}
        if condition
        else {"question": "", "answer": ""},
    }
    value.update(settings)
    return {"type": kind, "value": value, "id": key or str(uuid.uuid4())}


def section(title, *questions, condition=None, key=None):
    return {
        "type": "section",
        "id": key or str(uuid.uuid4()),
        "value": {
            "title": title,
            "description": "",
            "condition": {"question": condition[0], "answer": condition[1]}
            if condition
            else {"question": "", "answer": ""},
            "questions": list(questions),
        },
    }


def sample_questions():
    """One question of every kind, with a condition (``cloud`` = "Sì" shows ``provider``)."""
    return [
        section(
            "Il tuo Ente",
            q(
                "single_choice",
                "Usate servizi cloud?",
                code="cloud",
                options=["Sì", "No", "Non so"],
                allow_other=False,
            ),
            q(
                "single_choice",
                "Quale fornitore?",
                code="provider",
                required=True,
                condition=("cloud", "Sì"),
                options=["Fornitore A", "Fornitore B"],
                allow_other=True,
            ),
            q(
                "multiple_choice",
                "Quali temi vi interessano?",
                code="temi",
                options=["Backup", "Phishing", "Incidenti"],
                allow_other=True,
                max_choices=2,
            ),
            q(
                "scale",
                "Quanto vi sentite preparati?",
                code="preparazione",
                scale_min=1,
                scale_max=5,
                min_label="Per nulla",
                max_label="Molto",
            ),
            q(
                "matrix",
                "Valutate gli strumenti",
                code="strumenti",
                rows=["Antivirus", "Firewall"],
                scale_min=1,
                scale_max=5,
                min_label="",
                max_label="",
                required=False,
            ),
        ),
        section(
            "Numeri",
            q(
                "number",
                "Quanti dipendenti?",
                code="dipendenti",
                unit="persone",
                min_value="0",
                max_value="1000",
                decimals=0,
            ),
            q("short_text", "Referente", code="referente", max_length=50, required=False),
            q("long_text", "Commenti", code="commenti", max_length=500, required=False),
            q("date", "Data dell'ultimo audit", code="audit", required=False),
            q("yes_no", "Avete un piano di continuità?", code="piano"),
        ),
    ]


class SurveyIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SurveyIndexPage

    title = "Sondaggi"
    slug = "sondaggi"


class SurveyPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SurveyPage

    title = factory.Sequence(lambda n: f"Questionario {n}")
    slug = factory.Sequence(lambda n: f"questionario-{n}")
    summary = "Un questionario per i Comuni."
    questions = factory.LazyFunction(sample_questions)
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    first_published_at = factory.LazyFunction(timezone.now)


def valid_answers(survey, **overrides):
    """POST data answering ``sample_questions`` (cloud = Sì, so the provider is asked)."""
    from surveys import services
    from surveys.definition import question_map

    version = services.version_for_answering(survey)
    by_code = {qq["code"]: qq for qq in question_map(version.definition).values()}

    def name(code, suffix=""):
        return f"q_{by_code[code]['key']}{suffix}"

    data = {
        name("cloud"): ["Sì"],
        name("provider"): ["Fornitore A"],
        name("temi"): ["Backup", "Phishing"],
        name("preparazione"): ["4"],
        name("strumenti", "__r0"): ["3"],
        name("strumenti", "__r1"): ["5"],
        name("dipendenti"): ["42"],
        name("referente"): ["Ufficio CED"],
        name("commenti"): ["Tutto bene"],
        name("audit"): ["2026-01-15"],
        name("piano"): ["yes"],
    }
    for code, value in overrides.items():
        code, _sep, suffix = code.partition("__")
        key = name(code, f"__{suffix}" if suffix else "")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value if isinstance(value, list) else [value]
    return data


def field(survey, code, suffix=""):
    from surveys import services
    from surveys.definition import question_map

    version = services.version_for_answering(survey)
    by_code = {qq["code"]: qq for qq in question_map(version.definition).values()}
    return f"q_{by_code[code]['key']}{suffix}"
