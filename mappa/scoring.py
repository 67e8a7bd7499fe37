"""Scores per area, from rules written as data (``mappa/rules/<name>.toml``, documented in
``docs/mappa.md``).

A rules file lists the areas; each area lists items, one per question (by its code in the
questionnaire) with the points its answers give:

- ``points = {option = points, ...}`` for a single choice or a yes/no question (``yes``/``no``),
  and for a multiple choice, whose chosen options' points add up to at most ``cap`` (default:
  the sum of all the positive points);
- ``scale = true`` for a scale question: its minimum gives 0 points, its maximum ``max``;
- ``thresholds = [[at least, points], ...]`` for a number question (the highest reached);
- ``weight`` (default 1) multiplies the item.

An area's score is the points earned over the points possible, 0 to 100, counting only the
items whose question the answered version has (the simplified questionnaire is a subset: its
Comuni are scored on what they were asked) and that were shown (a question hidden by a
condition is left out, not counted as zero). An area with no such item has no score.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent / "rules"


@dataclass(frozen=True)
class Item:
    question: str
    weight: float = 1.0
    points: dict = field(default_factory=dict)
    cap: float | None = None
    scale: bool = False
    max: float = 10.0
    thresholds: tuple = ()

    def possible(self, question: dict) -> float:
        if self.scale:
            return self.max
        if self.thresholds:
            return max(points for _at, points in self.thresholds)
        if question.get("kind") == "multiple_choice":
            return (
                self.cap if self.cap is not None else sum(p for p in self.points.values() if p > 0)
            )
        return max(self.points.values(), default=0)

    def earned(self, question: dict, answer) -> float | None:
        """Points of ``answer`` (the engine's cleaned answer), ``None`` when unanswered."""
        if answer in (None, "", [], {}):
            return None
        kind = question.get("kind")
        if self.scale:
            scale = question.get("scale") or {}
            low, high = scale.get("min", 1), scale.get("max", 5)
            if high <= low:
                return None
            return (int(answer) - low) / (high - low) * self.max
        if self.thresholds:
            try:
                value = Decimal(str(answer))
            except InvalidOperation:
                return None
            reached = [points for at, points in self.thresholds if value >= Decimal(str(at))]
            return max(reached, default=0.0)
        if kind == "multiple_choice":
            chosen = answer.get("choices", []) if isinstance(answer, dict) else list(answer)
            total = sum(self.points.get(option, 0) for option in chosen)
            return min(total, self.possible(question))
        if isinstance(answer, dict):
            answer = answer.get("choice")
        return float(self.points.get(answer, 0))


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    items: tuple[Item, ...]
    #: Words that find the portal's resources addressing this area (the agenda digitale).
    topics: tuple[str, ...] = ()
    #: Below this score the area is weak (the agenda suggests resources for it).
    weak_below: float = 50.0


@dataclass(frozen=True)
class Rules:
    name: str
    title: str
    areas: tuple[Area, ...]

    def area(self, key: str) -> Area | None:
        return next((area for area in self.areas if area.key == key), None)


class RulesError(ValueError):
    pass


def _item(raw: dict, where: str) -> Item:
    if "question" not in raw:
        raise RulesError(f"{where}: an item needs its question's code")
    thresholds = tuple(tuple(pair) for pair in raw.get("thresholds", ()))
    item = Item(
        question=raw["question"],
        weight=float(raw.get("weight", 1)),
        points={str(k): float(v) for k, v in raw.get("points", {}).items()},
        cap=float(raw["cap"]) if "cap" in raw else None,
        scale=bool(raw.get("scale", False)),
        max=float(raw.get("max", 10)),
        thresholds=thresholds,
    )
    if not (item.points or item.scale or item.thresholds):
        raise RulesError(f"{where}: item {item.question} gives no points")
    return item


def parse(text: str, name: str = "rules") -> Rules:
    data = tomllib.loads(text)
    areas = []
    for index, raw in enumerate(data.get("areas", [])):
        where = f"{name}: area {index + 1}"
        if "key" not in raw or "label" not in raw:
            raise RulesError(f"{where}: key and label are required")
        areas.append(
            Area(
                key=raw["key"],
                label=raw["label"],
                items=tuple(_item(item, where) for item in raw.get("items", [])),
                topics=tuple(raw.get("topics", ())),
                weak_below=float(raw.get("weak_below", 50)),
            )
        )
    keys = [area.key for area in areas]
    if len(set(keys)) != len(keys):
        raise RulesError(f"{name}: two areas have the same key")
    return Rules(name=name, title=data.get("title", name), areas=tuple(areas))


@lru_cache(maxsize=8)
def load(name: str) -> Rules:
    path = RULES_DIR / f"{name}.toml"
    if not path.is_file():
        raise RulesError(f"no scoring rules named {name!r} in {RULES_DIR}")
    return parse(path.read_text(encoding="utf-8"), name)


def score(rules: Rules, definition: dict, answers: dict) -> dict[str, float]:
    """``{area key: score 0–100}`` of a response (``answers``: the engine's cleaned answers
    by question key; ``definition``: the answered version's frozen definition; the rules name
    questions by the code editors give them)."""
    from surveys import definition as d

    by_code = {q["code"]: q for q in d.questions(definition) if q.get("code")}
    shown = set(d.visible_keys(definition, answers))
    scores = {}
    for area in rules.areas:
        earned = possible = 0.0
        for item in area.items:
            question = by_code.get(item.question)
            if question is None or question["key"] not in shown:
                continue
            possible += item.weight * item.possible(question)
            points = item.earned(question, answers.get(question["key"]))
            earned += item.weight * (points or 0.0)
        if possible > 0:
            scores[area.key] = round(max(0.0, min(100.0, earned / possible * 100)), 1)
    return scores
