"""The people the demo identity provider can sign in: one per portal role, plus a newcomer.

Fiscal codes are computed with the real algorithm (surname, name, birth date, sex, Belfiore
code of the birthplace, check character), so they pass any format check; the people are
invented. ``load_demo`` (or a test) may create portal accounts for the same fiscal codes to
give each identity its role; the newcomer has none, to show the first-access registration.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

VOWELS = set("AEIOU")
MONTHS = "ABCDEHLMPRST"
ODD = {
    **dict(
        zip(
            "0123456789",
            [1, 0, 5, 7, 9, 13, 15, 17, 19, 21],
            strict=True,
        )
    ),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            [
                1,
                0,
                5,
                7,
                9,
                13,
                15,
                17,
                19,
                21,
                2,
                4,
                18,
                20,
                11,
                3,
                6,
                8,
                12,
                14,
                16,
                10,
                22,
                25,
                24,
                23,
            ],
            strict=True,
        )
    ),
}


def _letters(value: str) -> str:
    return "".join(c for c in value.upper() if c.isalpha())


def _part(value: str, *, is_name: bool) -> str:
    letters = _letters(value)
    consonants = [c for c in letters if c not in VOWELS]
    vowels = [c for c in letters if c in VOWELS]
    if is_name and len(consonants) >= 4:
        consonants = [consonants[0], consonants[2], consonants[3]]
    return "".join(consonants + vowels + ["X"] * 3)[:3]


def check_character(first15: str) -> str:
    """The check character of an Italian fiscal code (codice fiscale)."""
    total = 0
    for position, char in enumerate(first15.upper(), start=1):
        if position % 2:  # odd positions (1-based)
            total += ODD[char]
        else:
            total += int(char) if char.isdigit() else ord(char) - ord("A")
    return chr(ord("A") + total % 26)


def fiscal_code(
    family_name: str, name: str, birth: datetime.date, sex: str, place_code: str
) -> str:
    day = birth.day + (40 if sex == "F" else 0)
    first15 = (
        f"{_part(family_name, is_name=False)}{_part(name, is_name=True)}"
        f"{birth.year % 100:02d}{MONTHS[birth.month - 1]}{day:02d}{place_code}"
    )
    return first15 + check_character(first15)


def is_valid_fiscal_code(value: str) -> bool:
    value = value.upper()
    return len(value) == 16 and value.isalnum() and check_character(value[:15]) == value[15]


@dataclass(frozen=True)
class DemoIdentity:
    key: str
    name: str
    family_name: str
    sex: str  # "M" or "F"
    birth_date: datetime.date
    place_code: str  # Belfiore code of the birthplace
    place_of_birth: str
    county_of_birth: str
    email: str
    role: str  # the portal role code (ARCHITECTURE.md), "" for a newcomer
    role_label: str  # shown on the demo IdP's page (Italian demo content)
    mobile_phone: str

    @property
    def fiscal_code(self) -> str:
        return fiscal_code(self.family_name, self.name, self.birth_date, self.sex, self.place_code)

    @property
    def full_name(self) -> str:
        return f"{self.name} {self.family_name}"

    def attributes(self) -> dict[str, str]:
        """Every SPID attribute this identity has; the IdP sends those the SP requests."""
        return {
            "spidCode": f"DEMO{self.fiscal_code[:10]}",
            "fiscalNumber": f"TINIT-{self.fiscal_code}",
            "name": self.name,
            "familyName": self.family_name,
            "email": self.email,
            "dateOfBirth": self.birth_date.isoformat(),
            "placeOfBirth": self.place_code,
            "countyOfBirth": self.county_of_birth,
            "gender": self.sex,
            "mobilePhone": self.mobile_phone,
        }


def _identity(key, name, family_name, sex, birth, place, email, role, role_label, phone):
    place_code, place_name, county = place
    return DemoIdentity(
        key=key,
        name=name,
        family_name=family_name,
        sex=sex,
        birth_date=birth,
        place_code=place_code,
        place_of_birth=place_name,
        county_of_birth=county,
        email=email,
        role=role,
        role_label=role_label,
        mobile_phone=phone,
    )


ROMA = ("H501", "Roma", "RM")
MILANO = ("F205", "Milano", "MI")
NAPOLI = ("F839", "Napoli", "NA")
TORINO = ("L219", "Torino", "TO")
BOLOGNA = ("A944", "Bologna", "BO")
FIRENZE = ("D612", "Firenze", "FI")
PALERMO = ("G273", "Palermo", "PA")
BARI = ("A662", "Bari", "BA")

IDENTITIES: tuple[DemoIdentity, ...] = (
    _identity(
        "nuovo",
        "Giulia",
        "Ferrari",
        "F",
        datetime.date(1988, 3, 14),
        BOLOGNA,
        "giulia.ferrari@comune-collefiorito.example",
        "",
        "Primo accesso: persona non ancora registrata (mostra la registrazione)",
        "+393331234001",
    ),
    _identity(
        "iscritto",
        "Marco",
        "Rossi",
        "M",
        datetime.date(1975, 6, 2),
        ROMA,
        "marco.rossi@comune-valverde.example",
        "registered",
        "Iscritto alla Community",
        "+393331234002",
    ),
    _identity(
        "partecipante",
        "Chiara",
        "Esposito",
        "F",
        datetime.date(1982, 11, 23),
        NAPOLI,
        "chiara.esposito@comune-portosereno.example",
        "participant",
        "Partecipante semplice della CdP Cybersicurezza",
        "+393331234003",
    ),
    _identity(
        "designato",
        "Luca",
        "Bianchi",
        "M",
        datetime.date(1979, 1, 9),
        MILANO,
        "luca.bianchi@comune-montealto.example",
        "designated",
        "Partecipante designato della CdP Cybersicurezza",
        "+393331234004",
    ),
    _identity(
        "membro-gdl",
        "Francesca",
        "Romano",
        "F",
        datetime.date(1990, 7, 30),
        TORINO,
        "francesca.romano@unione-colline.example",
        "wg_member",
        "Membro di un gruppo di lavoro",
        "+393331234005",
    ),
    _identity(
        "coordinatore-gdl",
        "Alessandro",
        "Colombo",
        "M",
        datetime.date(1971, 4, 17),
        FIRENZE,
        "alessandro.colombo@comune-riofreddo.example",
        "wg_coordinator",
        "Coordinatore di un gruppo di lavoro",
        "+393331234006",
    ),
    _identity(
        "coordinatore",
        "Valentina",
        "Ricci",
        "F",
        datetime.date(1984, 9, 5),
        PALERMO,
        "valentina.ricci@cittametropolitana-esempio.example",
        "coordinator",
        "Coordinatrice della CdP Cybersicurezza",
        "+393331234007",
    ),
    _identity(
        "supporto",
        "Giuseppe",
        "Marino",
        "M",
        datetime.date(1968, 12, 21),
        BARI,
        "giuseppe.marino@supporto-comunita.example",
        "support",
        "Team di supporto (referente ANCI/DTD)",
        "+393331234008",
    ),
)

BY_KEY = {identity.key: identity for identity in IDENTITIES}


def get(key: str) -> DemoIdentity | None:
    return BY_KEY.get(key)
