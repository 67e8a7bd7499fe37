"""Results page benchmark: a questionnaire of 30 questions with 100,000 responses.

    bench.py seed      # the questionnaire, RESPONSES anonymous responses over realistic segments
    bench.py measure   # its results page for a manager, without and with 1–3 filters; RESULT last

Run through ``bench/surveys/run.sh`` (``make bench-surveys``), which creates the PostgreSQL
database. The questionnaire mixes every kind of question (8 single choices, one with "Other" and
one shown only after a given answer, 5 multiple choices, 5 scales, 3 matrices of 4 rows, 2
numbers, 2 yes/no, 2 dates, 3 texts). Each response's answers are drawn at random, the hidden
questions dropped (``definition.visible_keys``) and turned into answer rows by
``definition.answer_rows`` (what ``services.submit`` stores); responses and answers are written
with ``COPY``, and the result cells computed from the answers by
``surveys.results.recount_cells_in_sql`` (equal to ``services.rebuild_results``:
tests/surveys/test_results.py). Segments: the 20 regions, kinds of authority mostly Comuni, the
5 population classes weighted as Italy's Comuni are, positions mostly employees.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "52"))
WARMUPS = 3
SEED = 20261215
TITLE = "Benchmark: questionario sulla sicurezza informatica"
MANAGER_USERNAME = "bench-manager"

KINDS = [
    ("comune", 80),
    ("unione", 7),
    ("consorzio", 3),
    ("citta_metropolitana", 2),
    ("provincia", 3),
    ("in_house", 3),
    ("altro", 2),
]
POPULATION = [("lt5k", 55), ("5k-20k", 28), ("20k-60k", 11), ("60k-250k", 5), ("250k+", 1)]
POSITIONS = [("employee", 85), ("sindaco", 8), ("assessore", 4), ("consigliere", 3)]
TEXTS = [
    "Servirebbe più formazione per il personale.",
    "Il fornitore non risponde in tempi ragionevoli.",
    "Abbiamo bisogno di supporto per il piano di continuità operativa.",
    "Le linee guida sono chiare ma difficili da applicare in un piccolo Comune.",
    "Sarebbe utile un modello di procedura per gli incidenti.",
    "Nessuna osservazione.",
    "Proponiamo un gruppo di lavoro sul backup.",
    "Il budget non basta per le misure minime.",
]


def _stream():
    from tests.surveys.factories import q, section

    options = ["Per nulla", "Poco", "Abbastanza", "Molto", "Moltissimo"]
    singles = [
        q("single_choice", "Usate servizi cloud?", code="cloud", options=["Sì", "No", "Non so"]),
        q(
            "single_choice",
            "Quale fornitore cloud?",
            code="fornitore",
            condition=("cloud", "Sì"),
            options=["Fornitore A", "Fornitore B", "Fornitore C"],
            allow_other=True,
        ),
    ] + [
        q("single_choice", f"Domanda a scelta singola {n}", code=f"singola{n}", options=options)
        for n in range(3, 9)
    ]
    temi = ["Backup", "Phishing", "Incidenti", "Formazione", "Cloud", "Privacy"]
    multiples = [
        q(
            "multiple_choice",
            f"Quali temi vi interessano ({n})?",
            code=f"temi{n}",
            options=temi,
            allow_other=n == 1,
            max_choices=3,
        )
        for n in range(1, 6)
    ]
    scales = [
        q("scale", f"Quanto siete preparati ({n})?", code=f"scala{n}", scale_min=1, scale_max=5)
        for n in range(1, 6)
    ]
    matrices = [
        q(
            "matrix",
            f"Valutate gli strumenti ({n})",
            code=f"matrice{n}",
            rows=["Antivirus", "Firewall", "Backup", "Formazione"],
            scale_min=1,
            scale_max=5,
            required=False,
        )
        for n in range(1, 4)
    ]
    others = [
        q("number", "Quanti dipendenti?", code="dipendenti", min_value="0", max_value="1000"),
        q("number", "Budget ICT (migliaia di euro)", code="budget", min_value="0", max_value="500"),
        q("yes_no", "Avete un piano di continuità?", code="piano"),
        q("yes_no", "Avete un responsabile della sicurezza?", code="responsabile"),
        q("date", "Data dell'ultimo audit", code="audit", required=False),
        q("date", "Data dell'ultima formazione", code="formazione", required=False),
        q("short_text", "Referente", code="referente", required=False, max_length=100),
        q("short_text", "Fornitore principale", code="principale", required=False),
        q("long_text", "Osservazioni", code="osservazioni", required=False, max_length=2000),
    ]
    return [
        section("Il vostro Ente", *singles),
        section("Interessi", *multiples, *scales),
        section("Strumenti", *matrices),
        section("Numeri e note", *others),
    ]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _answers(rng, definition) -> dict:
    from surveys import definition as d

    answers = {}
    for question in d.questions(definition):
        kind, key = question["kind"], question["key"]
        if not question["required"] and rng.random() < 0.3:
            continue
        if kind == d.SINGLE:
            if question["other"] and rng.random() < 0.1:
                answers[key] = {"choice": d.OTHER, "other": rng.choice(TEXTS)}
            else:
                weights = [len(question["options"]) - i for i in range(len(question["options"]))]
                answers[key] = {
                    "choice": rng.choices(question["options"], weights=weights)[0],
                    "other": "",
                }
        elif kind == d.MULTIPLE:
            chosen = rng.sample(question["options"], rng.randint(1, question["max_choices"]))
            other = ""
            if question["other"] and rng.random() < 0.05:
                chosen[-1], other = d.OTHER, rng.choice(TEXTS)
            answers[key] = {"choices": chosen, "other": other}
        elif kind == d.SCALE:
            answers[key] = rng.choices(range(1, 6), weights=[1, 2, 4, 3, 2])[0]
        elif kind == d.MATRIX:
            answers[key] = {row: rng.randint(1, 5) for row in question["rows"]}
        elif kind == d.NUMBER:
            top = int(question["max"])
            answers[key] = str(min(top, int(rng.expovariate(1 / (top / 6)))))
        elif kind == d.YES_NO:
            answers[key] = d.YES if rng.random() < 0.6 else d.NO
        elif kind == d.DATE:
            answers[key] = (date(2025, 1, 1) + timedelta(days=rng.randrange(540))).isoformat()
        elif kind in d.TEXT_KINDS and rng.random() < 0.5:
            answers[key] = rng.choice(TEXTS)
    visible = d.visible_keys(definition, answers)
    return {key: value for key, value in answers.items() if key in visible}


def seed():
    from membership.forms import REGIONS
    from surveys import definition as d
    from surveys import services
    from surveys.models import Answer, Response, Segment
    from surveys.results import recount_cells_in_sql
    from tests.communities.factories import StaffUserFactory
    from tests.conftest import build_site
    from tests.events.factories import grant_edit
    from tests.surveys.factories import SurveyIndexPageFactory, SurveyPageFactory

    rng = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        tree = build_site()
        index = SurveyIndexPageFactory(parent=tree.home)
        now = timezone.now()
        survey = SurveyPageFactory(
            parent=index,
            title=TITLE,
            slug="benchmark",
            questions=_stream(),
            anonymous=True,
            opens_at=now - timedelta(days=60),
            closes_at=now + timedelta(days=30),
        )
        version = services.freeze_version(survey)
        definition = version.definition
        assert len(list(d.questions(definition))) == 30
        manager = StaffUserFactory(username=MANAGER_USERNAME)
        grant_edit([manager], tree.home, name="Redazione")
        segments = Segment.objects.bulk_create(
            Segment(region=region, ente_kind=kind, population_class=population, position=position)
            for region in REGIONS
            for kind, _w in KINDS
            for population, _w2 in POPULATION
            for position, _w3 in POSITIONS
        )
        by_values = {
            (s.region, s.ente_kind, s.population_class, s.position): s.pk for s in segments
        }
    region_weights = [(region, rng.randint(2, 12)) for region in REGIONS]
    print(f"seed: setup {time.perf_counter() - started:.1f} s, {len(segments)} segments")

    started_rows = time.perf_counter()
    response_table = Response._meta.db_table
    answer_table = Answer._meta.db_table
    n_answers = 0
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        response_copy = (
            f"COPY {response_table} (id, survey_id, version_id, segment_id, submitted_at) "
            "FROM STDIN"
        )
        answer_copy = (
            f'COPY {answer_table} (response_id, survey_id, segment_id, question, "row", '
            '"option", number, text, date) FROM STDIN'
        )
        # The answers first, streamed as they are drawn (the foreign key to the response is
        # checked at commit: Django's PostgreSQL constraints are deferred), then the responses.
        responses = []
        with raw.copy(answer_copy) as copy:
            for n in range(RESPONSES):
                segment = by_values[
                    (
                        _weighted(rng, region_weights),
                        _weighted(rng, KINDS),
                        _weighted(rng, POPULATION),
                        _weighted(rng, POSITIONS),
                    )
                ]
                day = timezone.localdate(now - timedelta(days=rng.randrange(60)))
                day = timezone.make_aware(datetime.combine(day, datetime.min.time()))
                pk = uuid.UUID(int=rng.getrandbits(128), version=4)
                for row in d.answer_rows(definition, _answers(rng, definition)):
                    copy.write_row(
                        (
                            pk,
                            survey.pk,
                            segment,
                            row.question,
                            row.row,
                            row.option,
                            row.number,
                            row.text,
                            row.date,
                        )
                    )
                    n_answers += 1
                responses.append((pk, segment, day))
                if n % 20000 == 19999:
                    print(f"  {n + 1} responses ({time.perf_counter() - started_rows:.0f} s)")
        with raw.copy(response_copy) as copy:
            for pk, segment, day in responses:
                copy.write_row((pk, survey.pk, version.pk, segment, day))
    print(
        f"seed: {RESPONSES} responses and {n_answers} answer rows drawn and copied in "
        f"{time.perf_counter() - started_rows:.1f} s"
    )
    started_cells = time.perf_counter()
    counted = recount_cells_in_sql(survey)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    from surveys.models import ResultCell

    cells = ResultCell.objects.filter(survey=survey).count()
    print(
        f"seed: {cells} result cells for {counted} responses in "
        f"{time.perf_counter() - started_cells:.1f} s (INSERT … SELECT … GROUP BY, then VACUUM "
        f"ANALYZE); total {time.perf_counter() - started:.1f} s"
    )


def _urls(survey, choices, rng):
    """The measured requests: a quarter without filters, the rest with 1, 2 or 3 filters."""
    base = reverse("surveys:results", args=[survey.pk])
    names = ["region", "ente_kind", "population_class", "position"]
    urls = []
    for n in range(REQUESTS):
        width = n % 4
        picked = rng.sample(names, width)
        params = []
        for name in picked:
            values = [value for value, _label in choices[name]]
            # Mostly the big groups (as people filter), sometimes a small one.
            value = values[0] if rng.random() < 0.5 else rng.choice(values)
            params.append((name, value))
        urls.append((width, base + ("?" + urlencode(params) if params else "")))
    return urls


def measure():
    from django.contrib.auth import get_user_model

    from surveys.models import Response, SurveyPage
    from surveys.results import filter_choices

    rng = random.Random(SEED + 1)
    survey = SurveyPage.objects.get(title=TITLE)
    responses = Response.objects.filter(survey=survey).count()
    manager = get_user_model().objects.get(username=MANAGER_USERNAME)
    client = Client()
    client.force_login(manager)
    with translation.override("it"):
        urls = _urls(survey, filter_choices(survey), rng)
    for _ in range(WARMUPS):
        response = client.get(urls[0][1])
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        response = client.get(urls[0][1])
    assert response.status_code == 200 and b'role="img"' in response.content
    queries = list(captured.captured_queries)
    timings: dict[int, list[float]] = {0: [], 1: [], 2: [], 3: []}
    suppressed = 0
    for width, url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings[width].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        suppressed += b"alert alert-info" in response.content
    every = sorted(t for values in timings.values() for t in values)
    p50 = statistics.median(every)
    p95 = every[max(0, round(0.95 * len(every)) - 1)]
    for width, values in timings.items():
        print(
            f"filters={width}: n={len(values)} p50={statistics.median(values):.1f} ms "
            f"max={max(values):.1f} ms"
        )
    slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)
    print(
        f"results page, no filter: {len(queries)} queries, SQL "
        f"{sum(float(q['time']) for q in queries) * 1000:.0f} ms; {suppressed} of {len(urls)} "
        f"filtered pages under the k-anonymity threshold; load average {os.getloadavg()[0]:.1f}"
    )
    for query in slowest[:3]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
    print(f"all: n={len(every)} p50={p50:.1f} ms p95={p95:.1f} ms")
    print(f"RESULT answers={responses} results_p95_ms={p95:.0f}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "seed":
        seed()
    elif command == "measure":
        measure()
    else:
        sys.exit(__doc__)
