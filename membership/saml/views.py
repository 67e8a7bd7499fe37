"""SPID and CIE endpoints: metadata, login (AuthnRequest), assertion consumer, single logout,
and the portal's SAML-aware logout (/esci/)."""

import base64
import datetime
import html
import logging
import re
import secrets
import time

import saml2
from django.conf import settings
from django.contrib import auth
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from djangosaml2.cache import IdentityCache, StateCache
from djangosaml2.views import LogoutView as DjangoSaml2LogoutView
from saml2.client import Saml2Client
from saml2.s_utils import UnknownSystemEntity
from saml2.saml import NAMEID_FORMAT_ENTITY, AuthnContextClassRef, Issuer
from saml2.samlp import RequestedAuthnContext
from saml2.sigver import verify_redirect_signature
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from cms.overrides import saml_subject_id, set_saml_subject_id
from membership.identity import IdentityError, safe_next, sign_in
from membership.models import UsedAssertion

from . import conf as saml_conf
from .metadata import metadata_xml
from .validation import OutstandingRequest, SpidValidationError, attributes_of, validate_response

logger = logging.getLogger("membership.saml")

REQUESTS_KEY = "saml_requests"
#: The IdP the session signed in with (an IdP's LogoutRequest must come from it).
SESSION_IDP_KEY = "saml_idp"
RELAY_STATES_KEY = "saml_relay_states"
MAX_OUTSTANDING = 10

# SPID "anomalie" (Avviso 5): the IdP tells why the user did not authenticate.
ANOMALIES = {
    "nr19": _("Too many failed attempts to enter your credentials."),
    "nr20": _("Your digital identity does not have the required security level."),
    "nr21": _("The sign-in took too long and timed out."),
    "nr22": _("You did not give your consent to send your data to the portal."),
    "nr23": _("Your digital identity is suspended or revoked."),
    "nr25": _("You cancelled the sign-in."),
}


def saml_error(request, message, status=403, log_message="", exc_info=False):
    """The Italian error page for a refused SAML exchange: nothing has been changed."""
    logger.warning(
        "SAML %s refused (%s): %s",
        request.path,
        status,
        log_message or message,
        exc_info=exc_info,
    )
    return render(
        request,
        "membership/saml_error.html",
        {"message": message, "page_title": _("Sign-in failed")},
        status=status,
    )


def _kind(kwargs) -> str:
    return kwargs.get("kind", "spid")


def new_relay_state(saml_session, request_id: str, next_path: str) -> str:
    """Remember where to send the member after the AuthnRequest ``request_id`` and return the
    opaque token that travels as RelayState (never the path itself: SPID wants it unintelligible,
    and nobody can smuggle a destination through the IdP)."""
    token = secrets.token_hex(16)  # hex: no "http" in it, ever
    relay_states = dict(saml_session.get(RELAY_STATES_KEY, {}))
    relay_states[token] = {"request_id": request_id, "next": safe_next(next_path)}
    while len(relay_states) > MAX_OUTSTANDING:
        relay_states.pop(next(iter(relay_states)))
    saml_session[RELAY_STATES_KEY] = relay_states
    return token


def resolve_relay_state(saml_session, token: str, request_id: str) -> str:
    """The path stored for ``token`` if it belongs to the AuthnRequest ``request_id``, else "/".
    The token is spent either way."""
    relay_states = dict(saml_session.get(RELAY_STATES_KEY, {}))
    entry = relay_states.pop((token or "").strip(), None)
    saml_session[RELAY_STATES_KEY] = {
        key: value for key, value in relay_states.items() if value.get("request_id") != request_id
    }
    if not entry or entry.get("request_id") != request_id:
        return "/"
    return safe_next(entry.get("next"))


class MetadataView(View):
    def get(self, request, kind):
        return HttpResponse(metadata_xml(kind), content_type="application/samlmetadata+xml")


@method_decorator(never_cache, name="dispatch")
class LoginView(View):
    """Send the member to the chosen IdP with a signed SPID AuthnRequest (HTTP-POST binding)."""

    def get(self, request, kind):
        next_path = safe_next(request.GET.get("next"))
        idp = (request.GET.get("idp") or "").strip()
        if not idp:
            login_url = resolve_url(settings.LOGIN_URL)
            return HttpResponseRedirect(f"{login_url}?next={next_path}")
        config = saml_conf.build_config(kind)
        client = Saml2Client(config)
        try:
            location = client.sso_location(idp, saml2.BINDING_HTTP_POST)
            binding = saml2.BINDING_HTTP_POST
        except (UnknownSystemEntity, TypeError, KeyError):
            try:
                location = client.sso_location(idp, saml2.BINDING_HTTP_REDIRECT)
                binding = saml2.BINDING_HTTP_REDIRECT
            except (UnknownSystemEntity, TypeError, KeyError):
                return saml_error(
                    request,
                    _("The identity provider you chose is not known to the portal."),
                    status=400,
                    log_message=f"unknown IdP {idp!r}",
                )

        level = saml_conf.requested_level(kind)
        entity_id = saml_conf.entity_id(kind)
        request_id, authn_request = client.create_authn_request(
            location,
            binding=saml2.BINDING_HTTP_POST,  # ProtocolBinding: how the Response comes back
            sign=False,
            issuer=Issuer(text=entity_id, format=NAMEID_FORMAT_ENTITY, name_qualifier=entity_id),
            requested_authn_context=RequestedAuthnContext(
                authn_context_class_ref=[AuthnContextClassRef(text=saml_conf.SPID_LEVELS[level])],
                comparison="minimum",
            ),
            force_authn="true" if level >= 2 else None,
            attribute_consuming_service_index="0",
            assertion_consumer_service_url=saml_conf.endpoint(kind, "acs"),
        )
        issued = authn_request.issue_instant
        relay_state = new_relay_state(request.saml_session, request_id, next_path)
        if binding == saml2.BINDING_HTTP_POST:
            signed = client.sign(authn_request, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
            response = render(
                request,
                "membership/saml_post.html",
                {
                    "action": location,
                    "fields": {
                        "SAMLRequest": base64.b64encode(signed.encode()).decode(),
                        "RelayState": relay_state,
                    },
                },
            )
        else:
            info = client.apply_binding(
                binding,
                str(authn_request),
                location,
                relay_state=relay_state,
                sign=True,
                sigalg=SIG_RSA_SHA256,
            )
            response = HttpResponseRedirect(dict(info["headers"])["Location"])

        outstanding = dict(request.saml_session.get(REQUESTS_KEY, {}))
        outstanding[request_id] = {
            "issued": issued,
            "idp": idp,
            "level": level,
            "kind": kind,
        }
        while len(outstanding) > MAX_OUTSTANDING:
            outstanding.pop(next(iter(outstanding)))
        request.saml_session[REQUESTS_KEY] = outstanding
        logger.info("AuthnRequest %s to %s (%s, level %s)", request_id, idp, kind, level)
        return response


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class AssertionConsumerServiceView(View):
    """Check the IdP's Response as SPID requires, refuse replays, then sign the member in."""

    http_method_names = ["post"]

    def post(self, request, kind):
        generic = _("The identity provider's answer could not be accepted. Please sign in again.")
        saml_response = request.POST.get("SAMLResponse", "")
        if not saml_response:
            return saml_error(request, generic, status=400, log_message="no SAMLResponse")

        outstanding = dict(request.saml_session.get(REQUESTS_KEY, {}))
        config = saml_conf.build_config(kind)
        client = Saml2Client(config, identity_cache=IdentityCache(request.saml_session))
        try:
            authn_response = client.parse_authn_request_response(
                saml_response,
                saml2.BINDING_HTTP_POST,
                dict.fromkeys(outstanding, "/"),
            )
        except Exception as exc:  # pysaml2 raises many unrelated types
            message = generic
            status_text = str(exc)
            for code, text in ANOMALIES.items():
                if f"ErrorCode {code}" in status_text or f"ErrorCode nr{code[2:]}" in status_text:
                    message = text
            return saml_error(
                request,
                message,
                status=403,
                log_message=f"{type(exc).__name__}: {exc}",
            )
        if authn_response is None or authn_response.assertion is None:
            return saml_error(request, generic, status=400, log_message="empty response")

        in_response_to = (authn_response.in_response_to or "").strip()
        pending = outstanding.get(in_response_to)
        if not pending or pending.get("kind") != kind:
            return saml_error(request, generic, log_message="InResponseTo of no pending request")
        try:
            issued = datetime.datetime.strptime(pending["issued"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.UTC
            )
            validate_response(
                authn_response,
                kind=kind,
                request=OutstandingRequest(
                    request_id=in_response_to,
                    issued=issued,
                    idp=pending["idp"],
                    level=int(pending["level"]),
                ),
                acs_url=saml_conf.endpoint(kind, "acs"),
                sp_entity_id=saml_conf.entity_id(kind),
                skew=settings.SAML_CLOCK_SKEW,
            )
        except (SpidValidationError, ValueError, KeyError, AttributeError) as exc:
            message = generic
            if "below the requested" in str(exc):
                message = _("Your digital identity does not have the required security level.")
            return saml_error(request, message, log_message=str(exc))

        assertion = authn_response.assertion
        attributes = attributes_of(assertion)
        now = datetime.datetime.now(datetime.UTC)
        expiry = _assertion_expiry(assertion, now) + datetime.timedelta(
            seconds=settings.SAML_CLOCK_SKEW
        )
        UsedAssertion.objects.filter(expires_at__lt=now).delete()
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        UsedAssertion.objects.create(
                            assertion_id=assertion.id.strip(),
                            issuer=pending["idp"][:512],
                            expires_at=expiry,
                        )
                except IntegrityError:
                    return saml_error(
                        request, generic, log_message=f"replayed assertion {assertion.id}"
                    )
                user = sign_in(request, attributes, kind)
        except IdentityError as exc:
            return saml_error(
                request,
                _("Your digital identity did not provide your fiscal number."),
                log_message=str(exc),
            )

        outstanding.pop(in_response_to, None)
        request.saml_session[REQUESTS_KEY] = outstanding
        request.saml_session["saml_kind"] = kind
        request.saml_session[SESSION_IDP_KEY] = pending["idp"]
        request.saml_session.pop(LOGOUT_REQUESTS_KEY, None)  # a new session: earlier ones are over
        set_saml_subject_id(request.saml_session, authn_response.session_info()["name_id"])
        logger.info("Assertion %s accepted for user %s (%s)", assertion.id, user.pk, kind)
        next_path = resolve_relay_state(
            request.saml_session, request.POST.get("RelayState", ""), in_response_to
        )
        return HttpResponseRedirect(next_path)


def _assertion_expiry(assertion, now):
    from .validation import parse_instant

    instants = [now]
    if assertion.conditions is not None and assertion.conditions.not_on_or_after:
        instants.append(parse_instant(assertion.conditions.not_on_or_after, "NotOnOrAfter"))
    for confirmation in assertion.subject.subject_confirmation or []:
        data = confirmation.subject_confirmation_data
        if data is not None and data.not_on_or_after:
            instants.append(parse_instant(data.not_on_or_after, "NotOnOrAfter"))
    return max(instants)


LOGOUT_REQUESTS_KEY = "saml_logout_requests"
#: How long the portal waits for the IdP's answer to its LogoutRequest (seconds).
LOGOUT_REQUEST_LIFETIME = 30 * 60
_FORM_ACTION = re.compile(r'<form[^>]*\saction="([^"]*)"', re.IGNORECASE)
_FORM_FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', re.IGNORECASE)


def auto_post(request, http_info):
    """pysaml2's HTTP-POST binding as the portal's own auto-submitted form
    (``membership/saml_post.html``): its script carries the request's CSP nonce, where pysaml2's
    page has an inline ``onload`` handler that the Content-Security-Policy blocks."""
    page = "".join(http_info["data"]) if isinstance(http_info["data"], list) else http_info["data"]
    action = _FORM_ACTION.search(page)
    fields = {name: html.unescape(value) for name, value in _FORM_FIELD.findall(page)}
    return render(
        request,
        "membership/saml_post.html",
        {"action": html.unescape(action.group(1)) if action else "", "fields": fields},
    )


def logout_refused(request, log_message):
    """400 and the Italian page: the message did not end anything (the session is intact)."""
    logger.warning("SAML %s refused (400): %s", request.path, log_message)
    return render(
        request,
        "membership/saml_logout_error.html",
        {
            "message": _("The identity provider's sign-out message could not be accepted."),
            "page_title": _("Sign-out not accepted"),
        },
        status=400,
    )


def remember_logout_requests(saml_session, state: dict, kind: str) -> None:
    """Keep the IDs of the LogoutRequests just sent (pysaml2's state) in the browser's SAML
    session, which /esci/ flushed: the IdP's LogoutResponse must answer one of them."""
    now = int(time.time())
    outstanding = {
        key: value
        for key, value in dict(saml_session.get(LOGOUT_REQUESTS_KEY, {})).items()
        if now - value.get("issued", 0) < LOGOUT_REQUEST_LIFETIME
    }
    for request_id, entry in state.items():
        if isinstance(entry, dict) and entry.get("operation") == "SLO":
            outstanding[request_id] = {"idp": entry.get("entity_id"), "kind": kind, "issued": now}
    while len(outstanding) > MAX_OUTSTANDING:
        outstanding.pop(next(iter(outstanding)))
    saml_session[LOGOUT_REQUESTS_KEY] = outstanding


def _redirect_signature_ok(client, data, issuer) -> bool:
    """The HTTP-Redirect binding's query signature (SigAlg, Signature) by ``issuer``'s key."""
    if not data.get("SigAlg") or not data.get("Signature") or not issuer:
        return False
    message = {"SAMLResponse": data["SAMLResponse"], "SigAlg": data["SigAlg"]}
    message["Signature"] = data["Signature"]
    if "RelayState" in data:
        message["RelayState"] = data["RelayState"]
    try:
        certs = client.metadata.certs(issuer, "any", "signing")
        return any(
            verify_redirect_signature(message, client.sec.sec_backend, cert) for _n, cert in certs
        )
    except Exception:  # unknown algorithm, malformed base64...
        return False


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class SingleLogoutView(DjangoSaml2LogoutView):
    """/spid/ls/ and /cie/ls/: the IdP's LogoutResponse (to our request) or LogoutRequest.

    Only a message that pysaml2 verifies with the IdP's key and that belongs to this browser's
    session ends a session: a LogoutResponse to a LogoutRequest this browser sent (/esci/), or a
    LogoutRequest for the NameID this session signed in with, from its IdP. Anything else
    (a forged or replayed message, a link from another site, another member's logout) gets 400
    and the Italian page, and the session stays as it was. Both are handled here rather than by
    djangosaml2, which logs out on any LogoutResponse (even one that fails to parse) and does not
    check the HTTP-Redirect binding's signatures."""

    def dispatch(self, request, *args, **kwargs):
        request.saml_kind = kwargs.pop("kind", "spid")
        return super().dispatch(request, *args, **kwargs)

    def do_logout_service(self, request, data, binding, *args, **kwargs):
        if "SAMLRequest" in data:
            return self.logout_request(request, data, binding)
        if "SAMLResponse" in data:
            return self.logout_response(request, data, binding)
        return logout_refused(request, "neither SAMLRequest nor SAMLResponse")

    def logout_response(self, request, data, binding):
        """The IdP's answer to the LogoutRequest /esci/ sent (the portal session already ended
        there): checked, matched to this browser's request, then home."""
        _state, client = self.get_state_client(request)
        try:
            parsed = client.parse_logout_request_response(data["SAMLResponse"], binding)
        except Exception as exc:  # pysaml2 raises many unrelated types
            return logout_refused(request, f"LogoutResponse: {exc!r}")
        message = getattr(parsed, "response", None)
        if message is None:
            return logout_refused(request, "LogoutResponse: nothing to read")
        issuer = message.issuer.text.strip() if message.issuer is not None else ""
        signed = message.signature is not None or (
            binding == saml2.BINDING_HTTP_REDIRECT and _redirect_signature_ok(client, data, issuer)
        )
        if not signed:
            return logout_refused(request, "unsigned LogoutResponse")
        outstanding = dict(request.saml_session.get(LOGOUT_REQUESTS_KEY, {}))
        entry = outstanding.pop((message.in_response_to or "").strip(), None)
        if (
            not entry
            or entry.get("idp") != issuer
            or int(time.time()) - entry.get("issued", 0) >= LOGOUT_REQUEST_LIFETIME
        ):
            return logout_refused(
                request, f"LogoutResponse to no LogoutRequest of this browser ({issuer})"
            )
        request.saml_session[LOGOUT_REQUESTS_KEY] = outstanding
        auth.logout(request)
        logger.info("LogoutResponse %s from %s accepted", message.id, issuer)
        return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL or "/"))

    def logout_request(self, request, data, binding):
        """The IdP's LogoutRequest (IdP-initiated single logout)."""
        state, client = self.get_state_client(request)
        relay_state = data.get("RelayState", "")
        signature = {"sigalg": data.get("SigAlg"), "signature": data.get("Signature")}
        try:
            # Verify first (signature, destination, issuer known), whoever is signed in.
            parsed = client.parse_logout_request(
                data["SAMLRequest"], binding, relay_state, **signature
            )
        except Exception as exc:
            return logout_refused(request, f"LogoutRequest: {exc!r}")
        message = getattr(parsed, "message", None)
        if message is None:
            return logout_refused(request, "LogoutRequest: nothing to read")
        subject_id = saml_subject_id(request.saml_session)
        issuer = message.issuer.text.strip() if message.issuer is not None else ""
        session_idp = request.saml_session.get(SESSION_IDP_KEY)
        matches = (
            subject_id is not None
            and message.name_id == subject_id
            and (session_idp is None or session_idp == issuer)
        )
        if request.user.is_authenticated and not matches:
            # A valid message, but not about this session (another member's, or a staff
            # session): it must not end this one.
            return logout_refused(request, f"LogoutRequest for another subject ({issuer})")
        if subject_id is None:  # nobody signed in with SAML here: pysaml2 answers UnknownPrincipal
            logger.warning("IdP LogoutRequest without a SAML session: answering")
        try:
            http_info = client.handle_logout_request(
                data["SAMLRequest"],
                subject_id,
                binding,
                sign_alg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
                relay_state=relay_state,
                **signature,
            )
        except Exception as exc:
            return logout_refused(request, f"LogoutRequest: {exc!r}")
        state.sync()
        auth.logout(request)
        request.saml_session.flush()
        if http_info.get("method", "GET") == "POST" and "data" in http_info:
            return auto_post(request, http_info)
        return HttpResponseRedirect(dict(http_info["headers"])["Location"])


@method_decorator(never_cache, name="dispatch")
class PortalLogoutView(View):
    """/esci/: SP-initiated single logout for SPID/CIE sessions, local logout otherwise."""

    http_method_names = ["post", "options"]

    def post(self, request):
        kind = request.saml_session.get("saml_kind")
        subject_id = saml_subject_id(request.saml_session)
        if request.user.is_authenticated and kind in saml_conf.KINDS and subject_id is not None:
            request.saml_kind = kind
            state = StateCache(request.saml_session)
            client = Saml2Client(
                saml_conf.build_config(kind),
                state_cache=state,
                identity_cache=IdentityCache(request.saml_session),
            )
            try:
                result = client.global_logout(subject_id, sign=True, sign_alg=SIG_RSA_SHA256)
            except Exception:
                logger.exception("SP-initiated SAML logout failed: logging out locally")
                result = None
            state.sync()
            sent = dict(state)
            auth.logout(request)
            request.saml_session.flush()
            remember_logout_requests(request.saml_session, sent, kind)
            for logout_info in (result or {}).values():
                if isinstance(logout_info, tuple):
                    binding, http_info = logout_info
                    if binding == saml2.BINDING_HTTP_POST:
                        return auto_post(request, http_info)
                    if binding == saml2.BINDING_HTTP_REDIRECT:
                        return HttpResponseRedirect(dict(http_info["headers"])["Location"])
            return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL or "/"))
        auth.logout(request)
        return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL or "/"))


def login_url(kind: str, idp: str, next_path: str = "/") -> str:
    """Where a "Sign in with SPID/CIE" button for idp points."""
    from urllib.parse import urlencode

    return f"{reverse(f'saml_{kind}_login')}?{urlencode({'idp': idp, 'next': next_path})}"
