"""The Mappa dei Comuni Digitali in the demo (``demo/data/mappa.toml``): the Mappa page under
the home page with the questionnaires of its two campaigns (built with the page tree, so that
they are published and translated with it), the campaigns themselves with the Mappa's deadline
extension, and synthetic responses of the registry's Comuni, labelled as demo data.

Synthetic responses (``load_synthetic``) are built in bulk: the engine's ``Response`` and
``Answer`` rows (``surveys.definition.answer_rows``, what ``surveys.services.submit`` stores),
the result cells recounted once in SQL (``surveys.results.recount_cells_in_sql``, equal to
``surveys.services.rebuild_results``), the ``Submission`` (``is_demo``) and its ``AreaScore``\\ s
by ``mappa.scoring.score``. Each Comune's answers come from its own random generator, seeded
with the campaign's seed and its ISTAT code: the same seed gives the same answers and scores,
whichever other Comuni are loaded. Shapes: a latent maturity grows with the population and
varies by region; each area has its own offset (security weakest, national platforms strongest);
the competence survey's needs are the Comune's weakest topics, its offers the strongest.

A Comune without a population in the registry gets a deterministic synthetic one, used only for
its demo submission (its variant and population class): the registry itself is not changed.

Idempotent: pages by slug, campaigns by slug, the extension only once, and synthetic responses
only for Comuni without a submission.
"""

from __future__ import annotations

import hashlib
import math
import random
import uuid
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from mappa import scoring
from mappa import services as mappa_services
from mappa.models import AreaScore, Campaign, MappaPage, Submission
from membership.enti import population_class
from membership.models import Ente
from surveys import definition as d
from surveys import services as survey_services
from surveys.models import Answer, Response, Segment, SurveyPage
from surveys.results import recount_cells_in_sql

from . import support
from .content import load
from .surveys import questions_stream

#: The staff account the demo's campaign changes are recorded under (it cannot sign in).
STAFF_USERNAME = "redazione-mappa"
#: Which Comuni answer: a stable hash of the ISTAT code, the same for both campaigns.
SELECTION_SALT = "mappa-demo"
KINDS = {"mappa": Campaign.Kind.MAPPA, "competence": Campaign.Kind.COMPETENCE}

#: Regional differences of the latent maturity (the registry's region names).
REGION_EFFECT = {
    "Abruzzo": -0.1,
    "Basilicata": -0.25,
    "Calabria": -0.35,
    "Campania": -0.15,
    "Emilia-Romagna": 0.35,
    "Friuli-Venezia Giulia": 0.25,
    "Lazio": 0.05,
    "Liguria": 0.05,
    "Lombardia": 0.3,
    "Marche": 0.1,
    "Molise": -0.3,
    "Piemonte": 0.1,
    "Puglia": 0.0,
    "Sardegna": -0.1,
    "Sicilia": -0.3,
    "Toscana": 0.25,
    "Trentino-Alto Adige/Südtirol": 0.35,
    "Umbria": 0.1,
    "Valle d'Aosta/Vallée d'Aoste": 0.05,
    "Veneto": 0.25,
}
#: Every area's offset: some areas are weaker across the country.
AREA_EFFECT = {
    "organizzazione": 0.0,
    "servizi": 0.1,
    "piattaforme": 0.7,
    "cloud": -0.3,
    "sicurezza": -0.6,
    "pnrr": 0.4,
}


# --- the questionnaires -----------------------------------------------------------------------


def sections(campaign_key: str, variant: str = "full") -> list[dict]:
    """The sections of a campaign's questionnaire as ``questions_stream`` takes them: the
    simplified version keeps the questions marked ``simplified``; ``topics = true`` gives a
    question the campaign's shared topics as its options."""
    spec = load("mappa")[campaign_key]
    out = []
    for section in spec["sections"]:
        questions = []
        for question in section["questions"]:
            if variant == "simplified" and not question.get("simplified"):
                continue
            clean = {k: v for k, v in question.items() if k not in ("simplified", "topics")}
            if question.get("topics"):
                clean["options"] = list(spec["topics"])
            questions.append(clean)
        if questions:
            out.append({**section, "questions": questions})
    return out


def survey_fields(campaign_key: str, variant: str, opens, closes) -> dict:
    spec = load("mappa")[campaign_key][variant]
    return {
        "title": spec["title"],
        "summary": spec["summary"],
        "intro": spec["intro"],
        "questions": questions_stream(spec["slug"], sections(campaign_key, variant)),
        "opens_at": opens,
        "closes_at": closes,
        "respondent": SurveyPage.Respondent.ENTE,
        "results_visibility": SurveyPage.Results.MANAGERS,
        # The campaign has its own communication; demo content never emails anyone.
        "send_invitations": False,
        "first_published_at": opens,
    }


def variants(campaign_key: str) -> list[str]:
    spec = load("mappa")[campaign_key]
    return [variant for variant in ("full", "simplified") if variant in spec]


def window(campaign_key: str, today, at) -> tuple:
    """The questionnaire's opening and original deadline (``at``: a day to a datetime)."""
    spec = load("mappa")[campaign_key]
    return (
        at(today + timedelta(days=spec["days_open"])),
        at(today + timedelta(days=spec["days_close"]), 18, 0),
    )


def mappa_pages(builder, home) -> MappaPage:
    """The Mappa page and the campaigns' questionnaires, with the page tree."""
    spec = load("mappa")["page"]
    page = builder.page(
        spec["key"],
        home,
        MappaPage,
        spec["slug"],
        lambda: {
            "title": spec["title"],
            "summary": spec["summary"],
            "intro": spec["intro"],
            "first_published_at": builder.launch,
        },
    )
    for key in KINDS:
        opens, closes = window(key, builder.today, builder.at)
        for variant in variants(key):
            qspec = load("mappa")[key][variant]
            builder.page(
                qspec["key"],
                page,
                SurveyPage,
                qspec["slug"],
                lambda key=key, variant=variant, opens=opens, closes=closes: survey_fields(
                    key, variant, opens, closes
                ),
            )
    return page


def ensure_campaign(key: str, mappa_page) -> Campaign | None:
    """The campaign ``key`` of ``demo/data/mappa.toml`` on the questionnaires under
    ``mappa_page`` (created when missing; ``None`` if a questionnaire is missing)."""
    spec = load("mappa")[key]
    existing = Campaign.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    pages = {}
    for variant in variants(key):
        page = (
            SurveyPage.objects.child_of(mappa_page)
            .filter(slug=spec[variant]["slug"], locale=mappa_page.locale)
            .first()
        )
        if page is None:
            return None
        pages[variant] = page
    return Campaign.objects.create(
        title=spec["title"],
        slug=spec["slug"],
        kind=KINDS[key],
        description=" ".join(spec["description"].split()),
        full_survey=pages["full"],
        simplified_survey=pages.get("simplified"),
        simplified_below=spec.get("simplified_below", 5000),
        rules=spec.get("rules", ""),
    )


def build_campaigns(mappa_page, *, now=None) -> dict[str, Campaign]:
    """The campaigns' questionnaires (published) and campaigns under ``mappa_page``, outside
    the demo's page tree (the benchmark and the tests); the windows relative to ``now``."""
    now = now or timezone.now()
    today = timezone.localdate(now)

    def at(day, hour=9, minute=30):
        return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))

    campaigns = {}
    for key in KINDS:
        opens, closes = window(key, today, at)
        for variant in variants(key):
            slug = load("mappa")[key][variant]["slug"]
            if not SurveyPage.objects.child_of(mappa_page).filter(slug=slug).exists():
                page = SurveyPage(
                    slug=slug, live=False, **survey_fields(key, variant, opens, closes)
                )
                mappa_page.add_child(instance=page)
                page.save_revision().publish()
        campaigns[key] = ensure_campaign(key, mappa_page)
    return campaigns


def staff_account():
    """The demo's staff account for the campaign's records."""
    return support.staff_account(
        STAFF_USERNAME, "Mappa dei Comuni Digitali", "mappacomunidigitali@comunidigitali.example"
    )


def load_mappa(builder) -> int:
    """The campaigns, the Mappa's deadline extension and the synthetic responses; the number
    of synthetic submissions created."""
    spec = load("mappa")
    page = MappaPage.objects.filter(slug=spec["page"]["slug"], locale=builder.it).first()
    if page is None:
        return 0
    created = 0
    for key in KINDS:
        campaign = ensure_campaign(key, page)
        if campaign is None:
            continue
        extension = spec[key].get("extension")
        if extension and not campaign.extensions.exists():
            new = builder.at(builder.today + timedelta(days=extension["days_close"]), 18, 0)
            record = mappa_services.extend_deadline(
                staff_account(), campaign, new, " ".join(extension["reason"].split())
            )
            # Decided a week ago, while the campaign was open.
            type(record).objects.filter(pk=record.pk).update(at=builder.now - timedelta(days=7))
        share = spec[key].get("synthetic_share", 0)
        if share:
            created += load_synthetic(
                campaign, synthetic_enti(share), spec[key]["synthetic_seed"], log=builder.log
            )
    return created


# --- synthetic responses ----------------------------------------------------------------------


def _bucket(code: str) -> int:
    digest = hashlib.sha256(f"{SELECTION_SALT}:{code}".encode()).hexdigest()
    return int(digest[:8], 16) % 100


def synthetic_enti(share: int = 100) -> list[Ente]:
    """The registry's Comuni (with an ISTAT code) that answer in the demo: ``share`` percent of
    them by a stable hash, leaving out the Enti of members (who answer for real)."""
    members = get_user_model().objects.filter(ente__isnull=False).values("ente_id")
    comuni = (
        Ente.objects.filter(kind=Ente.Kind.COMUNE, status=Ente.Status.APPROVED)
        .exclude(istat_code=None)
        .exclude(pk__in=members)
        .order_by("istat_code")
    )
    return [ente for ente in comuni if share >= 100 or _bucket(ente.istat_code) < share]


def _key(ente) -> str:
    return ente.istat_code or f"pk{ente.pk}"


def synthetic_population(ente) -> int:
    """A deterministic population for a Comune the registry has none for, shaped as Italy's
    (about seven Comuni in ten under 5,000 inhabitants)."""
    rng = random.Random(f"population:{_key(ente)}")  # noqa: S311 (demo data)
    return max(30, min(2_500_000, int(math.exp(rng.gauss(7.9, 1.35)))))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _maturity(ente, population: int, rng) -> float:
    return (
        0.6 * (math.log10(max(population, 30)) - 3.5)
        + REGION_EFFECT.get(ente.region, 0.0)
        + rng.gauss(0, 0.6)
    )


def _scored_answer(rng, question, item, quality):
    kind = question["kind"]
    if kind == d.YES_NO:
        return d.YES if rng.random() < quality else d.NO
    if kind == d.SCALE:
        low, high = question["scale"]["min"], question["scale"]["max"]
        value = round(low + quality * (high - low) + rng.gauss(0, 0.7))
        return max(low, min(high, value))
    if kind == d.SINGLE:
        ranked = sorted(question["options"], key=lambda option: item.points.get(option, 0))
        index = round(quality * (len(ranked) - 1) + rng.gauss(0, 0.6))
        return {"choice": ranked[max(0, min(len(ranked) - 1, index))], "other": ""}
    if kind == d.MULTIPLE:
        positive = [o for o in question["options"] if item.points.get(o, 0) > 0]
        chosen = [o for o in positive if rng.random() < 0.05 + 0.85 * quality]
        if not chosen:
            none = [o for o in question["options"] if item.points.get(o, 0) <= 0]
            chosen = none[:1] or positive[:1]
        return {"choices": chosen, "other": ""}
    return None


def _number(rng, question, population: int, quality: float) -> str:
    expected = population / 6000 * (0.4 + quality)
    value = max(0, round(rng.gauss(expected, 0.4 + expected / 4)))
    top = int(question["max"]) if question.get("max") else 1000
    return str(min(top, value))


def _plain_answer(rng, question, population: int, quality: float):
    """An unscored question: a plausible answer (optional texts left blank)."""
    kind = question["kind"]
    if kind == d.YES_NO:
        return d.YES if rng.random() < 0.2 else d.NO
    if kind == d.SINGLE:
        return {"choice": rng.choice(question["options"]), "other": ""}
    if kind == d.MULTIPLE:
        options = [o for o in question["options"] if o not in ("Nessuno", "Nessuna")]
        count = rng.randint(1, min(3, len(options)))
        return {"choices": rng.sample(options, count), "other": ""}
    if kind == d.NUMBER:
        return _number(rng, question, population, quality)
    if kind == d.SCALE:
        low, high = question["scale"]["min"], question["scale"]["max"]
        return rng.randint(low, high)
    return None


def mappa_answers(rng, definition, rules, ente, population: int) -> dict:
    """The cleaned answers (by question key) of a synthetic Comune."""
    items = (
        {item.question: (area.key, item) for area in rules.areas for item in area.items}
        if rules
        else {}
    )
    maturity = _maturity(ente, population, rng)
    area_noise = {key: rng.gauss(0, 0.5) for key in AREA_EFFECT}
    answers = {}
    for question in d.questions(definition):
        area, item = items.get(question["code"], (None, None))
        if item is None:
            answer = _plain_answer(rng, question, population, _sigmoid(maturity))
        else:
            quality = _sigmoid(
                1.3 * (maturity + AREA_EFFECT.get(area, 0.0) + area_noise.get(area, 0.0))
                + rng.gauss(0, 0.7)
            )
            if question["kind"] == d.NUMBER:
                answer = _number(rng, question, population, quality)
            else:
                answer = _scored_answer(rng, question, item, quality)
        if answer not in (None, ""):
            answers[question["key"]] = answer
    visible = d.visible_keys(definition, answers)
    return {key: value for key, value in answers.items() if key in visible}


def competence_answers(rng, definition, ente, population: int, needs, offers, topics) -> dict:
    """A synthetic Comune's grid: its weakest topics are its needs and criticalities, its
    strongest what it offers (more offers the bigger and more mature it is)."""
    maturity = _maturity(ente, population, rng)
    strength = {topic: maturity + rng.gauss(0, 0.8) for topic in topics}
    answers = {}
    for question in d.questions(definition):
        code, key = question["code"], question["key"]
        if code in needs:
            ranked = sorted(topics, key=lambda t: strength[t] + rng.gauss(0, 0.5))
            count = rng.randint(1, question.get("max_choices") or 5)
            answers[key] = {"choices": ranked[:count], "other": ""}
        elif code in offers:
            chosen = [t for t in topics if strength[t] + rng.gauss(0, 0.5) > 1.0][:5]
            if chosen:
                answers[key] = {"choices": chosen, "other": ""}
        elif question["kind"] == d.SINGLE and code == "modello_tecnologico":
            options = question["options"]
            weights = [3, 2, 2 + maturity, 3, 1] if population < 5000 else [2, 2, 3, 1, 2]
            answers[key] = {
                "choice": rng.choices(options, weights=[max(w, 0.2) for w in weights])[0],
                "other": "",
            }
        else:
            answer = _plain_answer(rng, question, population, _sigmoid(maturity))
            if answer not in (None, ""):
                answers[key] = answer
    visible = d.visible_keys(definition, answers)
    return {key: value for key, value in answers.items() if key in visible}


def _segments(values: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], int]:
    """``{(region, kind, population class): segment id}`` (position blank: no respondent)."""
    Segment.objects.bulk_create(
        [
            Segment(region=region[:64], ente_kind=kind, population_class=klass, position="")
            for region, kind, klass in values
        ],
        ignore_conflicts=True,
    )
    found = Segment.objects.filter(position="", region__in={v[0][:64] for v in values})
    return {(s.region, s.ente_kind, s.population_class): s.pk for s in found}


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (values already in the database's form) into ``model``'s table with one
    ``executemany``: the many answer and score rows without building a model instance each."""
    if not rows:
        return
    quote = connection.ops.quote_name
    # The table and column names are the models' own, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def load_synthetic(campaign: Campaign, enti, seed: int, *, log=None, batch_size=1000) -> int:
    """Synthetic, deterministic demo submissions of ``enti`` to ``campaign`` (those without a
    submission), in bulk; the number created."""
    done = set(Submission.objects.filter(campaign=campaign).values_list("ente_id", flat=True))
    enti = [ente for ente in enti if ente.pk not in done]
    if not enti:
        return 0
    key = "mappa" if campaign.kind == Campaign.Kind.MAPPA else "competence"
    spec = load("mappa")[key]
    rules = scoring.load(campaign.rules) if campaign.rules else None
    pages = {Campaign.Variant.FULL: campaign.full_survey}
    if campaign.simplified_survey_id:
        pages[Campaign.Variant.SIMPLIFIED] = campaign.simplified_survey
    versions = {
        variant: survey_services.version_for_answering(page) for variant, page in pages.items()
    }
    opens = campaign.opens_at
    until = min(timezone.now(), campaign.closes_at)
    span = max(3600.0, (until - opens).total_seconds() - 3600)

    populations = {ente.pk: ente.population or synthetic_population(ente) for ente in enti}
    segments = _segments({(e.region, e.kind, population_class(populations[e.pk])) for e in enti})
    ops, uuid_prep = connection.ops, Response._meta.pk.get_db_prep_value
    responses, answers, submissions, scores = [], [], [], []
    for ente in enti:
        rng = random.Random(f"{seed}:{key}:{_key(ente)}")  # noqa: S311 (demo data)
        population = populations[ente.pk]
        variant = (
            Campaign.Variant.SIMPLIFIED
            if Campaign.Variant.SIMPLIFIED in pages and population < campaign.simplified_below
            else Campaign.Variant.FULL
        )
        page, version = pages[variant], versions[variant]
        definition = version.definition
        if key == "mappa":
            cleaned = mappa_answers(rng, definition, rules, ente, population)
        else:
            cleaned = competence_answers(
                rng, definition, ente, population, spec["needs"], spec["offers"], spec["topics"]
            )
        klass = population_class(population)
        segment = segments[(ente.region[:64], ente.kind, klass)]
        when = opens + timedelta(seconds=rng.random() * span)
        response = Response(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            survey=page,
            version=version,
            user=None,
            ente=ente,
            segment_id=segment,
            submitted_at=when,
        )
        responses.append(response)
        response_id = uuid_prep(response.id, connection)
        answers.extend(
            (
                response_id,
                page.pk,
                segment,
                row.question,
                row.row,
                row.option,
                None if row.number is None else ops.adapt_decimalfield_value(row.number),
                row.text,
                ops.adapt_datefield_value(row.date),
            )
            for row in d.answer_rows(definition, cleaned)
        )
        area_scores = scoring.score(rules, definition, cleaned) if rules else {}
        submission = Submission(
            campaign=campaign,
            ente=ente,
            response=response,
            variant=variant,
            submitted_by=None,
            submitted_at=when,
            region=ente.region,
            province_code=ente.province_code,
            population_class=klass,
            ente_kind=ente.kind,
            is_demo=True,
            total_score=(
                round(sum(area_scores.values()) / len(area_scores), 1) if area_scores else None
            ),
        )
        submissions.append(submission)
        scores.extend(
            (submission, campaign.pk, area, value, ente.region, klass, ente.kind)
            for area, value in area_scores.items()
        )
    with transaction.atomic():
        Response.objects.bulk_create(responses, batch_size=batch_size)
        _insert(
            Answer,
            ["response_id", "survey_id", "segment_id", "question", "row", "option", "number"]
            + ["text", "date"],
            answers,
        )
        Submission.objects.bulk_create(submissions, batch_size=batch_size)
        _insert(
            AreaScore,
            ["submission_id", "campaign_id", "area", "score", "region", "population_class"]
            + ["ente_kind"],
            [(submission.pk, *rest) for submission, *rest in scores],
        )
        for page in pages.values():
            recount_cells_in_sql(page)
    if log is not None:
        log(
            f"  {campaign}: {len(submissions)} risposte dimostrative di Comuni "
            f"({len(answers)} risposte alle domande)"
        )
    return len(submissions)
