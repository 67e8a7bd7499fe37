"""The public side of the Open Badges: a badge's verification page (the credential's ``id``),
the verifier where anyone pastes or uploads a credential, the badge classes (an HTML page, the
``Achievement`` JSON, the image) and the machine documents a verifier fetches (the issuer's DID
document, the revocation status list), with ``Access-Control-Allow-Origin: *``.

No permission is needed: a badge's address is an unguessable UUID its holder shares, and its
page shows the holder's name only if they chose so (``IssuedBadge.show_name``). The state shown
is what ``credentials.verify`` finds now (proof and revocation), never a stored verdict.
"""

from __future__ import annotations

import textwrap

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from openbadgeslib.ob3.credential import OB3_CONTEXT
from wagtail.models import Locale

from cms.cache import mark_private
from membership.security import client_ip

from .. import credentials, services
from ..forms import VerifyForm
from ..models import CoursePage, IssuedBadge

JSON_TYPES = ("application/json", "application/ld+json")

#: Verifications per client address and window (seconds): ``ACADEMY_VERIFY_RATE``.
DEFAULT_VERIFY_RATE = (30, 600)


def _machine(response):
    """A machine document: readable from any origin (verifiers run in browsers too)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _fresh(response):
    """Revocation must show at once: no stored copies."""
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


# --- A badge's public verification page ------------------------------------------------------


def badge_state(badge: IssuedBadge) -> dict:
    """``state`` (``valid``, ``revoked``, ``invalid`` or ``erased``), ``message`` and
    ``revoked`` for the page. An erased badge (its holder's data removed with the credential)
    says it was issued and whether it was revoked."""
    if not badge.credential:
        return {
            "state": "erased",
            "message": _("Issued on %(date)s; the holder's personal data have been removed.")
            % {"date": timezone.localtime(badge.issued_at).strftime("%d/%m/%Y")},
            "revoked": badge.is_revoked,
        }
    result = credentials.verify(badge.credential)
    return {"state": result.state, "message": result.message, "revoked": badge.is_revoked}


@require_safe
def badge_detail(request, uuid):
    badge = IssuedBadge.objects.select_related("course").filter(uuid=uuid).first()
    if badge is None:
        raise Http404
    course = badge.course if badge.course is not None and badge.course.live else None
    is_owner = request.user.is_authenticated and badge.user_id == request.user.pk
    if request.user.is_authenticated:
        mark_private(request)
    context = {
        "page_title": badge.name,
        "badge": badge,
        "course": course.localized if course else None,
        "course_url": course.localized.get_url(request) if course else "",
        "issuer_name": settings.ACADEMY_ISSUER_NAME,
        "holder_name": badge.holder_name if badge.show_name and badge.credential else "",
        "is_owner": is_owner,
        "class_url": credentials.ACHIEVEMENT_PATH.format(code=badge.course_code),
        "image_url": credentials.ACHIEVEMENT_IMAGE_PATH.format(code=badge.course_code),
        **badge_state(badge),
    }
    return _fresh(render(request, "academy/badge_detail.html", context))


# --- The verifier ------------------------------------------------------------------------------


def _rate_limited(request) -> int:
    """Seconds to wait if this address verified too many credentials lately (0 otherwise)."""
    limit, window = getattr(settings, "ACADEMY_VERIFY_RATE", DEFAULT_VERIFY_RATE)
    now = int(timezone.now().timestamp())
    start = now - now % window
    key = f"academy:verify:{client_ip(request) or 'unknown'}:{start}"
    if cache.add(key, 1, timeout=window + 1):
        return 0
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=window + 1)
        return 0
    return max(start + window - now, 1) if count > limit else 0


@require_http_methods(["GET", "POST"])
def verify(request):
    """Paste or upload a credential: 200 with the result once it was verified (valid, revoked
    or not valid), 400 for input that is not a credential (what was typed is kept), 429 when
    an address verifies too often."""
    status = 200
    result = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        wait = _rate_limited(request)
        if wait:
            form.is_valid()
            form.errors.clear()
            form.add_error(
                None,
                _("Too many verifications from your connection: try again in %(minutes)s minutes.")
                % {"minutes": max(1, -(-wait // 60))},
            )
            status = 429
        elif form.is_valid():
            result = credentials.verify(form.cleaned_data["document"])
        else:
            status = 400
    else:
        form = VerifyForm()
    context = {"page_title": _("Verify an Open Badge"), "form": form, "result": result}
    response = render(request, "academy/verify.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(wait)
    mark_private(request)
    return response


# --- Badge classes -----------------------------------------------------------------------------


def _course_or_404(code: str) -> CoursePage:
    course = (
        CoursePage.objects.live()
        .filter(code=code, locale=Locale.get_default())
        .select_related("badge_image")
        .first()
    )
    if course is None:
        raise Http404
    return course


def achievement_document(course) -> dict:
    """The badge class as published: the credentials' ``Achievement`` with its ``@context``
    and its creator (in the default language, as in the credentials)."""
    with translation.override(settings.LANGUAGE_CODE):
        achievement = credentials.achievement_for(course).to_dict()
        issuer = credentials.issuer_profile()
    return {
        "@context": OB3_CONTEXT[:2],
        **achievement,
        "creator": {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
    }


def _wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    if not accept:
        return False
    return request.get_preferred_type(["text/html", *JSON_TYPES]) in JSON_TYPES


@require_safe
def badge_class(request, code):
    course = _course_or_404(code)
    if _wants_json(request):
        response = JsonResponse(
            achievement_document(course), json_dumps_params={"ensure_ascii": False}
        )
        _machine(response)
    else:
        page = course.localized
        context = {
            "page_title": page.title,
            "course": page,
            "course_url": page.get_url(request),
            "issuer_name": settings.ACADEMY_ISSUER_NAME,
            "image_url": credentials.ACHIEVEMENT_IMAGE_PATH.format(code=course.code),
            "json_url": credentials.ACHIEVEMENT_PATH.format(code=course.code) + "?format=json",
        }
        response = render(request, "academy/badge_class.html", context)
    patch_vary_headers(response, ["Accept"])
    return response


LEVEL_COLOURS = {"base": "#00805A", "approfondimento": "#0066CC", "specialistico": "#5C2D91"}


@require_safe
def badge_class_image(request, code):
    """The course's badge image (a rendition) if it has one, else a badge drawn as SVG."""
    course = _course_or_404(code)
    if course.badge_image is not None:
        return redirect(course.badge_image.get_rendition("fill-400x400").url)
    lines = textwrap.wrap(course.title, 20)[:4]
    if len(textwrap.wrap(course.title, 20)) > 4:
        lines[-1] = lines[-1][:18] + "…"
    first_y = 215 - (len(lines) - 1) * 13
    context = {
        "colour": LEVEL_COLOURS.get(course.level, "#0066CC"),
        "lines": [{"text": line, "y": first_y + 26 * i} for i, line in enumerate(lines)],
        "level": course.get_level_display(),
        "code": course.code,
        "title": course.title,
    }
    svg = render_to_string("academy/badge_image.svg", context)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return _machine(response)


# --- The issuer's DID document and the status list -------------------------------------------


@require_safe
def did_document(request):
    response = JsonResponse(credentials.did_document())
    patch_cache_control(response, public=True, max_age=300)
    return _machine(response)


@require_safe
def status_list(request):
    response = JsonResponse(services.status_list())
    patch_cache_control(response, public=True, max_age=60)
    return _machine(response)
