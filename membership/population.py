"""Population classes of the authorities, kept apart from the models so that ``Ente`` can store
its class on save and migrations can compute it (``membership.enti`` re-exports them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

#: Population classes of the authorities (upper bound exclusive, code, label), as ISTAT groups
#: municipalities; the surveys' results are filtered by them.
POPULATION_CLASSES = (
    (5_000, "lt5k", gettext_lazy("Under 5,000 inhabitants")),
    (20_000, "5k-20k", gettext_lazy("5,000 – 19,999 inhabitants")),
    (60_000, "20k-60k", gettext_lazy("20,000 – 59,999 inhabitants")),
    (250_000, "60k-250k", gettext_lazy("60,000 – 249,999 inhabitants")),
    (None, "250k+", gettext_lazy("250,000 inhabitants or more")),
)


def population_class(population: int | None) -> str:
    """The code of the population class of ``population`` (blank when unknown)."""
    if population is None:
        return ""
    for bound, code, _label in POPULATION_CLASSES:
        if bound is None or population < bound:
            return code
    return ""


def population_class_choices() -> list[tuple[str, str]]:
    return [(code, label) for _bound, code, label in POPULATION_CLASSES]
