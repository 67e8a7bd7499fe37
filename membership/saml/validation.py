"""The SPID/CIE checks on an authentication response that pysaml2 does not make itself.

pysaml2 verifies the signatures (and refuses wrapping attacks); ``validate_response`` then
applies the SPID technical rules (Regole tecniche, Avvisi 1-41) to the verified Response and
Assertion: every element present and well-formed, addressed to us, in time, from the IdP we
asked, at the level we asked.
"""

import datetime
import re
from dataclasses import dataclass

from saml2.saml import NAMEID_FORMAT_ENTITY, NAMEID_FORMAT_TRANSIENT, SCM_BEARER
from saml2.samlp import STATUS_SUCCESS

from .conf import SPID_LEVELS

INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")
LEVEL_OF = {ref: level for level, ref in SPID_LEVELS.items()}


class SpidValidationError(Exception):
    """The response breaks a SPID/CIE rule; the message is for the log, not the user."""


@dataclass
class OutstandingRequest:
    request_id: str
    issued: datetime.datetime
    idp: str
    level: int


def parse_instant(value, what: str) -> datetime.datetime:
    if not value or not INSTANT.match(str(value).strip()):
        raise SpidValidationError(f"{what} missing or not a UTC instant: {value!r}")
    text = str(value).strip()[:19]
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.UTC)


def _require(condition, message: str) -> None:
    if not condition:
        raise SpidValidationError(message)


def _text(element) -> str:
    return (getattr(element, "text", None) or "").strip()


def validate_response(
    authn_response,
    *,
    kind: str,
    request: OutstandingRequest,
    acs_url: str,
    sp_entity_id: str,
    now: datetime.datetime | None = None,
    skew: int = 120,
) -> None:
    """Raise SpidValidationError unless the (signature-checked) response follows the rules."""
    now = now or datetime.datetime.now(datetime.UTC)
    tolerance = datetime.timedelta(seconds=skew)
    earliest = request.issued - tolerance
    latest = now + tolerance

    response = authn_response.response
    # Response
    _require(response.version == "2.0", f"Response Version {response.version!r}")
    _require((response.id or "").strip(), "Response ID missing")
    instant = parse_instant(response.issue_instant, "Response IssueInstant")
    _require(earliest <= instant <= latest, f"Response IssueInstant out of range: {instant}")
    _require(
        (response.in_response_to or "").strip() == request.request_id,
        "Response InResponseTo does not match the request",
    )
    _require((response.destination or "").strip() == acs_url, "Response Destination mismatch")
    status = response.status
    _require(status is not None and status.status_code is not None, "Status missing")
    _require(status.status_code.value == STATUS_SUCCESS, "Status is not Success")
    issuer = response.issuer
    _require(issuer is not None and _text(issuer) == request.idp, "Response Issuer mismatch")
    _require(
        issuer.format in (None, NAMEID_FORMAT_ENTITY), f"Response Issuer Format {issuer.format!r}"
    )

    # Assertion (exactly one, signed: pysaml2 checked the signature)
    assertions = list(getattr(response, "assertion", None) or [])
    _require(len(assertions) == 1, "exactly one Assertion is required")
    assertion = authn_response.assertion
    _require(assertion is not None, "Assertion missing")
    _require((assertion.id or "").strip(), "Assertion ID missing")
    _require(assertion.version == "2.0", f"Assertion Version {assertion.version!r}")
    instant = parse_instant(assertion.issue_instant, "Assertion IssueInstant")
    _require(earliest <= instant <= latest, f"Assertion IssueInstant out of range: {instant}")

    issuer = assertion.issuer
    _require(issuer is not None and _text(issuer) == request.idp, "Assertion Issuer mismatch")
    if kind == "cie":
        _require(issuer.format in (None, NAMEID_FORMAT_ENTITY), "Assertion Issuer Format")
    else:
        _require(
            issuer.format == NAMEID_FORMAT_ENTITY, f"Assertion Issuer Format {issuer.format!r}"
        )

    # Subject
    subject = assertion.subject
    _require(subject is not None, "Subject missing")
    name_id = subject.name_id
    _require(name_id is not None and _text(name_id), "NameID missing")
    _require(name_id.format == NAMEID_FORMAT_TRANSIENT, f"NameID Format {name_id.format!r}")
    _require((name_id.name_qualifier or "").strip(), "NameID NameQualifier missing")
    confirmations = subject.subject_confirmation or []
    _require(confirmations, "SubjectConfirmation missing")
    for confirmation in confirmations:
        _require(
            confirmation.method == SCM_BEARER, f"SubjectConfirmation Method {confirmation.method!r}"
        )
        data = confirmation.subject_confirmation_data
        _require(data is not None, "SubjectConfirmationData missing")
        _require((data.recipient or "").strip() == acs_url, "SubjectConfirmationData Recipient")
        _require(
            (data.in_response_to or "").strip() == request.request_id,
            "SubjectConfirmationData InResponseTo",
        )
        not_on_or_after = parse_instant(
            data.not_on_or_after, "SubjectConfirmationData NotOnOrAfter"
        )
        _require(not_on_or_after > now - tolerance, "SubjectConfirmationData expired")

    # Conditions
    conditions = assertion.conditions
    _require(conditions is not None, "Conditions missing")
    not_before = parse_instant(conditions.not_before, "Conditions NotBefore")
    _require(not_before <= latest, "Conditions NotBefore in the future")
    not_on_or_after = parse_instant(conditions.not_on_or_after, "Conditions NotOnOrAfter")
    _require(not_on_or_after > now - tolerance, "Conditions expired")
    restrictions = conditions.audience_restriction or []
    _require(restrictions, "AudienceRestriction missing")
    for restriction in restrictions:
        audiences = [_text(audience) for audience in restriction.audience or []]
        _require(audiences and all(audiences), "Audience missing")
        _require(sp_entity_id in audiences, "Audience is not this SP")

    # AuthnStatement and level
    statements = assertion.authn_statement or []
    _require(len(statements) == 1, "AuthnStatement missing")
    context = statements[0].authn_context
    _require(context is not None, "AuthnContext missing")
    class_ref = _text(context.authn_context_class_ref)
    _require(class_ref in LEVEL_OF, f"AuthnContextClassRef {class_ref!r}")
    _require(LEVEL_OF[class_ref] >= request.level, f"level {class_ref} below the requested one")

    # AttributeStatement, when present, must carry attributes
    for statement in assertion.attribute_statement or []:
        _require(statement.attribute, "AttributeStatement without Attribute")
        for attribute in statement.attribute:
            _require((attribute.name or "").strip(), "Attribute without Name")


def attributes_of(assertion) -> dict[str, str]:
    """SPID/CIE attributes (by their SPID names) of a verified assertion."""
    values = {}
    for statement in assertion.attribute_statement or []:
        for attribute in statement.attribute or []:
            texts = [_text(value) for value in attribute.attribute_value or []]
            texts = [text for text in texts if text]
            if attribute.name and texts:
                values[attribute.name.strip()] = texts[0]
    return values
