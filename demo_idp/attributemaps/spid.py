"""SPID/CIE attribute names, sent with the basic name format (as SPID requires)."""

NAMES = [
    "spidCode",
    "name",
    "familyName",
    "placeOfBirth",
    "countyOfBirth",
    "dateOfBirth",
    "gender",
    "companyName",
    "registeredOffice",
    "fiscalNumber",
    "ivaCode",
    "idCard",
    "mobilePhone",
    "email",
    "address",
    "expirationDate",
    "digitalAddress",
]

MAP = {
    "identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
    "fro": {name.lower(): name for name in NAMES},
    "to": {name.lower(): name for name in NAMES},
}
