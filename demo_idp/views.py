"""The demo IdP's endpoints: metadata, single sign-on and single logout, for SPID and CIE."""

from __future__ import annotations

import base64
import logging

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.s_utils import rndstr
from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from . import identities, idp

logger = logging.getLogger("demo_idp")

SAML_FIELDS = ("SAMLRequest", "RelayState", "SigAlg", "Signature")


class DemoIdPError(Exception):
    """A request the demo IdP refuses; the message is shown to the user."""


def sp_metadata_path(kind: str) -> str:
    return f"/{kind}/metadata/"


def fetch_sp_metadata(kind: str, request) -> str:
    """The portal's SP metadata for ``kind``, obtained in-process by calling its view."""
    path = sp_metadata_path(kind)
    try:
        match = resolve(path)
    except Resolver404 as error:
        raise DemoIdPError(f"the service provider publishes no metadata at {path}") from error
    factory = RequestFactory()
    sub_request = factory.get(path, HTTP_HOST=request.get_host(), secure=request.is_secure())
    sub_request.session = getattr(request, "session", None)
    sub_request.user = getattr(request, "user", None)
    response = match.func(sub_request, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200:
        raise DemoIdPError(f"the service provider's metadata answered {response.status_code}")
    content = b"".join(response) if response.streaming else response.content
    return content.decode("utf-8")


def request_base(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def server_for(kind: str, request):
    return idp.server(kind, [request_base(request)], [fetch_sp_metadata(kind, request)])


def _message(request) -> tuple[str, dict]:
    """(binding, SAML fields) from the query string (Redirect) or the form (POST)."""
    if request.method == "POST" and request.POST.get("binding") in ("redirect", "post"):
        # The identity chooser re-posts the original request as it arrived.
        binding = (
            BINDING_HTTP_REDIRECT if request.POST["binding"] == "redirect" else BINDING_HTTP_POST
        )
        data = request.POST
    elif request.method == "POST":
        binding, data = BINDING_HTTP_POST, request.POST
    else:
        binding, data = BINDING_HTTP_REDIRECT, request.GET
    fields = {name: data.get(name) for name in SAML_FIELDS if data.get(name) is not None}
    return binding, fields


def _parse_authn_request(server, binding, fields):
    if not fields.get("SAMLRequest"):
        raise DemoIdPError("no SAMLRequest")
    try:
        parsed = server.parse_authn_request(
            fields["SAMLRequest"],
            binding,
            relay_state=fields.get("RelayState") if binding == BINDING_HTTP_REDIRECT else None,
            sigalg=fields.get("SigAlg"),
            signature=fields.get("Signature"),
        )
    except Exception as error:
        logger.warning("demo IdP: AuthnRequest refused: %s", error)
        raise DemoIdPError(
            f"the authentication request is not valid or not signed: {error}"
        ) from error
    if parsed is None:
        raise DemoIdPError("the authentication request could not be read")
    return parsed.message


def requested_level(authn_request) -> str:
    context = authn_request.requested_authn_context
    if context is not None:
        for ref in context.authn_context_class_ref or []:
            value = (ref.text or "").strip()
            if value in idp.SPID_LEVELS:
                return value
    return idp.DEFAULT_LEVEL


def _error(request, kind, message, status=400):
    return render(
        request,
        "demo_idp/error.html",
        {"kind": kind, "message": message, "page_title": "Ambiente dimostrativo"},
        status=status,
    )


@never_cache
@require_GET
def metadata(request, kind="spid"):
    return HttpResponse(idp.metadata_xml(kind), content_type="application/samlmetadata+xml")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def sso(request, kind="spid"):
    """Show the identity chooser for a signed AuthnRequest; answer with a signed Response."""
    binding, fields = _message(request)
    try:
        server = server_for(kind, request)
        authn_request = _parse_authn_request(server, binding, fields)
    except DemoIdPError as error:
        return _error(request, kind, str(error))
    sp_entity_id = authn_request.issuer.text.strip()
    chosen = request.POST.get("identity") if request.method == "POST" else None
    if not chosen:
        return render(
            request,
            "demo_idp/sso.html",
            {
                "kind": kind,
                "identities": identities.IDENTITIES,
                "sp_entity_id": sp_entity_id,
                "level": requested_level(authn_request),
                "binding": "redirect" if binding == BINDING_HTTP_REDIRECT else "post",
                "fields": fields,
                "page_title": "Ambiente dimostrativo",
            },
        )
    person = identities.get(chosen)
    if person is None:
        return _error(request, kind, "unknown demo identity")
    try:
        response_xml, destination = build_response(server, authn_request, person, kind)
    except Exception as error:
        logger.exception("demo IdP: cannot build the response")
        return _error(request, kind, f"the response could not be built: {error}", status=500)
    return render(
        request,
        "demo_idp/post.html",
        {
            "kind": kind,
            "action": destination,
            "fields": {
                "SAMLResponse": base64.b64encode(response_xml.encode("utf-8")).decode("ascii"),
                **({"RelayState": fields["RelayState"]} if fields.get("RelayState") else {}),
            },
            "person": person,
            "page_title": "Ambiente dimostrativo",
        },
    )


def build_response(server, authn_request, person, kind: str) -> tuple[str, str]:
    """A SPID-profile Response (Response and Assertion signed, RSA-SHA256) for ``person``."""
    args = server.response_args(authn_request, [BINDING_HTTP_POST])
    destination = args["destination"]
    name_id = NameID(
        format=NAMEID_FORMAT_TRANSIENT,
        name_qualifier=server.config.entityid,
        text=f"_{rndstr(32)}",
    )
    response = server.create_authn_response(
        identity=person.attributes(),
        in_response_to=args["in_response_to"],
        destination=destination,
        sp_entity_id=args["sp_entity_id"],
        name_id=name_id,
        authn={"class_ref": requested_level(authn_request)},
        sign_response=True,
        sign_assertion=True,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    return str(response), destination


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def slo(request, kind="spid"):
    """Single logout: verify the SP's LogoutRequest, answer with a signed LogoutResponse."""
    if request.method == "POST":
        binding, data = BINDING_HTTP_POST, request.POST
    else:
        binding, data = BINDING_HTTP_REDIRECT, request.GET
    message = data.get("SAMLRequest")
    relay_state = data.get("RelayState", "")
    if not message:
        if data.get("SAMLResponse"):
            # IdP-initiated logout is not offered; a response has nothing to complete here.
            return HttpResponseRedirect("/")
        return HttpResponseBadRequest("no SAMLRequest")
    try:
        server = server_for(kind, request)
        parsed = server.parse_logout_request(
            message,
            binding,
            relay_state=relay_state if binding == BINDING_HTTP_REDIRECT else None,
            sigalg=data.get("SigAlg"),
            signature=data.get("Signature"),
        )
        if parsed is None:
            raise DemoIdPError("the logout request could not be read")
        sp_entity_id = parsed.message.issuer.text.strip()
        reply_binding, destination = server.pick_binding(
            "single_logout_service",
            [BINDING_HTTP_POST, BINDING_HTTP_REDIRECT],
            "spsso",
            entity_id=sp_entity_id,
        )
        response = server.create_logout_response(
            parsed.message,
            [reply_binding],
            sign=reply_binding == BINDING_HTTP_POST,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
    except Exception as error:
        logger.warning("demo IdP: LogoutRequest refused: %s", error)
        return _error(request, kind, f"the logout request is not valid: {error}")
    if reply_binding == BINDING_HTTP_REDIRECT:
        http_args = server.apply_binding(
            reply_binding,
            str(response),
            destination,
            relay_state,
            response=True,
            sigalg=SIG_RSA_SHA256,
        )
        location = dict(http_args["headers"])["Location"]
        return HttpResponseRedirect(location)
    return render(
        request,
        "demo_idp/post.html",
        {
            "kind": kind,
            "action": destination,
            "fields": {
                "SAMLResponse": base64.b64encode(str(response).encode("utf-8")).decode("ascii"),
                **({"RelayState": relay_state} if relay_state else {}),
            },
            "person": None,
            "page_title": "Ambiente dimostrativo",
        },
    )
