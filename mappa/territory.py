"""The competence-centre survey's territorial view: for a territory (a province, or a union of
Comuni) and a competence campaign, who needs what, who offers what, and for one Ente of the
territory the matching list "Comuni che possono aiutarti su …".

Which questions are *needs* (fabbisogni, criticità) and which are *offers* (competenze, risorse
IT) is data: ``mappa/rules/competence.toml`` names them by their code in the questionnaire,
over the shared list of topics that are those multiple-choice questions' options; ``details``
names the questions shown beside each Comune (technology model, IT staff, external support).

The answers are read from the engine's ``surveys.Answer`` rows in one query (plus one for the
territory's submissions and one for the answered versions' definitions), whatever the number of
Comuni. The free "Other" texts of a choice are never shown nor matched.

A territory's members are the Comuni whose ``Ente.province_code`` is the province's, or that
belong to the union (``Ente.unions``, kept by staff in the registry's admin; the union itself
counts as one of its territory's members).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from membership.models import Ente
from surveys import definition as d
from surveys.models import Answer, QuestionnaireVersion

from .models import Campaign, Submission

RULES_DIR = Path(__file__).resolve().parent / "rules"
#: The matching rules' file in ``RULES_DIR`` (every competence campaign uses it).
RULES_NAME = "competence"

PROVINCE = "province"
UNION = "union"

#: A province's abbreviation as the registry stores it (``Ente.province_code``).
PROVINCE_CODE_RE = re.compile(r"^[A-Z0-9]{1,4}$")


# --- the rules --------------------------------------------------------------------------------


class RulesError(ValueError):
    pass


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class Rules:
    name: str
    title: str
    topics: tuple[str, ...]
    needs: tuple[Question, ...]
    offers: tuple[Question, ...]
    details: tuple[Question, ...] = ()

    def codes(self) -> set[str]:
        return {q.code for q in (*self.needs, *self.offers, *self.details)}


def _questions(data: dict, key: str, name: str) -> tuple[Question, ...]:
    out = []
    for index, raw in enumerate(data.get(key, [])):
        if not raw.get("question") or not raw.get("label"):
            raise RulesError(f"{name}: {key} {index + 1} needs its question's code and a label")
        out.append(Question(code=raw["question"], label=raw["label"], group=raw.get("group", "")))
    return tuple(out)


def parse(text: str, name: str = "rules") -> Rules:
    data = tomllib.loads(text)
    topics = tuple(str(topic) for topic in data.get("topics", ()))
    if len(set(topics)) != len(topics):
        raise RulesError(f"{name}: a topic is listed twice")
    rules = Rules(
        name=name,
        title=data.get("title", name),
        topics=topics,
        needs=_questions(data, "needs", name),
        offers=_questions(data, "offers", name),
        details=_questions(data, "details", name),
    )
    if not rules.needs or not rules.offers:
        raise RulesError(f"{name}: the rules need at least one need and one offer")
    codes = [q.code for q in (*rules.needs, *rules.offers, *rules.details)]
    if len(set(codes)) != len(codes):
        raise RulesError(f"{name}: a question is named twice")
    return rules


@lru_cache(maxsize=4)
def load(name: str = RULES_NAME) -> Rules:
    path = RULES_DIR / f"{name}.toml"
    if not path.is_file():
        raise RulesError(f"no matching rules named {name!r} in {RULES_DIR}")
    return parse(path.read_text(encoding="utf-8"), name)


# --- territories ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Territory:
    """A province (``code`` = its abbreviation) or a union of Comuni (``union`` = its Ente)."""

    kind: str
    code: str
    name: str
    union: Ente | None = None

    @property
    def label(self) -> str:
        if self.kind == PROVINCE:
            return _("Province of %(name)s (%(code)s)") % {"name": self.name, "code": self.code}
        return self.name

    def url(self, campaign, csv: bool = False) -> str:
        suffix = "_csv" if csv else ""
        if self.kind == PROVINCE:
            return reverse(f"mappa:territory_province{suffix}", args=[campaign.slug, self.code])
        return reverse(f"mappa:territory_union{suffix}", args=[campaign.slug, self.union.pk])

    def csv_url(self, campaign) -> str:
        return self.url(campaign, csv=True)

    def ente_ids(self):
        """A subquery of the ids of the territory's Enti."""
        if self.kind == PROVINCE:
            return Ente.objects.filter(province_code=self.code).values("pk")
        members = Ente.unions.through.objects.filter(to_ente_id=self.union.pk).values(
            "from_ente_id"
        )
        return Ente.objects.filter(Q(pk__in=members) | Q(pk=self.union.pk)).values("pk")

    def contains(self, ente_id) -> bool:
        if ente_id is None:
            return False
        if self.kind == PROVINCE:
            return Ente.objects.filter(pk=ente_id, province_code=self.code).exists()
        if ente_id == self.union.pk:
            return True
        return Ente.unions.through.objects.filter(
            from_ente_id=ente_id, to_ente_id=self.union.pk
        ).exists()


def province(code: str) -> Territory | None:
    """The province ``code`` if the registry knows an approved Ente in it, else ``None``."""
    code = (code or "").strip().upper()
    if not PROVINCE_CODE_RE.match(code):
        return None
    name = (
        Ente.objects.filter(province_code=code, status=Ente.Status.APPROVED)
        .exclude(province="")
        .values_list("province", flat=True)
        .first()
    )
    if name is None:
        if not Ente.objects.filter(province_code=code, status=Ente.Status.APPROVED).exists():
            return None
        name = code
    return Territory(kind=PROVINCE, code=code, name=name)


def union(pk) -> Territory | None:
    """The union of Comuni ``pk`` (an approved Ente of kind ``unione``), else ``None``."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    ente = Ente.objects.filter(pk=pk, kind=Ente.Kind.UNIONE, status=Ente.Status.APPROVED).first()
    if ente is None:
        return None
    return Territory(kind=UNION, code=str(ente.pk), name=ente.name, union=ente)


@dataclass
class TerritoryCount:
    territory: Territory
    answered: int


def territories_of(campaign: Campaign, ente: Ente | None) -> list[TerritoryCount]:
    """The territories ``ente`` belongs to (its province, its unions, itself if a union), with
    how many of their Enti answered ``campaign``."""
    if ente is None:
        return []
    territories = []
    if ente.province_code:
        found = province(ente.province_code)
        if found is not None:
            territories.append(found)
    unions = list(
        Ente.objects.filter(
            pk__in=Ente.unions.through.objects.filter(from_ente_id=ente.pk).values("to_ente_id"),
            kind=Ente.Kind.UNIONE,
            status=Ente.Status.APPROVED,
        ).order_by("name")
    )
    if ente.kind == Ente.Kind.UNIONE and ente.status == Ente.Status.APPROVED:
        unions.insert(0, ente)
    territories += [Territory(kind=UNION, code=str(u.pk), name=u.name, union=u) for u in unions]
    return [
        TerritoryCount(
            t, Submission.objects.filter(campaign=campaign, ente_id__in=t.ente_ids()).count()
        )
        for t in territories
    ]


def all_territories(campaign: Campaign) -> list[TerritoryCount]:
    """Staff's list: every province and union with at least one answer (two queries)."""
    provinces = (
        Submission.objects.filter(campaign=campaign)
        .exclude(ente__province_code="")
        .values("ente__province_code")
        .annotate(answered=Count("pk"))
        .order_by("ente__province_code")
    )
    names = dict(
        Ente.objects.filter(province_code__in=[p["ente__province_code"] for p in provinces])
        .exclude(province="")
        .values_list("province_code", "province")
        .distinct()
    )
    out = [
        TerritoryCount(
            Territory(
                kind=PROVINCE,
                code=p["ente__province_code"],
                name=names.get(p["ente__province_code"], p["ente__province_code"]),
            ),
            p["answered"],
        )
        for p in provinces
    ]
    answered = Submission.objects.filter(campaign=campaign).values("ente_id")
    links = (
        Ente.unions.through.objects.filter(
            from_ente_id__in=answered,
            to_ente__kind=Ente.Kind.UNIONE,
            to_ente__status=Ente.Status.APPROVED,
        )
        .values("to_ente_id")
        .annotate(answered=Count("from_ente_id"))
    )
    counts = {link["to_ente_id"]: link["answered"] for link in links}
    for ente in Ente.objects.filter(pk__in=counts).order_by("name"):
        out.append(
            TerritoryCount(
                Territory(kind=UNION, code=str(ente.pk), name=ente.name, union=ente),
                counts[ente.pk],
            )
        )
    return out


# --- who needs what, who offers what ----------------------------------------------------------


@dataclass
class Entry:
    """One Ente of the territory that answered: its needs and offers by topic (each with the
    labels of the questions that named it) and its details."""

    ente_id: int
    name: str
    label: str
    istat_code: str
    province_code: str
    province: str
    region: str
    population: int | None
    is_demo: bool
    needs: dict[str, list[str]] = field(default_factory=dict)
    offers: dict[str, list[str]] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)

    def __str__(self):
        return self.label


@dataclass
class TopicRow:
    topic: str
    needed_by: list[tuple[Entry, list[str]]]
    offered_by: list[tuple[Entry, list[str]]]


@dataclass
class Match:
    topic: str
    needs: list[str]
    offered_by: list[tuple[Entry, list[str]]]


@dataclass
class View:
    territory: Territory
    rules: Rules
    entries: list[Entry]
    topics: list[TopicRow]

    def entry(self, ente_id) -> Entry | None:
        return next((e for e in self.entries if e.ente_id == ente_id), None)


def _number(value: Decimal) -> str:
    value = value.normalize()
    return f"{value:f}" if value != value.to_integral() else str(int(value))


def _keys_by_code(definition: dict, codes: set[str]) -> dict[str, dict]:
    """``{question key: question}`` of the questions of ``definition`` named in ``codes``."""
    return {q["key"]: q for q in d.questions(definition) if q.get("code") in codes}


def build(campaign: Campaign, territory: Territory, rules: Rules | None = None) -> View:
    """Who needs and who offers each topic among the territory's Enti that answered
    ``campaign`` (three queries)."""
    rules = rules or load()
    submissions = list(
        Submission.objects.filter(campaign=campaign, ente_id__in=territory.ente_ids())
        .select_related("ente", "response")
        .only(
            "pk",
            "is_demo",
            "response__id",
            "response__version_id",
            "response__survey_id",
            "ente__id",
            "ente__name",
            "ente__istat_code",
            "ente__province",
            "ente__province_code",
            "ente__region",
            "ente__population",
        )
    )
    entries: dict[int, Entry] = {}
    by_response: dict[int, Entry] = {}
    version_ids = set()
    survey_ids = set()
    for submission in submissions:
        ente = submission.ente
        entry = Entry(
            ente_id=ente.pk,
            name=ente.name,
            label=str(ente),
            istat_code=ente.istat_code or "",
            province_code=ente.province_code,
            province=ente.province,
            region=ente.region,
            population=ente.population,
            is_demo=submission.is_demo,
        )
        entries[ente.pk] = entry
        by_response[submission.response.pk] = entry
        version_ids.add(submission.response.version_id)
        survey_ids.add(submission.response.survey_id)
    questions: dict[str, dict] = {}  # question key → question, over the answered versions
    if version_ids:
        for definition in QuestionnaireVersion.objects.filter(pk__in=version_ids).values_list(
            "definition", flat=True
        ):
            questions.update(_keys_by_code(definition, rules.codes()))
    needs = {q.code: q.label for q in rules.needs}
    offers = {q.code: q.label for q in rules.offers}
    details = {q.code for q in rules.details}
    detail_values: dict[tuple[int, str], list[str]] = {}
    if by_response and questions:
        rows = Answer.objects.filter(
            survey_id__in=survey_ids, response_id__in=list(by_response), question__in=questions
        ).values_list("response_id", "question", "option", "number", "text")
        for response_id, key, option, number, text in rows.order_by("pk"):
            entry = by_response[response_id]
            question = questions[key]
            code = question["code"]
            if code in needs or code in offers:
                if not option or option == d.OTHER:
                    continue
                target = entry.needs if code in needs else entry.offers
                label = needs.get(code) or offers[code]
                labels = target.setdefault(option, [])
                if label not in labels:
                    labels.append(label)
            elif code in details:
                if question.get("kind") == d.NUMBER and number is not None:
                    value = _number(number)
                elif question.get("kind") in (d.LONG_TEXT, d.SHORT_TEXT):
                    value = text
                elif option and option != d.OTHER:
                    value = {"yes": _("yes"), "no": _("no")}.get(option, option)
                else:
                    continue
                detail_values.setdefault((entry.ente_id, code), []).append(value)
    for (ente_id, code), values in detail_values.items():
        entries[ente_id].details[code] = ", ".join(v for v in values if v)
    ordered = sorted(entries.values(), key=lambda e: (e.name.casefold(), e.ente_id))
    return View(
        territory=territory,
        rules=rules,
        entries=ordered,
        topics=_topic_rows(rules, ordered),
    )


def _topic_order(rules: Rules, entries: list[Entry]) -> list[str]:
    seen = set(rules.topics)
    extra = sorted(
        {t for e in entries for t in (*e.needs, *e.offers) if t not in seen}, key=str.casefold
    )
    return [*rules.topics, *extra]


def _topic_rows(rules: Rules, entries: list[Entry]) -> list[TopicRow]:
    rows = []
    for topic in _topic_order(rules, entries):
        needed = [(e, e.needs[topic]) for e in entries if topic in e.needs]
        offered = [(e, e.offers[topic]) for e in entries if topic in e.offers]
        if needed or offered:
            rows.append(TopicRow(topic=topic, needed_by=needed, offered_by=offered))
    return rows


def matches(view: View, ente_id) -> list[Match] | None:
    """For each topic the Ente ``ente_id`` needs, the other Enti of the territory that offer it,
    nearest first (same province, then same region, then by name); ``None`` if the Ente did
    not answer."""
    mine = view.entry(ente_id)
    if mine is None:
        return None
    out = []
    for topic in _topic_order(view.rules, view.entries):
        if topic not in mine.needs:
            continue
        offered = [
            (e, e.offers[topic])
            for e in view.entries
            if e.ente_id != mine.ente_id and topic in e.offers
        ]
        offered.sort(
            key=lambda pair: (
                pair[0].province_code != mine.province_code,
                pair[0].region != mine.region,
                pair[0].name.casefold(),
            )
        )
        out.append(Match(topic=topic, needs=mine.needs[topic], offered_by=offered))
    return out
