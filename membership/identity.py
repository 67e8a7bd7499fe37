"""Signing a member in from their SPID/CIE identity: the user is keyed on the fiscal number."""

import logging
import re

from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger("membership.saml")

SAML_BACKEND = "djangosaml2.backends.Saml2Backend"
FISCAL_NUMBER = re.compile(r"^[A-Z0-9]{11,16}$")


class IdentityError(ValueError):
    """The identity attributes cannot be used to sign in (e.g. no fiscal number)."""


def normalise_fiscal_number(value: str) -> str:
    """``TINIT-rssmra80a01h501u`` -> ``RSSMRA80A01H501U``."""
    value = (value or "").strip().upper()
    if value.startswith("TINIT-"):
        value = value[len("TINIT-") :]
    if not FISCAL_NUMBER.match(value):
        raise IdentityError("missing or malformed fiscalNumber")
    return value


def safe_next(path: str | None) -> str:
    """A relative path on this site, or "/"."""
    path = (path or "").strip()
    if (
        path.startswith("/")
        and not path.startswith("//")
        and "\\" not in path
        and url_has_allowed_host_and_scheme(path, allowed_hosts=set(), require_https=False)
    ):
        return path
    return "/"


def sign_in(request, attributes: dict, method: str):
    """Create or refresh the member for these SPID/CIE attributes and log them in."""
    User = get_user_model()
    fiscal_number = normalise_fiscal_number(attributes.get("fiscalNumber", ""))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(fiscal_number=fiscal_number).first()
        if user is None:
            user = User(fiscal_number=fiscal_number, username=fiscal_number)
            user.set_unusable_password()
        user.first_name = (attributes.get("name") or "").strip()[:150]
        user.last_name = (attributes.get("familyName") or "").strip()[:150]
        email = (attributes.get("email") or "").strip()
        if email:
            user.email = email[:254]
        user.last_login_method = method
        user.save()
    login(request, user, backend=SAML_BACKEND)
    logger.info("Member %s signed in with %s", user.pk, method)
    return user
